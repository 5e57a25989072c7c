"""Bodies and personas of software legalisation, on the node of ``tests/conftest.py``:
body A (a government body) under the Bao'an bureau (so under Guangdong and NCAC), body B (a
state-owned enterprise) under the Zhejiang bureau."""

from types import SimpleNamespace

import pytest

from ipex.compliance import services
from ipex.directory.models import Role
from tests.conftest import SYSTEM, make_user


@pytest.fixture
def bodies(orgs):
    a = services.body_register(
        actor=SYSTEM,
        administration=orgs.ba,
        code="CN-GD-BA-TAX",
        name_en="Bao'an Tax Bureau",
        name_zh_hans="宝安区税务局",
        body_kind="government",
    )
    b = services.body_register(
        actor=SYSTEM,
        administration=orgs.zj,
        code="CN-ZJ-GRID",
        name_en="Zhejiang Grid Company",
        body_kind="state_owned",
    )
    return SimpleNamespace(a=a, b=b)


@pytest.fixture
def staff(people, orgs, bodies):
    """Besides the people of tests/conftest.py: each body's software asset manager and a
    compliance auditor of the Guangdong bureau."""
    return SimpleNamespace(
        manager_a=make_user("sam@tax.test", bodies.a.organisation, Role.ASSET_MANAGER),
        manager_b=make_user("sam@grid.test", bodies.b.organisation, Role.ASSET_MANAGER),
        auditor=make_user("auditor@gd.test", orgs.gd, Role.AUDITOR),
        **vars(people),
    )
