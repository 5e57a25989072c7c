"""What requests keep for the next ones (ipex.core.freshness): only committed data, only
under the audit head it was read under."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from ipex.core.audit import audit_log
from ipex.core.freshness import FreshnessMiddleware, head, kept


def _in_a_request(work):
    """Run ``work`` as a view would, inside the middleware's scope."""
    result = {}

    def view(request):
        result["value"] = work()
        return HttpResponse()

    FreshnessMiddleware(view)(object())
    return result["value"]


def _reads():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


@pytest.mark.django_db(transaction=True)
def test_a_value_is_read_once_per_audit_head_and_again_after_any_change(node):
    calls, compute = _reads()
    assert _in_a_request(lambda: kept("thing", 1, compute)) == 1
    assert _in_a_request(lambda: kept("thing", 1, compute)) == 1  # kept
    assert _in_a_request(lambda: kept("thing", 2, compute)) == 2  # another key
    audit_log(None, "tests.changed")
    assert _in_a_request(lambda: kept("thing", 1, compute)) == 3  # read afresh
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_nothing_is_kept_outside_a_request(node):
    calls, compute = _reads()
    kept("thing", 1, compute)
    kept("thing", 1, compute)
    assert len(calls) == 2
    assert head() is None


def test_nothing_is_kept_inside_a_transaction(node):
    """Tests run in a transaction, as services do: what they read may never be committed."""
    audit_log(None, "tests.changed")
    calls, compute = _reads()
    _in_a_request(lambda: kept("thing", 1, compute))
    _in_a_request(lambda: kept("thing", 1, compute))
    assert len(calls) == 2
