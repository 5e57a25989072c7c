"""One write path for shared records (issue 12): over every kind of shared record, a write
through each of its services makes one new version with a new update time and one audit entry,
a person who may not write is refused with nothing written, and a creation is audited once.
Every service listed writes through the path; a test fails as soon as one writes by hand.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipex.assistance import services as assistance
from ipex.border import services as border
from ipex.campaigns import services as campaigns
from ipex.cases import evidence
from ipex.cases import services as cases
from ipex.cooperation import services as cooperation
from ipex.cooperation.services import links
from ipex.core.errors import Forbidden
from ipex.core.models import AuditEntry, Distribution, SharedRecord
from ipex.core.services import shared_record_share
from ipex.directory import services as directory
from ipex.directory.models import OrgKind, Role
from ipex.portal import services as news
from ipex.seizures import services as seizures
from ipex.tips import services as tips
from ipex.tips.models import RewardBudget, RewardSchedule, RoutingRule
from ipex.tips.queries import reward_of
from tests.conftest import SYSTEM, make_user
from tests.memos import services as memos

# The services that write each kind of shared record (found by name in the apps' services).
SERVICES = {
    "seizures.seizure": ["seizure_record", "seizure_update", "seizure_withdraw"],
    "seizures.periodreport": [
        "report_create",
        "report_set_lines",
        "report_submit",
        "report_approve",
        "report_return",
        "report_revise",
    ],
    "seizures.bulletin": ["bulletin_publish"],
    "cases.case": [
        "case_open",
        "case_transition",
        "case_link_seizure",
        "case_add_action",
        "subject_link",
        "case_set_officers",
        "task_add",
        "task_complete",
        "evidence_add",
    ],
    "campaigns.campaign": ["campaign_create", "campaign_add_target"],
    "tips.tip": [
        "tip_submit",
        "tipster_reply",
        "tip_acknowledge",
        "tip_assess",
        "tip_ask",
        "tip_link_case",
        "tip_close",
        "tips_escalate_overdue",
        "reward_invite",
        "reward_claim",
        "reward_propose",
        "reward_approve",
        "reward_pay",
        "reward_reject",
    ],
    "assistance.alert": ["alert_create"],
    "assistance.assistancerequest": ["request_create", "request_close"],
    "assistance.assistancemessage": ["request_message"],
    "memos.memo": ["memo_create", "memo_update"],
    "portal.newsitem": [
        "news_draft",
        "news_update",
        "news_submit",
        "news_return",
        "news_publish",
        "news_correct",
    ],
    "portal.event": ["event_create", "event_publish"],
    "border.recordation": [
        "recordation_apply",
        "recordation_record",
        "recordation_refuse",
        "recordation_renew",
        "recordation_withdraw",
        "recordation_add_photos",
    ],
    "cooperation.agreement": ["agreement_create", "agreement_update"],
    "cooperation.meeting": ["meeting_create", "meeting_minutes"],
    "cooperation.itemupdate": ["item_update"],
    "cooperation.jointoperation": ["operation_create", "operation_participants"],
    "cooperation.resultsummary": ["summary_publish", "operation_leave"],
    "border.detention": [
        "detention_record",
        "detention_answer",
        "detentions_release_due",
        "detention_close",
        "detention_remind",
        "detention_alert",
    ],
    # Written on the node that detained the goods and the recordation's node (tests/federation)
    "border.bordernotice": ["notice_send"],
    "border.borderanswer": ["notice_answer"],
}

HAND_WRITTEN = re.compile(r"version \+= 1|\.version \+ 1|version=F\(|who\.user is (not )?None")


def shared_models() -> list[str]:
    return sorted(
        m._meta.label_lower
        for m in apps.get_models()
        if issubclass(m, SharedRecord) and not m._meta.abstract
    )


def service_functions() -> dict[str, Callable]:
    """Every function defined in an app's services (module or package) or its evidence
    module, by name."""
    found: dict[str, Callable] = {}
    for config in apps.get_app_configs():
        for leaf in ("services", "evidence"):
            try:
                module = importlib.import_module(f"{config.name}.{leaf}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{leaf}":
                    raise
                continue
            modules = [module]
            if hasattr(module, "__path__"):
                modules += [
                    importlib.import_module(info.name)
                    for info in pkgutil.walk_packages(module.__path__, f"{module.__name__}.")
                ]
            for each in modules:
                for name, value in vars(each).items():
                    if inspect.isfunction(value) and value.__module__ == each.__name__:
                        found.setdefault(name, value)
    return found


def writes_through_the_path(function: Callable) -> bool:
    source = inspect.getsource(function)
    return "shared_record_" in source and not HAND_WRITTEN.search(source)


def test_every_kind_of_shared_record_has_its_services_listed():
    assert set(SERVICES) == set(shared_models())


def test_no_service_writes_a_shared_record_by_hand():
    """Fails when a listed service is gone, or bumps a version or tells a system actor by its
    missing user itself instead of going through the path."""
    functions = service_functions()
    missing = [name for names in SERVICES.values() for name in names if name not in functions]
    assert missing == []
    by_hand = [
        name
        for names in SERVICES.values()
        for name in names
        if not writes_through_the_path(functions[name])
    ]
    assert by_hand == []


def test_the_check_for_writes_by_hand_finds_one():
    def by_hand(who, memo):
        memo.version += 1
        memo.save()

    def for_people_only(who, memo):
        if who.user is not None:
            shared_record_share(actor=who, record=memo, distribution=Distribution.NODE)

    assert not writes_through_the_path(by_hand)
    assert not writes_through_the_path(for_people_only)
    assert writes_through_the_path(share)


# ---------------------------------------------------------------- the records and their writes


def a_seizure(w, who=None):
    return seizures.seizure_record(
        actor=who or w.people.owner,
        owner_org=w.orgs.ba,
        seized_on=dt.date(2012, 3, 14),
        jurisdiction=w.areas.ba,
        method="raid",
        items=[{"category": "books", "quantity": 300}],
    )


def a_case(w, who=None):
    return cases.case_open(
        actor=who or w.people.owner, owner_org=w.orgs.ba, kind="online", title="Shop"
    )


def a_case_with_a_task(w):
    case = a_case(w)
    w.task = cases.task_add(
        actor=w.people.owner,
        case=case,
        title="Visit the shop",
        due_on=(timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        assignee=w.people.owner,
    )
    return case


def a_report(w, who=None, *, lines: bool = False, submitted: bool = False):
    report = seizures.report_create(
        actor=who or w.people.owner, owner_org=w.orgs.ba, period_kind="year", year=2012
    )
    if lines or submitted:
        seizures.report_set_lines(actor=w.people.owner, report=report, lines={"books": 5})
    if submitted:
        seizures.report_submit(actor=w.people.owner, report=report)
    return report


def an_approved_report(w):
    report = a_report(w, submitted=True)
    seizures.report_approve(actor=w.people.supervisor, report=report)
    return report


def a_bulletin(w, who=None):
    return seizures.bulletin_publish(actor=who or w.people.national, country="CN", year=2012)


def an_alert(w, who=None):
    return assistance.alert_create(
        actor=who or w.people.owner,
        owner_org=w.orgs.ba,
        title="Discs on the move",
        body="Watch the port.",
        priority="high",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
        distribution=Distribution.ORG,
    )


def a_request(w, who=None):
    return assistance.request_create(
        actor=who or w.people.owner,
        owner_org=w.orgs.ba,
        recipient=w.orgs.foreign,
        subject="Buyers of the discs",
        body="Who received them?",
    )


def a_memo(w, who=None):
    return memos.memo_create(actor=who or SYSTEM, owner_org=w.orgs.ba, title="Market raid")


def a_news_item(w, who=None, *, submitted: bool = False, published: bool = False):
    item = news.news_draft(
        actor=who or w.people.press,
        owner_org=w.orgs.ba,
        language="en",
        title="Results of the year",
        summary="The figures.",
        body="Text",
    )
    if submitted or published:
        news.news_submit(actor=w.people.press, item=item)
    if published:
        news.news_publish(actor=w.people.news_approver, item=item)
    return item


def an_event(w, who=None):
    return news.event_create(
        actor=who or w.people.press,
        owner_org=w.orgs.ba,
        name_en="Video conference",
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
        online=True,
    )


def a_recordation(w, who=None, goods="DVD discs"):
    return border.recordation_apply(
        actor=who or w.people.holder,
        owner_org=w.holder,
        right_kind="trademark",
        mark="Pearl River",
        work_owner="Pearl River Audio-Video Co.",
        goods=goods,
        countries=["CN"],
        contacts=[{"name": "Li Wei", "email": "li@prav.test", "language": "zh-hans"}],
    )


def a_recorded_recordation(w):
    return border.recordation_record(actor=w.people.customs, recordation=a_recordation(w))


def a_detention(w, who=None):
    return border.detention_record(
        actor=who or w.people.customs,
        owner_org=w.customs,
        declaration_number="5101-2013-0042",
        direction="export",
        place="Manzhouli",
        transport="rail",
        lines=[{"description": "DVD", "category": "audiovisual.dvd", "quantity": 5}],
        recordations=[w.recorded],
    )


def an_agreement(w, who=None):
    return cooperation.agreement_create(
        actor=who or w.people.owner,
        owner_org=w.orgs.ba,
        parties=[w.orgs.foreign],
        title="Memorandum",
        kind="memorandum",
        signed_on="2013-07-29",
        starts_on="2013-08-01",
    )


def a_meeting(w, who=None):
    return cooperation.meeting_create(
        actor=who or w.people.owner,
        owner_org=w.orgs.ba,
        participants=[w.orgs.foreign],
        title="Video conference",
        kind="bilateral",
        mode="video",
        starts_at=dt.datetime(2013, 7, 29, 2, tzinfo=dt.UTC),
        ends_at=dt.datetime(2013, 7, 29, 4, tzinfo=dt.UTC),
        items=[{"owner": w.orgs.ba, "text": "Send the list", "due_on": "2013-08-31"}],
    )


def an_item_update(w, who=None):
    item = w.meeting.items.get()
    return cooperation.item_update(actor=who or w.people.owner, item=item, status="in_progress")


def an_operation(w, who=None):
    return cooperation.operation_create(
        actor=who or w.people.owner,
        owner_org=w.orgs.ba,
        participants=[w.orgs.foreign],
        title="Disc exports",
        starts_on="2013-06-01",
        ends_on="2013-09-30",
    )


def a_summary(w, who=None):
    links.operation_link(
        actor=who or w.people.owner, operation=w.operation, kind="seizure", record=w.seizure
    )
    summary = w.operation.summaries.get()
    summary.another = a_seizure(w)  # linked by the write
    return summary


def link_another(w, who, summary):
    links.operation_link(
        actor=who, operation=summary.operation, kind="seizure", record=summary.another
    )


def a_png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG")
    return SimpleUploadedFile("sticker.png", out.getvalue(), content_type="image/png")


def share(w, who, record):
    shared_record_share(actor=who, record=record, distribution=Distribution.NODE)


def a_campaign(w, who=None):
    return campaigns.campaign_create(
        actor=who or w.people.supervisor,
        owner_org=w.orgs.gd,
        name_en="Autumn sweep",
        starts_on=dt.date(2012, 9, 1),
        ends_on=dt.date(2012, 11, 30),
        participants=[w.orgs.ba],
    )


def a_tip(w):
    """A tip from the public, routed to the Bao'an bureau (whose officer is the owner)."""
    RoutingRule.objects.get_or_create(jurisdiction=w.areas.ba, organisation=w.orgs.ba)
    tip, _receipt, _proof = tips.tip_submit(
        kind="production_line", jurisdiction="CN-GD-SZ-BA", description="A disc line at night"
    )
    return tip


