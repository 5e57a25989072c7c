import pytest

from ipex.compliance import services
from ipex.compliance.models import NormalisationRule, Product, RawString
from ipex.compliance.services.products import ordered_rules
from ipex.core.errors import Conflict, DomainError, Forbidden
from tests.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def named(name, publisher=""):
    rule = services.normalise(name, publisher, ordered_rules())
    if rule is None:
        return None
    return "ignored" if rule.ignore else str(rule.product)


def test_the_catalogue_is_seeded_with_the_common_products():
    names = set(Product.objects.values_list("name", flat=True))
    assert {"Windows 10", "Office", "WPS Office", "Kylin Desktop OS", "UOS Desktop"} <= names
    assert {"LibreOffice", "7-Zip"} <= names
    assert Product.objects.get(name="LibreOffice").spdx_id == "MPL-2.0"
    assert Product.objects.get(name="7-Zip").licence_model == "foss"
    assert Product.objects.filter(family="antivirus").count() >= 4


@pytest.mark.parametrize(
    ("raw", "product"),
    [
        ("Microsoft Office Professional Plus 2016", "Microsoft Office 2016"),
        ("WPS Office (11.1.0.11704)", "Kingsoft WPS Office"),
        ("银河麒麟桌面操作系统V10", "Kylin Software Kylin Desktop OS V10"),
        ("LibreOffice 7.5.4.2", "The Document Foundation LibreOffice"),
        ("p7zip-full", "Igor Pavlov 7-Zip"),
        ("Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532", "ignored"),
        ("Some In-House Tool", None),
    ],
)
def test_the_seeded_rules_name_common_install_strings(raw, product):
    assert named(raw) == product


def test_a_free_product_needs_its_spdx_identifier(staff):
    with pytest.raises(DomainError) as refused:
        services.product_create(
            actor=staff.auditor, publisher="GIMP", name="GIMP", family="other", licence_model="foss"
        )
    assert "spdx_id" in refused.value.fields
    product = services.product_create(
        actor=staff.auditor,
        publisher="GIMP",
        name="GIMP",
        family="other",
        licence_model="foss",
        spdx_id="GPL-3.0-or-later",
    )
    assert product.is_foss


def test_only_curators_add_products_and_rules(staff):
    with pytest.raises(Forbidden):
        services.product_create(
            actor=staff.manager_a,
            publisher="X",
            name="X",
            family="other",
            licence_model="commercial",
        )
    with pytest.raises(Forbidden):
        services.rule_create(
            actor=staff.supervisor, kind="exact", pattern="X", examples=["X"], ignore=True
        )


def test_a_product_twice_is_refused(staff):
    with pytest.raises(DomainError):
        services.product_create(
            actor=staff.auditor,
            publisher="Kingsoft",
            name="WPS Office",
            family="office",
            licence_model="commercial",
        )


def test_a_rule_whose_pattern_does_not_compile_is_refused(staff):
    before = NormalisationRule.objects.count()
    with pytest.raises(DomainError) as refused:
        services.rule_create(
            actor=staff.auditor,
            kind="regex",
            pattern="^Foo (Bar",
            examples=["Foo Bar"],
            ignore=True,
        )
    assert "does not compile" in refused.value.fields["pattern"][0]
    assert NormalisationRule.objects.count() == before


def test_a_rule_that_misses_its_own_examples_is_refused_naming_them(staff):
    wps = Product.objects.get(name="WPS Office")
    with pytest.raises(DomainError) as refused:
        services.rule_create(
            actor=staff.auditor,
            kind="prefix",
            pattern="WPS Office",
            examples=["WPS Office 2019", "Kingsoft Office"],
            product=wps,
        )
    assert "Kingsoft Office" in refused.value.fields["examples"][0]
    assert "WPS Office 2019" not in refused.value.fields["examples"][0]


def test_a_rule_without_examples_is_refused(staff):
    with pytest.raises(DomainError) as refused:
        services.rule_create(
            actor=staff.auditor, kind="exact", pattern="X", examples=[], ignore=True
        )
    assert "examples" in refused.value.fields


def test_a_rule_names_a_product_or_ignores_not_both(staff):
    wps = Product.objects.get(name="WPS Office")
    with pytest.raises(DomainError):
        services.rule_create(
            actor=staff.auditor, kind="exact", pattern="X", examples=["X"], product=wps, ignore=True
        )
    with pytest.raises(DomainError):
        services.rule_create(actor=staff.auditor, kind="exact", pattern="X", examples=["X"])


def test_unmatched_strings_are_listed_most_frequent_first_for_curators_only(staff):
    services.strings_note({("Acme CAD 3", "Acme"): 2, ("Foxit Reader", "Foxit"): 7})
    services.strings_note({("Acme CAD 3", "Acme"): 1, ("LibreOffice 7.5", ""): 4})
    unmatched = RawString.objects.visible_to(staff.auditor).filter(rule__isnull=True)
    assert [(r.name, r.installs) for r in unmatched.order_by("-installs")] == [
        ("Foxit Reader", 7),
        ("Acme CAD 3", 3),
    ]
    assert not RawString.objects.visible_to(staff.manager_a).exists()
    assert not RawString.objects.visible_to(staff.national).exists()


def test_mapping_an_unmatched_string_makes_a_rule_for_every_body(staff):
    strings = services.strings_note(
        {("Foxit Reader", "Foxit"): 7, ("Foxit Reader", "Foxit Software"): 1}
    )
    reader = services.product_create(
        actor=staff.auditor,
        publisher="Foxit",
        name="Foxit Reader",
        family="other",
        licence_model="commercial",
    )
    rule = services.unmatched_map(
        actor=staff.auditor, raw=strings[("Foxit Reader", "Foxit")], product=reader
    )
    assert rule.kind == "exact" and rule.examples == ["Foxit Reader"]
    assert set(RawString.objects.filter(name="Foxit Reader").values_list("product", flat=True)) == {
        reader.pk
    }
    assert not RawString.objects.filter(rule__isnull=True).exists()
    with pytest.raises(Conflict):
        services.unmatched_map(
            actor=staff.auditor, raw=RawString.objects.get(publisher="Foxit"), ignore=True
        )


def test_an_earlier_rule_wins_and_a_new_rule_renames_strings(staff):
    services.strings_note({("WPS Office", "Kingsoft"): 3})
    raw = RawString.objects.get(name="WPS Office")
    assert raw.product.name == "WPS Office"
    services.rule_create(
        actor=SYSTEM,
        kind="exact",
        pattern="wps office",
        examples=["WPS Office"],
        ignore=True,
        position=1,
    )
    raw.refresh_from_db()
    assert raw.ignored and raw.product is None
