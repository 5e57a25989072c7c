"""Pulling from partners: ``ipex sync``, the periodic task and the doorbell all end here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ipex.exchange import protocol
from ipex.exchange.apply import Outcome, apply_batch
from ipex.exchange.models import Partner, SyncState

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
        while True:
            state.refresh_from_db()
            answer = protocol.call(
                node, "GET", "/federation/v1/changes", {"since": state.cursor, "limit": page}
            )
            outcome = apply_batch(node, answer.get("changes", []), answer.get("next", 0))
            for name in ("applied", "unchanged", "older", "quarantined"):
                setattr(total, name, getattr(total, name) + getattr(outcome, name))
            total.reasons += outcome.reasons
            if not answer.get("more"):
                break
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


def ring(node) -> None:
    """Ring a partner's doorbell; if it cannot be reached it will pull later anyway."""
    try:
        protocol.call(node, "POST", "/federation/v1/notify", data={})
    except protocol.SyncError as exc:
        protocol.log.info("doorbell of %s not answered: %s", node.name, exc)
