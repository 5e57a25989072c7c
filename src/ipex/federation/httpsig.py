"""RFC 9421 HTTP Message Signatures with Ed25519, for the federation endpoints.

Requests cover ``@method``, ``@path``, ``@query`` and ``content-digest`` (RFC 9530, SHA-256
of the body, also for an empty body), with ``created``, ``nonce``, ``keyid`` and
``alg="ed25519"``. Responses cover ``@status``, ``content-digest``, the request's ``@method``,
``@path`` and ``@query`` (``;req``) and ``ipex-request-nonce``, which echoes the request's
nonce: a response cannot be replayed for another request.

Structured fields are parsed and serialised with the ``http-sfv`` package.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass

import http_sfv

from ipex.federation import canonical

LABEL = "ipex"
REQUEST_COMPONENTS = ("@method", "@path", "@query", "content-digest")
RESPONSE_COMPONENTS = (
    ("@status", False),
    ("content-digest", False),
    ("ipex-request-nonce", False),
    ("@method", True),
    ("@path", True),
    ("@query", True),
)


class SignatureError(Exception):
    """Why a message's signature is refused (logged and audited by the caller)."""


def content_digest(body: bytes) -> str:
    field = http_sfv.Dictionary()
    field["sha-256"] = http_sfv.Item(hashlib.sha256(body or b"").digest())
    return str(field)


@dataclass
class Message:
    """What a signature covers, whichever side of the exchange builds it."""

    method: str
    path: str
    query: str  # with its leading "?" (RFC 9421 §2.2.7), "?" when there is none
    headers: dict[str, str]  # lower-case names
    status: int | None = None


def _component(name: str, req: bool, message: Message, request: Message | None) -> str:
    source = request if req else message
    if source is None:
        raise SignatureError(f"{name};req without a request")
    if name == "@method":
        return source.method.upper()
    if name == "@path":
        return source.path
    if name == "@query":
        return source.query or "?"
    if name == "@status":
        return str(source.status)
    value = source.headers.get(name)
    if value is None:
        raise SignatureError(f"the covered header {name} is missing")
    return value.strip()


def _base(components: list[tuple[str, bool]], params: http_sfv.InnerList, message, request):
    lines = []
    for name, req in components:
        item = http_sfv.Item(name)
        if req:
            item.params["req"] = True
        lines.append(f"{item}: {_component(name, req, message, request)}")
    lines.append(f'"@signature-params": {params}')
    return "\n".join(lines).encode("utf-8")


def _params(components, key_id: str, created: int, nonce: str) -> http_sfv.InnerList:
    inner = http_sfv.InnerList()
    for name, req in components:
        item = http_sfv.Item(name)
        if req:
            item.params["req"] = True
        inner.append(item)
    inner.params["created"] = created
    inner.params["nonce"] = nonce
    inner.params["keyid"] = key_id
    inner.params["alg"] = "ed25519"
    return inner


def sign(
    message: Message,
    *,
    key_id: str,
    request: Message | None = None,
    request_nonce: str = "",
    body: bytes = b"",
    now: float | None = None,
) -> tuple[dict[str, str], str]:
    """The headers to add (Content-Digest, Signature-Input, Signature; for a response also
    Ipex-Request-Nonce) and the signature's nonce."""
    message.headers["content-digest"] = content_digest(body)
    components = (
        [(c, False) for c in REQUEST_COMPONENTS] if request is None else list(RESPONSE_COMPONENTS)
    )
    if request is not None:
        message.headers["ipex-request-nonce"] = request_nonce
    nonce = secrets.token_urlsafe(24)
    params = _params(components, key_id, int(now if now is not None else time.time()), nonce)
    signature = canonical.sign(_base(components, params, message, request))
    inputs = http_sfv.Dictionary()
    inputs[LABEL] = params
    signatures = http_sfv.Dictionary()
    signatures[LABEL] = http_sfv.Item(base64.b64decode(signature))
    headers = {
        "Content-Digest": message.headers["content-digest"],
        "Signature-Input": str(inputs),
        "Signature": str(signatures),
    }
    if request is not None:
        headers["Ipex-Request-Nonce"] = request_nonce
    return headers, nonce


@dataclass
class Verified:
    key_id: str
    created: int
    nonce: str


def verify(
    message: Message,
    *,
    body: bytes,
    resolve_key,
    request: Message | None = None,
    request_nonce: str = "",
    now: float | None = None,
    window: int = 86_400,
) -> Verified:
    """Check the body's digest and the signature; ``resolve_key(key_id)`` gives the public
    key (base64) or None. Raises SignatureError. Replays are the caller's to refuse, by the
    nonce."""
    try:
        inputs = http_sfv.Dictionary()
        inputs.parse(message.headers.get("signature-input", "").encode())
        signatures = http_sfv.Dictionary()
        signatures.parse(message.headers.get("signature", "").encode())
        params = inputs[LABEL]
        signature = signatures[LABEL].value
    except (ValueError, KeyError, AttributeError) as exc:
        raise SignatureError("no IPEX signature on the message") from exc
    components = [(str(i.value), bool(i.params.get("req"))) for i in params]
    wanted = (
        [(c, False) for c in REQUEST_COMPONENTS] if request is None else list(RESPONSE_COMPONENTS)
    )
    if components != wanted:
        raise SignatureError("the signature does not cover what the protocol requires")
    if params.params.get("alg") != "ed25519":
        raise SignatureError("unsupported signature algorithm")
    key_id = str(params.params.get("keyid", ""))
    nonce = str(params.params.get("nonce", ""))
    created = params.params.get("created")
    if not nonce or not isinstance(created, int):
        raise SignatureError("the signature has no nonce or creation time")
    if abs((now if now is not None else time.time()) - created) > window:
        raise SignatureError("the signature was made too long ago (or the clocks differ too much)")
    if message.headers.get("content-digest", "").strip() != content_digest(body):
        raise SignatureError("the body does not match its Content-Digest")
    if request is not None and message.headers.get("ipex-request-nonce") != request_nonce:
        raise SignatureError("the response answers another request")
    public_key = resolve_key(key_id)
    if public_key is None:
        raise SignatureError("unknown signing key")
    base = _base(components, params, message, request)
    if not canonical.verify(public_key, base, base64.b64encode(signature).decode()):
        raise SignatureError("the signature does not match")
    return Verified(key_id=key_id, created=created, nonce=nonce)
