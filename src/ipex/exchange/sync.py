"""Pulling from partners: ``ipex sync``, the periodic task and the doorbell all end here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ipex.exchange import protocol
from ipex.exchange.apply import Outcome, apply_batch, check_envelope
from ipex.exchange.models import NodeKey, Partner, SyncState

PAGE = 500


def confirm(node) -> bool:
    """Ask the partner, signed, whether it approved this node; remember a yes."""
    from ipex.exchange.services import partner_confirmed

    answer = protocol.call(node, "GET", "/federation/v1/partnership")
    if answer.get("approved") is True:
        partner_confirmed(node=node)
        return True
    return False


def learn_organisations(node) -> int:
    """The partner's organisations, as replicas here, so they can be named in groups."""
    from ipex.exchange.types import Refused, local_org

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


def _changes(
    node, since, page: int, keys: dict[str, str], *, first: bool = False
) -> protocol.PendingCall:
    """Ask for a page of changes — on a first sync, of the partner's snapshot (the latest
    version of each record only) — each envelope's signature checked as soon as the page
    arrives, in the thread that received it (libsodium lets go of the interpreter meanwhile)."""
    origin = str(node.uuid)

    def check(answer):
        changes = answer.get("changes") if isinstance(answer, dict) else None
        if isinstance(changes, list):
            return [check_envelope(keys, origin, envelope) for envelope in changes]
        return None

    if first:
        path, params = "/federation/v1/snapshot", {"after": since, "limit": page}
    else:
        path, params = "/federation/v1/changes", {"since": since, "limit": page}
    return protocol.start_call(node, "GET", path, params, then=check)


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
        keys = NodeKey.of(node)
        # Never pulled from this partner: its snapshot first, then its changes after it.
        first = state.cursor == 0 and state.last_success_at is None
        pending = _changes(node, state.cursor, page, keys, first=first)
        while pending is not None:
            answer = pending.result()
            if not (
                isinstance(answer, dict)
                and isinstance(answer.get("changes"), list)
                and type(answer.get("next")) is int
            ):
                raise protocol.SyncError(f"{node.name} answered a page this node cannot read")
            checked = pending.extra
            if NodeKey.of(node) != keys:  # the answer taught this node a new key
                keys, checked = NodeKey.of(node), None
            # The next page is asked for before this one is applied, so the partner prepares
            # it meanwhile; if applying fails, it is dropped and asked for again next time.
            more = bool(answer.get("more"))
            if more:
                pending = _changes(node, answer["next"], page, keys, first=first)
            elif first:  # the snapshot is done: what changed since comes by /changes
                first = False
                pending = _changes(node, answer["next"], page, keys)
            else:
                pending = None
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
    import datetime as dt

    from django.conf import settings

    from ipex.exchange.models import SeenNonce

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
    """A partner rang: queue a pull from it — once, however many times it rings before that
    pull starts (a pull queued more than five minutes ago and not started is taken for
    lost). Whether a pull was queued."""
    import datetime as dt

    from django.db.models import Q

    from ipex.exchange.tasks import pull_partner

    now = timezone.now()
    state, _created = SyncState.objects.get_or_create(partner=node)
    free = Q(pull_queued_at__isnull=True) | Q(pull_queued_at__lt=now - dt.timedelta(minutes=5))
    queued = SyncState.objects.filter(free, pk=state.pk).update(pull_queued_at=now) == 1
    if queued:
        pull_partner.enqueue(str(node.uuid))
    return queued


def pull_started(node) -> None:
    """From now on a ring queues another pull (it may bring what this one misses)."""
    SyncState.objects.filter(partner=node).update(pull_queued_at=None)


def ring(node) -> None:
    """Ring a partner's doorbell; if it cannot be reached it will pull later anyway."""
    try:
        protocol.call(node, "POST", "/federation/v1/notify", data={})
    except protocol.SyncError as exc:
        protocol.log.info("doorbell of %s not answered: %s", node.name, exc)