def an_acknowledged_tip(w):
    tip = a_tip(w)
    tips.tip_acknowledge(actor=w.people.owner, tip=tip)
    return tip


def an_assessed_tip(w):
    tip = an_acknowledged_tip(w)
    tips.tip_assess(actor=w.people.owner, tip=tip, assessment="credible")
    return tip


REWARD_STEPS = {
    "invite": lambda w, r: tips.reward_invite(actor=w.people.owner, reward=r),
    "claim": lambda w, r: tips.reward_claim(tip=r.tip, payment_identity="Bank 6222 0000"),
    "propose": lambda w, r: tips.reward_propose(actor=w.people.owner, reward=r, amount="5000"),
    "approve": lambda w, r: tips.reward_approve(actor=w.approver, reward=r),
}


def a_tip_with_a_reward(w, *, after: tuple = ()):
    """A confirmed tip whose kind has a reward schedule, its reward taken through the steps."""
    RewardSchedule.objects.get_or_create(
        kind="production_line",
        outcome="confirmed",
        defaults={"ceiling": Decimal("300000"), "currency": "CNY"},
    )
    RewardBudget.objects.get_or_create(
        organisation=w.orgs.ncac,
        year=timezone.localdate().year,
        currency="CNY",
        defaults={"amount": Decimal("1000000")},
    )
    tip = an_assessed_tip(w)
    tips.tip_close(actor=w.people.owner, tip=tip, outcome="confirmed")
    for step in after:
        REWARD_STEPS[step](w, reward_of(tip))
    return tip


