"""The public tip form is kept between visitors (ipex.core.views.kept_page); each visitor's
form still carries a CSRF token of their own that the submission accepts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ipex.core.audit import audit_log
from ipex.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page).group(1).decode()


def test_each_visitor_of_a_kept_tip_form_gets_a_token_that_works(node, areas):
    audit_log(None, "tests.started")  # a head to keep under
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one = first.get("/tips/new")
    two = second.get("/tips/new")  # served from what the first visitor's read kept
    assert one.status_code == two.status_code == 200
    assert b"@@ipex-csrf-token@@" not in two.content
    assert _token(one.content) != _token(two.content)
    assert "csrftoken" in two.cookies  # the second visitor is given the cookie too
    # Kept with the form's own headers: a tip page is never stored by a browser or proxy.
    assert "no-store" in two["Cache-Control"]
    assert two["Cache-Control"] == one["Cache-Control"]
    assert two["Referrer-Policy"] == "same-origin"
    # The second visitor's token passes the CSRF check: the form answers that the fields are
    # missing (400), where a refused token would get "Form expired" (403).
    answer = second.post("/tips/new", {"csrfmiddlewaretoken": _token(two.content)})
    assert answer.status_code == 400
    assert b"This field is required" in answer.content


def test_every_opening_of_a_tip_through_the_api_is_audited(submit, people):
    """An officer who opens the same tip twice leaves two entries: no kept answer skips one."""
    tip, _receipt, _proof = submit()
    api = APIClient()
    api.force_authenticate(people.owner)
    for _ in range(2):
        assert api.get(f"/api/v1/tips/{tip.uuid}").status_code == 200
    opened = AuditEntry.objects.filter(action="tips.tip.viewed", object_uuid=str(tip.uuid))
    assert opened.count() == 2
