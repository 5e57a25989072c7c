"""Importing seizures from CSV and XLSX: what the user sees for a good file, the same file
again, a dry run, every kind of bad input (row-numbered, nothing written), encodings, limits,
who may import, the command, the background job, and memory that stays flat."""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import AuditEntry
from ipex.core.services import job_start
from ipex.seizures.imports import (
    COLUMNS,
    ImportFailed,
    import_template,
    seizures_import,
)
from ipex.seizures.models import ImportBatch, SeizedItem, Seizure, StatFigure

# fmt: off
GOOD = [
    # one seizure of two items ...
    ["BA-2012-0100", "2012-05-04", "CN-GD-SZ-BA", "Xixiang market", "raid", "audiovisual.dvd",
     "1200", "discs", "DVD-9 discs", "6000", "CNY", "confiscated"],
    ["BA-2012-0100", "2012-05-04", "CN-GD-SZ-BA", "Xixiang market", "raid", "books",
     "300", "copies", "Pirated textbooks", "", "", ""],
    # ... and one without a reference: a seizure of its own
    ["", "2012-08-10", "CN-GD-SZ-BA", "", "market_inspection", "software",
     "1,045", "", "Office suite discs", "", "", "destroyed"],
]
# fmt: on


def csv_bytes(rows, header=COLUMNS, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=COLUMNS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def load(people, orgs):
    def run(data: bytes, *, who=None, filename="seizures.csv", **kwargs):
        return seizures_import(
            actor=who or people.owner,
            owner_org=orgs.ba,
            fileobj=io.BytesIO(data),
            filename=filename,
            **kwargs,
        )

    return run


def figure(area, category, subcategory=""):
    row = StatFigure.objects.filter(
        source="records",
        year=2012,
        jurisdiction__code=area,
        category=category,
        subcategory=subcategory,
    )
    return sum(r.quantity for r in row)


def assert_nothing_written():
    assert not Seizure.objects.exists()
    assert not SeizedItem.objects.exists()
    assert not StatFigure.objects.exists()
    assert not ImportBatch.objects.exists()
    assert not AuditEntry.objects.filter(action="seizures.import.completed").exists()


def import_entries():
    return AuditEntry.objects.filter(action="seizures.import.completed")


# ---------------------------------------------------------------- a good file


def test_good_csv_imports_seizures_items_and_figures(load, people, orgs):
    result = load(csv_bytes(GOOD))

    assert (result.rows, result.seizures, result.items, result.quantity) == (3, 2, 3, 2545)
    assert not result.dry_run and not result.already_imported
    assert "Imported 3 rows: 2 seizures with 3 items" in result.message
    raid = Seizure.objects.get(reference="BA-2012-0100")
    assert (raid.owner_org, raid.jurisdiction.code, raid.place, raid.method) == (
        orgs.ba,
        "CN-GD-SZ-BA",
        "Xixiang market",
        "raid",
    )
    assert raid.distribution == "org" and raid.created_by == people.owner
    assert raid.import_batch == result.batch and raid.origin_node.is_local
    assert [(i.line_no, i.category.code, i.quantity, i.unit) for i in raid.items.all()] == [
        (1, "audiovisual.dvd", 1200, "discs"),
        (2, "books", 300, "copies"),
    ]
    dvd = raid.items.get(line_no=1)
    assert (str(dvd.value_amount), dvd.value_currency, dvd.disposition) == (
        "6000.00",
        "CNY",
        "confiscated",
    )
    inspection = Seizure.objects.get(reference="")
    assert inspection.total_quantity == 1045
    for area in ("CN-GD-SZ-BA", "CN-GD", "CN"):
        assert figure(area, "audiovisual") == 1200
        assert figure(area, "audiovisual", "audiovisual.dvd") == 1200
        assert figure(area, "books") == 300
        assert figure(area, "software") == 1045
    assert figure("CN-ZJ", "books") == 0
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.seizures, batch.filename, batch.created_by) == (
        3,
        2,
        "seizures.csv",
        people.owner,
    )
    entry = import_entries().get()
    assert entry.changes["rows"] == 3 and entry.changes["quantity"] == 2545
    assert not AuditEntry.objects.filter(action="seizures.seizure.recorded").exists()


def test_header_names_are_matched_whatever_their_case_and_blank_lines_are_skipped(load):
    data = csv_bytes([GOOD[0], [], GOOD[1]], header=[c.upper() for c in COLUMNS])
    assert load(data).rows == 2


