"""A Hypothesis state machine over a joint operation: participants of this node link,
unlink, edit and withdraw their seizures, a link crashes half-way, a partner's summaries
arrive (some older than the one held), participants leave. Checked throughout: the combined
figures equal the sum of each participant's latest summary worked out here independently
(from the records as the machine made them), per organisation and in all; a record counts
once, for its owner; a departed participant has no figure."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ipex.cooperation import results
from ipex.cooperation.federation import ResultSummaryType
from ipex.cooperation.services import links
from ipex.core.errors import DomainError
from ipex.directory.shareable import Refused, org_ref
from ipex.seizures.models import Seizure
from ipex.seizures.services import seizure_update, seizure_withdraw
from tests.cooperation.conftest import seize

pytestmark = pytest.mark.django_db
PARTNER_SUMMARY = "00000000-0000-4000-8000-00000000000f"


class Crash(Exception):
    pass


def machine_for(coop):
    class Operation(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.block = transaction.atomic()
            self.block.__enter__()
            self.people = {
                "CN-GD-PSD": coop.police,
                "CN-GD-CB": coop.bureau,
                "CN-ZJ-CB": coop.outsider,
            }
            self.orgs = {
                "CN-GD-PSD": coop.orgs.psd,
                "CN-GD-CB": coop.orgs.gd,
                "CN-ZJ-CB": coop.orgs.zj,
            }
            self.taking_part = {"CN-GD-PSD", "CN-GD-CB", "RU-FCS"}
            # what the machine made: uuid → (org code, quantity, method, withdrawn, linked)
            self.records: dict = {}
            self.partner: tuple | None = None  # (computed_at, figures) of RU-FCS
            self.clock = timezone.now()

        def teardown(self):
            transaction.set_rollback(True)
            self.block.__exit__(None, None, None)

        def _link(self, seizure):
            links.operation_link(
                actor=self.people[self.records[seizure.uuid][0]],
                operation=coop.operation,
                kind="seizure",
                record=seizure,
            )

        @rule(
            code=st.sampled_from(["CN-GD-PSD", "CN-GD-CB", "CN-ZJ-CB"]),
            quantity=st.integers(1, 500),
        )
        def seize_and_link(self, code, quantity):
            area = coop.areas.zj if code == "CN-ZJ-CB" else coop.areas.gd
            seizure = seize(self.people[code], self.orgs[code], area, quantity=quantity)
            self.records[seizure.uuid] = [code, quantity, "raid", False, False]
            try:
                self._link(seizure)
            except DomainError:
                assert code not in self.taking_part
                return
            self.records[seizure.uuid][4] = True

        @rule(data=st.data())
        def link_again_by_another(self, data):
            """A record already linked, linked again (by whoever): refused, never counted twice."""
            linked = [u for u, r in self.records.items() if r[4]]
            if not linked:
                return
            seizure = Seizure.objects.get(uuid=data.draw(st.sampled_from(linked)))
            for person in (coop.police, coop.bureau):
                with pytest.raises(DomainError):
                    links.operation_link(
                        actor=person, operation=coop.operation, kind="seizure", record=seizure
                    )

        @rule(data=st.data())
        def unlink(self, data):
            linked = [u for u, r in self.records.items() if r[4]]
            if linked:
                uuid = data.draw(st.sampled_from(linked))
                links.operation_unlink(
                    actor=self.people[self.records[uuid][0]],
                    operation=coop.operation,
                    kind="seizure",
                    record=Seizure.objects.get(uuid=uuid),
                )
                self.records[uuid][4] = False

        @rule(data=st.data(), method=st.sampled_from(["raid", "customs_detention"]))
        def edit(self, data, method):
            live = [u for u, r in self.records.items() if not r[3]]
            if live:
                uuid = data.draw(st.sampled_from(live))
                code = self.records[uuid][0]
                seizure_update(
                    actor=self.people[code], seizure=Seizure.objects.get(uuid=uuid), method=method
                )
                self.records[uuid][2] = method

        @rule(data=st.data())
        def withdraw(self, data):
            live = [u for u, r in self.records.items() if not r[3]]
            if live:
                uuid = data.draw(st.sampled_from(live))
                code = self.records[uuid][0]
                seizure_withdraw(
                    actor=self.people[code], seizure=Seizure.objects.get(uuid=uuid), reason="x"
                )
                self.records[uuid][3] = True

        @rule(quantity=st.integers(1, 50))
        def crash_while_linking(self, quantity):
            """The node dies between the link and its summary: neither is kept."""
            seizure = seize(coop.police, coop.orgs.psd, coop.areas.gd, quantity=quantity)
            self.records[seizure.uuid] = ["CN-GD-PSD", quantity, "raid", False, False]
            with pytest.raises(Crash), transaction.atomic():
                self._link(seizure)
                raise Crash

        @precondition(lambda self: "RU-FCS" in self.taking_part)
        @rule(seizures=st.integers(0, 40), minutes=st.integers(-30, 30))
        def partner_summary(self, seizures, minutes):
            """RU-FCS's summary arrives; one older than the one held is refused."""
            computed_at = self.clock + dt.timedelta(minutes=minutes)
            envelope = {
                "owner": org_ref(coop.orgs.foreign),
                "distribution": "group",
                "sharing_group": None,
                "version": 1,
            }
            payload = {
                "operation": str(coop.operation.uuid),
                "figures": {"seizures": seizures} if seizures else {},
                "computed_at": computed_at.isoformat(),
            }
            try:
                with transaction.atomic():
                    ResultSummaryType().apply(
                        PARTNER_SUMMARY, payload, envelope, coop.orgs.foreign.origin_node
                    )
            except Refused:
                assert self.partner and self.partner[0] > computed_at
                return
            self.partner = (computed_at, payload["figures"])

        @precondition(lambda self: "RU-FCS" in self.taking_part)
        @rule()
        def partner_leaves(self):
            """Its tombstone arrives."""
            ResultSummaryType().remove(PARTNER_SUMMARY, coop.orgs.foreign.origin_node)
            self.taking_part.discard("RU-FCS")
            self.partner = None

        @precondition(lambda self: "CN-GD-CB" in self.taking_part)
        @rule()
        def bureau_leaves(self):
            links.operation_leave(
                actor=coop.bureau, operation=coop.operation, organisation=coop.orgs.gd
            )
            self.taking_part.discard("CN-GD-CB")
            for record in self.records.values():
                if record[0] == "CN-GD-CB":
                    record[4] = False

        def expected(self) -> dict[str, dict]:
            out: dict[str, Counter] = {}
            for code, quantity, method, withdrawn, linked in self.records.values():
                if linked and not withdrawn and code in self.taking_part:
                    figures = out.setdefault(code, Counter())
                    figures["seizures"] += 1
                    figures["items:audiovisual.dvd"] += quantity
                    figures["detentions"] += method == "customs_detention"
            if self.partner and "RU-FCS" in self.taking_part:
                out.setdefault("RU-FCS", Counter()).update(self.partner[1])
            return {code: {k: v for k, v in f.items() if v} for code, f in out.items()}

        @invariant()
        def combined_is_the_sum_of_the_latest_summaries(self):
            combined = results.combined(coop.operation)
            per_org = {row["organisation"]: row["figures"] for row in combined["organisations"]}
            expected = self.expected()
            assert {k: v for k, v in per_org.items() if v} == {
                k: v for k, v in expected.items() if v
            }
            assert set(per_org) <= self.taking_part  # no departed participant
            summed = Counter()
            for figures in expected.values():
                summed.update(figures)
            assert combined["total"] == {k: v for k, v in sorted(summed.items()) if v}

    return Operation


def test_combined_figures_are_the_sum_of_the_latest_summaries(coop):
    run_state_machine_as_test(
        machine_for(coop),
        settings=settings(
            max_examples=15,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
