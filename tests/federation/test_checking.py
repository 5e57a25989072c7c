"""Checking a page where it is received: the checking process says what the pulling process
would, the quick canonical form never lets through bytes that were not signed, and a pull asks
for pages ahead in order, never more than a few at a time."""

from __future__ import annotations

import copy
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import orjson
import pytest

from ipex.core.models import Distribution
from ipex.federation import canonical, checking, sync
from ipex.federation.apply import check_envelope
from ipex.federation.models import ChangeLog, NodeKey
from tests.federation.test_exchange import record, share_group

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])


@pytest.fixture
def signed(partnered):
    """Two signed envelopes of A's, A's keys and uuid as B holds them."""
    from ipex.directory.models import Node

    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        envelopes = []
        for reference in ("GD-1", "GD-2"):
            seizure = record(
                partnered,
                reference=reference,
                items=[{"category": "books", "quantity": 40}],
                distribution=Distribution.GROUP,
                sharing_group=group,
            )
            envelopes.append(ChangeLog.objects.get(record_uuid=seizure.uuid).envelope)
    with partnered.on("b"):
        keys = NodeKey.of(Node.objects.get(uuid=partnered.a.node.uuid))
    return envelopes, keys, str(partnered.a.node.uuid)


def test_the_checking_process_says_what_this_process_would(signed):
    envelopes, keys, origin = signed
    forged = copy.deepcopy(envelopes[1])
    forged["payload"]["place"] = "somewhere else"  # content changed after signing
    page = orjson.dumps({"changes": [envelopes[0], forged, "not an envelope"], "next": 3})

    in_process = sync._check_page(page, keys, origin)  # through the checking process
    here = [check_envelope(keys, origin, e) for e in orjson.loads(page)["changes"]]
    assert (
        in_process
        == here
        == [
            "",
            "the envelope's signature does not match",
            "not an envelope",
        ]
    )
    assert sync._check_page(b"[1, 2]", keys, origin) is None  # not a page at all
    assert sync._check_page(b"{not json", keys, origin) is None


def test_the_quick_form_is_only_taken_for_the_bytes_that_were_signed(signed):
    envelopes, keys, origin = signed
    good = envelopes[0]
    # Values the quick form does not put in RFC 8785 form (1.0 is "1" there, and keys beyond
    # the Basic Multilingual Plane sort by UTF-16): signed over their canonical bytes, they are
    # checked through the standard package.
    odd = {k: v for k, v in good.items() if k != "signature"}
    odd["payload"] = {**odd["payload"], "ratio": 1.0, "\uffff": 1, "\U00010000": 2}
    odd["sha256"] = canonical.sha256_hex(odd["payload"])
    private, public = _key_pair()
    odd["key_id"] = "odd"
    odd["signature"] = _sign(private, canonical.canonical(odd))
    assert canonical._quick_parts(odd)[0] != canonical.canonical(
        {k: v for k, v in odd.items() if k != "signature"}
    )
    assert checking.check_envelope({"odd": public}, origin, odd, frozenset({odd["type"]})) == ""

    # A string that cannot be written as UTF-8 (a lone surrogate) is refused, not a crash.
    broken = copy.deepcopy(good)
    broken["payload"]["place"] = "\ud800"
    assert check_envelope(keys, origin, broken) == "the envelope's signature does not match"
    assert canonical._quick_parts(broken) is None and canonical.envelope_parts(broken) is None

    # Bytes signed in a form other than the canonical one are not taken for it.
    unsigned = {k: v for k, v in good.items() if k != "signature"}
    loose = orjson.dumps(unsigned)  # keys in the envelope's order, not sorted
    assert loose != canonical._quick_parts(good)[0]
    resigned = {**unsigned, "key_id": "odd", "signature": _sign(private, loose)}
    reason = checking.check_envelope({"odd": public}, origin, resigned, {good["type"]})
    assert reason == "the envelope's signature does not match"


def _key_pair():
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    return private, base64.b64encode(private.public_key().public_bytes_raw()).decode()


def _sign(private, data: bytes) -> str:
    import base64

    return base64.b64encode(private.sign(data)).decode()


def test_a_pull_asks_for_pages_ahead_in_order_and_never_too_many(monkeypatch):
    """Ten pages of a partner, each served after a pause in a thread of its own (as a
    partner's answers arrive): taken in order, the next asked for as each arrives, never more
    than AHEAD received and waiting at once, and each asked for once."""
    pages = {i * 10: {"changes": [i], "next": (i + 1) * 10, "more": i < 9} for i in range(10)}
    pages[100] = {"changes": [], "next": 100, "more": False}  # /changes after the snapshot
    asked, askers, lock, most = [], set(), threading.Lock(), [0]
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="received")

    def start_call(node, method, path, params, then=None, local=None):
        since = params.get("after", params.get("since"))
        with lock:
            asked.append((path.rsplit("/", 1)[1], since))
            askers.add(threading.current_thread().name)
        answer = pages[since]

        def send():
            time.sleep(0.01)  # the partner at work
            extra = then(answer, orjson.dumps(answer))
            with lock:
                most[0] = max(most[0], pull.waiting)
            return extra

        future = pool.submit(send)
        call = SimpleNamespace(extra=None, first=None)

        def result():
            call.extra = future.result()
            return answer

        call.result = result
        return call

    monkeypatch.setattr(sync.protocol, "start_call", start_call)
    monkeypatch.setattr(sync, "_check_page", lambda content, keys, origin: ["ok"])
    node = SimpleNamespace(uuid="a", name="A")
    pull = sync._Pull.__new__(sync._Pull)
    pull.node, pull.page, pull.origin, pull.local, pull.keys = node, 10, "a", None, {}
    pull.lock, pull.waiting = threading.Lock(), 0
    monkeypatch.setattr(sync.NodeKey, "of", staticmethod(lambda node: {}))

    taken, pending = [], pull.ask(0, True)
    while pending is not None:
        time.sleep(0.02)  # applying takes longer than serving: pages pile up ahead
        answer, checked, pending = pull.take(pending)
        taken.append(answer["changes"])
        assert checked == ["ok"]
    pool.shutdown()
    assert taken == [[i] for i in range(10)] + [[]]
    assert asked == [("snapshot", i * 10) for i in range(10)] + [("changes", 100)]
    assert most[0] <= 3  # pages received and waiting to be applied, at most
    assert any(name.startswith("received") for name in askers)  # asked for where received