def reward_step(call):
    """A write on a tip's reward, audited on the tip."""
    return lambda w, who, tip: call(w, who, reward_of(tip))


@dataclass(frozen=True)
class Write:
    kind: str
    name: str
    make: Callable  # (world) -> the record, as its owner made it
    write: Callable  # (world, actor, record)
    action: str
    writer: str = "owner"
    refused: str | None = "colleague"  # None: a system write, no person to refuse

    def __str__(self) -> str:
        return self.name


WRITES = [
    Write(
        "seizures.seizure",
        "seizure_update",
        a_seizure,
        lambda w, who, r: seizures.seizure_update(actor=who, seizure=r, place="Port"),
        "seizures.seizure.updated",
    ),
    Write(
        "seizures.seizure",
        "seizure_withdraw",
        a_seizure,
        lambda w, who, r: seizures.seizure_withdraw(actor=who, seizure=r, reason="Twice"),
        "seizures.seizure.withdrawn",
    ),
    Write(
        "seizures.seizure",
        "seizure shared",
        a_seizure,
        share,
        "seizures.seizure.distribution_changed",
    ),
    Write(
        "seizures.periodreport",
        "report_set_lines",
        a_report,
        lambda w, who, r: seizures.report_set_lines(actor=who, report=r, lines={"books": 7}),
        "seizures.report.figures_set",
    ),
    Write(
        "seizures.periodreport",
        "report_prefill",
        a_report,
        lambda w, who, r: seizures.report_prefill(actor=who, report=r),
        "seizures.report.figures_set",
    ),
    Write(
        "seizures.periodreport",
        "report_submit",
        lambda w: a_report(w, lines=True),
        lambda w, who, r: seizures.report_submit(actor=who, report=r),
        "seizures.report.submitted",
    ),
    Write(
        "seizures.periodreport",
        "report_approve",
        lambda w: a_report(w, submitted=True),
        lambda w, who, r: seizures.report_approve(actor=who, report=r),
        "seizures.report.approved",
        writer="supervisor",
    ),
    Write(
        "seizures.periodreport",
        "report_return",
        lambda w: a_report(w, submitted=True),
        lambda w, who, r: seizures.report_return(actor=who, report=r, reason="Check books"),
        "seizures.report.returned",
        writer="supervisor",
    ),
    Write(
        "seizures.bulletin",
        "bulletin_publish again",
        a_bulletin,
        lambda w, who, r: seizures.bulletin_publish(actor=who, country="CN", year=2012),
        "seizures.bulletin.published",
        writer="national",
    ),
    Write(
        "cases.case",
        "case_transition",
        a_case,
        lambda w, who, r: cases.case_transition(actor=who, case=r, action="investigate"),
        "cases.case.investigate",
    ),
    Write(
        "cases.case",
        "case_link_seizure",
        a_case,
        lambda w, who, r: cases.case_link_seizure(actor=who, case=r, seizure=w.seizure),
        "cases.case.seizure_linked",
    ),
    Write(
        "cases.case",
        "case_add_action",
        a_case,
        lambda w, who, r: cases.case_add_action(
            actor=who, case=r, kind="raid", taken_on=timezone.localdate().isoformat()
        ),
        "cases.case.action_recorded",
    ),
    Write(
        "cases.case",
        "subject_link",
        a_case,
        lambda w, who, r: cases.subject_link(
            actor=who, case=r, kind="enterprise", name="Shajing Discs Ltd", role="suspect"
        ),
        "cases.case.subject_linked",
    ),
    Write(
        "cases.case",
        "case_set_officers",
        a_case,
        lambda w, who, r: cases.case_set_officers(actor=who, case=r, add=[w.second]),
        "cases.case.officers_changed",
    ),
    Write(
        "cases.case",
        "task_add",
        a_case,
        lambda w, who, r: cases.task_add(
            actor=who,
            case=r,
            title="Call the landlord",
            due_on=(timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            assignee=w.people.owner,
        ),
        "cases.case.task_added",
    ),
    Write(
        "cases.case",
        "task_complete",
        a_case_with_a_task,
        lambda w, who, r: cases.task_complete(actor=who, task=w.task),
        "cases.case.task_done",
    ),
    Write(
        "cases.case",
        "evidence_add",
        a_case,
        lambda w, who, r: evidence.evidence_add(
            actor=who, case=r, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")
        ),
        "cases.evidence.added",
    ),
    Write("cases.case", "case shared", a_case, share, "cases.case.distribution_changed"),
    Write(
        "assistance.alert",
        "alert shared",
        an_alert,
        share,
        "assistance.alert.distribution_changed",
    ),
    Write(
        "assistance.assistancerequest",
        "request_close",
        a_request,
        lambda w, who, r: assistance.request_close(actor=who, request=r),
        "exchange.request.closed",
    ),
    Write(
        "memos.memo",
        "memo_update",
        a_memo,
        lambda w, who, r: memos.memo_update(actor=who, memo=r, title="Raid 2"),
        "memos.memo.updated",
    ),
    Write("memos.memo", "memo shared", a_memo, share, "memos.memo.distribution_changed"),
    Write(
        "campaigns.campaign",
        "campaign_add_target",
        a_campaign,
        lambda w, who, r: campaigns.campaign_add_target(
            actor=who, campaign=r, metric="seizures", target=40
        ),
        "cases.campaign.target_added",
        writer="supervisor",
        refused="owner",  # takes part, but does not lead
    ),
    Write(
        "campaigns.campaign",
        "campaign shared",
        a_campaign,
        share,
        "cases.campaign.distribution_changed",
        writer="supervisor",
        refused="owner",
    ),
    Write(
        "tips.tip",
        "tip_acknowledge",
        a_tip,
        lambda w, who, r: tips.tip_acknowledge(actor=who, tip=r),
        "tips.tip.acknowledged",
    ),
    Write(
        "tips.tip",
        "tip_assess",
        an_acknowledged_tip,
        lambda w, who, r: tips.tip_assess(actor=who, tip=r, assessment="credible"),
        "tips.tip.assessed",
    ),
    Write(
        "tips.tip",
        "tip_ask",
        a_tip,
        lambda w, who, r: tips.tip_ask(actor=who, tip=r, question="Which street?"),
        "tips.tip.question_asked",
    ),
    Write(
        "tips.tip",
        "tip_link_case",
        a_tip,
        lambda w, who, r: tips.tip_link_case(actor=who, tip=r, case=w.case),
        "tips.tip.case_linked",
    ),
    Write(
        "tips.tip",
        "tip_close",
        an_assessed_tip,
        lambda w, who, r: tips.tip_close(actor=who, tip=r, outcome="not_confirmed"),
        "tips.tip.closed",
    ),
    Write(
        "tips.tip",
        "tipster_reply",
        a_tip,
        lambda w, who, r: tips.tipster_reply(tip=r, body="Behind the dye works."),
        "tips.tip.tipster_replied",
        refused=None,
    ),
    Write(
        "tips.tip",
        "tips_escalate_overdue",
        a_tip,
        lambda w, who, r: tips.tips_escalate_overdue(today=r.acknowledge_by + dt.timedelta(days=1)),
        "tips.tip.escalated",
        refused=None,
    ),
    Write(
        "tips.tip",
        "reward_invite",
        a_tip_with_a_reward,
        reward_step(lambda w, who, r: tips.reward_invite(actor=who, reward=r)),
        "tips.reward.claim_invited",
    ),
    Write(
        "tips.tip",
        "reward_claim",
        lambda w: a_tip_with_a_reward(w, after=("invite",)),
        reward_step(lambda w, who, r: REWARD_STEPS["claim"](w, r)),
        "tips.reward.claimed",
        refused=None,
    ),
    Write(
        "tips.tip",
        "reward_propose",
        lambda w: a_tip_with_a_reward(w, after=("invite", "claim")),
        reward_step(lambda w, who, r: tips.reward_propose(actor=who, reward=r, amount="5000")),
        "tips.reward.proposed",
    ),
    Write(
        "tips.tip",
        "reward_approve",
        lambda w: a_tip_with_a_reward(w, after=("invite", "claim", "propose")),
        reward_step(lambda w, who, r: tips.reward_approve(actor=who, reward=r)),
        "tips.reward.approved",
        writer="approver",
        refused="owner",  # may write the tip, but is no reward approver (and proposed it)
    ),
    Write(
        "tips.tip",
        "reward_pay",
        lambda w: a_tip_with_a_reward(w, after=("invite", "claim", "propose", "approve")),
        reward_step(
            lambda w, who, r: tips.reward_pay(actor=who, reward=r, payment_reference="PAY-1")
        ),
        "tips.reward.paid",
        writer="approver",
        refused="owner",
    ),
    Write(
        "tips.tip",
        "reward_reject",
        lambda w: a_tip_with_a_reward(w, after=("invite", "claim")),
        reward_step(lambda w, who, r: tips.reward_reject(actor=who, reward=r, reason="Known")),
        "tips.reward.rejected",
    ),
    Write(
        "border.recordation",
        "recordation_record",
        a_recordation,
        lambda w, who, r: border.recordation_record(actor=who, recordation=r),
        "border.recordation.recorded",
        writer="customs",
        refused="holder",
    ),
    Write(
        "border.recordation",
        "recordation_refuse",
        a_recordation,
        lambda w, who, r: border.recordation_refuse(actor=who, recordation=r, reason="No"),
        "border.recordation.refused",
        writer="customs",
        refused="colleague",
    ),
    Write(
        "border.recordation",
        "recordation_renew",
        a_recorded_recordation,
        lambda w, who, r: border.recordation_renew(actor=who, recordation=r),
        "border.recordation.renewed",
        writer="customs",
        refused="holder",
    ),
    Write(
        "border.recordation",
        "recordation_withdraw",
        a_recordation,
        lambda w, who, r: border.recordation_withdraw(actor=who, recordation=r),
        "border.recordation.withdrawn",
        writer="holder",
        refused="customs",
    ),
    Write(
        "border.detention",
        "detention_answer",
        a_detention,
        lambda w, who, r: border.detention_answer(actor=who, detention=r, kind="release"),
        "border.detention.release",
        writer="holder",
    ),
    Write(
        "border.detention",
        "detention_close",
        a_detention,
        lambda w, who, r: border.detention_close(actor=who, detention=r, outcome="released"),
        "border.detention.closed",
        writer="customs",
        refused="holder",
    ),
    Write(
        "border.detention",
        "detentions_release_due",
        a_detention,
        lambda w, who, r: border.detentions_release_due(today=r.answer_by + dt.timedelta(days=1)),
        "border.detention.release_due",
        refused=None,
    ),
    Write(
        "border.recordation",
        "recordation_add_photos",
        a_recordation,
        lambda w, who, r: border.recordation_add_photos(actor=who, recordation=r, photos=[a_png()]),
        "border.recordation.photos_added",
        writer="holder",
    ),
]


WRITES += [
    Write(
        "portal.newsitem",
        "news_update",
        a_news_item,
        lambda w, who, r: news.news_update(actor=who, item=r, title="Better title"),
        "portal.newsitem.updated",
        writer="press",
    ),
    Write(
        "portal.newsitem",
        "news_submit",
        a_news_item,
        lambda w, who, r: news.news_submit(actor=who, item=r),
        "portal.newsitem.submitted",
        writer="press",
    ),
    Write(
        "portal.newsitem",
        "news_return",
        lambda w: a_news_item(w, submitted=True),
        lambda w, who, r: news.news_return(actor=who, item=r, reason="Check"),
        "portal.newsitem.returned",
        writer="news_approver",
    ),
    Write(
        "portal.newsitem",
        "news_publish",
        lambda w: a_news_item(w, submitted=True),
        lambda w, who, r: news.news_publish(actor=who, item=r),
        "portal.newsitem.published",
        writer="news_approver",
    ),
    Write(
        "portal.newsitem",
        "news_correct",
        lambda w: a_news_item(w, published=True),
        lambda w, who, r: news.news_correct(actor=who, item=r, note="Date", body="Fixed"),
        "portal.newsitem.corrected",
        writer="press",
    ),
    Write(
        "portal.event",
        "event_publish",
        an_event,
        lambda w, who, r: news.event_publish(actor=who, event=r),
        "portal.event.published",
        writer="news_approver",
    ),
]


WRITES += [
    Write(
        "cooperation.agreement",
        "agreement_update",
        an_agreement,
        lambda w, who, r: cooperation.agreement_update(actor=who, agreement=r, scope="Discs"),
        "cooperation.agreement.updated",
    ),
    Write(
        "cooperation.meeting",
        "meeting_minutes",
        a_meeting,
        lambda w, who, r: cooperation.meeting_minutes(actor=who, meeting=r, minutes={"en": "Met"}),
        "cooperation.meeting.minutes",
    ),
    Write(
        "cooperation.itemupdate",
        "item_update",
        an_item_update,
        lambda w, who, r: cooperation.item_update(actor=who, item=r.item, status="done"),
        "cooperation.item.updated",
    ),
    Write(
        "cooperation.jointoperation",
        "operation_participants",
        an_operation,
        lambda w, who, r: cooperation.operation_participants(
            actor=who, operation=r, participants=[w.orgs.ba]
        ),
        "cooperation.operation.participants",
    ),
    Write(
        "cooperation.resultsummary",
        "operation_link",
        a_summary,
        link_another,
        "cooperation.summary.published",
    ),
    Write(
        "cooperation.resultsummary",
        "operation_leave",
        a_summary,
        lambda w, who, r: links.operation_leave(
            actor=who, operation=r.operation, organisation=w.orgs.ba
        ),
        "cooperation.summary.withdrawn",
    ),
]


@dataclass(frozen=True)
class Create:
    kind: str
    name: str
    create: Callable  # (world, actor) -> the new record
    action: str
    writer: str = "owner"
    refused: str | None = "colleague"  # None: from the public, no person to refuse

    def __str__(self) -> str:
        return self.name


CREATES = [
    Create("seizures.seizure", "seizure_record", a_seizure, "seizures.seizure.recorded"),
    Create("seizures.periodreport", "report_create", a_report, "seizures.report.created"),
    Create(
        "seizures.periodreport",
        "report_revise",
        lambda w, who: seizures.report_revise(
            actor=who, report=an_approved_report(w), reason="Late figures"
        ),
        "seizures.report.revision_opened",
    ),
    Create(
        "seizures.bulletin",
        "bulletin_publish",
        a_bulletin,
        "seizures.bulletin.published",
        writer="national",
    ),
    Create("cases.case", "case_open", a_case, "cases.case.opened"),
    Create("assistance.alert", "alert_create", an_alert, "exchange.alert.sent"),
    Create("assistance.assistancerequest", "request_create", a_request, "exchange.request.sent"),
    Create(
        "assistance.assistancemessage",
        "request_message",
        lambda w, who: assistance.request_message(
            actor=who, request=w.request, kind="message", body="And the invoices?"
        ),
        "exchange.request.message",
    ),
    Create("memos.memo", "memo_create", a_memo, "memos.memo.created"),
    Create("portal.newsitem", "news_draft", a_news_item, "portal.newsitem.drafted", writer="press"),
    Create("portal.event", "event_create", an_event, "portal.event.created", writer="press"),
    Create(
        "cooperation.agreement", "agreement_create", an_agreement, "cooperation.agreement.recorded"
    ),
    Create("cooperation.meeting", "meeting_create", a_meeting, "cooperation.meeting.recorded"),
    Create("cooperation.itemupdate", "item_update", an_item_update, "cooperation.item.updated"),
    Create(
        "cooperation.jointoperation",
        "operation_create",
        an_operation,
        "cooperation.operation.recorded",
    ),
    Create(
        "cooperation.resultsummary", "operation_link", a_summary, "cooperation.summary.published"
    ),
    Create(
        "border.detention",
        "detention_record",
        a_detention,
        "border.detention.recorded",
        writer="customs",
    ),
    Create(
        "border.recordation",
        "recordation_apply",
        a_recordation,
        "border.recordation.applied",
        writer="holder",
    ),
    Create(
        "campaigns.campaign",
        "campaign_create",
        a_campaign,
        "cases.campaign.created",
        writer="supervisor",
        refused="owner",  # a member of the lead organisation's line, not its supervisor
    ),
    Create(
        "tips.tip",
        "tip_submit",
        lambda w, who: a_tip(w),
        "tips.tip.received",
        refused=None,
    ),
]


@pytest.fixture
def world(people, orgs, areas, partner_node, settings, tmp_path):
    from ipex.federation.models import Partner

    settings.DATA_DIR = tmp_path
    Partner.objects.create(node=partner_node, approved_here_at=timezone.now())
    w = SimpleNamespace(
        people=people, orgs=orgs, areas=areas, second=make_user("second@ba.test", orgs.ba)
    )
    w.seizure = a_seizure(w)
    w.request = a_request(w)
    w.case = a_case(w)
    w.approver = make_user("rewards@ncac.test", orgs.ncac, Role.REWARD_APPROVER)
    w.holder = directory.organisation_create(
        actor=SYSTEM,
        code="CN-PRAV",
        kind=OrgKind.RIGHTS_HOLDER,
        name_en="Pearl River",
        jurisdiction=areas.gd,
    )
    w.customs = customs = directory.organisation_create(
        actor=SYSTEM,
        code="CN-GACC",
        kind=OrgKind.CUSTOMS,
        name_en="Customs",
        jurisdiction=areas.cn,
    )
    people.holder = make_user("rep@prav.test", w.holder, Role.RIGHTS_HOLDER_REP)
    people.customs = make_user("officer@gacc.test", customs)
    w.recorded = border.recordation_record(
        actor=people.customs, recordation=a_recordation(w, goods="Blu-ray discs")
    )
    people.approver = w.approver
    w.meeting, w.operation = a_meeting(w), an_operation(w)
    people.press = make_user("press@ba.test", orgs.ba, Role.PRESS_OFFICER)
    people.news_approver = make_user("news@ba.test", orgs.ba, Role.NEWS_APPROVER)
    return w


def stored(record):
    return type(record)._base_manager.get(pk=record.pk)


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


APPS = (
    "seizures",
    "cases",
    "campaigns",
    "tips",
    "assistance",
    "memos",
    "border",
    "cooperation",
    "portal",
)


def row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m._base_manager.count()
        for label in APPS
        for m in apps.get_app_config(label).get_models()
    }


