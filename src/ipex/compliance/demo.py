"""``ipex demo``'s part for software legalisation (synthetic): one state-owned enterprise
under the Guangdong bureau, on the 2013 list, with its software asset manager."""

from __future__ import annotations

from ipex.compliance import services
from ipex.compliance.models import AuditedBody, Obligation
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
    return [f"Software legalisation: {BODY[0]} on the 2013 list (synthetic)."]
