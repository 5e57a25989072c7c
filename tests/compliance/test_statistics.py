"""Compliance statistics kept current by the reconciliation (the hand-checked example of
test_reconciliation: body A, a government body in Bao'an, 7 devices of which 3 compliant;
operating systems installed on 7, covered on 5), and published only once approved."""

import pytest

from ipex.compliance.queries import compliance_stats
from ipex.core.models import AuditEntry
from ipex.directory.models import Jurisdiction, Role
from tests.compliance.test_reconciliation import example, licence  # noqa: F401
from tests.conftest import api_for, client_for, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/stats/compliance"


def by_key(rows):
    return {row["key"]: (row["devices"], row["compliant_devices"], row["rate"]) for row in rows}


def test_every_level_up_the_tree_kind_and_family(example):  # noqa: F811
    places = by_key(compliance_stats(country="CN", year=2013, by="jurisdiction"))
    place = example.organisation.jurisdiction
    chain = [*Jurisdiction.objects.get_ancestors(place), place]
    assert {place.code for place in chain} == set(places)
    assert all(figures == (7, 3, 42.9) for figures in places.values())
    assert by_key(compliance_stats(country="CN", year=2013, by="body_kind")) == {
        "government": (7, 3, 42.9)
    }
    families = by_key(compliance_stats(country="CN", year=2013, by="family"))
    assert families["os"] == (7, 5, 71.4)


def test_the_figures_follow_the_reconciliation(example):  # noqa: F811
    licence(example, ("Kylin Software", "Kylin Desktop OS", "V10"), 1)
    assert by_key(compliance_stats(country="CN", year=2013, by="jurisdiction"))["CN"] == (
        7,
        4,
        57.1,
    )
    assert by_key(compliance_stats(country="CN", year=2013, by="family"))["os"] == (7, 6, 85.7)


def test_unpublished_national_figures_are_not_public(example, staff):  # noqa: F811
    query = f"{API}?country=CN&year=2013&by=jurisdiction"
    assert api_for(None).get(query).status_code == 403
    assert api_for(staff.supervisor).get(query).status_code == 403  # Guangdong: not national
    assert client_for(None).get("/compliance/statistics?country=CN&year=2013").status_code == 403
    assert api_for(staff.national).get(query).status_code == 200


def test_approval_makes_them_public(example, staff):  # noqa: F811
    statistician = make_user("stats@ncac.test", staff.national.organisations[0], Role.STATISTICIAN)
    refused = api_for(staff.supervisor).post(
        f"{API}/approve", {"country": "CN", "year": 2013}, format="json"
    )
    assert refused.status_code == 403
    done = api_for(statistician).post(
        f"{API}/approve", {"country": "CN", "year": 2013}, format="json"
    )
    assert done.status_code == 201
    rows = api_for(None).get(f"{API}?country=CN&year=2013&by=body_kind").json()
    assert rows == [{"key": "government", "devices": 7, "compliant_devices": 3, "rate": 42.9}]
    again = api_for(statistician).post(
        f"{API}/approve", {"country": "CN", "year": 2013}, format="json"
    )
    assert again.status_code == 409
    assert AuditEntry.objects.filter(action="compliance.figures.approved").count() == 1


@pytest.mark.parametrize(
    "query,field",
    [
        ("country=CN&year=abc", "year"),
        ("country=CN&year=2013&by=colour", "by"),
        ("country=XX&year=2013", "country"),
    ],
)
def test_a_bad_request_says_which_input(example, staff, query, field):  # noqa: F811
    answer = api_for(staff.national).get(f"{API}?{query}")
    assert answer.status_code == 400 and field in answer.json()["error"]["fields"]


def test_the_page_draws_the_chart_offers_the_csv_and_speaks_chinese(example, staff):  # noqa: F811
    client = client_for(staff.national)
    page = client.get(
        "/compliance/statistics?country=CN&year=2013&by=body_kind", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "42.9" in html
    assert "软件合规统计" in html
    csv = client.get("/compliance/statistics?country=CN&year=2013&by=body_kind&format=csv")
    text = b"".join(csv.streaming_content).decode()
    assert "key,devices,compliant_devices,rate" in text and "government,7,3,42.9" in text
