"""The demo node: China's copyright administrations, police and customs (synthetic people).

Idempotent: running it again adds only what is missing. Everything goes through the services,
so the demo is audited like real work. The logins are listed in the README.
"""

from __future__ import annotations

import json
from importlib import resources

from django.db import transaction

from ipex.core.audit import Actor
from ipex.directory import services
from ipex.directory.jurisdictions import seed_jurisdictions
from ipex.directory.models import Jurisdiction, Membership, Node, Organisation, SharingGroup, User

DEMO_PASSWORD = "Demo-IPEX-2013"


def demo_data(country: str = "CN") -> dict[str, list[dict]]:
    """The demo node's people and places (``data/demo-<country>.json``, synthetic): local
    jurisdictions below the ISO provinces, organisations (each under the one that supervises
    it, named in every language of ``MultilingualName.NAME_FIELDS``) and users with one role
    each. CN is the Chinese node; RU the Russian partner of ``make demo-federation``."""
    path = resources.files("ipex.directory") / "data" / f"demo-{country}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _names(row: dict) -> dict[str, str]:
    return {field: row[field] for field in Organisation.NAME_FIELDS}


def build_demo(*, country: str = "CN", stdout=None) -> dict[str, int]:
    actor = Actor.system("ipex demo")
    counts = {"organisations": 0, "users": 0, "memberships": 0}
    data = demo_data(country)
    services.node_init()
    seed_jurisdictions(countries=None, subdivisions=False, actor=actor)
    seed_jurisdictions(countries=["CN", "RU"], subdivisions=True, actor=actor)
    with transaction.atomic():
        for row in data.get("jurisdictions", []):
            if not Jurisdiction.objects.filter(code=row["code"]).exists():
                services.jurisdiction_add(
                    actor=actor,
                    code=row["code"],
                    level=row["level"],
                    parent=Jurisdiction.objects.get(code=row["parent"]),
                    **_names(row),
                )
        for row in data["organisations"]:
            if Organisation.objects.filter(code=row["code"]).exists():
                continue
            supervisor = row["supervisor"]
            services.organisation_create(
                actor=actor,
                code=row["code"],
                kind=row["kind"],
                jurisdiction=Jurisdiction.objects.get(code=row["jurisdiction"]),
                supervisor=Organisation.objects.get(code=supervisor) if supervisor else None,
                **_names(row),
            )
            counts["organisations"] += 1
        for row in data["users"]:
            email, role = row["email"], row["role"]
            user = User.objects.filter(email=email).first()
            if user is None:
                user = services.user_create(
                    actor=actor, email=email, full_name=row["full_name"], password=DEMO_PASSWORD
                )
                counts["users"] += 1
            org = Organisation.objects.get(code=row["organisation"])
            if not Membership.objects.filter(user=user, organisation=org, role=role).exists():
                services.membership_grant(actor=actor, user=user, organisation=org, role=role)
                counts["memberships"] += 1
        owner = Organisation.objects.filter(code="CN-GD-CB").first()
        if owner is not None and not SharingGroup.objects.filter(owner_org=owner).exists():
            group = services.sharing_group_create(
                actor=actor,
                owner_org=owner,
                name="Guangdong optical-disc task force",
                description="Copyright bureau, police and customs in Guangdong (synthetic demo).",
            )
            for member in ("CN-GD-PSD", "CN-GAC-GZ"):
                services.sharing_group_add_member(
                    actor=actor, group=group, organisation=Organisation.objects.get(code=member)
                )
        Node.objects.filter(is_local=True, is_demo=False).update(is_demo=True)
    return counts


def demo_lines(country: str) -> list[str]:
    """``ipex demo``'s part for the directory (registered in ``DirectoryConfig.ready``)."""
    counts = build_demo(country=country)
    if country == "RU":
        return [
            f"Demo ready (RU): {counts['organisations']} organisations, "
            f"{counts['users']} users and {counts['memberships']} roles added."
        ]
    return [
        f"Demo ready: {counts['organisations']} organisations, {counts['users']} users and "
        f"{counts['memberships']} roles added (existing ones kept)."
    ]
