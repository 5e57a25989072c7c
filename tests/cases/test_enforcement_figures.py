"""Enforcement figures come out of the work itself, counted over visible cases."""

from __future__ import annotations

from ipex.cases import services
from tests.conftest import api_for


def test_lines_cracked_down_and_licensed_enterprises_punished(people, orgs):
    line = services.case_open(
        actor=people.owner,
        owner_org=orgs.ba,
        kind="optical_disc_line",
        title="Line",
        opened_on=None,
    )
    services.case_transition(actor=people.owner, case=line, action="investigate")
    services.case_add_action(actor=people.owner, case=line, kind="shutdown", taken_on="2013-04-01")
    firm = services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="licensed_enterprise", title="Licensed press"
    )
    services.case_transition(actor=people.owner, case=firm, action="investigate")
    services.case_transition(actor=people.owner, case=firm, action="close", outcome="penalised")
    year = line.year
    figures = (
        api_for(people.national).get(f"/api/v1/stats/enforcement?country=CN&year={year}").json()
    )
    assert figures["production_lines_cracked_down"] == 1
    assert figures["licensed_enterprises_punished"] == 1
    assert figures["cases_by_kind"]["optical_disc_line"] == 1
    assert figures["closed_cases_by_outcome"]["penalised"] == 1
    outsider = (
        api_for(people.colleague).get(f"/api/v1/stats/enforcement?country=CN&year={year}").json()
    )
    assert outsider["production_lines_cracked_down"] == 0


def test_bad_parameters(people, areas):
    client = api_for(people.national)
    assert client.get("/api/v1/stats/enforcement?country=CN&year=x").status_code == 400
    bad = client.get("/api/v1/stats/enforcement?country=XX&year=2013")
    assert bad.status_code == 400 and "country" in bad.json()["error"]["fields"]
    assert api_for(None).get("/api/v1/stats/enforcement?country=CN&year=2013").status_code == 401