def test_optional_columns_may_be_left_out(load):
    header = ["date", "jurisdiction", "method", "category", "quantity"]
    result = load(csv_bytes([["2012-01-02", "cn-gd-sz-ba", "Raid", "BOOKS", "7"]], header))
    item = SeizedItem.objects.get()
    assert (result.seizures, item.quantity, item.unit, item.disposition) == (
        1,
        7,
        "items",
        "confiscated",
    )


def test_semicolon_separated_csv_is_read(load):
    data = csv_bytes(GOOD).decode().replace(",", ";").replace('"1;045"', "1045").encode()
    assert load(data).quantity == 2545


def test_the_same_file_again_changes_nothing_and_says_so(load):
    data = csv_bytes(GOOD)
    load(data)
    again = load(data)

    assert again.already_imported
    assert "was imported already on" in again.message and "nothing changed" in again.message
    assert (again.rows, again.seizures, again.quantity) == (3, 2, 2545)
    assert Seizure.objects.count() == 2 and SeizedItem.objects.count() == 3
    assert ImportBatch.objects.count() == 1 and import_entries().count() == 1
    assert figure("CN", "books") == 300


def test_dry_run_counts_and_writes_nothing(load):
    result = load(csv_bytes(GOOD), dry_run=True)

    assert result.dry_run and result.batch is None
    assert (result.rows, result.seizures, result.items, result.quantity) == (3, 2, 3, 2545)
    assert "Nothing was written" in result.message
    assert_nothing_written()
    assert load(csv_bytes(GOOD)).seizures == 2  # the real import is not taken for a repeat


def test_xlsx_imports_like_csv(load):
    rows = [list(r) for r in GOOD]
    for row in rows:
        row[6] = int(row[6].replace(",", ""))  # numbers and dates as Excel keeps them
    rows[0][1] = openpyxl.utils.datetime.from_ISO8601("2012-05-04T00:00:00")
    result = load(xlsx_bytes(rows), filename="seizures.xlsx")

    assert (result.rows, result.seizures, result.quantity) == (3, 2, 2545)
    assert figure("CN-GD", "software") == 1045


def test_xlsx_bad_row_is_numbered_as_the_sheet_shows_it(load):
    rows = [list(r) for r in GOOD]
    rows[2][6] = 1.5
    with pytest.raises(ImportFailed) as err:
        load(xlsx_bytes([rows[0], [], rows[1], rows[2]]), filename="seizures.xlsx")
    assert err.value.row_errors == [
        (5, "quantity", "quantity: quantities are whole numbers, not 1.5.")
    ]
    assert_nothing_written()


def test_an_upload_from_the_page_imports_and_stays_open(people, orgs):
    upload = SimpleUploadedFile("from-the-page.csv", csv_bytes(GOOD), "text/csv")
    result = seizures_import(
        actor=people.owner, owner_org=orgs.ba, fileobj=upload, filename=upload.name
    )
    assert result.seizures == 2 and not upload.closed


def test_seizures_recorded_by_hand_before_and_after_an_import_keep_their_own_ids(load, record):
    before = record()
    load(csv_bytes(GOOD))
    after = record()
    imported = set(Seizure.objects.filter(import_batch__isnull=False).values_list("id", flat=True))
    assert len(imported) == 2 and Seizure.objects.count() == 4
    assert before.id < min(imported) and after.id > max(imported)


def test_progress_is_reported_as_the_file_is_read(load):
    rows = [
        [f"R-{n // 3}", *GOOD[0][1:5], ("books", "software", "other")[n % 3], n + 1, *GOOD[0][7:]]
        for n in range(9000)
    ]
    seen = []
    load(csv_bytes(rows), progress=seen.append)
    assert len(seen) >= 5 and seen == sorted(seen)
    assert seen[-1] == 100 and 0 < seen[0] < 50


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_templates_import_cleanly(load, kind):
    data = import_template(kind)
    if kind == "csv":
        assert data.startswith(b"\xef\xbb\xbf" + b"reference,date,jurisdiction")
    result = load(data, filename=f"template.{kind}")
    assert (result.rows, result.seizures, result.quantity) == (2, 1, 1500)


# ---------------------------------------------------------------- bad input


def with_change(index, column, value, rows=GOOD):
    changed = [list(r) for r in rows]
    changed[index][COLUMNS.index(column)] = value
    return changed


