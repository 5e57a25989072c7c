"""Synthetic records for bench/http_load.py, on the node its environment names.

    python bench/http/http_data.py SEIZURES CASES     # bulk-load that many of each
    python bench/http/http_data.py --credentials EMAIL  # print an API token and a session id

The records are spread, deterministically, over the node's organisations, the four
distributions, the special action and the year 2014 (the published 2012 figures and the
2013 special action's targets are left as the demo made them). They are bulk-loaded, without
audit entries or roll-ups: the benchmark reads them, it does not check figures.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipex.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from ipex.campaigns.models import Campaign  # noqa: E402
from ipex.cases.models import Case, CaseKind, CaseStatus  # noqa: E402
from ipex.core.visibility import Distribution  # noqa: E402
from ipex.directory.models import Node, Organisation, SharingGroup, User  # noqa: E402
from ipex.directory.services import token_create  # noqa: E402
from ipex.seizures.models import Category, Method, SeizedItem, Seizure  # noqa: E402

BATCH = 5_000
DISTRIBUTIONS = [Distribution.ORG] * 14 + [Distribution.NODE] * 4 + [Distribution.PUBLIC]


def spread(rng: random.Random):
    node = Node.objects.get(is_local=True)
    organisations = list(
        Organisation.objects.filter(origin_node=node).select_related("jurisdiction")
    )
    group = SharingGroup.objects.order_by("pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    start = timezone.make_aware(dt.datetime(2014, 1, 1))

    def shared(i: int) -> dict:
        organisation = organisations[i % len(organisations)]
        distribution = rng.choice(DISTRIBUTIONS + ([Distribution.GROUP] if group else []))
        return {
            "origin_node": node,
            "owner_org": organisation,
            "distribution": distribution,
            "sharing_group": group if distribution == Distribution.GROUP else None,
            "created_at": start + dt.timedelta(seconds=rng.randrange(365 * 86400)),
            "campaign": campaign if i % 10 == 0 else None,
        }

    return organisations, shared


def load(model, count: int, shared, make, after=None) -> None:
    """``count`` rows of ``model``, ``make(i, shared(i))`` each, in batches."""
    for first in range(0, count, BATCH):
        with transaction.atomic():
            rows = []
            for i in range(first, min(count, first + BATCH)):
                fields = shared(i)
                fields["updated_at"] = fields["created_at"]
                rows.append(make(i, fields))
            model.objects.bulk_create(rows)
            if after is not None:
                after(rows)


def seizures(count: int) -> None:
    rng = random.Random(2014)
    _organisations, shared = spread(rng)
    categories = list(Category.objects.all())
    methods = [m.value for m in Method]

    def make(i, fields):
        return Seizure(
            **fields,
            seized_on=fields["created_at"].date(),
            jurisdiction=fields["owner_org"].jurisdiction,
            method=rng.choice(methods),
            reference=f"BENCH-{i:06d}",
            place="Synthetic market",
        )

    def items(rows):
        SeizedItem.objects.bulk_create(
            SeizedItem(
                seizure=seizure,
                line_no=1,
                category=rng.choice(categories),
                description="Synthetic item",
                quantity=rng.randrange(1, 5000),
            )
            for seizure in rows
        )

    load(Seizure, count, shared, make, items)


def cases(count: int) -> None:
    rng = random.Random(2015)
    _organisations, shared = spread(rng)
    kinds = [k.value for k in CaseKind]
    statuses = [s.value for s in CaseStatus if s != CaseStatus.CLOSED]
    numbers: dict[int, int] = {}

    def make(i, fields):
        organisation = fields["owner_org"]
        number = numbers[organisation.pk] = numbers.get(organisation.pk, 9000) + 1
        return Case(
            **fields,
            reference=f"{organisation.code}-2014-{number:05d}",
            year=2014,
            number=number,
            kind=rng.choice(kinds),
            title=f"Synthetic case {i}",
            status=rng.choice(statuses),
        )

    load(Case, count, shared, make)


def credentials(email: str) -> None:
    user = User.objects.get(email=email)
    _token, plain = token_create(actor=user, user=user, name="bench/http_load.py")
    client = Client()
    client.force_login(user)
    print(f"token {plain}")
    # A browser holds the session and, from its first page on, the CSRF cookie.
    session = client.cookies["sessionid"].value
    print(f"cookie sessionid={session}; csrftoken={get_random_string(32)}")


if __name__ == "__main__":
    if sys.argv[1] == "--credentials":
        credentials(sys.argv[2])
    else:
        seizures(int(sys.argv[1]))
        cases(int(sys.argv[2]))
        if connection.vendor == "postgresql":  # what autovacuum would do soon after a load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
