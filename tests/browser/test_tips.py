"""Issue path in a real browser: an anonymous visitor submits a tip in Chinese with a photo
and keeps the receipt; an officer triages it and asks a question; the visitor answers; the
tip leads to a case; a reward is proposed, approved by another user and paid; the visitor
sees "paid"."""

from __future__ import annotations

import pytest
from django.utils import translation

from ipex.cases import services as case_services
from ipex.tips.models import RewardStatus, Tip
from tests.tips.conftest import (  # noqa: F401 - fixtures used by name
    _fresh_throttle,
    jpeg_with_gps,
    rewards,
    routing,
)

pytestmark = pytest.mark.browser

PASSWORD = "Correct-Horse-42"


def sign_in(page, url, user):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-submit").click()


def step(page, name, **fields):
    """Fill the fields of a tip-page form and press its button."""
    for selector, value in fields.items():
        element = page.locator(selector)
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    page.get_by_role("button", name=name, exact=True).click()


def test_tip_from_visitor_to_paid_reward(
    transactional_db,
    live_server,
    new_page,
    people,
    orgs,
    routing,  # noqa: F811 - the fixture imported above
    rewards,  # noqa: F811
    tmp_path,
):
    url = live_server.url
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg_with_gps())
    case = case_services.case_open(
        actor=people.owner, owner_org=orgs.ba, kind="optical_disc_line", title="Dye works line"
    )

    # The visitor, in Chinese, without an account.
    visitor = new_page("zh-CN")
    visitor.goto(f"{url}/tips/new")
    assert visitor.locator("html").get_attribute("lang") == "zh-hans"
    visitor.locator("#id_kind").select_option("production_line")
    visitor.locator("#id_jurisdiction").select_option("CN-GD-SZ-BA")
    visitor.locator("#id_description").fill("宝安区染料厂后面夜里压制光盘。")
    visitor.locator("#id_files").set_input_files(str(photo))
    visitor.locator("#tip-submit").click()
    receipt = visitor.locator("#receipt").inner_text().strip()
    assert len(receipt.replace(" ", "")) == 16
    assert "ipex-tip-proof/1" in visitor.locator("#proof").inner_text()
    tip = Tip.objects.get()
    assert tip.language == "zh-hans" and tip.attachments.get().has_clean_copy

    # An officer of the county bureau triages it and asks a question.
    officer = new_page()
    sign_in(officer, url, people.owner)
    officer.goto(f"{url}/tips/")
    officer.locator("#tips a").first.click()
    assert "宝安区染料厂" in officer.locator("#tip-description").inner_text()
    officer.locator("#tip-acknowledge").click()
    step(officer, "Ask", **{"#tip-question": "厂房在哪条路上？"})
    assert "厂房在哪条路上？" in officer.locator("#tip-messages").inner_text()

    # The visitor comes back with the receipt and answers.
    visitor.goto(f"{url}/tips/status")
    visitor.locator("#id_receipt").fill(receipt)
    visitor.locator("form[action='/tips/status'] button[type=submit]").click()
    assert "厂房在哪条路上？" in visitor.locator("#tip-messages").inner_text()
    visitor.locator("#id_body").fill("宝安大道旁，蓝色铁皮屋顶。")
    visitor.locator("#reply-submit").click()
    assert "蓝色铁皮屋顶" in visitor.locator("#tip-messages").inner_text()

    # The tip leads to the case; it is confirmed and closed; the tipster is invited to claim.
    officer.reload()
    assert "蓝色铁皮屋顶" in officer.locator("#tip-messages").inner_text()
    step(officer, "Assess", **{"#tip-assessment": "credible"})
    step(officer, "Link to the case", **{"#tip-case-ref": case.reference})
    assert officer.locator("#tip-case").inner_text() == case.reference
    step(officer, "Close the tip", **{"#tip-outcome": "confirmed"})
    assert officer.locator("#reward-status").inner_text() == "Eligible"
    step(officer, "Invite the tipster to claim")

    # The visitor claims, with how to be paid.
    visitor.locator("form[action='/tips/status'] button[type=submit]").click()
    visitor.locator("#id_payment_identity").fill("中国银行 6222 0000 1111 2222 李")
    visitor.locator("#claim-submit").click()

    # The officer proposes 300,000 CNY; the officer may not approve it.
    officer.reload()
    step(officer, "Propose", **{"#reward-amount": "300000"})
    assert officer.locator("#reward-status").inner_text() == "Amount proposed"
    assert officer.locator("#reward-approve").count() == 0

    # Another user, a reward approver, approves, sees the payment identity and pays.
    approver = new_page()
    sign_in(approver, url, rewards.approver)
    approver.goto(f"{url}/tips/{tip.uuid}/")
    approver.locator("#reward-approve").click()
    approver.locator("#reward-reveal").click()
    assert "6222 0000 1111 2222" in approver.locator("#payment-identity").inner_text()
    step(approver, "Record the payment", **{"#payment-reference": "PAY-2013-001"})
    assert approver.locator("#reward-status").inner_text() == "Paid"

    # The visitor sees "paid", in Chinese.
    with translation.override("zh-hans"):
        paid = str(RewardStatus.PAID.label)
    assert paid != "Paid"
    visitor.locator("form[action='/tips/status'] button[type=submit]").last.click()
    reward_text = visitor.locator("#reward-status").inner_text()
    assert paid in reward_text and "300000" in reward_text
    for page in (visitor, officer, approver):
        assert page.outside_requests == []