@pytest.mark.parametrize(
    ("rows", "row", "column", "message"),
    [
        (with_change(1, "quantity", "abc"), 3, "quantity", "'abc' is not a number"),
        (with_change(1, "quantity", "-5"), 3, "quantity", "cannot be negative"),
        (with_change(1, "quantity", "1.5"), 3, "quantity", "whole numbers, not 1.5"),
        (with_change(1, "quantity", ""), 3, "quantity", "a quantity is required"),
        (with_change(1, "category", "comics"), 3, "category", "unknown category 'comics'"),
        (with_change(2, "date", "12/03/2012"), 4, "date", "is not a date"),
        (with_change(2, "date", "2099-01-01"), 4, "date", "in the future"),
        (with_change(2, "jurisdiction", "CN-ZJ"), 4, "jurisdiction", "outside the jurisdiction"),
        (
            with_change(2, "jurisdiction", "CN-XX-NOWHERE"),
            4,
            "jurisdiction",
            "unknown jurisdiction 'CN-XX-NOWHERE'",
        ),
        (with_change(2, "method", "teleport"), 4, "method", "unknown value 'teleport'"),
        (with_change(2, "unit", "pallets"), 4, "unit", "unknown value 'pallets'"),
        (with_change(2, "value_amount", "lots"), 4, "value_amount", "'lots' is not a number"),
        (with_change(2, "value_amount", "12.345"), 4, "value_amount", "more than two decimals"),
        (with_change(2, "value_amount", "12"), 4, "value_currency", "give the currency"),
        (with_change(1, "date", "2012-05-05"), 3, "date", "differs from '2012-05-04'"),
        (with_change(1, "method", "market_inspection"), 3, "method", "differs from 'raid'"),
        (with_change(1, "place", "Elsewhere"), 3, "place", "differs from 'Xixiang market'"),
        ([GOOD[0], GOOD[1], GOOD[1]], 4, "", "repeats row 3"),
        (with_change(1, "description", "x" * 301), 3, "description", "longer than 300"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_row_gets_a_numbered_error_and_nothing_is_written(load, rows, row, column, message):
    with pytest.raises(ImportFailed) as err:
        load(csv_bytes(rows))

    assert err.value.code == "import_failed"
    assert str(err.value) == "Nothing was imported: 1 row has errors."
    [(error_row, error_column, text)] = err.value.row_errors
    assert (error_row, error_column) == (row, column)
    assert message in text
    assert any(message in m for m in err.value.fields[f"row {row}"])
    assert_nothing_written()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ([c for c in COLUMNS if c != "quantity"], "missing columns: quantity"),
        ([*COLUMNS, "colour"], "unknown column 'colour'"),
        ([*COLUMNS, "date"], "'date' appears twice"),
    ],
)
def test_bad_header_is_reported_on_row_1(load, header, message):
    rows = [[*r, "red"] if len(header) > len(COLUMNS) else r for r in GOOD]
    with pytest.raises(ImportFailed) as err:
        load(csv_bytes(rows, header=header))
    assert err.value.row_errors[0][0] == 1
    assert any(message in m for m in err.value.fields["row 1"])
    assert_nothing_written()


def test_errors_on_many_rows_are_all_counted_and_the_first_200_listed(load):
    rows = [GOOD[2]] * 100 + [with_change(2, "quantity", "x")[2]] * 300 + [GOOD[2]]
    with pytest.raises(ImportFailed) as err:
        load(csv_bytes(rows))
    assert str(err.value) == "Nothing was imported: 300 rows have errors."
    assert len(err.value.row_errors) == 200
    assert err.value.row_errors[0][0] == 102  # header, 100 good rows, then the first bad one
    assert_nothing_written()


def test_a_late_error_undoes_rows_already_written(load):
    rows = [[f"R-{n}", *GOOD[0][1:]] for n in range(4500)] + [with_change(1, "category", "x")[1]]
    with pytest.raises(ImportFailed) as err:
        load(csv_bytes(rows))
    assert err.value.row_errors[0][0] == 4502
    assert_nothing_written()


def test_a_file_with_only_a_header_is_refused(load):
    with pytest.raises(DomainError) as err:
        load(csv_bytes([]))
    assert err.value.code == "empty_file"
    assert_nothing_written()


# ---------------------------------------------------------------- encodings

CHINESE = ["盗版DVD光盘，未授权电影", "盗版教材（小学语文）"]
RUSSIAN = ["Контрафактные DVD-диски с фильмами", "Пиратские учебники для школы"]


def described(texts):
    return [with_change(i, "description", t)[i] for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("texts", "encoding", "declared"),
    [
        (CHINESE, "gbk", "gbk"),
        (CHINESE, "gbk", None),
        (CHINESE, "gb18030", None),
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "cp1251", None),
        (CHINESE, "utf-8", None),
        (RUSSIAN, "utf-8-sig", None),
    ],
)
def test_files_in_each_supported_encoding_are_read_correctly(load, texts, encoding, declared):
    load(csv_bytes(described(texts), encoding=encoding), encoding=declared)
    stored = list(
        SeizedItem.objects.order_by("seizure__id", "line_no").values_list("description", flat=True)
    )
    assert stored == texts


