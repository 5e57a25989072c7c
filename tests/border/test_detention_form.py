"""The customs officer's detention form (its register search links the matching
recordations; none ticked is ex officio) and the reminders before the deadline, sent as
background tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from ipex.border import services as border
from ipex.border.models import Detention, DetentionNotice
from ipex.border.tasks import remind_soon
from ipex.core.models import AuditEntry
from tests.border.conftest import detain
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NEW = "/border/detentions/new/"


def shipment(r, **changes) -> dict:
    return {
        "owner_org": r.customs.code,
        "declaration_number": "5101-2013-0042",
        "direction": "export",
        "place": "Manzhouli rail crossing",
        "route": "CN, RU",
        "transport": "rail",
        "consignee": "Ivan Petrov, Chita",
        "line-description": ["DVD discs", ""],
        "line-category": ["audiovisual.dvd", ""],
        "line-quantity": ["1200", ""],
        **changes,
    }


def test_the_officer_searches_the_register_and_links_the_match(rights, recordation):
    browser = client_for(rights.officer)
    found = browser.post(NEW, {**shipment(rights), "q": "Pearl River", "search": "1"})
    page = found.content.decode()
    assert found.status_code == 200
    assert "GZ-2013-1" in page and str(recordation.uuid) in page
    assert 'value="5101-2013-0042"' in page  # what was typed stays
    assert not Detention.objects.exists()
    done = browser.post(NEW, {**shipment(rights), "recordation": [str(recordation.uuid)]})
    detention = Detention.objects.get()
    assert done.url == f"/border/detentions/{detention.uuid}/"
    assert list(detention.recordations.all()) == [recordation]
    assert detention.route == ["CN", "RU"]
    assert detention.lines.get().quantity == 1200
    assert DetentionNotice.objects.filter(detention=detention).count() == 2
    shown = browser.get(done.url).content.decode()
    assert "Ex officio" not in shown


def test_nothing_ticked_is_ex_officio_and_says_so(rights, recordation):
    browser = client_for(rights.officer)
    done = browser.post(NEW, shipment(rights))
    detention = Detention.objects.get()
    assert detention.ex_officio and not DetentionNotice.objects.exists()
    assert "Ex officio: no recordation" in browser.get(done.url).content.decode()


def test_the_form_says_what_is_wrong_in_the_users_language(rights, recordation):
    browser = client_for(rights.officer)
    negative = browser.post(
        NEW, shipment(rights, **{"line-quantity": ["-5", ""]}), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert negative.status_code == 200
    assert "Строка 1" in negative.content.decode()
    empty = browser.post(
        NEW,
        shipment(
            rights, **{"line-description": [""], "line-category": [""], "line-quantity": [""]}
        ),
    )
    assert "Give at least one line of goods." in empty.content.decode()
    unknown = browser.post(
        NEW, {**shipment(rights), "recordation": ["8d3c1c1e-0000-4000-8000-000000000000"]}
    )
    assert "Link only recordations in force." in unknown.content.decode()
    assert not Detention.objects.exists() and not DetentionNotice.objects.exists()


def test_only_customs_officers_have_the_form(rights, people):
    for user in (rights.rep, people.owner):
        assert client_for(user).get(NEW).status_code == 404
    listing = client_for(rights.officer).get("/border/detentions/").content.decode()
    assert NEW in listing
    assert NEW not in client_for(rights.rep).get("/border/detentions/").content.decode()


def test_holders_are_reminded_once_a_working_day_before_the_deadline(
    rights, recordation, django_capture_on_commit_callbacks
):
    detention = detain(rights, [recordation])
    border_deadline = detention.answer_by
    mail.outbox.clear()
    # Two working days before the deadline: not yet.
    early = border_deadline - dt.timedelta(days=7)
    assert remind_soon(early) == 0
    eve = next(
        day
        for day in (border_deadline - dt.timedelta(days=n) for n in range(1, 6))
        if border.detentions_to_remind(day)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_soon(eve) == 1  # run at once by the tests' immediate task backend
    reminders = DetentionNotice.objects.filter(detention=detention, kind="reminder")
    assert sorted(reminders.values_list("email", flat=True)) == ["anna@prav.test", "li@prav.test"]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["li@prav.test"].startswith("提醒")
    assert AuditEntry.objects.filter(action="border.detention.reminded").count() == 1
    assert remind_soon(eve) == 0  # once only


def test_an_answered_detention_is_not_reminded(rights, recordation):
    detention = detain(rights, [recordation])
    border.detention_answer(actor=rights.rep, detention=detention, kind="confirm", grounds="Fake")
    assert remind_soon(detention.answer_by) == 0
    call_command("border", "remind")
    assert not DetentionNotice.objects.filter(kind="reminder").exists()


def test_a_detention_photo_that_is_not_an_image_is_refused_in_the_users_language(rights):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("goods.png", b"%PDF-1.4 not a picture", content_type="image/png")
    answer = client_for(rights.officer).post(
        NEW, {**shipment(rights), "photos": fake}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert answer.status_code == 200
    assert "goods.png 不是照片（JPEG 或 PNG）。" in answer.content.decode()
    assert not Detention.objects.exists()
