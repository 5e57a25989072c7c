"""Envelopes are signed over RFC 8785 canonical JSON: the fast path IPEX takes for plain
values gives the standard's bytes exactly, and signatures made with the node key
(``cryptography``) are checked by libsodium (PyNaCl) the same way."""

from __future__ import annotations

import base64

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ipex.federation import canonical

keys = st.text(alphabet=st.characters(max_codepoint=127), max_size=12)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text()  # any Unicode, control characters included
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_the_fast_path_gives_the_standards_bytes(value):
    assert canonical.canonical(value) == rfc8785.dumps(value)


def test_what_the_fast_path_cannot_take_goes_through_the_standard_package():
    for value in ({"amount": 1.5}, {"ключ": 1}, [2**60], {"x": [1, {"y": 0.1}]}):
        assert not canonical._plain(value)
    assert canonical.canonical({"b": 1.5, "a": 2}) == rfc8785.dumps({"b": 1.5, "a": 2})
    assert canonical.canonical({"b": 1.5, "a": 2}) == b'{"a":2,"b":1.5}'


def _key_pair():
    private = Ed25519PrivateKey.generate()
    public = base64.b64encode(private.public_key().public_bytes_raw()).decode()
    return private, public


def test_a_signature_of_the_node_key_verifies_and_nothing_else_does():
    private, public = _key_pair()
    _other, other_public = _key_pair()
    data = canonical.canonical({"type": "seizures.seizure", "version": 2})
    signature = base64.b64encode(private.sign(data)).decode()
    assert canonical.verify(public, data, signature)
    assert not canonical.verify(public, data + b" ", signature)  # tampered content
    assert not canonical.verify(other_public, data, signature)  # another node's key
    flipped = bytearray(base64.b64decode(signature))
    flipped[0] ^= 1
    assert not canonical.verify(public, data, base64.b64encode(bytes(flipped)).decode())
    for broken in ("", "not base64!", base64.b64encode(b"short").decode()):
        assert not canonical.verify(public, data, broken)  # no signature at all
        assert not canonical.verify(broken, data, signature)  # no key at all