def test_undecodable_file_is_refused_naming_the_encodings(load):
    data = csv_bytes(GOOD[:1]) + b"X,2012-05-04,CN-GD-SZ-BA,,raid,books,1,,\x80\x98\xff\x81,,,\r\n"
    with pytest.raises(DomainError) as err:
        load(data)
    assert err.value.code == "bad_encoding"
    assert "UTF-8, GBK (GB18030), CP1251" in str(err.value)
    assert_nothing_written()


def test_file_in_a_different_encoding_than_declared_is_refused(load):
    with pytest.raises(DomainError) as err:
        load(csv_bytes(described(CHINESE), encoding="gbk"), encoding="utf-8")
    assert err.value.code == "bad_encoding"
    assert "not valid UTF-8 text (line 2)" in str(err.value)
    assert_nothing_written()


def test_unsupported_encoding_is_refused(load):
    with pytest.raises(DomainError) as err:
        load(csv_bytes(GOOD), encoding="latin-1")
    assert err.value.code == "bad_encoding"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x00\x01\x02binary\x00" * 100, "bad_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "bad_file"),
        (b"PK\x03\x04 this is not really a zip", "bad_xlsx"),
        (b"", "empty_file"),
    ],
    ids=["binary", "old-xls", "broken-zip", "empty"],
)
def test_a_file_that_is_not_a_table_is_refused_clearly(load, data, code):
    with pytest.raises(DomainError) as err:
        load(data)
    assert err.value.code == code
    assert_nothing_written()


# ---------------------------------------------------------------- limits


def test_xlsx_bomb_is_refused_before_it_is_unpacked(load):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            zeros = bytes(1024 * 1024)
            for _n in range(200):  # 200 MB of zeros, about 200 KB compressed
                member.write(zeros)
    with pytest.raises(DomainError) as err:
        load(out.getvalue(), filename="bomb.xlsx")
    assert err.value.code == "xlsx_bomb"
    assert_nothing_written()


def test_zip_with_too_many_members_is_refused(load):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(10_001):
            archive.writestr(f"{n}", b"")
    with pytest.raises(DomainError) as err:
        load(out.getvalue(), filename="many.xlsx")
    assert err.value.code == "xlsx_bomb"


def test_file_over_the_limit_is_refused(load, settings):
    settings.IPEX_IMPORT_MAX_BYTES = 100
    with pytest.raises(DomainError) as err:
        load(csv_bytes(GOOD))
    assert err.value.code == "too_large"
    assert "the largest file that can be imported is 100" in str(err.value)
    assert_nothing_written()


# ---------------------------------------------------------------- who may import


@pytest.mark.parametrize("persona", ["colleague", "supervisor", "no_org"])
def test_only_an_officer_of_the_organisation_may_import(load, people, persona):
    with pytest.raises(Forbidden):
        load(csv_bytes(GOOD), who=getattr(people, persona))
    assert_nothing_written()


# ---------------------------------------------------------------- command line


@pytest.fixture
def csv_file(tmp_path):
    def write(rows, name="seizures.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows))
        return path

    return write


def test_command_prints_counts_then_already_imported(people, csv_file):
    path = csv_file(GOOD)
    out = io.StringIO()
    call_command("import-seizures", str(path), "--org", "CN-GD-BA-CB", stdout=out)
    assert "Imported 3 rows: 2 seizures with 3 items" in out.getvalue()
    entry = import_entries().get()
    assert (entry.actor_kind, entry.actor_label) == ("system", "ipex import-seizures")

    out = io.StringIO()
    call_command("import-seizures", str(path), "--org", "cn-gd-ba-cb", stdout=out)
    assert "imported already" in out.getvalue()
    assert Seizure.objects.count() == 2


def test_command_dry_run_writes_nothing(people, csv_file):
    out = io.StringIO()
    call_command(
        "import-seizures", str(csv_file(GOOD)), "--org", "CN-GD-BA-CB", "--dry-run", stdout=out
    )
    assert "Dry run" in out.getvalue()
    assert_nothing_written()


def test_command_prints_row_errors_and_fails(people, csv_file):
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "import-seizures",
            str(csv_file(with_change(1, "quantity", "1.5"))),
            "--org",
            "CN-GD-BA-CB",
            stderr=err,
        )
    assert "Nothing was imported: 1 row has errors." in str(failure.value)
    assert "row 3, quantity: quantity: quantities are whole numbers, not 1.5." in err.getvalue()
    assert_nothing_written()


