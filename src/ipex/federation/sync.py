"""Pulling from partners: ``ipex sync``, the periodic task and the doorbell all end here."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipex.core.registry import shareable_types
from ipex.directory.models import Node
from ipex.directory.shareable import Refused, local_org
from ipex.federation import checking, protocol
from ipex.federation.apply import Outcome, apply_batch
from ipex.federation.models import NodeKey, Partner, SeenNonce, SyncState
from ipex.federation.services import partner_confirmed

PAGE = 500


def confirm(node) -> bool:
    """Ask the partner, signed, whether it approved this node; remember a yes."""
    answer = protocol.call(node, "GET", "/federation/v1/partnership")
    if answer.get("approved") is True:
        partner_confirmed(node=node)
        return True
    return False


def learn_organisations(node) -> int:
    """The partner's organisations, as replicas here, so they can be named in groups."""
    answer = protocol.call(node, "GET", "/federation/v1/organisations")
    learnt = 0
    with transaction.atomic():
        for ref in answer.get("organisations", []):
            if ref.get("node") != str(node.uuid):
                continue  # a partner speaks only for its own organisations
            try:
                with transaction.atomic():
                    local_org(ref, node)
                learnt += 1
            except Refused as exc:
                protocol.log.warning(
                    "organisation %s of %s refused: %s", ref.get("code"), node, exc
                )
    return learnt


def _readable(answer) -> bool:
    return (
        isinstance(answer, dict)
        and isinstance(answer.get("changes"), list)
        and type(answer.get("next")) is int
    )


def _following(answer, first: bool) -> tuple[int, bool] | None:
    """Where the pull goes on after this answer: (cursor, still in the snapshot), or None."""
    if not _readable(answer):
        return None
    if answer.get("more"):
        return answer["next"], first
    if first:  # the snapshot is done: what changed since comes by /changes
        return answer["next"], False
    return None


_CHECKER = None
_CHECKER_LOCK = threading.Lock()


def _checker():
    """A process of its own for checking pages (spawned once, kept; None where processes
    cannot be made)."""
    global _CHECKER
    with _CHECKER_LOCK:
        if _CHECKER is None:
            try:
                _CHECKER = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
            except (OSError, NotImplementedError):  # pragma: no cover - no processes here
                _CHECKER = False
        return _CHECKER or None


def _check_page(content: bytes, keys: dict[str, str], origin: str) -> list[str] | None:
    """What the checks say of each envelope of a page as received, worked out in the checking
    process — the signature checks are most of a pull's work, and here they would compete with
    applying for the interpreter lock — or in this thread if that process is not to be had."""
    global _CHECKER
    types = frozenset(shareable_types)
    pool = _checker()
    if pool is not None:
        try:
            return pool.submit(checking.check_page, content, keys, origin, types).result()
        except BrokenProcessPool:  # the checking process died: start another next time
            _CHECKER = None
    return checking.check_page(content, keys, origin, types)


class _Pull:
    """The pages of one pull, asked for ahead: when a page arrives, the page after it is asked
    for at once (its cursor is in the answer) unless AHEAD pages already wait to be applied,
    and the page's envelopes are checked (``_check_page``) from the thread that received it.
    So the partner prepares one page while this node checks the next and applies the one
    before. If applying fails, what was asked for ahead is dropped and asked for again next
    time."""

    AHEAD = 3

    def __init__(self, node, page: int):
        self.node, self.page = node, page
        self.origin = str(node.uuid)
        self.local = Node.local()
        self.keys = NodeKey.of(node)
        self.lock = threading.Lock()
        self.waiting = 0  # pages received and not yet taken

    def ask(self, since: int, first: bool) -> protocol.PendingCall:
        keys = self.keys

        def then(answer, content: bytes):
            with self.lock:
                self.waiting += 1
                room = self.waiting < self.AHEAD
            following = _following(answer, first) if room else None
            ahead = self.ask(*following) if following is not None else None  # asked first
            return keys, _check_page(content, keys, self.origin), ahead

        if first:
            path, params = "/federation/v1/snapshot", {"after": since, "limit": self.page}
        else:
            path, params = "/federation/v1/changes", {"since": since, "limit": self.page}
        call = protocol.start_call(self.node, "GET", path, params, then=then, local=self.local)
        call.first = first
        return call

    def take(self, call: protocol.PendingCall) -> tuple[dict, list[str] | None, object]:
        """The answer of ``call``, checked; what its envelopes' checks found (None: check them
        again, with the keys the answer taught); and the call after it, if already made."""
        try:
            answer = call.result()
        finally:
            if call.extra is not None:  # it was counted where it was received
                with self.lock:
                    self.waiting -= 1
        if not _readable(answer):
            raise protocol.SyncError(f"{self.node.name} answered a page this node cannot read")
        keys, checked, ahead = call.extra or (None, None, None)
        held = NodeKey.of(self.node)
        if held != keys:  # the answer taught this node a new key
            self.keys, checked = held, None
        following = _following(answer, call.first)
        if ahead is None and following is not None:
            ahead = self.ask(*following)
        return answer, checked, ahead