# Made only under a partner's recordation (a replica), so with two nodes: their writes are
# checked in tests/federation/test_border.py.
ACROSS_NODES = {"border.bordernotice", "border.borderanswer"}


def test_every_kind_is_written_and_created_here():
    assert {c.kind for c in CREATES} == set(SERVICES) - ACROSS_NODES
    assert {w.kind for w in WRITES} == set(SERVICES) - {
        "assistance.assistancemessage"
    } - ACROSS_NODES


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_a_write_moves_version_and_update_time_together_and_audits_once(world, write):
    record = write.make(world)
    before, seq = stored(record), last_seq()
    write.write(world, getattr(world.people, write.writer), record)
    after = stored(record)
    assert after.version == before.version + 1
    assert after.updated_at > before.updated_at
    entries = AuditEntry.objects.filter(seq__gt=seq, object_uuid=str(record.uuid))
    assert [e.action for e in entries] == [write.action]


@pytest.mark.parametrize("write", [w for w in WRITES if w.refused], ids=str)
def test_a_person_who_may_not_write_is_refused_and_nothing_is_written(world, write):
    record = write.make(world)
    before, seq, rows = stored(record), last_seq(), row_counts()
    with pytest.raises(Forbidden):
        write.write(world, getattr(world.people, write.refused), record)
    after = stored(record)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)
    assert last_seq() == seq
    assert row_counts() == rows