def test_command_refuses_an_unknown_organisation(people, csv_file):
    with pytest.raises(CommandError, match="No organisation with code XX"):
        call_command("import-seizures", str(csv_file(GOOD)), "--org", "XX")


# ---------------------------------------------------------------- background job


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def store(data: bytes, name="upload.csv") -> Path:
        path = Path(settings.MEDIA_ROOT) / "imports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return store


def run_job(people, stored_path, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=people.owner,
            kind="seizures.import",
            params={
                "path": stored_path.name,
                "filename": "seizures.csv",
                "owner_org": "CN-GD-BA-CB",
                "dry_run": False,
                "encoding": None,
                **params,
            },
        )
    job.refresh_from_db()
    return job


def test_job_imports_the_stored_file_and_removes_it(
    people, stored, django_capture_on_commit_callbacks
):
    path = stored(csv_bytes(GOOD))
    job = run_job(people, path, django_capture_on_commit_callbacks)

    assert job.status == "succeeded" and job.progress == 100
    assert job.result["rows"] == 3 and job.result["seizures"] == 2
    assert job.result["quantity"] == 2545 and job.result["batch"]
    assert job.message.startswith("Imported 3 rows")
    assert not path.exists()
    assert Seizure.objects.count() == 2


def test_job_with_bad_rows_fails_with_the_row_report(
    people, stored, django_capture_on_commit_callbacks
):
    path = stored(csv_bytes(with_change(1, "category", "comics")))
    job = run_job(people, path, django_capture_on_commit_callbacks)

    assert job.status == "failed"
    assert job.result["code"] == "import_failed"
    assert job.result["fields"] == {"row 3": ["category: unknown category 'comics'."]}
    assert "Nothing was imported: 1 row has errors." in job.message
    assert "Row 3: category: unknown category 'comics'." in job.message
    assert not path.exists()
    assert not Seizure.objects.exists()


def test_job_refuses_a_path_outside_the_import_folder(
    people, stored, django_capture_on_commit_callbacks, tmp_path
):
    stored(b"")  # makes the folder
    outside = tmp_path / "secret.csv"
    outside.write_bytes(csv_bytes(GOOD))
    job = run_job(people, outside, django_capture_on_commit_callbacks, path=str(outside))
    assert job.status == "failed"
    assert outside.exists() and not Seizure.objects.exists()


# ---------------------------------------------------------------- memory stays flat


def generated(path: Path, rows: int, tag: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n in range(rows):
            writer.writerow(
                [
                    f"{tag}-{n // 2}",
                    f"2012-{n // 2 % 12 + 1:02d}-{n // 2 % 28 + 1:02d}",
                    "CN-GD-SZ-BA",
                    "Xixiang market",
                    "raid",
                    ("books", "audiovisual.dvd")[n % 2],
                    n % 1000 + 1,
                    "copies",
                    f"item {n}",
                    "",
                    "",
                    "",
                ]
            )
    return path


def peak_while_importing(path: Path, people, orgs) -> int:
    tracemalloc.start()
    try:
        with path.open("rb") as fileobj:
            result = seizures_import(
                actor=people.owner, owner_org=orgs.ba, fileobj=fileobj, filename=path.name
            )
        assert result.rows > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_whatever_the_number_of_rows(people, orgs, tmp_path):
    small = generated(tmp_path / "small.csv", 5_000, "S")
    large = generated(tmp_path / "large.csv", 20_000, "L")
    peak_while_importing(generated(tmp_path / "warm.csv", 50, "W"), people, orgs)

    small_peak = peak_while_importing(small, people, orgs)
    large_peak = peak_while_importing(large, people, orgs)

    assert SeizedItem.objects.count() == 25_050
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
