"""``ipex demo``'s part for software legalisation (synthetic): one state-owned enterprise
under the Guangdong bureau, on the 2013 list, with its software asset manager, a small 2013
inventory, an approved self-report and an inspection closed after rectification."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from ipex.compliance import services
from ipex.compliance.inventories import inventory_import
from ipex.compliance.models import AuditedBody, Inspection, Obligation, Product, SelfReport
from ipex.core.audit import Actor
from ipex.directory import services as directory_services
from ipex.directory.demo import DEMO_PASSWORD
from ipex.directory.models import Membership, Organisation, Role, User

BODY = ("CN-GD-SOE-DEMO", "Guangdong Port Group (synthetic)", "广东港口集团（虚构）",
        "Портовая группа Гуандуна (вымышленная)")  # fmt: skip
MANAGER = ("sam@gdport.demo", "Feng Jie (demo)")


def demo_lines(country: str) -> list[str]:
    if country != "CN" or not Organisation.objects.filter(code="CN-GD-CB").exists():
        return []
    actor = Actor.system("ipex demo")
    body = AuditedBody.objects.filter(organisation__code=BODY[0]).first()
    if body is None:
        body = services.body_register(
            actor=actor,
            administration=Organisation.objects.get(code="CN-GD-CB"),
            code=BODY[0],
            name_en=BODY[1],
            name_zh_hans=BODY[2],
            name_ru=BODY[3],
            body_kind="state_owned",
        )
    if not Obligation.objects.filter(body=body, year=2013).exists():
        services.obligation_add(actor=actor, body=body, year=2013)
    user = User.objects.filter(email=MANAGER[0]).first()
    if user is None:
        user = directory_services.user_create(
            actor=actor, email=MANAGER[0], full_name=MANAGER[1], password=DEMO_PASSWORD
        )
    if not Membership.objects.filter(user=user, role=Role.ASSET_MANAGER).exists():
        directory_services.membership_grant(
            actor=actor, user=user, organisation=body.organisation, role=Role.ASSET_MANAGER
        )
    _inspected(actor, body)
    return [f"Software legalisation: {BODY[0]} on the 2013 list (synthetic)."]


# Four synthetic devices with Windows 11 Pro; the inspection finds the one not licensed.
INVENTORY = "device,name,publisher,version\n" + "".join(
    f"PORT-PC-{n:02d},Microsoft Windows 11 Pro,Microsoft Corporation,10.0\n" for n in range(1, 5)
)


def _inspected(actor, body) -> None:
    """Once: the inventory, three licences, the approved self-report (which explains the
    missing licence) and an inspection ordered, rectified (a fourth licence) and closed."""
    if Inspection.objects.filter(body=body).exists():
        return
    windows = Product.objects.get(publisher="Microsoft", name="Windows 11", edition="Pro")
    inventory_import(actor=actor, body=body, fileobj=io.BytesIO(INVENTORY.encode()), year=2013)

    def licences(quantity: int) -> None:
        services.entitlement_add(
            actor=actor, body=body, product=windows, metric="device", quantity=quantity,
            valid_from=dt.date(2013, 1, 1), reference="DEMO-INVOICE (synthetic)",
        )  # fmt: skip

    licences(3)
    if not SelfReport.objects.filter(body=body, year=2013).exists():
        report = services.selfreport_submit(
            actor=actor, body=body, year=2013, devices=4, licensed_os=4, licensed_office=0,
            licensed_antivirus=0, spent="3600.00", explanation="One licence still on order.",
        )  # fmt: skip
        services.selfreport_approve(actor=actor, report=report)
    inspection = services.inspection_plan(actor=actor, body=body, year=2013, sample_size=4)
    inspection = services.inspection_draw(actor=actor, inspection=inspection, seed=2013)
    for device in inspection.sample:
        services.finding_record(
            actor=actor, inspection=inspection, device=device, product=windows,
            licensed=device != "PORT-PC-04", evidence="Licence records checked (synthetic)",
        )  # fmt: skip
    deadline = timezone.localdate() + dt.timedelta(days=30)
    services.inspection_conclude(
        actor=actor, inspection=inspection, deadline=deadline, order="License PORT-PC-04."
    )
    licences(1)
    services.inspection_rectify(actor=actor, inspection=inspection, answer="Licence bought.")
    services.inspection_follow_up(actor=actor, inspection=inspection)
