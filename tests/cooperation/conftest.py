"""A joint operation of this node (China) led by the Guangdong police with the Guangdong
copyright bureau and Russia's customs (an organisation of a partner node); Zhejiang's bureau
does not take part."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from ipex.cooperation import services
from ipex.directory.models import Role
from ipex.seizures.services import seizure_record
from tests.conftest import make_user

DVDS = [{"category": "audiovisual.dvd", "quantity": 1200, "description": "DVD-9"}]


@pytest.fixture
def coop(orgs, areas, people):
    police = make_user("officer@gdpsd.test", orgs.psd)
    bureau = make_user("officer@gdcb.test", orgs.gd)
    outsider = make_user("officer@zjcb.test", orgs.zj)
    liaison = make_user("liaison@gdpsd.test", orgs.psd, Role.LIAISON)
    operation = services.operation_create(
        actor=police,
        owner_org=orgs.psd,
        participants=[orgs.gd, orgs.foreign],
        title="Disc exports 2013",
        starts_on=dt.date(2013, 6, 1),
        ends_on=dt.date(2013, 9, 30),
        phases=[{"name": "Ports", "starts_on": "2013-06-01", "ends_on": "2013-07-31"}],
        targets="Pirated discs shipped to Russia",
    )
    return SimpleNamespace(
        orgs=orgs,
        areas=areas,
        police=police,
        bureau=bureau,
        outsider=outsider,
        liaison=liaison,
        operation=operation,
    )


def seize(actor, org, area, *, quantity=1200, method="raid"):
    return seizure_record(
        actor=actor,
        owner_org=org,
        seized_on=dt.date(2013, 6, 5),
        jurisdiction=area,
        method=method,
        items=[{**DVDS[0], "quantity": quantity}],
    )
