"""Both ends of a signed exchange: checking a partner's request (and refusing replays),
signing our answers, and calling a partner with a signed request whose signed answer is
checked before it is used."""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import httpx
import orjson
from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.http import HttpResponse

from ipex.core.audit import Actor, audit_log
from ipex.directory.models import Node
from ipex.federation import canonical, httpsig
from ipex.federation.keys import learn_partner_keys
from ipex.federation.models import NodeKey, SeenNonce
from ipex.federation.transport import TRANSPORTS, SyncError

log = logging.getLogger("ipex.federation")
SYSTEM = Actor.system("federation")


class Refused(Exception):
    def __init__(self, reason: str, status: int = 401):
        super().__init__(reason)
        self.reason, self.status = reason, status


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

    def lookup(key_id):
        return (
            NodeKey.objects.filter(key_id=key_id, node__is_local=False, node__partner__isnull=False)
            .select_related("node")
            .first()
        )

    def resolve(key_id):
        key = lookup(key_id)
        if key is None and _learn_keys_of(request.headers.get("IPEX-Node", "")):
            key = lookup(key_id)
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


def _learn_keys_of(node_uuid: str) -> bool:
    """A request signed with a key this node does not know, from a node that says it is a
    partner: perhaps that partner rotated its key. Its node document is read at most once a
    minute per partner (so unknown keys cannot make this node call out at will)."""
    try:
        uuid.UUID(node_uuid)
    except ValueError:
        return False
    node = Node.objects.filter(uuid=node_uuid, is_local=False, partner__isnull=False).first()
    if node is None or not caches["throttle"].add(f"ipex-learn-keys-{node.pk}", 1, 60):
        return False
    try:
        return learn_partner_keys(node)
    except SyncError as exc:
        log.info("keys of %s not learnt: %s", node.name, exc)
        return False


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
    body = orjson.dumps(data)  # compact UTF-8 JSON, as json.dumps gives it, faster
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
    return start_call(node, method, path, params, data).result()


_SSL = None
_IO = None
_NOT_JSON = object()


def _ssl_context():
    """One TLS context for every call (building one reads the CA store: some 50 ms)."""
    global _SSL
    if _SSL is None:
        _SSL = httpx.create_ssl_context()
    return _SSL


def _io_pool():
    """The threads that wait on partners' answers while this one works (they touch no
    database: the request is signed before, the answer checked after, here). A pull has up to
    four calls on their way at once (see ``sync._Pull``)."""
    global _IO
    if _IO is None:
        _IO = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ipex-federation-io")
    return _IO


class PendingCall:
    """A signed request on its way: ``result()`` waits for the answer and checks it."""

    def __init__(self, node, method, url, message, nonce, body, headers, then=None):
        self.node, self.method, self.url = node, method, url
        self.message, self.nonce = message, nonce
        self.body, self.headers = body, headers
        self.then, self.extra = then, None
        self.transport = TRANSPORTS.get(node.base_url.rstrip("/"))
        # In-process partners (tests) are called when the answer is wanted, in this thread.
        self.future = None if self.transport else _io_pool().submit(self._send)

    def _send(self):
        """The request, and the answer read and parsed (``then`` run over it, if given):
        nothing here touches the database."""
        try:
            with httpx.Client(
                transport=self.transport,
                timeout=settings.IPEX_FEDERATION_TIMEOUT,
                verify=_ssl_context() if self.url.startswith("https:") else False,
            ) as client:
                response = client.request(
                    self.method,
                    self.url,
                    content=self.body or None,
                    headers={**self.headers, "Content-Type": "application/json"},
                )
        except httpx.HTTPError as exc:
            return exc
        try:
            payload = orjson.loads(response.content)
        except ValueError:
            payload = _NOT_JSON
        extra = None
        if self.then is not None and payload is not _NOT_JSON:
            try:
                extra = self.then(payload, response.content)
            except Exception:  # done again where it is used, and reported there
                log.exception("checking an answer of %s where it was received", self.node)
        return response.status_code, dict(response.headers), response.content, payload, extra

    def result(self) -> dict:
        sent = self.future.result() if self.future is not None else self._send()
        node = self.node
        if isinstance(sent, Exception):
            raise SyncError(f"{node.name} could not be reached: {sent}") from sent
        status, headers, content, payload, self.extra = sent
        answer = httpsig.Message(
            method=self.method,
            path=self.message.path,
            query=self.message.query,
            headers={k.lower(): v for k, v in headers.items()},
            status=status,
        )

        def check():
            return httpsig.verify(
                answer,
                body=content,
                resolve_key=NodeKey.of(node).get,
                request=self.message,
                request_nonce=self.nonce,
                window=settings.IPEX_FEDERATION_WINDOW,
            )

        try:
            try:
                verified = check()
            except httpsig.SignatureError as exc:
                # Signed with a key this node does not know: has the partner rotated its key?
                if str(exc) != "unknown signing key" or not learn_partner_keys(node):
                    raise
                verified = check()
        except httpsig.SignatureError as exc:
            raise SyncError(f"{node.name} answered without a valid signature: {exc}") from exc
        if _seen(node, verified.nonce):
            raise SyncError(f"{node.name} replayed an answer")
        if payload is _NOT_JSON or not isinstance(payload, dict):
            raise SyncError(f"{node.name} answered something that is not a JSON object")
        if status >= 400:
            error = payload.get("error", {}) if isinstance(payload, dict) else {}
            raise SyncError(f"{node.name} refused: {error.get('message', status)}")
        return payload


def start_call(
    node: Node,
    method: str,
    path: str,
    params: dict | None = None,
    data=None,
    then=None,
    *,
    local: Node | None = None,
) -> PendingCall:
    """Sign a request to a partner and send it; the answer is awaited and checked by the
    returned call's ``result()``. ``then(answer, content)``, if given, runs where the answer
    is received, before it is checked, with the answer parsed and as received: work that needs
    no database (its result: ``extra``).
    With this node given as ``local``, this reads no database either (so ``then`` may start
    the next call)."""
    query = urlencode(params or {})
    base = node.base_url.rstrip("/")
    url = f"{base}{path}" + (f"?{query}" if query else "")
    body = b"" if data is None else orjson.dumps(data)
    local = local or Node.local()
    message = httpsig.Message(
        method=method, path=urlsplit(url).path, query=f"?{query}" if query else "?", headers={}
    )
    headers, nonce = httpsig.sign(message, key_id=canonical.key_id(local.public_key), body=body)
    headers["IPEX-Node"] = str(local.uuid)  # a hint, should the partner not know this key yet
    return PendingCall(node, method, url, message, nonce, body, headers, then)
