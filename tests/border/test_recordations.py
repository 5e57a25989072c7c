"""Rights recorded with customs: the holder applies, customs record or refuse, renew; the
holder withdraws. Each step audited; each bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ipex.border import services as border
from ipex.border.models import Recordation
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from tests.border.conftest import application, png

pytestmark = pytest.mark.django_db


def apply(r, **changes):
    return border.recordation_apply(actor=r.rep, **application(r, **changes))


def recorded(r, **changes):
    return border.recordation_record(actor=r.officer, recordation=apply(r, **changes))


def counts():
    return Recordation.objects.count(), AuditEntry.objects.count()


def test_a_holder_applies_with_contacts_and_photos(rights):
    record = apply(rights, photos=[png()])
    assert record.status == "applied"
    assert [(c.email, c.language) for c in record.contacts.all()] == [("li@prav.test", "zh-hans")]
    photo = record.photos.get()
    assert photo.content_type == "image/png"
    assert border.photo_path(photo).exists()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "border.recordation.applied"
    assert entry.changes["photos"] == 1


def test_customs_record_it_for_ten_years_in_china(rights):
    record = recorded(rights)
    today = timezone.localdate()
    assert record.status == "recorded"
    assert record.number == f"R{today.year}-000001"
    assert record.valid_from == today
    # ten years: the last day is the one before the tenth anniversary
    assert record.valid_until == today.replace(year=today.year + 10) - dt.timedelta(days=1)
    assert record.version == 2
    assert AuditEntry.objects.filter(action="border.recordation.recorded").count() == 1


def test_customs_give_their_own_number_and_validity(rights):
    record = border.recordation_record(
        actor=rights.officer,
        recordation=apply(rights),
        number="T2013-00042",
        valid_from="2013-01-01",
        valid_until="2022-12-31",
    )
    assert (record.number, record.valid_until) == ("T2013-00042", dt.date(2022, 12, 31))


def test_customs_refuse_with_a_reason(rights):
    record = border.recordation_refuse(
        actor=rights.officer, recordation=apply(rights), reason="Not the owner"
    )
    assert (record.status, record.refusal_reason) == ("refused", "Not the owner")
    with pytest.raises(Conflict):  # a refused application is not recorded afterwards
        border.recordation_record(actor=rights.officer, recordation=record)


def test_a_refusal_without_a_reason_is_refused(rights):
    record = apply(rights)
    with pytest.raises(DomainError) as refused:
        border.recordation_refuse(actor=rights.officer, recordation=record, reason="  ")
    assert "reason" in refused.value.fields
    record.refresh_from_db()
    assert (record.status, record.version) == ("applied", 1)


def test_customs_renew_a_recorded_right(rights):
    record = recorded(rights)
    before = record.valid_until
    border.recordation_renew(actor=rights.officer, recordation=record)
    assert record.valid_until == before.replace(year=before.year + 10)
    with pytest.raises(DomainError):  # a renewal that does not extend
        border.recordation_renew(actor=rights.officer, recordation=record, valid_until=before)
    assert AuditEntry.objects.filter(action="border.recordation.renewed").count() == 1


def test_the_holder_withdraws_and_the_right_leaves_the_register(rights):
    record = recorded(rights)
    assert Recordation.objects.in_register().filter(pk=record.pk).exists()
    border.recordation_withdraw(actor=rights.rep, recordation=record, reason="Sold the rights")
    assert record.status == "withdrawn"
    assert not Recordation.objects.in_register().filter(pk=record.pk).exists()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.changes["reason"]) == (
        "border.recordation.withdrawn",
        "Sold the rights",
    )


def test_only_customs_record_and_only_the_holder_withdraws(rights):
    record = apply(rights)
    with pytest.raises(Forbidden):
        border.recordation_record(actor=rights.rep, recordation=record)
    with pytest.raises(Forbidden):
        border.recordation_withdraw(actor=rights.officer, recordation=record)
    record.refresh_from_db()
    assert (record.status, record.version) == ("applied", 1)


def test_an_organisation_that_is_not_a_rights_holder_cannot_apply(rights, orgs, people):
    before = counts()
    with pytest.raises(DomainError) as refused:
        border.recordation_apply(actor=people.owner, **application(rights, owner_org=orgs.ba))
    assert "owner_org" in refused.value.fields
    assert counts() == before


def test_a_validity_that_ends_before_it_starts_is_refused(rights):
    record = apply(rights)
    with translation.override("ru"), pytest.raises(DomainError) as refused:
        border.recordation_record(
            actor=rights.officer,
            recordation=record,
            valid_from="2014-01-01",
            valid_until="2013-12-31",
        )
    assert refused.value.code == "end_before_start"
    assert "valid_until" in refused.value.fields
    assert str(refused.value.message) == "Срок действия заканчивается раньше, чем начинается."
    record.refresh_from_db()
    assert (record.status, record.number, record.version) == ("applied", "", 1)


def test_a_duplicate_of_a_valid_recordation_is_refused(rights):
    recorded(rights)
    before = counts()
    with pytest.raises(DomainError) as refused:
        # the same work and goods, written differently
        apply(rights, work_title="songs of the  Pearl River", goods="dvd discs")
    assert refused.value.code == "duplicate"
    assert "goods" in refused.value.fields
    assert counts() == before
    # other goods of the same work are another recordation
    assert apply(rights, goods="Blu-ray discs").status == "applied"


def test_two_applications_cannot_both_be_recorded(rights):
    first, second = apply(rights), apply(rights)
    border.recordation_record(actor=rights.officer, recordation=first)
    with pytest.raises(DomainError):
        border.recordation_record(actor=rights.officer, recordation=second)
    second.refresh_from_db()
    assert second.status == "applied"


def test_photos_that_are_not_images_are_refused_and_nothing_is_written(rights, tmp_path):
    text = SimpleUploadedFile("sticker.png", b"not a picture at all", content_type="image/png")
    pdf = SimpleUploadedFile("sticker.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    before = counts()
    with pytest.raises(DomainError) as refused:
        apply(rights, photos=[png(), text, pdf])
    assert refused.value.fields["photos"] == [
        "sticker.png is not a photo (JPEG or PNG).",
        "sticker.pdf is not a photo (JPEG or PNG).",
    ]
    assert counts() == before
    assert not border.photos_dir().exists()


def test_a_truncated_png_is_not_a_photo(rights):
    broken = SimpleUploadedFile("cut.png", png().read()[:30], content_type="image/png")
    with pytest.raises(DomainError):
        apply(rights, photos=[broken])
    assert not Recordation.objects.exists()


def test_unknown_countries_and_bad_contacts_are_refused(rights):
    with pytest.raises(DomainError) as refused:
        apply(
            rights,
            countries=["CN", "XX"],
            contacts=[{"name": "Li", "email": "not-an-address", "language": "en"}],
        )
    assert set(refused.value.fields) == {"countries", "contacts"}
    assert not Recordation.objects.exists()


def test_photos_added_later_are_checked_the_same_way(rights):
    record = apply(rights)
    with pytest.raises(DomainError):
        border.recordation_add_photos(
            actor=rights.rep,
            recordation=record,
            photos=[SimpleUploadedFile("a.jpg", b"GIF89a", content_type="image/jpeg")],
        )
    border.recordation_add_photos(actor=rights.rep, recordation=record, photos=[png()])
    assert record.photos.count() == 1
    assert record.version == 2
