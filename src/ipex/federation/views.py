"""The federation endpoints, under /federation/v1/: every request signed by a partner, every
answer signed by this node."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ipex.core.errors import DomainError
from ipex.directory.models import Node, Organisation
from ipex.directory.shareable import org_ref
from ipex.federation import canonical, protocol, queries
from ipex.federation.egress import Egress
from ipex.federation.keys import fetch_node_document
from ipex.federation.models import NodeKey, Partner, Quarantine, SyncState
from ipex.federation.services import partner_add
from ipex.federation.tasks import pull_soon, sync_all

MAX_LIMIT = 1000


def _error(reason: str, status: int):
    code = {401: "not_authenticated", 403: "forbidden", 400: "invalid"}.get(status, "error")
    return JsonResponse({"error": {"code": code, "message": reason, "fields": {}}}, status=status)


def signed(*, active: bool = True):
    """Verify the partner's signature (and refuse replays); sign the answer."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                node, nonce, message = protocol.verify_request(request)
                partner = Partner.objects.get(node=node)
                if active and (partner.approved_here_at is None or partner.suspended_at):
                    protocol.refuse(request, "not an approved partner", node=node, status=403)
            except protocol.Refused as exc:
                return _error(exc.reason, exc.status)
            try:
                data, status = view(request, node, *args, **kwargs)
            except ValueError as exc:
                data, status = (
                    {"error": {"code": "invalid", "message": str(exc), "fields": {}}},
                    400,
                )
            return protocol.signed_response(message, nonce, data, status)

        return wrapper

    return decorate


@require_http_methods(["GET"])
def node_document(request):
    """This node: id, name, base URL and every key it has signed with (old ones retired)."""
    local = Node.local()
    keys = NodeKey.objects.filter(node=local).order_by("created_at")
    data = {
        "id": str(local.uuid),
        "name": local.name,
        "base_url": local.base_url,
        "public_key": local.public_key,
        "key_id": canonical.key_id(local.public_key),
        "keys": [
            {
                "key_id": k.key_id,
                "public_key": k.public_key,
                "created": k.created_at.isoformat(),
                "retired": k.retired_at.isoformat() if k.retired_at else None,
                "endorsed_by": k.endorsed_by or None,
                "endorsement": k.endorsement or None,
            }
            for k in keys
        ],
    }
    message = protocol._message_of(request)
    return protocol.signed_response(message, "", data)


@require_http_methods(["GET"])
@signed(active=False)
def partnership(request, node):
    partner = Partner.objects.get(node=node)
    approved = partner.approved_here_at is not None and partner.suspended_at is None
    return {"approved": approved, "node": str(Node.local().uuid)}, 200


def _int(request, name: str, default: int, low: int = 0, high: int | None = None) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number")
    value = int(raw)
    return max(low, min(value, high)) if high is not None else max(low, value)


def _page(node, disclosures, limit):
    """Up to ``limit`` envelopes from rows of ROW, each through the egress check."""
    changes, last, egress = [], None, Egress(node)
    for change_id, action, envelope, seal in disclosures[: limit + 1]:
        if len(changes) == limit:
            return changes, last, True
        last = change_id
        if egress.ok(envelope, action, seal):
            changes.append(envelope)
    return changes, last, False


@require_http_methods(["GET"])
@signed()
def changes(request, node):
    """What this partner was given after its cursor, in order, a page at a time."""
    since = _int(request, "since", 0)
    limit = _int(request, "limit", 500, 1, MAX_LIMIT)
    page, last, more = _page(node, queries.changes_after(node, since), limit)
    return {"changes": page, "next": last if last is not None else since, "more": more}, 200


@require_http_methods(["GET"])
@signed()
def snapshot(request, node):
    """A first sync: the latest disclosure of each record to this partner, a page at a time,
    and the cursor to continue from with /changes."""
    after = _int(request, "after", 0)
    limit = _int(request, "limit", 500, 1, MAX_LIMIT)
    rows, cursor = queries.snapshot_rows(node, after, limit + 1)
    page, last, more = _page(node, rows, limit)
    return {
        "changes": page,
        "next": last if last is not None else after,
        "more": more,
        "cursor": cursor,
    }, 200


@require_http_methods(["POST"])
@signed()
def notify(request, node):
    """The doorbell: the partner has something new; pull from it soon."""
    return {"queued": pull_soon(node)}, 202


@require_http_methods(["GET"])
@signed()
def organisations(request, node):
    """This node's own organisations, so a partner can name them in its sharing groups."""
    local = Node.local()
    rows = Organisation.objects.filter(origin_node=local, is_active=True).select_related(
        "jurisdiction", "origin_node"
    )
    return {"organisations": [org_ref(o) for o in rows]}, 200


# ---------------------------------------------------------------- the node administrators' page


def admin_page(request):
    """Partners, their sync state and the quarantine; add a partner, pull now."""

    if not request.user.is_authenticated or not request.user.is_node_admin:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "sync":
            sync_all.enqueue()
            messages.success(request, _("A pull from every partner was started."))
        else:
            url, key = request.POST.get("url", "").strip(), request.POST.get("key", "").strip()
            try:
                document = fetch_node_document(url, key)
                partner = partner_add(
                    actor=request.user,
                    node_id=document["id"],
                    name=document["name"],
                    base_url=url,
                    public_key=key,
                )
            except (DomainError, protocol.SyncError, KeyError) as exc:
                messages.error(request, str(getattr(exc, "message", exc)))
            else:
                messages.success(
                    request, _("%(name)s approved from this side.") % {"name": partner.node.name}
                )
        return redirect("federation-admin")
    local = Node.local()
    states = {s.partner_id: s for s in SyncState.objects.all()}
    partners = [
        {
            "partner": p,
            "state": states.get(p.node_id),
            "key_id": canonical.key_id(p.node.public_key),
        }
        for p in Partner.objects.select_related("node").order_by("node__name")
    ]
    return render(
        request,
        "federation/admin.html",
        {
            "local": local,
            "local_key_id": canonical.key_id(local.public_key),
            "partners": partners,
            "quarantine": Quarantine.objects.select_related("partner")[:50],
        },
    )
