"""Both ends of a signed exchange: checking a partner's request (and refusing replays),
signing our answers, and calling a partner with a signed request whose signed answer is
checked before it is used."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode, urlsplit

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse

from ipex.core.audit import Actor, audit_log
from ipex.directory.models import Node
from ipex.exchange import canonical, httpsig
from ipex.exchange.models import NodeKey, SeenNonce

log = logging.getLogger("ipex.exchange")
SYSTEM = Actor.system("federation")

# Test hook: base URL → httpx transport (an in-process node); empty in production.
TRANSPORTS: dict[str, httpx.BaseTransport] = {}


class Refused(Exception):
    def __init__(self, reason: str, status: int = 401):
        super().__init__(reason)
        self.reason, self.status = reason, status


class SyncError(Exception):
    """A partner could not be reached, or answered something that cannot be trusted."""


def _seen(node: Node, nonce: str) -> bool:
    try:
        with transaction.atomic():
            SeenNonce.objects.create(node=node, nonce=nonce[:64])
    except IntegrityError:
        return True
    return False


def _message_of(request) -> httpsig.Message:
    query = request.META.get("QUERY_STRING", "")
    return httpsig.Message(
        method=request.method,
        path=request.path,
        query=f"?{query}" if query else "?",
        headers={k.lower(): v for k, v in request.headers.items()},
    )


def verify_request(request) -> tuple[Node, str, httpsig.Message]:
    """(partner node, request nonce, message) of a request signed by a known partner key.
    Raises Refused, audited."""
    message = _message_of(request)
    found: dict = {}

    def resolve(key_id):
        key = (
            NodeKey.objects.filter(key_id=key_id, node__is_local=False, node__partner__isnull=False)
            .select_related("node")
            .first()
        )
        if key is None:
            return None
        found["node"] = key.node
        return key.public_key

    try:
        verified = httpsig.verify(
            message,
            body=request.body,
            resolve_key=resolve,
            window=settings.IPEX_FEDERATION_WINDOW,
        )
    except httpsig.SignatureError as exc:
        refuse(request, str(exc))
    node = found["node"]
    if _seen(node, verified.nonce):
        refuse(request, "a replayed request (its nonce was used before)", node=node)
    return node, verified.nonce, message


def refuse(request, reason: str, *, node: Node | None = None, status: int = 401):
    with transaction.atomic():
        audit_log(
            SYSTEM,
            "federation.request.refused",
            node,
            {"reason": reason, "path": request.path, "method": request.method},
        )
    raise Refused(reason, status)


def signed_response(request_message, request_nonce: str, data, status: int = 200):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    local = Node.local()
    message = httpsig.Message(
        method=request_message.method,
        path=request_message.path,
        query=request_message.query,
        headers={},
        status=status,
    )
    headers, _nonce = httpsig.sign(
        message,
        key_id=canonical.key_id(local.public_key),
        body=body,
        request=request_message,
        request_nonce=request_nonce,
    )
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in headers.items():
        response[name] = value
    return response


def call(node: Node, method: str, path: str, params: dict | None = None, data=None) -> dict:
    """A signed request to a partner; its answer must be signed by that partner, for this
    request, and never seen before."""
    query = urlencode(params or {})
    base = node.base_url.rstrip("/")
    url = f"{base}{path}" + (f"?{query}" if query else "")
    body = b"" if data is None else json.dumps(data, separators=(",", ":")).encode("utf-8")
    local = Node.local()
    message = httpsig.Message(
        method=method, path=urlsplit(url).path, query=f"?{query}" if query else "?", headers={}
    )
    headers, nonce = httpsig.sign(message, key_id=canonical.key_id(local.public_key), body=body)
    transport = TRANSPORTS.get(base)
    try:
        with httpx.Client(transport=transport, timeout=settings.IPEX_FEDERATION_TIMEOUT) as client:
            response = client.request(
                method,
                url,
                content=body or None,
                headers={**headers, "Content-Type": "application/json"},
            )
    except httpx.HTTPError as exc:
        raise SyncError(f"{node.name} could not be reached: {exc}") from exc
    answer = httpsig.Message(
        method=method,
        path=message.path,
        query=message.query,
        headers={k.lower(): v for k, v in response.headers.items()},
        status=response.status_code,
    )
    keys = {k.key_id: k.public_key for k in NodeKey.objects.filter(node=node)}
    try:
        verified = httpsig.verify(
            answer,
            body=response.content,
            resolve_key=keys.get,
            request=message,
            request_nonce=nonce,
            window=settings.IPEX_FEDERATION_WINDOW,
        )
    except httpsig.SignatureError as exc:
        raise SyncError(f"{node.name} answered without a valid signature: {exc}") from exc
    if _seen(node, verified.nonce):
        raise SyncError(f"{node.name} replayed an answer")
    try:
        payload = response.json()
    except ValueError as exc:
        raise SyncError(f"{node.name} answered something that is not JSON") from exc
    if response.status_code >= 400:
        error = payload.get("error", {}) if isinstance(payload, dict) else {}
        raise SyncError(f"{node.name} refused: {error.get('message', response.status_code)}")
    return payload
