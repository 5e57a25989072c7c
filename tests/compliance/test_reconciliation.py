"""The reconciliation of a hand-checked example, kept current by inventories, entitlements
and rules, and who sees it.

Body A, 2013, the four sample files (seven devices):

| device       | products (normalised)                                   |
| ------------ | ------------------------------------------------------- |
| TAX-PC-001   | Windows 10 Pro, Office 2016, WPS, 7-Zip, unknown tax app |
| TAX-PC-002   | Windows 10 Pro, Office 2016, Rising                     |
| TAX-PC-003   | Windows 10 Pro, WPS, LibreOffice                        |
| TAX-KYLIN-01 | Kylin, WPS, LibreOffice                                 |
| TAX-LT-010   | Windows 11 Pro, Office 2019, Kingsoft Antivirus         |
| TAX-LT-011   | Windows 11 Pro, WPS, unknown Foxit                      |
| TAX-LT-012   | Windows 11 Pro, Office 2019, 7-Zip                      |

Licences valid on 31 December 2013: Windows 10 Pro 2 (OEM), Windows 11 Pro 5, Office 2016 1,
Office 2019 1 (2 more expired in June), WPS a site licence, Kingsoft Antivirus 1, Rising 1
only from 2014, Kylin none. Licences cover devices in name order, so the uncovered ones are
TAX-PC-003 (Windows 10), TAX-PC-002 (Office 2016), TAX-LT-012 (Office 2019), TAX-KYLIN-01
(Kylin) and TAX-PC-002 (Rising): 3 of 7 devices compliant.
"""

import datetime as dt
from pathlib import Path

import pytest

from ipex.compliance import services
from ipex.compliance.inventories import inventory_import
from ipex.compliance.models import BodyCompliance, Product, ProductCompliance, RawString
from tests.compliance.test_bodies_web import SEES
from tests.conftest import SYSTEM, api_for, client_for

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
FILES = [
    "glpi-agent-TAX-PC-001.json",
    "ocs-TAX-PC-002.xml",
    "osqueryd.results.log",
    "inventory.csv",
]

# (publisher, name, edition): (installed, licensed, shortfall, surplus) — worked out by hand
EXPECTED = {
    ("Microsoft", "Windows 10", "Pro"): (3, 2, 1, 0),
    ("Microsoft", "Windows 11", "Pro"): (3, 5, 0, 2),
    ("Microsoft", "Office", "2016"): (2, 1, 1, 0),
    ("Microsoft", "Office", "2019"): (2, 1, 1, 0),
    ("Kingsoft", "WPS Office", ""): (4, 4, 0, 0),
    ("Kylin Software", "Kylin Desktop OS", "V10"): (1, 0, 1, 0),
    ("Kingsoft", "Kingsoft Antivirus", ""): (1, 1, 0, 0),
    ("Beijing Rising", "Rising Antivirus", ""): (1, 0, 1, 0),
    ("Igor Pavlov", "7-Zip", ""): (2, 2, 0, 0),
    ("The Document Foundation", "LibreOffice", ""): (2, 2, 0, 0),
}


def product(publisher, name, edition=""):
    return Product.objects.get(publisher=publisher, name=name, edition=edition)


def licence(body, key, quantity, start="2013-01-01", end=None, metric="device", oem=False):
    services.entitlement_add(
        actor=SYSTEM,
        body=body,
        product=product(*key),
        metric=metric,
        quantity=quantity,
        valid_from=dt.date.fromisoformat(start),
        valid_to=dt.date.fromisoformat(end) if end else None,
        oem=oem,
    )


@pytest.fixture
def example(bodies):
    body = bodies.a
    for name in FILES:
        with (DATA / name).open("rb") as handle:
            inventory_import(actor=SYSTEM, body=body, fileobj=handle, file_name=name, year=2013)
    licence(body, ("Microsoft", "Windows 10", "Pro"), 2, "2012-05-01", oem=True)
    licence(body, ("Microsoft", "Windows 11", "Pro"), 5)
    licence(body, ("Microsoft", "Office", "2016"), 1)
    licence(body, ("Microsoft", "Office", "2019"), 1)
    licence(body, ("Microsoft", "Office", "2019"), 2, end="2013-06-30")
    licence(body, ("Kingsoft", "WPS Office", ""), 0, metric="site")
    licence(body, ("Kingsoft", "Kingsoft Antivirus", ""), 1)
    licence(body, ("Beijing Rising", "Rising Antivirus", ""), 1, start="2014-01-01")
    return body


