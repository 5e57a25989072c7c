"""Subjects: one subject across cases (matched by registration number, SID code or domain),
malformed SID codes and domains refused, merge, personal data kept out of the audit log."""

from __future__ import annotations

import pytest

from ipex.cases import services
from ipex.cases.models import CaseSubject, Subject
from ipex.core.errors import DomainError
from ipex.core.models import AuditEntry
from tests.conftest import api_for, client_for


@pytest.fixture
def two_cases(people, orgs):
    return [
        services.case_open(
            actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title=f"Line {n}"
        )
        for n in (1, 2)
    ]


def test_the_same_line_in_two_cases_is_one_subject(people, two_cases):
    first, second = two_cases
    a = services.subject_link(
        actor=people.owner,
        case=first,
        kind="production_line",
        name="Line at Shajing",
        role="operator",
        sid_code="ifpi l123",
    )
    b = services.subject_link(
        actor=people.owner,
        case=second,
        kind="production_line",
        name="Shajing DVD line",
        role="owner",
        sid_code="IFPIL123",
    )
    assert a.pk == b.pk and a.sid_code == "IFPI L123"
    assert Subject.objects.count() == 1
    web = services.subject_link(
        actor=people.owner,
        case=first,
        kind="website",
        name="Shop",
        role="operator",
        domain="https://WWW.Pirate-Shop.COM/films",
    )
    again = services.subject_link(
        actor=people.owner,
        case=second,
        kind="website",
        name="Same shop",
        role="operator",
        domain="pirate-shop.com",
    )
    assert web.pk == again.pk and web.domain == "pirate-shop.com"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sid_code", "L123", "is not a SID code"),
        ("domain", "not a domain", "not a domain name"),
        ("domain", "-bad-.com", "not a domain name"),
    ],
)
def test_malformed_sid_codes_and_domains_are_refused(people, two_cases, field, value, message):
    with pytest.raises(DomainError, match=message):
        services.subject_link(
            actor=people.owner,
            case=two_cases[0],
            kind="website",
            name="X",
            role="other",
            **{field: value},
        )
    assert not Subject.objects.exists()


def test_persons_are_personal_data_and_stay_out_of_the_audit_log(people, two_cases):
    person = services.subject_link(
        actor=people.owner,
        case=two_cases[0],
        kind="person",
        name="Zhang Distinctive-Name",
        role="suspect",
    )
    assert person.is_personal_data
    entry = AuditEntry.objects.filter(action="cases.case.subject_linked").last()
    assert "Distinctive-Name" not in str(entry.changes)


def test_merge_moves_case_links(people, two_cases):
    first, second = two_cases
    keep = services.subject_link(
        actor=people.owner,
        case=first,
        kind="enterprise",
        name="Pearl Audio Co.",
        role="suspect",
        registration_number="440300000123",
    )
    duplicate = services.subject_link(
        actor=people.owner, case=second, kind="enterprise", name="Pearl Audio", role="suspect"
    )
    response = api_for(people.owner).post(
        f"/api/v1/subjects/{keep.uuid}/merge", {"duplicate": str(duplicate.uuid)}, format="json"
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["cases"]) == sorted([first.reference, second.reference])
    assert not Subject.objects.filter(pk=duplicate.pk).exists()
    assert CaseSubject.objects.filter(subject=keep).count() == 2


def test_subjects_follow_case_visibility(people, two_cases):
    subject = services.subject_link(
        actor=people.owner, case=two_cases[0], kind="shop", name="Stall 12", role="operator"
    )
    assert api_for(people.supervisor).get(f"/api/v1/subjects/{subject.uuid}").status_code == 200
    assert api_for(people.colleague).get(f"/api/v1/subjects/{subject.uuid}").status_code == 404


def test_page_and_api_link_subjects(people, two_cases):
    case = two_cases[0]
    client_for(people.owner).post(
        f"/cases/{case.uuid}/act",
        {
            "subject_kind": "enterprise",
            "subject_name": "Licensed Press Ltd",
            "subject_role": "suspect",
            "registration_number": "440300000999",
            "has_business_licence": "on",
        },
    )
    page = client_for(people.owner).get(f"/cases/{case.uuid}/").content.decode()
    assert "Licensed Press Ltd" in page and "440300000999" in page
    assert Subject.objects.get(registration_number="440300000999").has_business_licence
    bad = api_for(people.owner).post(
        f"/api/v1/cases/{case.uuid}/subjects",
        {"kind": "production_line", "name": "X", "role": "owner", "sid_code": "???"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"sid_code": ["Not a SID code."]}
