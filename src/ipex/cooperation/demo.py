"""The demo's cooperation (synthetic wording): the China–Russia video conference on
cooperation against piracy of 29 July 2013 (the date the NCAC reported; the time of day is
synthetic, as in the portal's event), with two action items: one for the Ministry of Public
Security with the Russian Ministry of Internal Affairs, one for the two customs services. The
Russian organisations take part once this node knows them (``make demo-federation``).
Idempotent (the meeting is found again by its title)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from ipex.cooperation.models import JointOperation, Meeting, MeetingKind, MeetingMode
from ipex.cooperation.services import meeting_create, operation_create
from ipex.core.audit import Actor
from ipex.directory.models import Jurisdiction, Organisation, User
from ipex.seizures.models import Seizure
from ipex.seizures.services import seizure_record

TITLE = "China–Russia video conference on cooperation against piracy (2013)"
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
CODES = ["CN-NCAC", "CN-MPS", "CN-GAC", "RU-MVD", "RU-FCS"]


def demo_lines(country: str) -> list[str]:
    if Meeting.objects.filter(title=TITLE).exists():
        return []
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=CODES)}
    if not {"CN-NCAC", "CN-MPS", "CN-GAC"} <= set(orgs):
        return []
    meeting_create(
        actor=Actor.system("ipex demo"),
        owner_org=orgs["CN-NCAC"],
        participants=[orgs[c] for c in CODES if c in orgs],
        title=TITLE,
        kind=MeetingKind.BILATERAL,
        mode=MeetingMode.VIDEO,
        starts_at=dt.datetime(2013, 7, 29, 10, 0, tzinfo=BEIJING),
        ends_at=dt.datetime(2013, 7, 29, 12, 0, tzinfo=BEIJING),
        time_zone="Asia/Shanghai",
        agenda="1. Potential cooperation between the copyright offices.\n"
        "2. Cooperation between police and customs authorities of both countries.",
        minutes={
            "en": "The two sides discussed cooperation against piracy (synthetic demo text).",
            "zh-hans": "双方讨论了打击盗版的合作（合成演示文本）。",
            "ru": "Стороны обсудили сотрудничество в борьбе с пиратством "
            "(синтетический демонстрационный текст).",
        },
        decisions="Coordinate enforcement between China's Ministry of Public Security and "
        "Russia's Ministry of Internal Affairs, and between the two customs services.",
        items=[
            {
                "owner": orgs["CN-MPS"],
                "text": "Agree a contact point with Russia's Ministry of Internal Affairs "
                "for disc-export investigations (MPS ↔ MVD).",
                "due_on": dt.date(2013, 10, 31),
            },
            {
                "owner": orgs["CN-GAC"],
                "text": "Exchange detention data on pirated disc shipments with the Federal "
                "Customs Service (GAC ↔ FCS).",
                "due_on": dt.date(2013, 12, 31),
            },
        ],
    )
    return ["Cooperation: the 2013 video conference with 2 action items (synthetic text)."]


# ``make demo-federation``: a joint CN–RU operation against disc exports (synthetic), led by
# the Ministry of Public Security with the General Administration of Customs and Russia's
# Federal Customs Service; on RU, a customs seizure waiting to be linked to it.
OPERATION = "CN–RU joint operation against pirated disc exports (synthetic)"
RU_SEIZURE = "RU-FCS-DEMO-0001"


def build_joint_cn() -> str:
    operation = JointOperation.objects.filter(title=OPERATION).first()
    if operation is None:
        orgs = {o.code: o for o in Organisation.objects.filter(code__in=CODES)}
        if "RU-FCS" not in orgs:
            raise RuntimeError("RU-FCS is not known here yet: run 'ipex sync' first")
        operation = operation_create(
            actor=User.objects.get(email="liaison@mps.demo"),
            owner_org=orgs["CN-MPS"],
            participants=[orgs["CN-GAC"], orgs["RU-FCS"]],
            title=OPERATION,
            starts_on=dt.date(2013, 8, 1),
            ends_on=dt.date(2013, 12, 31),
            phases=[
                {
                    "name": "Ports and border crossings",
                    "starts_on": "2013-08-01",
                    "ends_on": "2013-10-31",
                },
                {
                    "name": "Buyers and distributors",
                    "starts_on": "2013-11-01",
                    "ends_on": "2013-12-31",
                },
            ],
            targets="Pirated optical discs exported from China to Russia (synthetic demo).",
        )
    return str(operation.uuid)


def build_joint_ru() -> str:
    """A customs seizure of RU-FCS at Vladivostok (synthetic), to be linked by hand."""
    fcs = Organisation.objects.get(code="RU-FCS")
    seizure = Seizure.objects.filter(owner_org=fcs, reference=RU_SEIZURE).first()
    if seizure is None:
        seizure = seizure_record(
            actor=User.objects.get(email="officer@fcs.demo"),
            owner_org=fcs,
            seized_on=dt.date(2013, 8, 20),
            jurisdiction=Jurisdiction.objects.get(code="RU-PRI"),
            method="customs_detention",
            place="Vladivostok port (synthetic)",
            reference=RU_SEIZURE,
            notes="Synthetic demo seizure.",
            items=[{"category": "audiovisual.dvd", "quantity": 4000, "description": "DVD-5"}],
        )
    return str(seizure.uuid)