def lines(body, year=2013):
    rows = ProductCompliance.objects.filter(body=body, year=year).select_related("product")
    return {
        (r.product.publisher, r.product.name, r.product.edition): (
            r.installed,
            r.licensed,
            r.shortfall,
            r.surplus,
        )
        for r in rows
    }


def test_the_hand_checked_example_gives_the_expected_shortfall_product_by_product(example):
    assert lines(example) == EXPECTED
    kept = BodyCompliance.objects.get(body=example, year=2013)
    assert kept.reference_date == dt.date(2013, 12, 31)
    assert (kept.devices, kept.compliant_devices, kept.rate) == (7, 3, 42.9)
    assert kept.unknown_installs == 2  # the tax application and Foxit
    assert kept.shortfall == 5


def test_a_new_entitlement_moves_the_figures(example):
    licence(example, ("Kylin Software", "Kylin Desktop OS", "V10"), 1)
    assert lines(example)[("Kylin Software", "Kylin Desktop OS", "V10")] == (1, 1, 0, 0)
    assert BodyCompliance.objects.get(body=example, year=2013).compliant_devices == 4


def test_a_new_inventory_moves_the_figures(example):
    content = b"device,name,publisher,version\nTAX-PC-002,Microsoft Windows 10 Pro,Microsoft,10\n"
    from io import BytesIO

    inventory_import(actor=SYSTEM, body=example, fileobj=BytesIO(content), year=2013)
    figures = lines(example)
    assert figures[("Microsoft", "Office", "2016")] == (1, 1, 0, 0)
    assert ("Beijing Rising", "Rising Antivirus", "") not in figures
    assert BodyCompliance.objects.get(body=example, year=2013).compliant_devices == 4


def test_a_new_rule_moves_the_figures_of_every_body(staff, example):
    tax = services.product_create(
        actor=staff.auditor,
        publisher="Aisino",
        name="Golden Tax System",
        edition="III",
        family="other",
        licence_model="commercial",
    )
    raw = RawString.objects.get(name__startswith="Golden Tax System III")
    services.unmatched_map(actor=staff.auditor, raw=raw, product=tax)
    assert lines(example)[("Aisino", "Golden Tax System", "III")] == (1, 0, 1, 0)
    kept = BodyCompliance.objects.get(body=example, year=2013)
    assert (kept.unknown_installs, kept.compliant_devices) == (1, 2)


def test_free_software_counts_as_compliant(bodies):
    from io import BytesIO

    content = (
        b"device,name,publisher,version\nPC-1,LibreOffice 7.6,TDF,7.6\nPC-1,7-Zip 23,Igor,23\n"
    )
    inventory_import(actor=SYSTEM, body=bodies.b, fileobj=BytesIO(content), year=2013)
    kept = BodyCompliance.objects.get(body=bodies.b, year=2013)
    assert (kept.devices, kept.compliant_devices, kept.rate) == (1, 1, 100.0)


@pytest.mark.parametrize("persona", SEES)
def test_who_sees_a_bodys_figures(staff, example, persona):
    user = getattr(staff, persona)
    answer = api_for(user).get("/api/v1/compliance/reconciliation?year=2013")
    codes = {row["body"] for row in answer.json()["results"]}
    assert (example.code in codes) == ("a" in SEES[persona])


def test_the_figures_through_the_api_and_on_the_page(staff, example):
    answer = api_for(staff.manager_a).get(
        f"/api/v1/compliance/reconciliation?body={example.code}&year=2013"
    )
    (row,) = answer.json()["results"]
    assert (row["devices"], row["compliant_devices"], row["rate"]) == (7, 3, 42.9)
    office = next(p for p in row["products"] if p["product_name"] == "Microsoft Office 2016")
    assert (office["installed"], office["shortfall"]) == (2, 1)
    page = client_for(staff.manager_a).get(f"/compliance/bodies/{example.uuid}/")
    html = page.content.decode()
    assert "3 of 7 devices compliant" in html and "42.9" in html
    assert client_for(staff.manager_b).get(f"/compliance/bodies/{example.uuid}/").status_code == 404
