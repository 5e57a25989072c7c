"""The fuzzed contract: Schemathesis over every operation of the OpenAPI schema, for a national
supervisor (NCAC) and a county officer (Bao'an), in-process through the WSGI application on the
suite's database (nothing leaves the process).

Each operation gets ``MAX_EXAMPLES`` generated requests per generation mode (valid and invalid
input), from a fixed ``SEED``, so every run sends the same requests. A run fails on any 5xx and
on any answer that breaks the schema: a status code the operation does not document, a body
that does not match the documented schema, a content type it does not declare. Every other
request of an operation that takes a record in its path names a real record the persona may
see (a seizure, a case with its task, subject and evidence, a tip, a report …), so the
operations are exercised past "not found"; the rest keep the generated values.

Each failure this found has its own ordinary regression test beside the code it fixed (see
docs/developer-guide.md, "Tests"), so it stays fixed even if the fuzzer stops generating it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from types import SimpleNamespace

import pytest
import schemathesis
from django.core import signals
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from ipex.assistance import services as assistance
from ipex.campaigns import services as campaigns
from ipex.cases import services as cases
from ipex.cases.evidence import evidence_add
from ipex.core.models import Distribution
from ipex.directory import services as directory
from ipex.directory.models import JurisdictionLevel, Node, Organisation, OrgKind, Role
from ipex.federation.models import Partner
from ipex.seizures import services as seizures
from ipex.seizures.categories import seed_categories
from ipex.seizures.models import Category
from ipex.tips import services as tips
from ipex.tips.models import RoutingRule
from tests.conftest import SYSTEM, make_user

#: The seed of every run (each operation derives its own from it and its name).
SEED = int(os.environ.get("IPEX_FUZZ_SEED") or 20131204)
#: Generated requests per operation and generation mode (valid input, invalid input).
MAX_EXAMPLES = int(os.environ.get("IPEX_FUZZ_EXAMPLES") or 4)


def _product_schema() -> dict:
    """The schema /api/schema/ serves (of ``ipex.urls``, without the tests' own endpoints)."""
    generated = SchemaGenerator(urlconf="ipex.urls").get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        # Examples from the schema and generated cases; the coverage phase (every boundary of
        # every field, hundreds of requests per operation) and stateful runs are out of the
        # time budget.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)
schema = schemathesis.openapi.from_dict(_product_schema(), config=CONFIG)
schema.app = WSGIHandler()


def _build_world(key_file):
    """Two personas on a small node (NCAC supervises Guangdong, which supervises Bao'an) and
    one record of each kind the API addresses, in Bao'an: the county officer's own, the
    national supervisor's by supervision. Each persona has a token."""
    seed_categories(Category)
    local, _created = directory.node_init(name="Fuzz node CN", base_url="http://127.0.0.1:8000")
    partner = Node.objects.create(
        name="Partner RU", base_url="http://127.0.0.1:8001", public_key="cGFydG5lcg=="
    )
    Partner.objects.create(
        node=partner, approved_here_at=timezone.now(), approved_there_at=timezone.now()
    )

    def area(code, level, en, parent=None):
        return directory.jurisdiction_add(
            actor=SYSTEM, code=code, level=level, name_en=en, parent=parent
        )

    cn = area("CN", JurisdictionLevel.COUNTRY, "China")
    gd = area("CN-GD", JurisdictionLevel.PROVINCE, "Guangdong", cn)
    ba = area("CN-GD-SZ-BA", JurisdictionLevel.COUNTY, "Bao'an", gd)
    ru = area("RU", JurisdictionLevel.COUNTRY, "Russia")

    def org(code, area, supervisor=None):
        return directory.organisation_create(
            actor=SYSTEM,
            code=code,
            kind=OrgKind.COPYRIGHT_ADMIN,
            name_en=code,
            jurisdiction=area,
            supervisor=supervisor,
        )

    ncac = org("CN-NCAC", cn)
    gd_bureau = org("CN-GD-CB", gd, ncac)
    ba_bureau = org("CN-GD-BA-CB", ba, gd_bureau)
    foreign = Organisation.objects.add_root(
        {
            "code": "RU-FCS",
            "kind": OrgKind.CUSTOMS,
            "name_en": "Federal Customs Service",
            "jurisdiction": ru,
            "origin_node": partner,
        }
    )
    national = make_user("supervisor@ncac.test", ncac, Role.SUPERVISOR)
    officer = make_user("officer@baoan.test", ba_bureau)
    group = directory.sharing_group_create(actor=SYSTEM, owner_org=gd_bureau, name="GD task force")
    directory.sharing_group_add_member(actor=SYSTEM, group=group, organisation=ba_bureau)
    RoutingRule.objects.create(jurisdiction=ba, organisation=ba_bureau)

    seizure = seizures.seizure_record(
        actor=officer,
        owner_org=ba_bureau,
        seized_on=dt.date(2013, 3, 14),
        jurisdiction=ba,
        method="raid",
        items=[{"category": "audiovisual.dvd", "quantity": 1200}],
    )
    campaign = campaigns.campaign_create(
        actor=national,
        owner_org=ncac,
        name_en="Sword Net 2013",
        starts_on=dt.date(2013, 1, 1),
        ends_on=dt.date(2030, 12, 31),
    )
    case = cases.case_open(
        actor=officer, owner_org=ba_bureau, kind="optical_disc_line", title="Shajing disc line"
    )
    subject = cases.subject_link(
        actor=officer, case=case, kind="production_line", name="Line 3", role="operator"
    )
    task = cases.task_add(
        actor=officer,
        case=case,
        title="Interview the landlord",
        due_on=timezone.localdate() + dt.timedelta(days=7),
        assignee=officer,
    )
    evidence = evidence_add(
        actor=officer, case=case, upload=SimpleUploadedFile("raid.pdf", b"%PDF-1.4 raid\n%%EOF")
    )
    report = seizures.report_create(
        actor=officer, owner_org=ba_bureau, period_kind="year", year=2012
    )
    tip, _receipt, _proof = tips.tip_submit(
        kind="production_line",
        jurisdiction="CN-GD-SZ-BA",
        description="Disc line running at night behind the dye works",
    )
    alert = assistance.alert_create(
        actor=officer,
        owner_org=ba_bureau,
        title="Disc shipment leaving Shekou",
        body="Container of discs, bill of lading SK-2013-118.",
        priority="high",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        distribution=Distribution.ORG,
    )
    request = assistance.request_create(
        actor=officer,
        owner_org=ba_bureau,
        recipient=foreign,
        subject="Buyers of the Shajing discs",
        body="Who received the shipments of May 2013?",
        case=case,
    )
    records = {
        "alerts": {"uuid": alert.uuid},
        "assistance-requests": {"uuid": request.uuid},
        "campaigns": {"uuid": campaign.uuid},
        "cases": {"uuid": case.uuid, "evidence_uuid": evidence.uuid, "task_id": task.pk},
        "jurisdictions": {"code": ba.code},
        "organisations": {"uuid": ba_bureau.uuid},
        "reports": {"uuid": report.uuid},
        "seizures": {"uuid": seizure.uuid},
        "sharing-groups": {"uuid": group.uuid, "member_id": group.members.first().pk},
        "subjects": {"uuid": subject.uuid},
        "tips": {"uuid": tip.uuid},
        "users": {"uuid": officer.uuid},
    }
    personas = {}
    for name, user in (("national", national), ("county", officer)):
        # DELETE /me/tokens/{uuid} revokes the spare one, not the one the requests carry.
        spare, _plain = directory.token_create(actor=SYSTEM, user=user, name="spare")
        _token, plain = directory.token_create(actor=SYSTEM, user=user, name="fuzz")
        personas[name] = SimpleNamespace(
            token=plain, records={**records, "me": {"uuid": spare.uuid}}
        )
    return SimpleNamespace(personas=personas, key_file=key_file, node=local)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module in a transaction rolled back at its end; each operation runs
    in a savepoint of it (the ``db`` fixture), so every operation starts from the same world."""
    key_file = tmp_path_factory.mktemp("fuzz-node") / "node-key.pem"
    blocker = django_db_blocker.unblock()
    with blocker, override_settings(IPEX_NODE_KEY_FILE=key_file), transaction.atomic():
        yield _build_world(key_file)
        transaction.set_rollback(True)


@pytest.fixture
def requests_in_world(world, db, settings):
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; the test client does without that, and so do these requests."""
    settings.IPEX_NODE_KEY_FILE = world.key_file
    caches["throttle"].clear()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield SimpleNamespace(personas=world.personas, calls=Counter())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    caches["throttle"].clear()


def _on_real_records(case, persona, calls: Counter) -> None:
    """Every other request of an operation names real records in its path."""
    calls[case.operation.label] += 1
    if not case.path_parameters or calls[case.operation.label] % 2:
        return
    collection = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    known = persona.records.get(collection, {})
    for name in case.path_parameters:
        if name in known:
            case.path_parameters[name] = known[name]


#: Status codes answered, per persona and operation, for the last test of the module.
ANSWERS: dict[tuple[str, str], Counter] = {}


def _call(case, world, persona_name: str) -> None:
    persona = world.personas[persona_name]
    _on_real_records(case, persona, world.calls)
    response = case.call_and_validate(headers={"Authorization": f"Bearer {persona.token}"})
    ANSWERS.setdefault((persona_name, case.operation.label), Counter())[response.status_code] += 1


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_national_supervisor(case, requests_in_world):
    _call(case, requests_in_world, "national")


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_county_officer(case, requests_in_world):
    _call(case, requests_in_world, "county")


#: Each persona's reads of one record: the world's record answers 200 to both personas.
DETAILS = [
    f"GET /api/v1/{kind}/{{uuid}}"
    for kind in (
        "alerts",
        "assistance-requests",
        "campaigns",
        "cases",
        "organisations",
        "reports",
        "seizures",
        "sharing-groups",
        "subjects",
        "tips",
    )
]


@pytest.mark.parametrize("persona", ["national", "county"])
def test_the_requests_reached_the_records_past_not_found(persona):
    """The contract means little if every request naming a record got 404: each persona read
    each record of the world at least once (run after the two tests above, in file order)."""
    ran = {label: answers for (who, label), answers in ANSWERS.items() if who == persona}
    if not ran:
        pytest.skip("the contract tests did not run in this session")
    unread = [label for label in DETAILS if ran.get(label, Counter())[200] == 0]
    assert unread == []
