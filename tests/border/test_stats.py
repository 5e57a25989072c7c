"""Detention statistics by direction, route, category and outcome, with the share under a
recorded right; a seized detention counts in the year's seizure statistics as a customs
seizure."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ipex.border import services as border
from ipex.seizures.queries import seizure_stats
from tests.border.conftest import detain
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2013(monkeypatch, rights, recordation):
    """Three detentions of 2013 at Chinese customs: one under the recordation confirmed and
    seized, one ex officio released, one by road from Russia still open."""
    clock = SimpleNamespace(localdate=lambda: dt.date(2013, 6, 3), now=timezone.now)
    monkeypatch.setattr("ipex.border.services.detentions.timezone", clock)
    seized = detain(rights, [recordation])
    border.detention_answer(actor=rights.rep, detention=seized, kind="confirm", grounds="Fake")
    border.detention_close(actor=rights.officer, detention=seized, outcome="seized")
    released = detain(rights, declaration_number="5101-2013-0043")
    border.detention_close(actor=rights.officer, detention=released, outcome="released")
    detain(
        rights,
        declaration_number="5101-2013-0044",
        direction="import",
        route=["RU", "CN"],
        transport="road",
        lines=[
            {"description": "Game discs", "category": "software", "quantity": 40},
            {"description": "DVD", "category": "audiovisual.dvd", "quantity": 5},
        ],
    )
    return seized


def get(user, **params):
    return api_for(user).get("/api/v1/stats/border", {"country": "CN", "year": 2013, **params})


def test_by_route_category_and_outcome(rights, year_2013):
    by_route = get(rights.officer, by="route").json()
    assert (by_route["detentions"], by_route["with_recordation"]) == (3, 1)
    assert by_route["recorded_share"] == pytest.approx(0.3333)
    assert [(r["name"], r["detentions"]) for r in by_route["rows"]] == [
        ("CN → RU", 2),
        ("RU → CN", 1),
    ]
    by_category = get(rights.officer, by="category").json()["rows"]
    assert [(r["key"], r["detentions"], r["quantity"]) for r in by_category] == [
        ("audiovisual.dvd", 3, 2405),
        ("software", 1, 40),
    ]
    by_outcome = {r["key"]: r["detentions"] for r in get(rights.officer).json()["rows"]}
    assert by_outcome == {"seized": 1, "released": 1, "": 1}
    by_direction = {
        r["key"]: r["detentions"] for r in get(rights.officer, by="direction").json()["rows"]
    }
    assert by_direction == {"export": 2, "import": 1}
    assert get(rights.officer, year=2012).json()["detentions"] == 0


def test_a_seized_detention_is_a_customs_seizure_of_2013(people, year_2013):
    rows = seizure_stats(people.admin, area="CN", year=2013, by="org_kind", source="records")
    assert rows == [{"org_kind": "customs", "name": "Customs", "quantity": 1200}]
    assert year_2013.seizure.seized_on == dt.date(2013, 6, 3)


def test_the_figures_count_only_what_the_reader_may_see(rights, people, year_2013):
    assert get(rights.other_rep).json()["detentions"] == 0
    assert get(rights.rep).json()["detentions"] == 1  # the one under its recordation
    assert get(people.admin).json()["detentions"] == 3  # a node administrator: all, aggregated
    assert api_for(None).get(
        "/api/v1/stats/border", {"country": "CN", "year": 2013}
    ).status_code in (
        401,
        403,
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [({"by": "consignee"}, "by"), ({"year": "20x3"}, "year"), ({"country": "C1"}, "country")],
)
def test_a_bad_request_says_what_is_wrong(rights, params, field):
    answer = api_for(rights.officer).get(
        "/api/v1/stats/border",
        {"country": "CN", "year": 2013, **params},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]
    assert answer.json()["error"]["message"] == "Некорректный запрос статистики."


def test_the_statistics_page_draws_each_breakdown(rights, year_2013):
    page = client_for(rights.officer).get("/statistics/border", {"country": "CN", "year": 2013})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == 4
    assert "RU → CN" in html and "2013: 3 detentions, 1 under a recorded right" in html
    bad = client_for(rights.officer).get("/statistics/border", {"country": "C1", "year": 2013})
    assert bad.status_code == 400
