"""Recordations through the API and the pages: the full record only for customs and whom
it is shared with; the public register (no sign-in) without contacts or recognition."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ipex.border import services as border
from ipex.border.models import Recordation
from ipex.core.models import Distribution
from ipex.core.services import shared_record_share
from ipex.directory import services as directory
from tests.border.conftest import application, png
from tests.conftest import SYSTEM, api_for, client_for

pytestmark = pytest.mark.django_db


def as_api(r, **changes) -> dict:
    data = application(r, **changes)
    data["owner_org"] = data["owner_org"].code
    return data


def a_recorded(r, **changes):
    record = border.recordation_apply(actor=r.rep, **application(r, **changes))
    return border.recordation_record(actor=r.officer, recordation=record, number="GZ-2013-1")


def test_a_holder_applies_through_the_api_and_customs_record_it(rights):
    answer = api_for(rights.rep).post("/api/v1/recordations", as_api(rights), format="json")
    assert answer.status_code == 201, answer.json()
    uuid = answer.json()["uuid"]
    assert answer.json()["status"] == "applied"
    done = api_for(rights.officer).post(
        f"/api/v1/recordations/{uuid}/record",
        {"number": "GZ-2013-7", "valid_from": "2013-03-01"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert (done.json()["number"], done.json()["valid_until"]) == ("GZ-2013-7", "2023-02-28")


def test_the_api_refuses_an_end_before_the_start(rights):
    record = border.recordation_apply(actor=rights.rep, **application(rights))
    answer = api_for(rights.officer).post(
        f"/api/v1/recordations/{record.uuid}/record",
        {"valid_from": "2014-01-01", "valid_until": "2013-01-01"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "end_before_start"
    assert error["message"] == "有效期的结束早于开始。"
    record.refresh_from_db()
    assert record.status == "applied"


def test_the_api_refuses_a_duplicate(rights):
    a_recorded(rights)
    answer = api_for(rights.rep).post("/api/v1/recordations", as_api(rights), format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "duplicate"
    assert Recordation.objects.count() == 1


def test_photos_that_are_not_images_are_refused_through_the_api(rights):
    record = border.recordation_apply(actor=rights.rep, **application(rights))
    fake = SimpleUploadedFile("logo.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg")
    answer = api_for(rights.rep).post(
        f"/api/v1/recordations/{record.uuid}/photos", {"photos": [fake]}, format="multipart"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["photos"] == ["logo.jpg is not a photo (JPEG or PNG)."]
    assert record.photos.count() == 0
    ok = api_for(rights.rep).post(
        f"/api/v1/recordations/{record.uuid}/photos", {"photos": [png()]}, format="multipart"
    )
    assert ok.status_code == 200
    assert [p["content_type"] for p in ok.json()["photos"]] == ["image/png"]


def test_customs_and_the_holder_see_the_full_record(rights):
    record = a_recorded(rights)
    for user in (rights.officer, rights.rep):
        answer = api_for(user).get(f"/api/v1/recordations/{record.uuid}")
        assert answer.status_code == 200
        assert answer.json()["contacts"][0]["email"] == "li@prav.test"
        assert answer.json()["recognition"] == "Hologram sticker on the spine"


def test_another_rights_holder_and_other_authorities_get_404(rights, people):
    record = a_recorded(rights)
    for user in (rights.other_rep, people.owner, people.colleague):
        answer = api_for(user).get(f"/api/v1/recordations/{record.uuid}")
        assert answer.status_code == 404
        assert client_for(user).get(f"/border/recordations/{record.uuid}/").status_code == 404
    listed = api_for(rights.other_rep).get("/api/v1/recordations").json()
    assert listed["count"] == 0


def test_whom_the_holder_shares_it_with_see_it(rights, people, orgs):
    record = a_recorded(rights)
    group = directory.sharing_group_create(actor=SYSTEM, owner_org=rights.holder, name="Police")
    directory.sharing_group_add_member(actor=SYSTEM, group=group, organisation=orgs.ba)
    assert api_for(people.owner).get(f"/api/v1/recordations/{record.uuid}").status_code == 404
    shared_record_share(
        actor=rights.rep, record=record, distribution=Distribution.GROUP, sharing_group=group
    )
    assert api_for(people.owner).get(f"/api/v1/recordations/{record.uuid}").status_code == 200


def test_the_public_register_shows_no_contacts_or_recognition(rights):
    record = a_recorded(rights, photos=[png("hologram.png")])
    border.recordation_apply(
        actor=rights.rep, **application(rights, goods="Blu-ray discs")
    )  # applied, not recorded: not in the register
    answer = Client().get("/api/v1/border/register", {"q": "pearl river"})
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert [r["number"] for r in rows] == [record.number]
    assert set(rows[0]) == {
        "number",
        "right_kind",
        "right",
        "work_type",
        "holder",
        "goods",
        "countries",
        "valid_from",
        "valid_until",
    }
    body = answer.content.decode()
    for secret in ("li@prav.test", "Li Wei", "Hologram", "hologram.png", "Zabaikalsk"):
        assert secret not in body


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Register of rights recorded with customs"),
        ("zh-hans", "海关备案权利登记簿"),
        ("ru", "Реестр прав, зарегистрированных в таможне"),
    ],
)
def test_the_register_page_in_three_languages_without_sign_in(rights, language, heading):
    record = a_recorded(rights)
    page = Client().get("/border/register/", {"q": "GZ-2013-1"}, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    text = page.content.decode()
    assert heading in text
    assert record.number in text and "DVD discs" in text
    assert "li@prav.test" not in text and "Hologram" not in text


def test_the_register_finds_by_goods_and_not_what_does_not_match(rights):
    a_recorded(rights)
    assert Client().get("/api/v1/border/register", {"q": "dvd"}).json()["count"] == 1
    assert Client().get("/api/v1/border/register", {"q": "sneakers"}).json()["count"] == 0


def test_the_application_form_refuses_a_file_that_is_not_a_photo(rights):
    browser = client_for(rights.rep)
    form = {
        "owner_org": rights.holder.code,
        "right_kind": "copyright",
        "work_title": "Songs of the Pearl River",
        "work_type": "audiovisual",
        "work_owner": "Pearl River Audio-Video Co.",
        "goods": "DVD discs",
        "countries": "CN, RU",
        "contacts": "Li Wei, li@prav.test, zh-hans",
        "distribution": "org",
    }
    bad = SimpleUploadedFile("sticker.png", b"plain text", content_type="image/png")
    page = browser.post("/border/recordations/new", {**form, "photos": bad})
    assert page.status_code == 200
    assert "sticker.png is not a photo (JPEG or PNG)." in page.content.decode()
    assert not Recordation.objects.exists()
    done = browser.post("/border/recordations/new", {**form, "photos": png()})
    record = Recordation.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/{record.uuid}/")
    assert record.photos.count() == 1 and record.contacts.get().language == "zh-hans"


def test_customs_record_from_the_page(rights):
    record = border.recordation_apply(actor=rights.rep, **application(rights))
    browser = client_for(rights.officer)
    page = browser.get(f"/border/recordations/{record.uuid}/")
    assert "Record" in page.content.decode()
    browser.post(
        f"/border/recordations/{record.uuid}/",
        {"step": "record", "number": "GZ-9", "valid_from": "2013-05-01"},
    )
    record.refresh_from_db()
    assert (record.status, record.number) == ("recorded", "GZ-9")


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("pearl riv", 1),  # words in part, any case
        ("GZ-2013-1", 1),  # the number
        ("珠江", 0),
        ("Audio-Video（中文）", 1),  # the holder's Chinese name
        ("рус", 1),  # the holder's Russian name, a word in part
        ("river sneakers", 0),  # every word must match
    ],
)
def test_the_register_search_by_words_in_three_languages(rights, q, found):
    a_recorded(rights)
    assert Client().get("/api/v1/border/register", {"q": q}).json()["count"] == found


def test_the_register_finds_a_part_of_a_chinese_title(rights):
    a_recorded(rights, work_title="珠江之歌音像制品")
    for q in ("珠江", "之歌", "音像制品"):
        assert Client().get("/api/v1/border/register", {"q": q}).json()["count"] == 1, q
    assert Client().get("/api/v1/border/register", {"q": "长江"}).json()["count"] == 0