@pytest.mark.parametrize("create", CREATES, ids=str)
def test_a_creation_is_audited_once(world, create):
    seq = last_seq()
    record = create.create(world, getattr(world.people, create.writer))
    assert stored(record).version == 1
    entries = AuditEntry.objects.filter(seq__gt=seq, object_uuid=str(record.uuid))
    assert [e.action for e in entries] == [create.action]


@pytest.mark.parametrize("create", [c for c in CREATES if c.refused], ids=str)
def test_a_person_who_may_not_create_is_refused_and_nothing_is_written(world, create):
    if create.name == "report_revise":
        # The approved report to revise is made first (by its owner and approver).
        report = an_approved_report(world)
        attempt = lambda who: seizures.report_revise(actor=who, report=report, reason="Late")  # noqa: E731
    else:
        attempt = lambda who: create.create(world, who)  # noqa: E731
    seq, rows = last_seq(), row_counts()
    with pytest.raises(Forbidden):
        attempt(getattr(world.people, create.refused))
    assert last_seq() == seq
    assert row_counts() == rows


# ---------------------------------------------------------------- the path itself


def test_an_error_in_the_body_writes_nothing(world):
    from ipex.core.errors import DomainError
    from ipex.core.services import shared_record_write

    memo = a_memo(world)
    seq = last_seq()
    with pytest.raises(DomainError), shared_record_write(SYSTEM, memo, "memos.memo.updated"):
        memo.title = "Half done"
        raise DomainError("stop")
    assert (stored(memo).title, stored(memo).version) == ("Market raid", 1)
    assert last_seq() == seq