def sync_partner(node, *, page: int = PAGE) -> Outcome:
    """Pull everything new from one partner; the error, if any, is kept on its sync state."""
    partner = Partner.objects.select_related("node").get(node=node)
    total = Outcome()
    state, _created = SyncState.objects.get_or_create(partner=node)
    try:
        if partner.approved_here_at is None or partner.suspended_at is not None:
            raise protocol.SyncError(f"{node.name} is not approved on this node")
        if partner.approved_there_at is None and not confirm(node):
            raise protocol.SyncError(f"{node.name} has not approved this node yet")
        learn_organisations(node)
        state.refresh_from_db()
        pull = _Pull(node, page)
        # Never pulled from this partner: its snapshot first, then its changes after it.
        first = state.cursor == 0 and state.last_success_at is None
        pending = pull.ask(state.cursor, first)
        while pending is not None:
            answer, checked, pending = pull.take(pending)
            total.add(apply_batch(node, answer["changes"], answer["next"], checked))
    except protocol.SyncError as exc:
        with transaction.atomic():
            SyncState.objects.filter(pk=state.pk).update(
                last_error=str(exc)[:2000], last_error_at=timezone.now()
            )
        raise
    SyncState.objects.filter(pk=state.pk).update(last_error="")
    return total


def prune_nonces() -> int:
    """Nonces older than twice the signature window can no longer be replayed (their
    signatures are refused as too old): they are forgotten."""

    limit = timezone.now() - dt.timedelta(seconds=2 * settings.IPEX_FEDERATION_WINDOW)
    deleted, _ = SeenNonce.objects.filter(seen_at__lt=limit).delete()
    return deleted


def sync_all_partners() -> dict[str, str]:
    """Pull from every partner once; one partner's failure does not stop the others."""
    prune_nonces()
    results = {}
    for partner in Partner.objects.filter(
        approved_here_at__isnull=False, suspended_at__isnull=True
    ).select_related("node"):
        try:
            outcome = sync_partner(partner.node)
            results[partner.node.name] = (
                f"{outcome.applied} applied, {outcome.unchanged} unchanged, "
                f"{outcome.older} older, {outcome.quarantined} quarantined"
            )
        except protocol.SyncError as exc:
            results[partner.node.name] = f"error: {exc}"
    return results


def doorbell_rang(node) -> bool:
    """A partner rang: whether a pull from it is to be queued — once, however many times it
    rings before that pull starts (a pull queued more than five minutes ago and not started
    is taken for lost). The pull is marked queued here; ``tasks.pull_soon`` queues it."""
    now = timezone.now()
    state, _created = SyncState.objects.get_or_create(partner=node)
    free = Q(pull_queued_at__isnull=True) | Q(pull_queued_at__lt=now - dt.timedelta(minutes=5))
    return SyncState.objects.filter(free, pk=state.pk).update(pull_queued_at=now) == 1


def pull_started(node) -> None:
    """From now on a ring queues another pull (it may bring what this one misses)."""
    SyncState.objects.filter(partner=node).update(pull_queued_at=None)


def ring(node) -> None:
    """Ring a partner's doorbell; if it cannot be reached it will pull later anyway."""
    try:
        protocol.call(node, "POST", "/federation/v1/notify", data={})
    except protocol.SyncError as exc:
        protocol.log.info("doorbell of %s not answered: %s", node.name, exc)
