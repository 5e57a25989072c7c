"""Personas of customs protection of rights: a rights holder (Pearl River Audio-Video), its
representative, another rights holder, and the customs of this node (China)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ipex.border import services as border_services
from ipex.directory import services
from ipex.directory.models import OrgKind, Role
from tests.conftest import SYSTEM, make_user


def png(name="fake.png", colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def rights(orgs, areas, people, settings, tmp_path):
    settings.DATA_DIR = tmp_path

    def org(code, kind, area, en):
        return services.organisation_create(
            actor=SYSTEM,
            code=code,
            kind=kind,
            name_en=en,
            jurisdiction=area,
            name_zh_hans=f"{en}（中文）",
            name_ru=f"{en} (рус.)",
        )

    holder = org("CN-PRAV", OrgKind.RIGHTS_HOLDER, areas.gd, "Pearl River Audio-Video")
    other = org("CN-OTHER-RH", OrgKind.RIGHTS_HOLDER, areas.gd, "Other Records")
    customs = org("CN-GACC-GZ", OrgKind.CUSTOMS, areas.gd, "Guangzhou Customs")
    return SimpleNamespace(
        holder=holder,
        other=other,
        customs=customs,
        rep=make_user("rep@prav.test", holder, Role.RIGHTS_HOLDER_REP),
        other_rep=make_user("rep@other.test", other, Role.RIGHTS_HOLDER_REP),
        officer=make_user("officer@customs.test", customs),
    )


def application(b, **changes) -> dict:
    """A whole application of Pearl River's audiovisual work, as the API takes it."""
    return {
        "owner_org": b.holder,
        "right_kind": "copyright",
        "work_title": "Songs of the Pearl River",
        "work_type": "audiovisual",
        "work_year": 2011,
        "work_owner": "Pearl River Audio-Video Co.",
        "goods": "DVD discs",
        "manufacturers": "Guangzhou Disc Works",
        "importers": "Moscow Media Import",
        "licensees": "",
        "recognition": "Hologram sticker on the spine",
        "routes": "Manzhouli to Zabaikalsk by rail",
        "countries": ["CN", "RU"],
        "contacts": [{"name": "Li Wei", "email": "li@prav.test", "language": "zh-hans"}],
        **changes,
    }


@pytest.fixture
def recordation(rights, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    record = border_services.recordation_apply(
        actor=rights.rep,
        **application(
            rights,
            contacts=[
                {"name": "Li Wei", "email": "li@prav.test", "language": "zh-hans"},
                {"name": "Anna", "email": "anna@prav.test", "language": "ru"},
            ],
        ),
    )
    return border_services.recordation_record(
        actor=rights.officer,
        recordation=record,
        number="GZ-2013-1",
        valid_from="2013-01-01",
        valid_until="2099-12-31",
    )


def detain(r, recordations=(), **changes):
    data = {
        "owner_org": r.customs,
        "declaration_number": "5101-2013-0042",
        "direction": "export",
        "place": "Manzhouli rail crossing",
        "route": ["CN", "RU"],
        "transport": "rail",
        "consignor": "Shajing Discs Ltd",
        "consignee": "Ivan Petrov, Chita",
        "lines": [{"description": "DVD discs", "category": "audiovisual.dvd", "quantity": 1200}],
        "recordations": list(recordations),
        **changes,
    }
    return border_services.detention_record(actor=r.officer, **data)
