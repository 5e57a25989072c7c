"""Migration cases 0012 files every legal provision under an article of the library and
keeps every case's reference to its provision; a penalty then rests on the article version
in force on the action's date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ipex.cases import services as cases
from ipex.cases.models import CaseAction, LegalProvision
from ipex.core.audit import Actor
from ipex.legislation import services
from ipex.legislation.models import Article
from tests.conftest import api_for, client_for

SYSTEM = Actor.system("test")
BEFORE = [("cases", "0010_newest_first"), ("legislation", None)]


@pytest.fixture
def seeded(db):
    """The provisions migrations 0004 and 0012 write, again: a transactional test that ran
    earlier in the session emptied every table."""
    seed = import_module("ipex.cases.migrations.0004_legal_provisions").seed
    files = import_module("ipex.cases.migrations.0012_provisions_to_articles").forwards
    seed(django_apps, None)
    files(django_apps, None)


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_every_provision_and_every_cited_provision_survives_the_migration(people, orgs, seeded):
    cases.provision_create(
        actor=SYSTEM,
        code="XX-LOCAL-9",
        name_en="A local rule",
        penalty_type="fine",
        minimum=0,
        maximum=1000,
        currency="CNY",
    )
    case = cases.case_open(actor=people.owner, owner_org=orgs.ba, kind="other", title="Old case")
    cases.case_transition(actor=people.owner, case=case, action="investigate")
    action = cases.case_add_action(
        actor=people.owner,
        case=case,
        kind="administrative_fine",
        taken_on=dt.date(2012, 5, 1),
        provision=LegalProvision.objects.get(code="CN-CRIR-36"),
        amount=Decimal(5000),
    )
    codes = set(LegalProvision.objects.values_list("code", flat=True))
    last = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE)  # the schema before the library: provisions without articles
        _migrate(last)
    finally:
        _migrate(last)
    assert set(LegalProvision.objects.values_list("code", flat=True)) == codes
    assert not LegalProvision.objects.filter(article__isnull=True).exists()
    art217 = Article.objects.get(law__slug="criminal-law", number=217)
    assert set(art217.provisions.values_list("code", flat=True)) == {"CN-CL-217", "CN-CL-217-BASIC"}
    assert "3 to 7 years" in art217.versions.get().text_en
    local = LegalProvision.objects.get(code="XX-LOCAL-9").article
    assert local.law.slug == "provisions-carried-over" and not local.law.is_published
    action = CaseAction.objects.get(pk=action.pk)
    assert action.provision.code == "CN-CRIR-36"
    assert action.provision.article.number == 36


def test_a_penalty_rests_on_the_version_in_force_on_the_action_date(people, orgs, seeded):
    provision = LegalProvision.objects.get(code="CN-CRIR-36")
    article = provision.article  # in force from 2013-03-01 (migration); add the one before
    earlier = services.version_save(
        actor=SYSTEM,
        article=article,
        effective_from=dt.date(2002, 9, 15),
        effective_to=dt.date(2013, 2, 28),
        text_en="Fine up to 100,000 yuan",
    )
    case = cases.case_open(actor=people.owner, owner_org=orgs.ba, kind="other", title="Fines")
    cases.case_transition(actor=people.owner, case=case, action="investigate")
    fined = [
        cases.case_add_action(
            actor=people.owner,
            case=case,
            kind="administrative_fine",
            taken_on=day,
            provision=provision,
            amount=Decimal(5000),
        )
        for day in (dt.date(2013, 1, 7), dt.date(2013, 3, 1))
    ]
    assert fined[0].article_version == earlier
    assert fined[1].article_version.effective_from == dt.date(2013, 3, 1)
    page = client_for(people.owner)
    body = page.get(f"/cases/{case.uuid}/").text
    assert f'href="{article.get_absolute_url()}"' in body
    assert "2002-09-15" in body and "2013-03-01" in body
    actions = api_for(people.owner).get(f"/api/v1/cases/{case.uuid}").json()["actions"]
    assert [a["article"]["effective_from"] for a in actions] == ["2002-09-15", "2013-03-01"]
    assert (
        actions[0]["article"]["url"]
        == "/legislation/copyright-law-implementing-regulations/article-36/"
    )
