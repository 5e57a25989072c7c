"""Period reports: the approval chain county → province → national, the validation rules,
locking and revisions, and the national figures and bulletin that come out of them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.seizures import services
from ipex.seizures.models import PeriodReport, ReportStatus
from ipex.seizures.queries import seizure_stats, subordinate_report_overview
from ipex.seizures.reference import national_csv

NATIONAL_CSV = national_csv(2012)


def yearly(actor, org, lines, year=2012, **kwargs):
    report = services.report_create(actor=actor, owner_org=org, period_kind="year", year=year)
    services.report_set_lines(actor=actor, report=report, lines=lines, **kwargs)
    return report


def national(rows):
    return {r["category"]: r["quantity"] for r in rows if r["quantity"]}


def test_approval_chain_county_province_national(reporters, orgs):
    county = yearly(reporters.county, orgs.ba, {"books": 100, "audiovisual": 50})
    province = yearly(reporters.province_stat, orgs.gd, {"books": 1000})
    nation = yearly(reporters.national_stat, orgs.ncac, {"software": 7})
    for report, submitter in [
        (county, reporters.county),
        (province, reporters.province_stat),
        (nation, reporters.national_stat),
    ]:
        services.report_submit(actor=submitter, report=report)
    services.report_approve(actor=reporters.province_sup, report=county)
    services.report_approve(actor=reporters.national_sup, report=province)
    services.report_approve(actor=reporters.national_sup, report=nation)
    assert national(seizure_stats(None, area="CN", year=2012)) == {
        "books": 1100,
        "audiovisual": 50,
        "software": 7,
    }
    assert national(seizure_stats(None, area="CN-GD", year=2012)) == {
        "books": 1100,
        "audiovisual": 50,
    }
    by_province = seizure_stats(None, area="CN", year=2012, by="jurisdiction")
    assert [(r["jurisdiction"], r["quantity"]) for r in by_province] == [("CN-GD", 1150)]


def test_the_county_cannot_approve_itself_nor_can_a_colleague(reporters, people, orgs):
    report = yearly(reporters.county, orgs.ba, {"books": 1})
    services.report_submit(actor=reporters.county, report=report)
    for outsider in (people.owner, people.colleague):
        with pytest.raises(Forbidden):
            services.report_approve(actor=outsider, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_submitter_cannot_approve_their_own_report(reporters, orgs):
    report = yearly(reporters.national_sup, orgs.ncac, {"books": 1})
    services.report_submit(actor=reporters.national_sup, report=report)
    with pytest.raises(Forbidden) as err:
        services.report_approve(actor=reporters.national_sup, report=report)
    assert err.value.code == "own_submission"
    services.report_approve(actor=reporters.national_stat, report=report)


def test_return_needs_a_reason_and_reopens_the_report(reporters, orgs):
    report = yearly(reporters.county, orgs.ba, {"books": 1})
    services.report_submit(actor=reporters.county, report=report)
    with pytest.raises(DomainError):
        services.report_return(actor=reporters.province_sup, report=report, reason=" ")
    services.report_return(actor=reporters.province_sup, report=report, reason="books too low")
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "books too low")
    services.report_set_lines(actor=reporters.county, report=report, lines={"books": 5})
    services.report_submit(actor=reporters.county, report=report)


def test_parts_must_add_up_and_the_total_must_match(reporters, orgs):
    report = yearly(
        reporters.county,
        orgs.ba,
        {"audiovisual": 10, "audiovisual.dvd": 4, "audiovisual.cd": 5},
        declared_total=11,
    )
    with pytest.raises(DomainError) as err:
        services.report_submit(actor=reporters.county, report=report)
    assert "its parts add up to 9" in err.value.fields["lines.audiovisual"][0]
    assert "categories add up to 10" in err.value.fields["declared_total"][0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    ("value", "message"), [(-1, "negative"), ("x", "not a number"), ("1.5", "whole numbers")]
)
def test_bad_figures_are_refused(reporters, orgs, value, message):
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
    )
    with pytest.raises(DomainError) as err:
        services.report_set_lines(
            actor=reporters.county, report=report, lines={"books": 1, "periodicals": value}
        )
    assert message in err.value.fields["lines.periodicals"][0]
    assert not report.lines.exists()


def test_a_tenfold_jump_needs_a_comment(reporters, orgs):
    first = yearly(reporters.county, orgs.ba, {"books": 100}, year=2011)
    services.report_submit(actor=reporters.county, report=first)
    services.report_approve(actor=reporters.province_sup, report=first)
    second = yearly(reporters.county, orgs.ba, {"books": 5000})
    with pytest.raises(DomainError) as err:
        services.report_submit(actor=reporters.county, report=second)
    assert "more than 10×" in err.value.fields["comment"][0]
    services.report_set_lines(
        actor=reporters.county,
        report=second,
        lines={"books": 5000},
        comment="A production line was closed.",
    )
    services.report_submit(actor=reporters.county, report=second)


def test_a_locked_report_changes_only_through_a_revision(reporters, orgs):
    report = yearly(reporters.county, orgs.ba, {"books": 100})
    services.report_submit(actor=reporters.county, report=report)
    services.report_approve(actor=reporters.province_sup, report=report)
    with pytest.raises(Conflict) as err:
        services.report_set_lines(actor=reporters.county, report=report, lines={"books": 1})
    assert err.value.code == "locked"
    revision = services.report_revise(
        actor=reporters.county, report=report, reason="late returns from a market"
    )
    services.report_set_lines(actor=reporters.county, report=revision, lines={"books": 130})
    services.report_submit(actor=reporters.county, report=revision)
    assert national(seizure_stats(None, area="CN", year=2012)) == {"books": 100}
    services.report_approve(actor=reporters.province_sup, report=revision)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUPERSEDED
    assert national(seizure_stats(None, area="CN", year=2012)) == {"books": 130}


def test_an_organisation_reports_by_one_kind_of_period_a_year(reporters, orgs):
    services.report_create(actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012)
    with pytest.raises(Conflict):
        services.report_create(
            actor=reporters.county, owner_org=orgs.ba, period_kind="quarter", year=2012, number=1
        )
    with pytest.raises(Conflict):
        services.report_create(
            actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
        )


def test_prefill_from_own_seizure_records(reporters, orgs, record):
    record()
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="quarter", year=2012, number=1
    )
    services.report_prefill(actor=reporters.county, report=report)
    lines = {line.category.code: line.quantity for line in report.lines.all()}
    assert lines == {"audiovisual": 1200, "audiovisual.dvd": 1200, "books": 300}
    assert report.source == "records"


def test_supervisor_sees_which_subordinate_reports_are_missing(reporters, orgs):
    report = yearly(reporters.county, orgs.ba, {"books": 1})
    services.report_submit(actor=reporters.county, report=report)
    rows = subordinate_report_overview(reporters.province_sup, year=2012)
    assert [(r["organisation"].code, r["state"]) for r in rows] == [("CN-GD-BA-CB", "submitted")]
    national_rows = {
        r["organisation"].code: r["state"]
        for r in subordinate_report_overview(reporters.national_sup, year=2012)
    }
    assert national_rows == {
        "CN-GD-CB": "missing",
        "CN-GD-BA-CB": "submitted",
        "CN-ZJ-CB": "missing",
    }


def test_reports_are_visible_to_owner_and_supervisors_only(reporters, people, orgs):
    report = yearly(reporters.county, orgs.ba, {"books": 1})
    assert PeriodReport.objects.visible_to(people.supervisor).filter(pk=report.pk).exists()
    assert not PeriodReport.objects.visible_to(people.colleague).filter(pk=report.pk).exists()


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


EN = (
    "107 million pirated items seized nationwide, including 19.08 million books, 1.14 million "
    "periodicals, 65.87 million audiovisual products, 13.01 million electronic publications, "
    "7.74 million software discs and 90 thousand items of other kinds."
)


def test_national_csv_imported_and_approved_gives_the_published_bulletin(orgs):
    assert "Approved" in run("import-report", str(NATIONAL_CSV), "--org", "CN-NCAC", "--approve")
    assert EN in run("bulletin", "--country", "CN", "--year", "2012", "--lang", "en")
    zh = run("bulletin", "--country", "CN", "--year", "2012", "--lang", "zh-hans")
    assert "1.07亿件" in zh and "图书1908万册" in zh
    ru = run("bulletin", "--country", "CN", "--year", "2012", "--lang", "ru")
    assert "107\xa0млн" in ru and "19,08\xa0млн книг" in ru


def test_importing_the_national_csv_twice_is_refused(orgs):
    run("import-report", str(NATIONAL_CSV), "--org", "CN-NCAC")
    with pytest.raises(CommandError, match="exists already"):
        run("import-report", str(NATIONAL_CSV), "--org", "CN-NCAC")
    assert PeriodReport.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"country,year,category,quantity\nCN,2012,books,-4\n", "negative"),
        (b"country,year,category,quantity\nCN,2012,comics,4\n", "unknown category"),
        (b"country,year,category,quantity\nRU,2012,books,4\n", "is not CN"),
        (b"country,year,category,quantity\nCN,2012,books,4\nCN,2012,books,5\n", "twice"),
        (b"country,year,category\nCN,2012,books\n", "lacks the columns: quantity"),
        ("country,year,category,quantity\nCN,2012,books,4\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_bad_report_files_import_nothing(orgs, tmp_path, content, message):
    path = tmp_path / "report.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import-report", str(path), "--org", "CN-NCAC")
    assert not PeriodReport.objects.exists()


def test_overview_follows_the_period_kind(reporters, orgs):
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="quarter", year=2012, number=2
    )
    services.report_set_lines(actor=reporters.county, report=report, lines={"books": 3})
    services.report_submit(actor=reporters.county, report=report)
    rows = subordinate_report_overview(
        reporters.province_sup, year=2012, period_kind="quarter", number=2
    )
    assert [(r["organisation"].code, r["state"]) for r in rows] == [("CN-GD-BA-CB", "submitted")]
    first_quarter = subordinate_report_overview(
        reporters.province_sup, year=2012, period_kind="quarter", number=1
    )
    assert [r["state"] for r in first_quarter] == ["missing"]


def test_the_workflow_refuses_direct_status_changes(reporters, orgs):
    report = services.report_create(
        actor=reporters.county, owner_org=orgs.ba, period_kind="year", year=2012
    )
    with pytest.raises(AttributeError):
        report.status = ReportStatus.APPROVED
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_cli_records_a_seizure_and_refuses_bad_lines(orgs, areas):
    from ipex.seizures.models import Seizure

    out = run(
        "record-seizure",
        "--org",
        "CN-GD-BA-CB",
        "--date",
        "2012-03-14",
        "--where",
        "CN-GD-SZ-BA",
        "--method",
        "raid",
        "--item",
        "audiovisual.dvd:1200:DVD-9",
        "--item",
        "books:80",
    )
    assert "with 2 items" in out
    with pytest.raises(CommandError, match="is not a number"):
        run(
            "record-seizure",
            "--org",
            "CN-GD-BA-CB",
            "--date",
            "2012-03-14",
            "--where",
            "CN-GD-SZ-BA",
            "--method",
            "raid",
            "--item",
            "books:many",
        )
    assert Seizure.objects.count() == 1
