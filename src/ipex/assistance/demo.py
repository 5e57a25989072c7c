"""The records ``make demo-federation`` shares between the two demo nodes (synthetic):
on CN, a case of the Ministry of Public Security about discs exported to Russia, shared with
a group that includes Russian customs, and a request for assistance about the Russian buyers
of a production line's output; on RU, a customs alert about a shipment of pirated discs,
shared with Chinese customs and the Guangdong police. Run after both nodes learnt each
other's organisations (``ipex sync``). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ipex.assistance.models import Alert, AssistanceRequest
from ipex.assistance.services import alert_create, request_create
from ipex.cases import services as cases
from ipex.cases.models import Case
from ipex.core.audit import Actor
from ipex.core.models import Distribution
from ipex.core.services import shared_record_share
from ipex.directory import services as directory
from ipex.directory.models import Organisation, SharingGroup, User

CN_GROUP = "CN–RU optical-disc network (synthetic)"
RU_GROUP = "RU–CN customs channel (synthetic)"
CASE_TITLE = "Pirated discs exported to Russia (synthetic)"


def _group(name: str, owner: Organisation, members: list[str]) -> SharingGroup:
    actor = Actor.system("ipex demo")
    group = SharingGroup.objects.filter(owner_org=owner, name=name).first()
    if group is None:
        group = directory.sharing_group_create(actor=actor, owner_org=owner, name=name)
    for code in members:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise RuntimeError(f"{code} is not known here yet: run 'ipex sync' first")
        if not group.members.filter(organisation=org).exists():
            directory.sharing_group_add_member(actor=actor, group=group, organisation=org)
    return group


def build_cn(*, share_case: bool = True) -> str:

    mps = Organisation.objects.get(code="CN-MPS")
    liaison = User.objects.get(email="liaison@mps.demo")
    with transaction.atomic():
        group = _group(CN_GROUP, mps, ["RU-FCS"])
        case = Case.objects.filter(owner_org=mps, title=CASE_TITLE).first()
        if case is None:
            case = cases.case_open(
                actor=liaison,
                owner_org=mps,
                kind="distribution",
                title=CASE_TITLE,
                summary="Discs from an unauthorised line in Bao'an shipped to Vladivostok "
                "(synthetic demo).",
                opened_on=dt.date(2013, 6, 3),
            )
            cases.case_add_action(
                actor=liaison,
                case=case,
                kind="seizure",
                taken_on=dt.date(2013, 6, 3),
                notes="12,000 DVDs seized at the warehouse before loading (synthetic)",
            )
        if share_case and case.distribution != Distribution.GROUP:
            shared_record_share(
                actor=liaison, record=case, distribution=Distribution.GROUP, sharing_group=group
            )
        if not AssistanceRequest.objects.filter(case=case).exists():
            request_create(
                actor=liaison,
                owner_org=mps,
                recipient=Organisation.objects.get(code="RU-FCS"),
                subject="Russian buyers of the Bao'an line's output (synthetic)",
                body="Which companies received the containers declared as 'plastic discs' in "
                "Vladivostok in May-June 2013? (synthetic demo)",
                case=case,
                sharing_group=group,
            )
    return str(case.uuid)


def build_ru() -> str:

    fcs = Organisation.objects.get(code="RU-FCS")
    officer = User.objects.get(email="officer@fcs.demo")
    with transaction.atomic():
        group = _group(RU_GROUP, fcs, ["CN-GAC", "CN-GD-PSD"])
        alert = Alert.objects.filter(owner_org=fcs).first()
        if alert is None:
            alert = alert_create(
                actor=officer,
                owner_org=fcs,
                title="Shipment of pirated discs, Guangzhou → Vladivostok (synthetic)",
                body="Container declared as blank media; 40,000 DVDs expected (synthetic demo).",
                priority="high",
                expires_on=timezone.localdate() + dt.timedelta(days=90),
                distribution=Distribution.GROUP,
                sharing_group=group,
            )
    return str(alert.uuid)
