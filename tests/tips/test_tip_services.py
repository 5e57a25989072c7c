"""Tips from the public: routing, sealing, receipts, proofs, first reporter, escalation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from ipex.core.errors import Conflict, DomainError
from ipex.core.models import AuditEntry
from ipex.tips import crypto, receipts, services
from ipex.tips.models import Tip, TipAttachment
from ipex.tips.proof import verify_proof
from tests.tips.conftest import photo


def test_a_tip_is_routed_by_place_and_kind(submit, routing):
    assert submit()[0].owner_org == routing.orgs.ba  # the deepest place wins
    assert submit(jurisdiction="CN-GD")[0].owner_org == routing.orgs.gd
    assert submit(jurisdiction="CN-GD", kind="smuggling")[0].owner_org == routing.orgs.psd
    assert submit(jurisdiction="CN-ZJ")[0].owner_org == routing.orgs.ncac  # falls back to CN


def test_contents_are_sealed_and_the_receipt_is_only_hashed(submit):
    tip, receipt, _proof = submit("Meet at the Blue Lotus warehouse", contact="wechat: lotus88")
    assert len(receipt) == 16 and receipt.isdigit()
    row = Tip.objects.get(pk=tip.pk)
    assert b"Blue Lotus" not in bytes(row.description_sealed)
    assert b"lotus88" not in bytes(row.contact_sealed)
    assert receipt not in row.receipt_hash
    assert crypto.unseal_text(row.description_sealed, context=f"tip:{tip.uuid}:description") == (
        "Meet at the Blue Lotus warehouse"
    )
    # Sealed for this tip only: another tip's context does not open it.
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        crypto.unseal(row.description_sealed, context="tip:other:description")
    assert services.tip_by_receipt(receipt).pk == tip.pk
    assert services.tip_by_receipt(" ".join([receipt[:4], receipt[4:8], receipt[8:]])).pk == tip.pk
    wrong = receipt[:15] + str((int(receipt[15]) + 1) % 10)  # one digit off
    assert services.tip_by_receipt(wrong) is None
    assert services.tip_by_receipt("not a receipt") is None
    entry = AuditEntry.objects.get(action="tips.tip.received")
    assert "Blue Lotus" not in json.dumps(entry.changes)


def test_the_receipt_hash_keeps_its_parameters(submit, settings):
    tip, receipt, _proof = submit()
    settings.IPEX_RECEIPT_ARGON2 = (2, 16)  # a later change of the settings
    assert services.tip_by_receipt(receipt).pk == tip.pk
    assert receipts.receipt_hash(receipt) == tip.receipt_hash


def test_the_proof_verifies_and_a_tampered_one_fails(submit, tmp_path):
    tip, _receipt, proof = submit()
    good = tmp_path / "proof.json"
    good.write_text(json.dumps(proof))
    call_command("tips", "verify-proof", str(good))
    tampered = dict(proof, submitted_at="2013-01-01T00:00:00+00:00")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered))
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="signature does not match"):
        call_command("tips", "verify-proof", str(bad))
    from ipex.directory.models import Node

    assert verify_proof(proof, {Node.local().public_key})[0]
    assert not verify_proof(proof, {"c29tZW9uZSBlbHNl"})[0]


def test_photos_lose_their_metadata_and_the_original_is_kept(submit):
    tip, _receipt, _proof = submit(files=[photo()])
    attachment = TipAttachment.objects.get(tip=tip)
    assert attachment.has_clean_copy and attachment.content_type == "image/jpeg"
    original = services.attachment_bytes(attachment, "original")
    clean = services.attachment_bytes(attachment, "clean")
    assert b"SERIAL-778899" in original and b"Zhang Wei" in original
    for marker in (b"SERIAL-778899", b"SpyCam", b"Zhang Wei", b"Exif", b"GPS"):
        assert marker not in clean
    # On disk both are sealed.
    folder = services.files_dir()
    for path in folder.iterdir():
        assert b"SERIAL-778899" not in path.read_bytes()
        assert not path.read_bytes().startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"description": "   "}, "description", "Describe what you saw."),
        ({"kind": "gossip"}, "kind", "Choose what the tip is about."),
        ({"jurisdiction": "XX-99"}, "jurisdiction", "Choose where it happens."),
        ({"jurisdiction": "RU"}, "jurisdiction", "Tips about Russia are not taken on this node."),
        (
            {"files": [SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 an executable")]},
            "files",
            "invoice.pdf is not a photo (JPEG, PNG) or PDF whose content matches its name.",
        ),
        (
            {"files": [photo(f"p{i}.jpg") for i in range(6)]},
            "files",
            "At most 5 files can be sent with a tip.",
        ),
    ],
)
def test_bad_tips_are_refused_and_nothing_is_written(submit, change, field, message):
    with pytest.raises(DomainError) as refused:
        submit(**change)
    assert refused.value.fields[field] == [message]
    assert not Tip.objects.exists() and not TipAttachment.objects.exists()
    assert not services.files_dir().exists() or not any(services.files_dir().iterdir())


def test_an_oversized_file_is_refused(submit, settings):
    settings.IPEX_TIP_MAX_FILE_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    with pytest.raises(DomainError) as refused:
        submit(files=[big])
    assert refused.value.fields["files"] == ["big.pdf is larger than 1.0\xa0KB."]
    assert not Tip.objects.exists()


def test_the_first_reporter_is_decided_by_submission_time(submit, people, routing, rewards):
    first, _r1, _p1 = submit("Line at the dye works")
    later, _r2, _p2 = submit("The same line, reported again")
    officer = people.owner  # Bao'an, where both were routed
    for tip in (first, later):
        services.tip_acknowledge(actor=officer, tip=tip)
    # The officer marks the *earlier* one as the duplicate: the first reporter is still first.
    services.tip_assess(actor=officer, tip=later, assessment="credible")
    services.tip_assess(actor=officer, tip=first, assessment="duplicate", duplicate_of=later)
    assert services.first_reporter(later).pk == first.pk
    services.tip_close(actor=officer, tip=later, outcome="confirmed")
    assert not hasattr(Tip.objects.get(pk=later.pk), "reward") or later.reward is None
    services.tip_assess(actor=officer, tip=first, assessment="credible")
    services.tip_close(actor=officer, tip=first, outcome="confirmed")
    assert Tip.objects.get(pk=first.pk).reward.status == "eligible"


def test_officer_workflow_refuses_illegal_steps(submit, people):
    tip, _receipt, _proof = submit()
    with pytest.raises(Conflict):
        services.tip_close(actor=people.owner, tip=tip, outcome="confirmed")
    services.tip_acknowledge(actor=people.owner, tip=tip)
    with pytest.raises(DomainError) as refused:
        services.tip_assess(actor=people.owner, tip=tip, assessment="duplicate")
    assert refused.value.fields == {"duplicate_of": ["Name another tip you can see."]}
    with pytest.raises(DomainError):
        services.tip_close(actor=people.owner, tip=tip, outcome="")


def test_an_overdue_tip_escalates_to_the_supervising_organisation(submit, routing):
    tip, _receipt, _proof = submit()
    assert services.tips_escalate_overdue(today=timezone.localdate()) == 0
    later = timezone.localdate() + dt.timedelta(days=8)
    assert services.tips_escalate_overdue(today=later) == 1
    tip.refresh_from_db()
    assert tip.owner_org == routing.orgs.gd and tip.routed_to == routing.orgs.ba
    assert services.tips_escalate_overdue(today=later) == 0  # once


def test_a_tip_links_a_case_its_officer_sees_but_may_not_change(submit, people, orgs):
    """Guangdong's tip, Bao'an's case: the link is a new version of both, audited on both."""
    from ipex.cases import services as cases

    tip, _receipt, _proof = submit(jurisdiction="CN-GD")
    case = cases.case_open(actor=people.owner, owner_org=orgs.ba, kind="online", title="Shop")
    before = (case.version, case.updated_at)
    services.tip_link_case(actor=people.supervisor, tip=tip, case=case)
    case.refresh_from_db()
    tip.refresh_from_db()
    assert tip.case == case and tip.version == 2
    assert case.version == before[0] + 1 and case.updated_at > before[1]
    linked = AuditEntry.objects.get(action="cases.case.tip_linked")
    assert (linked.object_uuid, linked.changes) == (str(case.uuid), {"tip": str(tip.uuid)})
    with pytest.raises(DomainError, match="No case you can see has that reference."):
        services.tip_link_case(actor=people.supervisor, tip=tip, case=None)


def test_a_tipsters_reply_is_a_new_version_audited_without_its_words(submit):
    tip, _receipt, _proof = submit()
    services.tipster_reply(tip=tip, body="The blue van comes at three", files=[photo()])
    tip.refresh_from_db()
    assert tip.version == 2
    entry = AuditEntry.objects.get(action="tips.tip.tipster_replied")
    assert (entry.actor_kind, entry.changes) == ("system", {"message": True, "files": 1})
