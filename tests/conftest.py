"""Personas (CONVENTIONS §9) on a small node.

NCAC (national) supervises the Guangdong bureau, which supervises the Bao'an county bureau;
the Zhejiang bureau is a colleague on the same node outside that line; Guangdong police is in
the Guangdong sharing group; a Russian customs organisation lives on a partner node.
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from ipex.core.audit import Actor
from ipex.directory import services
from ipex.directory.models import Jurisdiction, JurisdictionLevel, Node, Organisation, OrgKind, Role

SYSTEM = Actor.system("tests")


@pytest.fixture(autouse=True)
def _node_key(tmp_path, settings):
    settings.IPEX_NODE_KEY_FILE = tmp_path / "node-key.pem"


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request leaves its language active in the thread; every test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


# What a bare migrate writes, by the data migrations that write it (each idempotent), for the
# tables a transactional test's flush emptied: (model that shows it, migration, function).
SEEDS = [
    ("cases.LegalProvision", "ipex.cases.migrations.0004_legal_provisions", "seed"),
    ("legislation.Article", "ipex.cases.migrations.0012_provisions_to_articles", "forwards"),
    ("compliance.Product", "ipex.compliance.migrations.0002_seed_catalogue", "seed"),
    ("border.DeadlineRule", "ipex.border.migrations.0002_default_deadline_rules", "seed"),
]


def reseed() -> None:
    """Put back the seeded rows a flush took (categories, provisions and their articles, the
    software catalogue, the default deadline rules)."""
    from django.apps import apps

    from ipex.seizures.categories import seed_categories

    seed_categories(apps.get_model("seizures", "Category"))
    for label, module, function in SEEDS:
        if not apps.get_model(label).objects.exists():
            getattr(import_module(module), function)(apps, None)


@pytest.fixture
def node(db):
    # Transactional tests (live server, task worker) flush the tables, data migrations included.
    reseed()
    node, _created = services.node_init(name="Test node CN", base_url="http://127.0.0.1:8000")
    return node


@pytest.fixture
def partner_node(db):
    return Node.objects.create(
        name="Partner RU", base_url="http://127.0.0.1:8001", public_key="cGFydG5lcg=="
    )


def _area(code, level, en, parent=None, zh="", ru=""):
    existing = Jurisdiction.objects.filter(code=code).first()
    if existing:
        return existing
    return services.jurisdiction_add(
        actor=SYSTEM,
        code=code,
        level=level,
        name_en=en,
        name_zh_hans=zh,
        name_ru=ru,
        parent=parent,
    )


@pytest.fixture
def areas(node):
    cn = _area("CN", JurisdictionLevel.COUNTRY, "China", zh="中国", ru="Китай")
    gd = _area("CN-GD", JurisdictionLevel.PROVINCE, "Guangdong", cn, "广东省", "Гуандун")
    zj = _area("CN-ZJ", JurisdictionLevel.PROVINCE, "Zhejiang", cn, "浙江省", "Чжэцзян")
    ba = _area("CN-GD-SZ-BA", JurisdictionLevel.COUNTY, "Bao'an", gd, "宝安区", "Баоань")
    ru = _area("RU", JurisdictionLevel.COUNTRY, "Russia", zh="俄罗斯", ru="Россия")
    return SimpleNamespace(cn=cn, gd=gd, zj=zj, ba=ba, ru=ru)


@pytest.fixture
def orgs(areas, partner_node):
    def org(code, kind, area, supervisor=None, en=None):
        return services.organisation_create(
            actor=SYSTEM,
            code=code,
            kind=kind,
            name_en=en or code,
            jurisdiction=area,
            supervisor=supervisor,
            name_zh_hans=f"{code}（中文）",
            name_ru=f"{code} (рус.)",
        )

    ncac = org(
        "CN-NCAC",
        OrgKind.COPYRIGHT_ADMIN,
        areas.cn,
        en="National Copyright Administration of China",
    )
    gd = org("CN-GD-CB", OrgKind.COPYRIGHT_ADMIN, areas.gd, ncac)
    ba = org("CN-GD-BA-CB", OrgKind.COPYRIGHT_ADMIN, areas.ba, gd)
    zj = org("CN-ZJ-CB", OrgKind.COPYRIGHT_ADMIN, areas.zj, ncac)
    psd = org("CN-GD-PSD", OrgKind.POLICE, areas.gd)
    foreign = Organisation.objects.add_root(
        {
            "code": "RU-FCS",
            "kind": OrgKind.CUSTOMS,
            "name_en": "Federal Customs Service",
            "jurisdiction": areas.ru,
            "origin_node": partner_node,
        }
    )
    return SimpleNamespace(ncac=ncac, gd=gd, ba=ba, zj=zj, psd=psd, foreign=foreign)


def make_user(email, org=None, role=Role.OFFICER, password="Correct-Horse-42"):
    user = services.user_create(
        actor=SYSTEM, email=email, full_name=email.split("@")[0], password=password
    )
    if org is not None:
        services.membership_grant(actor=SYSTEM, user=user, organisation=org, role=role)
    return user


@pytest.fixture
def people(orgs):
    """One persona per line of the visibility matrix."""
    return SimpleNamespace(
        owner=make_user("owner@ba.test", orgs.ba),  # officer of the owner organisation
        supervisor=make_user("supervisor@gd.test", orgs.gd, Role.SUPERVISOR),
        national=make_user("national@ncac.test", orgs.ncac, Role.SUPERVISOR),
        group_member=make_user("officer@psd.test", orgs.psd),  # in the sharing group
        colleague=make_user("colleague@zj.test", orgs.zj),  # same node, outside the line
        no_org=make_user("nobody@test.test"),  # signed in, no organisation
        admin=make_user("admin@ncac.test", orgs.ncac, Role.NODE_ADMIN),
    )


@pytest.fixture
def group(orgs):
    group = services.sharing_group_create(actor=SYSTEM, owner_org=orgs.gd, name="GD task force")
    services.sharing_group_add_member(actor=SYSTEM, group=group, organisation=orgs.psd)
    return group


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def token_for(db):
    def make(user, **kwargs):
        _token, plain = services.token_create(actor=SYSTEM, user=user, name="test", **kwargs)
        return plain

    return make
