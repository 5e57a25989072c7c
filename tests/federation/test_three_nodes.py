"""A joint operation across three nodes, one database each: China (A) leads, Russia's customs
(B) and Kazakhstan's customs (C) take part. A seizure linked on B reaches the combined
figures of A and of C, labelled with B's organisation; C's own figure adds to it; nobody
counts anyone's records twice."""

from __future__ import annotations

import datetime as dt

import pytest

from ipex.cooperation import results, services
from ipex.cooperation.models import JointOperation
from ipex.cooperation.services import links
from ipex.federation.sync import learn_organisations, sync_partner
from ipex.seizures.services import seizure_record

pytestmark = pytest.mark.django_db(databases=["default", "node_b", "node_c"])


def node_of(nodes, name):
    from ipex.directory.models import Node

    return Node.objects.get(uuid=getattr(nodes, name).node.uuid)


def pull_all(nodes, into: str) -> None:
    with nodes.on(into):
        for there in "abc":
            if there != into:
                sync_partner(node_of(nodes, there))


def seize(nodes, name, quantity):
    here = getattr(nodes, name)
    return seizure_record(
        actor=here.officer,
        owner_org=here.own,
        seized_on=dt.date(2013, 6, 7),
        jurisdiction=here.ru if name == "b" else here.own.jurisdiction,
        method="customs_detention",
        items=[{"category": "audiovisual.dvd", "quantity": quantity}],
    )


def combined_on(nodes, name, uuid) -> dict:
    with nodes.on(name):
        return results.combined(JointOperation.objects.get(uuid=uuid))


def test_a_seizure_linked_on_one_node_reaches_the_combined_figures_of_the_two_others(three):
    from ipex.directory.models import Organisation

    for here in "abc":
        with three.on(here):
            for there in "abc":
                if there != here:
                    learn_organisations(node_of(three, there))
    with three.on("a"):
        operation = services.operation_create(
            actor=three.a.officer,
            owner_org=three.a.own,
            participants=list(Organisation.objects.filter(code__in=["RU-FCS", "KZ-KGD"])),
            title="Disc exports along the northern route",
            starts_on=dt.date(2013, 6, 1),
            ends_on=dt.date(2013, 9, 30),
        )
    pull_all(three, "b")
    pull_all(three, "c")
    for name, quantity in (("b", 800), ("c", 150)):
        with three.on(name):
            links.operation_link(
                actor=getattr(three, name).officer,
                operation=JointOperation.objects.get(uuid=operation.uuid),
                kind="seizure",
                record=seize(three, name, quantity),
            )
    for name in "abc":
        pull_all(three, name)
    for name in "abc":
        combined = combined_on(three, name, operation.uuid)
        assert combined["total"]["items:audiovisual.dvd"] == 950, name
        assert combined["total"]["seizures"] == 2
        by_org = {r["organisation"]: r["figures"]["seizures"] for r in combined["organisations"]}
        assert by_org == {"RU-FCS": 1, "KZ-KGD": 1}
        assert combined["countries"]["RU"]["items:audiovisual.dvd"] == 800
