"""Customs protection of rights in the demo (synthetic): Pearl River Audio-Video's recorded
audiovisual works; a detention at Manzhouli of discs bound for Russia under that recordation,
confirmed by the holder in time and seized (June 2013: the 2012 statistics stay as
published). Across the exchange (``ipex border demo-exchange``, run by
``scripts/demo-federation.sh`` once the nodes know each other): the recordation shared with
Russia's customs, and on the RU node a detention at Zabaikalsk that notifies the same holder
through the CN node. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ipex.assistance.demo import _group as demo_group
from ipex.border import services as border
from ipex.border.models import Detention, Recordation
from ipex.core.models import Distribution
from ipex.core.services import shared_record_share
from ipex.directory.models import Organisation, User

NUMBER = "GZ-2013-DEMO-0001"
REP = "rep@rightsholder.demo"
GROUP = "Pearl River – Russian customs (synthetic)"
LINES = [{"description": "DVD discs, 'Songs of the Pearl River' (synthetic)", "quantity": 3000}]


def _recordation() -> tuple[Recordation, int]:
    holder = Organisation.objects.get(code="CN-RH-DEMO")
    found = Recordation.objects.filter(owner_org=holder, number=NUMBER).first()
    if found is not None:
        return found, 0
    applied = border.recordation_apply(
        actor=User.objects.get(email="rep@rightsholder.demo"),
        owner_org=holder,
        right_kind="copyright",
        work_title="Songs of the Pearl River and other audiovisual works (synthetic)",
        work_type="audiovisual",
        work_year=2011,
        work_owner="Pearl River Audio-Video Publishing (synthetic)",
        goods="DVD and VCD discs, Blu-ray discs",
        manufacturers="Guangzhou disc works licensed by the holder (synthetic)",
        recognition="Hologram sticker on the spine; SID code on the inner ring (synthetic)",
        routes="Guangzhou → Manzhouli → Zabaikalsk by rail (synthetic)",
        countries=["CN", "RU"],
        contacts=[
            {"name": "Deng Li (demo)", "email": "rep@rightsholder.demo", "language": "zh-hans"}
        ],
    )
    recorded = border.recordation_record(
        actor=User.objects.get(email="officer@gzcustoms.demo"),
        recordation=applied,
        number=NUMBER,
        valid_from="2013-01-01",
        valid_until="2032-12-31",
    )
    return recorded, 1


def _lines() -> list[dict]:
    return [{**line, "category": "audiovisual.dvd"} for line in LINES]


def _manzhouli(recordation: Recordation) -> int:
    declaration = "06102013-0604 (synthetic)"
    if Detention.objects.filter(declaration_number=declaration).exists():
        return 0
    officer = User.objects.get(email="liaison@gac.demo")
    detention = border.detention_record(
        actor=officer,
        owner_org=Organisation.objects.get(code="CN-GAC"),
        declaration_number=declaration,
        direction="export",
        place="Manzhouli rail crossing (synthetic)",
        route=["CN", "RU"],
        transport="rail",
        consignor="(synthetic consignor)",
        consignee="(synthetic consignee)",
        lines=_lines(),
        recordations=[recordation],
        on=dt.date(2013, 6, 3),
    )
    border.detention_answer(
        actor=User.objects.get(email="rep@rightsholder.demo"),
        detention=detention,
        kind="confirm",
        grounds="No hologram sticker; the discs were never licensed for export (synthetic).",
        on=dt.date(2013, 6, 4),
    )
    border.detention_close(
        actor=officer, detention=detention, outcome="seized", on=dt.date(2013, 6, 5)
    )
    return 1


def demo_lines(country: str) -> list[str]:
    """``ipex demo``'s part on the Chinese node (the RU part needs the exchange)."""
    if country != "CN":
        return []
    with transaction.atomic():
        recordation, recorded = _recordation()
        detained = _manzhouli(recordation)
    return [
        f"Customs protection: {recorded} recordation and {detained} detention added "
        "(synthetic, June 2013)."
    ]


def exchange_cn() -> str:
    """On CN: the recordation shared with Russia's customs (run after ``ipex sync``)."""
    recordation, _ = _recordation()
    holder = recordation.owner_org
    with transaction.atomic():
        group = demo_group(GROUP, holder, ["RU-FCS"])
        if recordation.sharing_group_id != group.pk:
            shared_record_share(
                actor=User.objects.get(email="rep@rightsholder.demo"),
                record=recordation,
                distribution=Distribution.GROUP,
                sharing_group=group,
            )
    return recordation.number


def exchange_ru() -> str:
    """On RU: a detention at Zabaikalsk under the Chinese recordation (once it arrived):
    the holder is notified through the CN node."""
    recordation = Recordation.objects.filter(number=NUMBER).first()
    if recordation is None:
        raise RuntimeError(f"recordation {NUMBER} has not arrived: run 'ipex sync' first")
    declaration = "10612050-2013-0611 (synthetic)"
    found = Detention.objects.filter(declaration_number=declaration).first()
    if found is None:
        found = border.detention_record(
            actor=User.objects.get(email="officer@fcs.demo"),
            owner_org=Organisation.objects.get(code="RU-FCS"),
            declaration_number=declaration,
            direction="import",
            place="Zabaikalsk rail crossing (synthetic)",
            route=["CN", "RU"],
            transport="rail",
            consignee="(synthetic consignee)",
            lines=_lines(),
            recordations=[recordation],
            on=dt.date(2013, 6, 11),
        )
    return str(found.uuid)
