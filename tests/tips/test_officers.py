"""Officers' pages and API: the tip queue through the one door, triage, the audited opening
of a tip, attachments without metadata, the reward steps, and who sees what."""

from __future__ import annotations

import pytest

from ipex.cases import services as case_services
from ipex.core.models import AuditEntry
from ipex.tips import services
from ipex.tips.models import Tip
from tests.conftest import api_for, client_for
from tests.tips.conftest import photo


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", True),  # Bao'an, where the tip was routed
        ("supervisor", True),  # Guangdong supervises Bao'an
        ("national", True),
        ("colleague", False),  # Zhejiang
        ("group_member", False),  # police, outside the line
        ("no_org", False),
    ],
)
def test_a_tip_is_seen_by_its_organisation_and_supervisors_only(submit, people, who, sees):
    tip, _receipt, _proof = submit(files=[photo()])
    user = getattr(people, who)
    attachment = tip.attachments.get()
    assert api_for(user).get(f"/api/v1/tips/{tip.uuid}").status_code == (200 if sees else 404)
    page = client_for(user)
    assert page.get(f"/tips/{tip.uuid}/").status_code == (200 if sees else 404)
    listed = {r["uuid"] for r in api_for(user).get("/api/v1/tips").json()["results"]}
    assert (str(tip.uuid) in listed) is sees
    file_url = f"/tips/{tip.uuid}/files/{attachment.uuid}/clean"
    assert page.get(file_url).status_code == (200 if sees else 404)


def test_opening_a_tip_is_audited_and_shows_the_clean_photo(submit, people):
    tip, _receipt, _proof = submit("Night shift at the dye works", files=[photo()])
    page = client_for(people.owner).get(f"/tips/{tip.uuid}/")
    assert "Night shift at the dye works" in page.content.decode()
    assert AuditEntry.objects.filter(action="tips.tip.viewed", object_uuid=str(tip.uuid)).exists()
    attachment = tip.attachments.get()
    clean = client_for(people.owner).get(f"/tips/{tip.uuid}/files/{attachment.uuid}/clean")
    assert clean["Content-Type"] == "image/jpeg" and b"SERIAL-778899" not in clean.content
    original = client_for(people.owner).get(f"/tips/{tip.uuid}/files/{attachment.uuid}/original")
    assert b"SERIAL-778899" in original.content
    assert AuditEntry.objects.filter(action="tips.attachment.downloaded").count() == 2


def test_triage_through_the_pages(submit, people, orgs):
    tip, _receipt, _proof = submit()
    case = case_services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Dye works line"
    )
    client = client_for(people.owner)
    act = f"/tips/{tip.uuid}/act"
    client.post(act, {"step": "acknowledge"})
    client.post(act, {"step": "ask", "question": "How many machines?"})
    client.post(act, {"step": "assess", "assessment": "credible"})
    client.post(act, {"step": "link_case", "case": case.reference})
    response = client.post(act, {"step": "close", "outcome": ""}, follow=True)
    assert "A tip is closed with an outcome." in response.content.decode()
    client.post(act, {"step": "close", "outcome": "confirmed"})
    tip.refresh_from_db()
    assert (tip.status, tip.assessment, tip.outcome, tip.case) == (
        "closed",
        "credible",
        "confirmed",
        case,
    )
    assert services.tipster_view(tip)["messages"][0]["body"] == "How many machines?"
    # The case page and API list the tip for those who can see it.
    assert str(tip.uuid)[:8] in client.get(f"/cases/{case.uuid}/").content.decode()
    assert api_for(people.owner).get(f"/api/v1/cases/{case.uuid}").json()["tips"] == [str(tip.uuid)]
    # The case shows the tip in its timeline.
    assert AuditEntry.objects.filter(
        action="cases.case.tip_linked", object_uuid=str(case.uuid)
    ).exists()
    # The supervisor reads it but may not act on it.
    refused = client_for(people.supervisor).post(act, {"step": "ask", "question": "?"}, follow=True)
    assert "Only the organisation that owns this record can change it." in refused.content.decode()


