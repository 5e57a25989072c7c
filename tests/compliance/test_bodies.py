import io

import pytest

from ipex.compliance import services
from ipex.compliance.models import AuditedBody, Obligation
from ipex.core.audit import Actor
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from ipex.directory.models import Organisation, OrgKind
from tests.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_an_auditor_registers_a_body_under_the_administration(staff, orgs):
    body = services.body_register(
        actor=staff.auditor,
        administration=orgs.gd,
        code="cn-gd-soe-1",
        name_en="Guangdong Power",
        body_kind="state_owned",
    )
    org = body.organisation
    assert org.code == "CN-GD-SOE-1"
    assert org.kind == OrgKind.AUDITED_BODY
    assert org.supervisor == orgs.gd
    assert org.jurisdiction == orgs.gd.jurisdiction
    entry = AuditEntry.objects.filter(action="compliance.body.registered").latest("seq")
    assert entry.actor_label == "auditor@gd.test"
    # The organisation is made in the auditor's name too: the audit log names the person
    # (it named no one when the directory's check was passed by an actor without a user).
    created = AuditEntry.objects.get(action="directory.organisation.created", object_repr=str(org))
    assert (created.actor_kind, created.actor_user) == ("user", staff.auditor)


def test_an_officer_who_is_no_auditor_cannot_register_a_body(staff, orgs):
    with pytest.raises(Forbidden):
        services.body_register(
            actor=staff.owner,
            administration=orgs.ba,
            code="CN-X",
            name_en="X",
            body_kind="government",
        )
    assert not Organisation.objects.filter(code="CN-X").exists()


def test_an_auditor_cannot_register_a_body_under_another_province(staff, orgs):
    with pytest.raises(Forbidden):
        services.body_register(
            actor=staff.auditor,
            administration=orgs.zj,
            code="CN-X",
            name_en="X",
            body_kind="private",
        )


def test_a_body_outside_the_administrations_area_is_refused(staff, orgs, areas):
    with pytest.raises(DomainError) as refused:
        services.body_register(
            actor=staff.auditor,
            administration=orgs.gd,
            code="CN-X",
            name_en="X",
            body_kind="private",
            jurisdiction=areas.zj,
        )
    assert "jurisdiction" in refused.value.fields
    assert not Organisation.objects.filter(code="CN-X").exists()


def test_a_body_is_supervised_by_a_copyright_administration_only(staff, orgs):
    with pytest.raises(DomainError):
        services.body_register(
            actor=SYSTEM, administration=orgs.psd, code="CN-X", name_en="X", body_kind="private"
        )


def test_a_taken_code_is_a_conflict(staff, orgs, bodies):
    with pytest.raises(Conflict):
        services.body_register(
            actor=staff.auditor,
            administration=orgs.gd,
            code=bodies.a.code,
            name_en="Again",
            body_kind="private",
        )
    assert AuditedBody.objects.count() == 2


def test_a_body_is_put_on_a_years_list_once(staff, bodies):
    services.obligation_add(actor=staff.auditor, body=bodies.a, year=2013)
    with pytest.raises(Conflict):
        services.obligation_add(actor=staff.auditor, body=bodies.a, year=2013)
    assert Obligation.objects.filter(body=bodies.a).count() == 1


def test_a_body_cannot_put_itself_on_the_list(staff, bodies):
    with pytest.raises(Forbidden):
        services.obligation_add(actor=staff.manager_a, body=bodies.a, year=2013)


def test_an_absurd_year_is_refused(staff, bodies):
    with pytest.raises(DomainError) as refused:
        services.obligation_add(actor=staff.auditor, body=bodies.a, year=1213)
    assert "year" in refused.value.fields


def test_the_yearly_list_imports_from_csv(staff, orgs, bodies):
    services.obligation_add(actor=SYSTEM, body=bodies.a, year=2013)
    outcome = services.obligations_import(
        actor=staff.auditor,
        administration=orgs.gd,
        year=2013,
        fileobj=csv_file(
            "code,name_en,name_zh_hans,name_ru,body_kind,jurisdiction\n"
            "CN-GD-BA-TAX,,,,,\n"
            "CN-GD-EDU,Guangdong Education Department,广东省教育厅,,government,CN-GD\n"
            "CN-GD-SOE-2,Guangdong Port Group,,,state_owned,CN-GD-SZ-BA\n"
        ),
    )
    assert outcome == {"added": 2, "registered": 2, "already": 1}
    assert set(
        Obligation.objects.filter(year=2013).values_list("body__organisation__code", flat=True)
    ) == {
        "CN-GD-BA-TAX",
        "CN-GD-EDU",
        "CN-GD-SOE-2",
    }
    assert Organisation.objects.get(code="CN-GD-EDU").name_zh_hans == "广东省教育厅"


def test_a_bad_list_imports_nothing_and_names_its_rows(staff, orgs):
    with pytest.raises(DomainError) as refused:
        services.obligations_import(
            actor=staff.auditor,
            administration=orgs.gd,
            year=2013,
            fileobj=csv_file(
                "code,name_en,body_kind,jurisdiction\n"
                "CN-GD-EDU,Education,government,CN-GD\n"
                "CN-GD-X,X,government,XX-NOWHERE\n"
                "CN-GD-EDU,Education,government,CN-GD\n"
                "CN-ZJ-GRID2,,government,\n"
            ),
        )
    message = refused.value.message
    assert "Row 3" in message and "XX-NOWHERE" in message
    assert "Row 4" in message and "twice" in message
    assert "Row 5" in message
    assert not Organisation.objects.filter(code="CN-GD-EDU").exists()
    assert not Obligation.objects.exists()


def test_a_list_cannot_take_a_body_of_another_area(staff, orgs, bodies):
    with pytest.raises(DomainError) as refused:
        services.obligations_import(
            actor=staff.auditor,
            administration=orgs.gd,
            year=2013,
            fileobj=csv_file("code\nCN-ZJ-GRID\n"),
        )
    assert "CN-ZJ-GRID" in refused.value.message
    assert not Obligation.objects.exists()


def test_a_list_without_the_code_column_is_refused(staff, orgs):
    with pytest.raises(DomainError) as refused:
        services.obligations_import(
            actor=staff.auditor, administration=orgs.gd, year=2013, fileobj=csv_file("name\nX\n")
        )
    assert "code" in refused.value.message


def test_the_system_actor_label_is_kept_for_registration(orgs):
    services.body_register(
        actor=Actor.system("ipex demo"),
        administration=orgs.gd,
        code="CN-GD-DEMO",
        name_en="Demo",
        body_kind="private",
    )
    entry = AuditEntry.objects.filter(action="directory.organisation.created").latest("seq")
    assert entry.actor_label == "ipex demo"
