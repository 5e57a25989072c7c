from __future__ import annotations

import datetime as dt

import pytest

from ipex.directory.models import Role
from ipex.seizures import services
from tests.conftest import make_user


@pytest.fixture
def reporters(people, orgs):
    """Who fills, submits and approves reports along NCAC → GD → Bao'an."""
    from types import SimpleNamespace

    return SimpleNamespace(
        county=people.owner,  # officer of Bao'an
        province_stat=make_user("stat@gd.test", orgs.gd, Role.STATISTICIAN),
        province_sup=people.supervisor,  # supervisor of Guangdong
        national_stat=make_user("stat@ncac.test", orgs.ncac, Role.STATISTICIAN),
        national_sup=people.national,  # supervisor of NCAC
    )


@pytest.fixture
def record(people, orgs, areas):
    def make(*, owner=None, who=None, day=dt.date(2012, 3, 14), where=None, items=None, **kwargs):
        return services.seizure_record(
            actor=who or people.owner,
            owner_org=owner or orgs.ba,
            seized_on=day,
            jurisdiction=where or areas.ba,
            method="raid",
            items=items
            if items is not None
            else [
                {"category": "audiovisual.dvd", "quantity": 1200},
                {"category": "books", "quantity": 300},
            ],
            **kwargs,
        )

    return make