def test_triage_and_rewards_through_the_api(submit, people, rewards):
    tip, receipt, _proof = submit()
    api = api_for(people.owner)
    base = f"/api/v1/tips/{tip.uuid}"
    assert api.post(f"{base}/acknowledge", {}, format="json").status_code == 200
    assert api.post(f"{base}/assess", {"assessment": "credible"}, format="json").status_code == 200
    closed = api.post(f"{base}/close", {"outcome": "confirmed"}, format="json")
    assert closed.json()["reward"]["status"] == "eligible"
    assert api.post(f"{base}/reward/invite", {}, format="json").json()["reward"]["status"] == (
        "claim_invited"
    )
    from django.test import Client

    claim = Client().post(
        "/api/v1/public/tips/claim",
        {"receipt": receipt, "payment_identity": "Alipay 138 0000 0000"},
        content_type="application/json",
    )
    assert claim.json()["reward"]["status"] == "claimed"
    proposed = api.post(f"{base}/reward/propose", {"amount": "300000"}, format="json")
    assert proposed.json()["reward"]["amount"] == "300000.00"
    assert api.post(f"{base}/reward/approve", {}, format="json").status_code == 403
    approver = api_for(rewards.approver)
    assert approver.post(f"{base}/reward/approve", {}, format="json").status_code == 200
    identity = approver.post(f"/api/v1/tips/{tip.uuid}/payment-identity")
    assert identity.json() == {"payment_identity": "Alipay 138 0000 0000"}
    assert api.post(f"/api/v1/tips/{tip.uuid}/payment-identity").status_code == 403
    paid = approver.post(f"{base}/reward/pay", {"payment_reference": "TX-1"}, format="json")
    assert paid.json()["reward"]["status"] == "paid"
    report = approver.get("/api/v1/tips/rewards/report").json()
    assert report["rows"][0]["total"] == "300000.00"
    listed = approver.get("/api/v1/tips/rewards").json()["results"]
    assert [(r["tip"], r["status"]) for r in listed] == [(str(tip.uuid), "paid")]
    assert api_for(people.colleague).get("/api/v1/tips/rewards").json()["count"] == 0
    status = Client().post(
        "/api/v1/public/tips/status", {"receipt": receipt}, content_type="application/json"
    )
    assert status.json()["reward"] == {
        "status": "paid",
        "amount": "300000.00",
        "currency": "CNY",
        "reason": "",
    }


def test_unknown_step_and_bad_duplicate_are_refused(submit, people):
    tip, _receipt, _proof = submit()
    api = api_for(people.owner)
    assert api.post(f"/api/v1/tips/{tip.uuid}/explode", {}, format="json").status_code == 404
    api.post(f"/api/v1/tips/{tip.uuid}/acknowledge", {}, format="json")
    response = api.post(
        f"/api/v1/tips/{tip.uuid}/assess", {"assessment": "duplicate"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"duplicate_of": ["Name another tip you can see."]}
    assert Tip.objects.get(pk=tip.pk).status == "acknowledged"


def test_node_administrators_set_routing_in_the_admin_and_it_is_audited(people, areas, orgs):
    client = client_for(people.admin)
    response = client.post(
        "/admin/tips/routingrule/add/",
        {"jurisdiction": areas.zj.pk, "kind": "", "organisation": orgs.zj.pk},
    )
    assert response.status_code == 302
    assert services.route(areas.zj, "online") == orgs.zj
    assert AuditEntry.objects.filter(action="tips.routingrule.admin_added").exists()
    assert client_for(people.owner).get("/admin/tips/routingrule/").status_code == 302


def test_the_dashboard_counts_tips_waiting_to_be_acknowledged(submit, people):
    submit()
    submit()
    home = client_for(people.supervisor).get("/").content.decode()
    assert "2 tips wait to be acknowledged." in home
    assert "tips wait" not in client_for(people.colleague).get("/").content.decode()
