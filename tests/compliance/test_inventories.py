"""Inventory import: the four formats from real-looking files, replacement, idempotence and
every bad input the issue names."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ipex.compliance.inventories import inventory_import
from ipex.compliance.models import Device, Install, Inventory, RawString
from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import AuditEntry
from tests.conftest import SYSTEM

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def upload(body, name, *, year=2013, actor=SYSTEM, fmt=None):
    with (DATA / name).open("rb") as handle:
        return inventory_import(
            actor=actor, body=body, fileobj=handle, file_name=name, year=year, fmt=fmt
        )


def from_bytes(body, content: bytes, *, name="inventory", year=2013):
    fileobj = io.BytesIO(content)
    return inventory_import(actor=SYSTEM, body=body, fileobj=fileobj, file_name=name, year=year)


def installed(body, device, year=2013):
    rows = Install.objects.filter(device__body=body, device__year=year, device__name=device)
    return sorted(
        (
            "ignored"
            if i.raw.ignored
            else (i.raw.product.name if i.raw.product else None) or f"? {i.raw.name}"
        )
        for i in rows.select_related("raw__product")
    )


def test_a_glpi_agent_inventory_imports(bodies):
    result = upload(bodies.a, "glpi-agent-TAX-PC-001.json")
    assert not result.already
    assert result.inventory.format == "glpi"
    assert (result.inventory.devices, result.inventory.installs) == (1, 7)
    assert installed(bodies.a, "TAX-PC-001") == [
        "7-Zip",
        "? Golden Tax System III (金税三期)",
        "Office",
        "WPS Office",
        "Windows 10",
        "ignored",
        "ignored",
    ]


def test_an_ocs_inventory_imports(bodies):
    result = upload(bodies.a, "ocs-TAX-PC-002.xml")
    assert result.inventory.format == "ocs"
    assert installed(bodies.a, "TAX-PC-002") == [
        "Office",
        "Rising Antivirus",
        "Windows 10",
        "ignored",
    ]


def test_osquery_results_import_programs_and_deb_packages(bodies):
    result = upload(bodies.a, "osqueryd.results.log")
    assert result.inventory.format == "osquery"
    assert result.inventory.devices == 2
    assert installed(bodies.a, "TAX-PC-003") == ["LibreOffice", "WPS Office", "Windows 10"]
    assert installed(bodies.a, "TAX-KYLIN-01") == [
        "Kylin Desktop OS",
        "LibreOffice",
        "WPS Office",
        "ignored",
    ]


def test_osquery_rpm_and_apps_tables_are_read_too(bodies):
    lines = [
        {"name": "pack_it_rpm_packages", "hostIdentifier": "UOS-01", "snapshot": [
            {"name": "UnionTech OS Desktop 20", "version": "20", "vendor": "UnionTech"}]},
        {"name": "pack_it_apps", "hostIdentifier": "MAC-01", "snapshot": [
            {"name": "Firefox.app", "display_name": "Firefox", "bundle_short_version": "120.0"}]},
    ]  # fmt: skip
    content = "\n".join(json.dumps(line) for line in lines).encode()
    from_bytes(bodies.a, content)
    assert installed(bodies.a, "UOS-01") == ["UOS Desktop"]
    assert installed(bodies.a, "MAC-01") == ["Firefox"]


def test_a_csv_inventory_imports(bodies):
    result = upload(bodies.a, "inventory.csv")
    assert result.inventory.format == "csv"
    assert (result.inventory.devices, result.inventory.installs) == (3, 9)
    assert installed(bodies.a, "TAX-LT-011") == ["? Foxit PDF Reader", "WPS Office", "Windows 11"]


def test_the_command_imports_an_inventory(bodies, capsys):
    call_command(
        "compliance",
        "import-inventory",
        str(DATA / "inventory.csv"),
        "--body",
        bodies.a.code,
        "--year",
        "2013",
    )
    assert "3 devices and 9 installs imported" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no audited body"):
        call_command(
            "compliance", "import-inventory", str(DATA / "inventory.csv"), "--body", "CN-NONE"
        )
    with pytest.raises(CommandError, match="not an inventory"):
        call_command(
            "compliance", "import-inventory", str(DATA / "../conftest.py"), "--body", bodies.a.code
        )


def test_the_same_file_twice_is_imported_once(bodies):
    first = upload(bodies.a, "inventory.csv")
    again = upload(bodies.a, "inventory.csv")
    assert again.already and again.inventory == first.inventory
    assert "imported already" in again.message
    assert Inventory.objects.count() == 1
    assert Install.objects.count() == 9
    assert RawString.objects.get(name="Foxit PDF Reader").installs == 1


def test_a_new_inventory_of_a_device_replaces_its_previous_one_that_year(bodies):
    upload(bodies.a, "inventory.csv")
    from_bytes(bodies.a, b"device,name,publisher,version\nTAX-LT-011,LibreOffice 7.6,TDF,7.6\n")
    assert installed(bodies.a, "TAX-LT-011") == ["LibreOffice"]
    assert installed(bodies.a, "TAX-LT-010") == ["Kingsoft Antivirus", "Office", "Windows 11"]
    assert RawString.objects.get(name="Foxit PDF Reader").installs == 0
    assert Device.objects.filter(body=bodies.a, year=2013).count() == 3


def test_history_is_kept_per_year(bodies):
    upload(bodies.a, "inventory.csv", year=2013)
    from_bytes(
        bodies.a, b"device,name,publisher,version\nTAX-LT-011,LibreOffice 7.6,TDF,7.6\n", year=2014
    )
    assert installed(bodies.a, "TAX-LT-011", 2013) == [
        "? Foxit PDF Reader",
        "WPS Office",
        "Windows 11",
    ]
    assert installed(bodies.a, "TAX-LT-011", 2014) == ["LibreOffice"]


def test_one_audit_entry_per_file(bodies):
    upload(bodies.a, "inventory.csv")
    entry = AuditEntry.objects.filter(action="compliance.inventory.imported").get()
    assert entry.changes["devices"] == 3 and entry.changes["format"] == "csv"


def test_a_body_cannot_upload_for_another(staff, bodies):
    with pytest.raises(Forbidden):
        upload(bodies.b, "inventory.csv", actor=staff.manager_a)
    assert not Inventory.objects.exists()
    assert upload(bodies.a, "inventory.csv", actor=staff.manager_a).inventory.devices == 3


# ---------------------------------------------------------------- bad input


def refused(body, name=None, content=None, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        if name:
            upload(body, name, **kwargs)
        else:
            from_bytes(body, content, **kwargs)
    assert not Inventory.objects.exists()
    assert not Device.objects.exists()
    assert not Install.objects.exists()
    return caught.value


def test_an_unknown_format_is_refused(bodies):
    error = refused(bodies.a, content=b"\x89PNG\r\n\x1a\n0000")
    assert error.code == "unknown_format"
    assert "glpi-agent" in error.message
    assert refused(bodies.a, content=b'{"hello": "world"}').code == "unknown_format"


def test_a_wrong_format_named_by_hand_is_refused(bodies):
    with pytest.raises(DomainError) as caught:
        upload(bodies.a, "inventory.csv", fmt="ocs")
    assert caught.value.code == "malformed"
    assert not Inventory.objects.exists()


def test_an_osquery_result_of_another_table_is_refused(bodies):
    line = {"name": "pack_it_users", "hostIdentifier": "PC", "snapshot": [{"username": "root"}]}
    error = refused(bodies.a, content=json.dumps(line).encode())
    assert "pack_it_users" in error.message


def test_truncated_json_is_refused(bodies):
    error = refused(bodies.a, "truncated-glpi.json")
    assert error.code == "malformed"
    assert "glpi-agent JSON" in error.message


def test_truncated_xml_is_refused(bodies):
    error = refused(bodies.a, "truncated-ocs.xml")
    assert error.code == "malformed"
    assert "OCS Inventory NG XML" in error.message


def test_a_truncated_osquery_line_is_refused_with_its_line(bodies):
    content = (DATA / "osqueryd.results.log").read_bytes()[:-300]
    error = refused(bodies.a, content=content)
    assert "line 2" in error.message


def test_billion_laughs_is_refused_by_the_hardened_parser(bodies):
    error = refused(bodies.a, "billion-laughs.xml")
    assert error.code == "xml_entities"


def test_an_external_entity_is_refused(bodies):
    error = refused(bodies.a, "external-entity.xml")
    assert error.code == "xml_entities"
    assert "passwd" not in error.message


def test_a_device_listed_twice_is_refused_by_name(bodies):
    document = json.loads((DATA / "glpi-agent-TAX-PC-001.json").read_text())
    error = refused(bodies.a, content=json.dumps([document, document]).encode())
    assert (
        "document 2" in error.message and "TAX-PC-001" in error.message and "twice" in error.message
    )


def test_an_ocs_file_with_the_same_device_twice_is_refused(bodies):
    request = (DATA / "ocs-TAX-PC-002.xml").read_text().split("?>", 1)[1]
    error = refused(bodies.a, content=f"<INVENTORIES>{request}{request}</INVENTORIES>".encode())
    assert "request 2" in error.message and "TAX-PC-002" in error.message


def test_absurd_counts_are_refused(bodies):
    rows = "".join(f"PC-1,Tool {n},Acme,1\n" for n in range(5_001))
    error = refused(bodies.a, content=f"device,name,publisher,version\n{rows}".encode())
    assert "PC-1" in error.message and "5000" in error.message.replace(",", "")
    # The row named is the first one over the limit (the header is row 1): 5,002.
    assert "row 5002: device PC-1" in error.message.replace(",", "")


def test_a_device_spread_over_the_file_is_counted_whole_and_rows_keep_their_numbers(bodies):
    # PC-1's rows come in two runs; the 5,001st of its programs is on row 5,003.
    first = "".join(f"PC-1,Tool {n},Acme,1\n" for n in range(3_000))
    second = "".join(f"PC-1,Tool {n},Acme,1\n" for n in range(3_000, 5_001))
    content = f"device,name,publisher,version\n{first}PC-2,7-Zip,,\n{second}".encode()
    error = refused(bodies.a, content=content)
    assert "row 5003: device PC-1" in error.message.replace(",", "")
    # A nameless program inside a device's run of rows is named by its own row.
    content = b"device,name,publisher,version\nPC-1,7-Zip,,\nPC-1,,,\nPC-1,WPS Office,,\n"
    error = refused(bodies.a, content=content)
    assert "row 3: a program of device PC-1 has no name" in error.message
    assert not Device.objects.filter(body=bodies.a).exists()


def test_csv_errors_name_their_rows_and_nothing_is_written(bodies):
    content = (
        b"device,name,publisher,version\n"
        b"PC-1,7-Zip,Igor Pavlov,23\n,WPS Office,Kingsoft,11\nPC-2,,,\n"
    )
    error = refused(bodies.a, content=content)
    assert "row 3: no device name" in error.message
    assert "row 4" in error.message
    assert not RawString.objects.filter(name="7-Zip").exists()


def test_a_csv_without_the_device_column_is_refused(bodies):
    refused(bodies.a, content=b"device_name,name\nPC,7-Zip\n")


def test_an_empty_file_is_refused(bodies):
    assert refused(bodies.a, content=b"").code == "empty"


def test_a_year_to_come_is_refused(bodies):
    error = refused(bodies.a, "inventory.csv", year=2099)
    assert "year" in error.fields