def test_a_write_with_nothing_to_do_is_skipped_without_a_version(world):
    from ipex.core.services import shared_record_write

    memo = a_memo(world)
    seq = last_seq()
    with shared_record_write(world.people.owner, memo, "memos.memo.updated") as write:
        write.skip()
    assert stored(memo).version == 1
    assert last_seq() == seq


def test_a_system_actor_writes_without_a_persons_check_and_is_audited_as_itself(world):
    memo = a_memo(world)
    memos.memo_update(actor=SYSTEM, memo=memo, title="By the task")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.actor_kind, entry.actor_label) == ("system", "tests")
    assert entry.changes == {"title": ["Market raid", "By the task"]}


def test_can_write_answers_what_ensure_can_write_enforces(world, partner_node):
    from ipex.core.permissions import can_write, ensure_can_write
    from tests.memos.models import Memo

    memo = a_memo(world)
    replica = Memo.objects.create(origin_node=partner_node, owner_org=world.orgs.ba, title="R")
    people = world.people
    assert can_write(people.owner, memo)
    for who, record in (
        (people.colleague, memo),
        (people.supervisor, memo),
        (people.owner, replica),
    ):
        assert not can_write(who, record)
        with pytest.raises(Forbidden):
            ensure_can_write(who, record)
    assert can_write(people.supervisor, memo, allow_supervisors=True)
