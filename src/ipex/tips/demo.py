"""Demo tip-offs (synthetic): routing rules, reward schedules and a budget, and tips in
several states, one of which led to the demo's criminal production-line case and a reward of
300,000 CNY, paid (the published reward for reporting an unauthorised optical-disc
production line, seizures/data/README.md). Idempotent; returns the receipts it made, which the
demo prints so the tipster's pages can be tried."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ipex.cases.models import CaseAction
from ipex.directory.models import Jurisdiction, Organisation, User
from ipex.tips import services
from ipex.tips.models import RewardBudget, RewardSchedule, RoutingRule, Tip

ROUTES = [
    ("CN", "", "CN-NCAC"),
    ("CN-GD", "", "CN-GD-CB"),
    ("CN-GD-SZ-BA", "", "CN-GD-BA-CB"),
    ("CN-ZJ", "", "CN-ZJ-CB"),
    ("CN-ZJ-JH-YW", "", "CN-ZJ-YW-CB"),
    ("CN-GD", "smuggling", "CN-GAC-GZ"),
]
# kind, outcome, ceiling, percent of the case's fines, description
SCHEDULES = [
    ("production_line", "confirmed", Decimal(300_000), None, "Unauthorised optical-disc line"),
    ("distribution", "confirmed", None, Decimal(10), "Up to 10% of the fines imposed"),
    ("smuggling", "confirmed", None, Decimal(10), "Up to 10% of the fines imposed"),
    ("online", "confirmed", Decimal(50_000), None, "Pirate website or app (synthetic)"),
    ("unlicensed_software", "confirmed", Decimal(100_000), None, "Synthetic schedule"),
]
# the receipt's name in the demo's output: kind, place, description, language
TIPS = {
    "received": (
        "distribution",
        "CN-ZJ-JH-YW",
        "义乌小商品市场三楼有摊位批发盗版蓝光光盘（合成演示数据）。",
        "zh-hans",
    ),
    "question": (
        "online",
        "CN-GD",
        "A website sells download links to new films (synthetic demo).",
        "en",
    ),
    "not_credible": (
        "other",
        "CN-ZJ-JH-YW",
        "Something suspicious, no details (synthetic demo).",
        "en",
    ),
    "paid": (
        "production_line",
        "CN-GD-SZ-BA",
        "宝安区一处厂房夜间开工压制光盘，有货车进出（合成演示数据）。",
        "zh-hans",
    ),
    "duplicate": (
        "production_line",
        "CN-GD-SZ-BA",
        "Disc pressing at night in a Bao'an workshop (synthetic demo).",
        "en",
    ),
}


def build_tip_demo() -> dict:
    if Tip.objects.exists():
        return {"tips": 0, "receipts": {}}
    orgs = {o.code: o for o in Organisation.objects.all()}
    users = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    places = {j.code: j for j in Jurisdiction.objects.filter(code__in=[r[0] for r in ROUTES])}
    receipts: dict[str, str] = {}

    def submit(receipt: str) -> Tip:
        kind, place, description, language = TIPS[receipt]
        tip, receipts[receipt], _ = services.tip_submit(
            kind=kind, jurisdiction=place, description=description, language=language
        )
        return tip

    with transaction.atomic():
        for code, kind, org in ROUTES:
            RoutingRule.objects.get_or_create(
                jurisdiction=places[code], kind=kind, defaults={"organisation": orgs[org]}
            )
        for kind, outcome, ceiling, percent, text in SCHEDULES:
            RewardSchedule.objects.get_or_create(
                kind=kind,
                outcome=outcome,
                defaults={
                    "ceiling": ceiling,
                    "percent_of_fines": percent,
                    "currency": "CNY",
                    "description": text,
                },
            )
        RewardBudget.objects.get_or_create(
            organisation=orgs["CN-NCAC"],
            year=timezone.localdate().year,
            currency="CNY",
            defaults={"amount": Decimal(5_000_000)},
        )

        baoan, yiwu, gd = (
            users["officer@baoan.demo"],
            users["officer@yiwu.demo"],
            users["officer@gd.demo"],
        )

        # 1. Received, not yet read (Yiwu market stalls).
        submit("received")
        # 2. Acknowledged, with a question waiting for the tipster (a pirate site).
        tip = submit("question")
        services.tip_acknowledge(actor=gd, tip=tip)
        services.tip_ask(actor=gd, tip=tip, question="Do you know the site's address?")
        # 3. Closed as not credible.
        tip = submit("not_credible")
        services.tip_acknowledge(actor=yiwu, tip=tip)
        services.tip_assess(actor=yiwu, tip=tip, assessment="not_credible")
        services.tip_close(actor=yiwu, tip=tip, outcome="not_credible")

        # 4. The production line: led to the criminal case; reward paid to the first reporter.
        first, later = submit("paid"), submit("duplicate")

        judgment = CaseAction.objects.filter(kind="judgment").select_related("case").first()
        for tip in (first, later):
            services.tip_acknowledge(actor=baoan, tip=tip)
        services.tip_ask(actor=baoan, tip=first, question="厂房大概在哪条路？")
        services.tipster_reply(tip=first, body="在宝安大道旁，蓝色铁皮屋顶。")
        services.tip_assess(actor=baoan, tip=first, assessment="credible")
        services.tip_assess(actor=baoan, tip=later, assessment="duplicate", duplicate_of=first)
        if judgment is not None and judgment.case.owner_org_id == orgs["CN-GD-BA-CB"].pk:
            services.tip_link_case(actor=baoan, tip=first, case=judgment.case)
        services.tip_close(actor=baoan, tip=first, outcome="confirmed")
        services.tip_close(actor=baoan, tip=later, outcome="duplicate")
        reward = first.reward
        services.reward_invite(actor=baoan, reward=reward)
        services.reward_claim(tip=first, payment_identity="合成演示：中国银行 6222 0000 0000 0000")
        reward.refresh_from_db()
        services.reward_propose(actor=baoan, reward=reward, amount=Decimal(300_000))
        approver = users["rewards@ncac.demo"]
        services.reward_approve(actor=approver, reward=reward)
        services.reward_pay(actor=approver, reward=reward, payment_reference="DEMO-PAY-0001")
    return {"tips": Tip.objects.count(), "receipts": receipts}


def demo_lines(country: str) -> list[str]:  # noqa: ARG001 - the Chinese node's tips only
    """``ipex demo``'s part for tip-offs (registered in ``TipsConfig.ready``)."""
    tips = build_tip_demo()
    lines = [f"Tip-offs: {tips['tips']} tips added (synthetic)."]
    if tips["receipts"]:
        lines.append("Demo tip receipts (try them at /tips/status):")
        lines += [f"  {receipt}  {state}" for state, receipt in tips["receipts"].items()]
    return lines
