"""Tip fixtures: routing rules, a reward schedule and budget, helpers to submit tips and
photos with metadata."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipex.directory.models import Role
from ipex.tips import services
from ipex.tips.models import RewardBudget, RewardSchedule, RoutingRule
from tests.conftest import make_user
from tests.seizures.conftest import record  # noqa: F401 - the seizure-recording fixture


@pytest.fixture(autouse=True)
def _fresh_throttle(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture
def routing(orgs, areas):
    RoutingRule.objects.create(jurisdiction=areas.cn, organisation=orgs.ncac)
    RoutingRule.objects.create(jurisdiction=areas.gd, organisation=orgs.gd)
    RoutingRule.objects.create(jurisdiction=areas.ba, organisation=orgs.ba)
    RoutingRule.objects.create(jurisdiction=areas.gd, kind="smuggling", organisation=orgs.psd)
    return SimpleNamespace(orgs=orgs, areas=areas)


@pytest.fixture
def rewards(orgs):
    schedule = RewardSchedule.objects.create(
        kind="production_line",
        outcome="confirmed",
        ceiling=Decimal("300000"),
        currency="CNY",
        description="Confirmed unauthorised optical-disc production line",
    )
    budget = RewardBudget.objects.create(
        organisation=orgs.ncac,
        year=timezone.localdate().year,
        amount=Decimal("1000000"),
        currency="CNY",
    )
    approver = make_user("rewards@ncac.test", orgs.ncac, Role.REWARD_APPROVER)
    second_approver = make_user("rewards2@ncac.test", orgs.ncac, Role.REWARD_APPROVER)
    return SimpleNamespace(
        schedule=schedule, budget=budget, approver=approver, second=second_approver
    )


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF: camera serial number and a GPS position."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif[0xA431] = "SERIAL-778899"  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (22.0, 33.0, 44.0), 3: "E", 4: (113.0, 51.0, 6.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken by Zhang Wei")
    return out.getvalue()


@pytest.fixture
def submit(routing):
    def make(description="Disc line running at night behind the dye works", **kwargs):
        data = {
            "kind": "production_line",
            "jurisdiction": "CN-GD-SZ-BA",
            "description": description,
            "language": "en",
            **kwargs,
        }
        return services.tip_submit(**data)

    return make


def photo(name="scene.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")
