"""Full-text search over cases, subjects and actions: the same behaviour on PostgreSQL and
SQLite, and nothing the user may not see — not in the results, not in the count."""

from __future__ import annotations

import pytest

from ipex.cases import search, services
from ipex.cases.models import SearchDocument
from ipex.core.models import Distribution
from tests.conftest import api_for, client_for


@pytest.fixture
def raid_case(people, orgs):
    case = services.case_open(
        actor=people.owner,
        owner_org=orgs.ba,
        kind="optical_disc_line",
        title="Underground disc line in Shajing",
        summary="光盘生产线 found behind a garment workshop",
        distribution=Distribution.ORG,
    )
    services.subject_link(
        actor=people.owner,
        case=case,
        kind="production_line",
        name="Shajing replication line",
        role="operator",
        sid_code="IFPI L742",
    )
    services.subject_link(
        actor=people.owner,
        case=case,
        kind="website",
        name="Pirate shop",
        role="operator",
        domain="https://www.Pirate-Discs.example/catalogue",
    )
    services.case_add_action(
        actor=people.owner, case=case, kind="raid", taken_on="2013-05-06", notes="Стан изъят"
    )
    return case


def test_terms_split_words_and_each_cjk_character():
    assert search.terms("GD-2013-0042 光盘线, Ёлка_Test") == [
        "gd",
        "2013",
        "0042",
        "光",
        "盘",
        "线",
        "ёлка",
        "test",
    ]


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("shajing", {"case", "subject"}),  # title and subject name
        ("SHAJ", {"case", "subject"}),  # prefix, any case
        ("光盘", {"case"}),  # Chinese without a dictionary
        ("盘光", set()),  # characters out of order are not the phrase
        ("L742", {"subject"}),  # SID code
        ("pirate-discs.example", {"subject"}),  # normalised domain
        ("стан", {"action"}),  # Russian notes
        ("shajing workshop", {"case"}),  # every word must occur
        ("shajing nowhere", set()),
        ("CN-GD-BA-2013", set()),  # not the reference's organisation code in that order
    ],
)
def test_queries_find_the_same_things_on_both_databases(people, raid_case, query, kinds):
    found = {h.kind for h in search.hits(search.search_documents(people.owner, query))}
    assert found == kinds


def test_reference_is_found_by_its_prefix(people, raid_case):
    hits = search.hits(search.search_documents(people.owner, raid_case.reference[:-2]))
    assert [h.case.reference for h in hits if h.kind == "case"] == [raid_case.reference]


def test_an_invisible_case_is_absent_from_results_and_count(people, raid_case):
    # The colleague of another province does not see an organisation-only case at all.
    assert search.search_documents(people.colleague, "shajing").count() == 0
    api = api_for(people.colleague).get("/api/v1/search", {"q": "shajing"})
    assert api.status_code == 200 and api.json()["count"] == 0
    page = client_for(people.colleague).get("/cases/search", {"q": "shajing"}).content.decode()
    assert "0 results" in page and raid_case.reference not in page
    # The supervisor sees it: the case and its subject.
    api = api_for(people.supervisor).get("/api/v1/search", {"q": "shajing"})
    assert api.json()["count"] == 2
    assert {r["kind"] for r in api.json()["results"]} == {"case", "subject"}


def test_the_index_follows_merges_and_can_be_rebuilt(people, raid_case, orgs):
    other = services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="online", title="Web shop"
    )
    dup = services.subject_link(
        actor=people.owner,
        case=other,
        kind="website",
        name="Mirror",
        role="operator",
        domain="mirror-discs.example",
    )
    keep = raid_case.subject_links.get(subject__kind="website").subject
    dup_id = dup.pk
    services.subject_merge(actor=people.owner, keep=keep, duplicate=dup)
    assert not SearchDocument.objects.filter(subject_id=dup_id).exists()
    assert search.search_documents(people.owner, "mirror").count() == 0
    count = SearchDocument.objects.count()
    SearchDocument.objects.all().delete()
    assert search.search_documents(people.owner, "shajing").count() == 0
    assert search.rebuild() == count
    assert search.search_documents(people.owner, "shajing").count() == 2


def test_an_empty_query_is_refused_by_the_api_and_shows_nothing_on_the_page(people, raid_case):
    response = api_for(people.owner).get("/api/v1/search", {"q": " -- "})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["q"] == ["Give at least one word to search for."]
    page = client_for(people.owner).get("/cases/search", {"q": ""}).content.decode()
    assert 'id="search-results"' not in page


def test_the_commands_rebuild_the_index_and_search_as_a_user(people, raid_case):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("search", "rebuild", stdout=out)
    assert out.getvalue().strip() == "Search index rebuilt: 4 documents."
    out = StringIO()
    call_command("search", "find", "shajing", "--as", people.supervisor.email, stdout=out)
    assert out.getvalue().splitlines()[0] == "2 results"
    out = StringIO()
    call_command("search", "find", "shajing", "--as", people.colleague.email, stdout=out)
    assert out.getvalue().strip() == "0 results"
    with pytest.raises(CommandError, match="No active user"):
        call_command("search", "find", "x", "--as", "nobody@x.test")


def test_the_cases_command_exports_what_the_user_sees(people, raid_case):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("cases", "export", "--as", people.supervisor.email, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("uuid,reference,year,kind") and len(lines) == 2
    assert raid_case.reference in lines[1]
    out = StringIO()
    call_command("cases", "export", "--as", people.colleague.email, stdout=out)
    assert len(out.getvalue().strip().splitlines()) == 1
    with pytest.raises(CommandError, match="campaign"):
        call_command("cases", "export", "--as", people.owner.email, "--campaign", "not-a-uuid")
