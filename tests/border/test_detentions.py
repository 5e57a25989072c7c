"""Detentions at the border: customs record a suspended release, the linked holder is
notified at once (in IPEX and by e-mail, in the contact's language) and answers before the
deadline of China's rule; silence makes the release due."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ipex.border import services as border
from ipex.border.models import Detention, DetentionNotice
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from tests.border.conftest import detain, png
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db

EVE_OF_NATIONAL_DAY = dt.date(2013, 9, 30)


@pytest.fixture
def on_day(monkeypatch):
    """The services' today, set by the test."""

    def set_day(day: dt.date):
        clock = SimpleNamespace(localdate=lambda: day, now=timezone.now)
        monkeypatch.setattr("ipex.border.services.detentions.timezone", clock)

    return set_day


def test_a_detention_notifies_the_holders_contacts_in_their_language(
    rights, recordation, on_day, django_capture_on_commit_callbacks
):
    on_day(EVE_OF_NATIONAL_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        detention = detain(rights, [recordation], photos=[png()])
    # China: 3 working days after Mon 30 Sep 2013, the National Day week (1–7 Oct) off:
    # Tue 8, Wed 9, Thu 10 October.
    assert detention.answer_by == dt.date(2013, 10, 10)
    assert not detention.ex_officio
    assert sorted(n.email for n in DetentionNotice.objects.filter(detention=detention)) == [
        "anna@prav.test",
        "li@prav.test",
    ]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["li@prav.test"].subject == "您备案 GZ-2013-1 项下的货物被扣留"
    assert "2013-10-10" in by_address["li@prav.test"].body
    assert by_address["anna@prav.test"].subject.startswith("Товары задержаны")
    assert detention.photos.count() == 1
    assert AuditEntry.objects.filter(action="border.detention.recorded").count() == 1


def test_a_detention_without_a_recordation_is_ex_officio_and_notifies_nobody(rights):
    detention = detain(rights)
    assert detention.ex_officio and detention.answer_by is None
    assert not DetentionNotice.objects.exists()
    page = client_for(rights.officer).get(f"/border/detentions/{detention.uuid}/")
    assert "Ex officio: no recordation" in page.content.decode()


def test_the_holder_confirms_with_grounds_in_time(rights, recordation, on_day):
    on_day(EVE_OF_NATIONAL_DAY)
    detention = detain(rights, [recordation])
    on_day(dt.date(2013, 10, 10))  # the last day
    border.detention_answer(
        actor=rights.rep, detention=detention, kind="confirm", grounds="No hologram"
    )
    assert detention.status == "confirmed"
    answer = detention.answers.get()
    assert (answer.organisation, answer.grounds) == (rights.holder, "No hologram")
    assert AuditEntry.objects.filter(action="border.detention.confirm").count() == 1


def test_a_confirmation_without_grounds_is_refused(rights, recordation):
    detention = detain(rights, [recordation])
    with pytest.raises(DomainError):
        border.detention_answer(actor=rights.rep, detention=detention, kind="confirm")
    detention.refresh_from_db()
    assert detention.status == "notified" and not detention.answers.exists()


def test_an_answer_after_the_deadline_is_refused(rights, recordation, on_day):
    on_day(EVE_OF_NATIONAL_DAY)
    detention = detain(rights, [recordation])
    on_day(dt.date(2013, 10, 11))
    with pytest.raises(Conflict) as refused:
        border.detention_answer(actor=rights.rep, detention=detention, kind="destroy")
    assert refused.value.code == "too_late"
    detention.refresh_from_db()
    assert (detention.status, detention.version) == ("notified", 1)


def test_an_answer_from_a_holder_not_linked_is_refused(rights, recordation):
    detention = detain(rights, [recordation])
    with pytest.raises(Forbidden):
        border.detention_answer(actor=rights.other_rep, detention=detention, kind="release")
    answer = api_for(rights.other_rep).post(
        f"/api/v1/detentions/{detention.uuid}/answer", {"kind": "release"}, format="json"
    )
    assert answer.status_code == 404
    detention.refresh_from_db()
    assert detention.status == "notified" and not detention.answers.exists()


def test_an_extension_within_the_russian_rule_and_one_beyond_it(rights, recordation, on_day):
    from ipex.border.models import DeadlineRule

    # A detention under Russia's rule (10 working days, extension up to 10).
    rights.customs.jurisdiction = type(rights.customs.jurisdiction).objects.get(code="RU")
    rights.customs.save()
    on_day(dt.date(2014, 1, 3))
    detention = detain(rights, [recordation], place="Zabaikalsk")
    assert (detention.country, detention.answer_by) == ("RU", dt.date(2014, 1, 22))
    on_day(dt.date(2014, 1, 20))
    with pytest.raises(DomainError) as refused:
        border.detention_answer(actor=rights.rep, detention=detention, kind="extend", days=11)
    assert refused.value.code == "beyond_rule"
    border.detention_answer(actor=rights.rep, detention=detention, kind="extend", days=3)
    # Three working days after Wed 22 January: Thu 23, Fri 24, Mon 27.
    assert (detention.answer_by, detention.extended) == (dt.date(2014, 1, 27), True)
    assert DeadlineRule.objects.get(country="RU").extension_days == 10


def test_china_allows_no_extension(rights, recordation):
    detention = detain(rights, [recordation])
    with pytest.raises(DomainError) as refused:
        border.detention_answer(actor=rights.rep, detention=detention, kind="extend")
    assert refused.value.code == "no_extension"


def test_silence_past_the_deadline_makes_the_release_due_and_alerts_the_officer(
    rights, recordation, on_day, django_capture_on_commit_callbacks
):
    on_day(EVE_OF_NATIONAL_DAY)
    late = detain(rights, [recordation])
    answered = detain(rights, [recordation], declaration_number="5101-2013-0043")
    border.detention_answer(actor=rights.rep, detention=answered, kind="destroy")
    mail.outbox.clear()
    # The daily command, run on the day after the deadline (its own today).
    with django_capture_on_commit_callbacks(execute=True):
        assert border.detentions_release_due(today=dt.date(2013, 10, 11)) == 1
    late.refresh_from_db()
    answered.refresh_from_db()
    assert (late.status, answered.status) == ("release_due", "destruction")
    assert [m.to for m in mail.outbox] == [[rights.officer.email]]
    assert "5101-2013-0042" in mail.outbox[0].subject
    entry = AuditEntry.objects.filter(action="border.detention.release_due").get()
    assert entry.actor_kind == "system"


def test_the_daily_command_leaves_what_is_not_yet_due(rights, recordation):
    detention = detain(rights, [recordation])  # today: answer by a later day
    call_command("border", "release-due")
    detention.refresh_from_db()
    assert detention.status == "notified"
    Detention.objects.filter(pk=detention.pk).update(answer_by=dt.date(2013, 10, 10))
    call_command("border", "release-due")
    detention.refresh_from_db()
    assert detention.status == "release_due"


def test_only_customs_and_the_linked_holder_see_the_consignee(rights, recordation, people):
    detention = detain(rights, [recordation])
    for user in (rights.officer, rights.rep):
        answer = api_for(user).get(f"/api/v1/detentions/{detention.uuid}")
        assert answer.status_code == 200
        assert answer.json()["consignee"] == "Ivan Petrov, Chita"
    page = client_for(rights.rep).get(f"/border/detentions/{detention.uuid}/")
    assert "Ivan Petrov, Chita" in page.content.decode()
    for user in (rights.other_rep, people.owner, people.national, people.admin):
        assert api_for(user).get(f"/api/v1/detentions/{detention.uuid}").status_code == 404
        page = client_for(user).get(f"/border/detentions/{detention.uuid}/")
        assert page.status_code == 404
        assert api_for(user).get("/api/v1/detentions").json()["count"] == 0


def test_bad_goods_lines_are_refused_and_nothing_is_written(rights, recordation):
    for lines in (
        [],
        [{"description": "DVD", "category": "audiovisual.dvd", "quantity": -5}],
        [{"description": "DVD", "category": "no-such-category", "quantity": 5}],
    ):
        with pytest.raises(DomainError) as refused:
            detain(rights, [recordation], lines=lines)
        assert "lines" in refused.value.fields
    assert not Detention.objects.exists() and not DetentionNotice.objects.exists()


def test_the_api_records_a_detention_linking_a_register_match(rights, recordation):
    found = api_for(rights.officer).get("/api/v1/border/register", {"q": "Pearl River"}).json()
    assert [r["number"] for r in found["results"]] == ["GZ-2013-1"]
    answer = api_for(rights.officer).post(
        "/api/v1/detentions",
        {
            "owner_org": rights.customs.code,
            "declaration_number": "5101-2013-0099",
            "direction": "export",
            "place": "Manzhouli",
            "route": ["CN", "RU"],
            "transport": "rail",
            "lines": [{"description": "DVD", "category": "audiovisual.dvd", "quantity": 10}],
            "recordations": [str(recordation.uuid)],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["recordations"] == [str(recordation.uuid)]
    bad = api_for(rights.officer).post(
        "/api/v1/detentions",
        {
            "owner_org": rights.customs.code,
            "declaration_number": "X",
            "direction": "export",
            "place": "Manzhouli",
            "transport": "rail",
            "lines": [{"description": "DVD", "category": "audiovisual.dvd", "quantity": -1}],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["lines"] == ["第 1 行：数量须为从 1 起的整数。"]
    assert Detention.objects.count() == 1


def test_the_holder_answers_from_the_page(rights, recordation):
    detention = detain(rights, [recordation])
    browser = client_for(rights.rep)
    browser.post(
        f"/border/detentions/{detention.uuid}/", {"kind": "confirm", "grounds": "Fake sticker"}
    )
    detention.refresh_from_db()
    assert detention.status == "confirmed"
