"""A signed-in page reads its session and the audit head in one statement, and keeps the
signed-in account under the head (ipex.core.sessions, ipex.directory.backends): whatever
happens to the account or the session, the next request sees it.

Outside a transaction (``transaction=True``), as requests run in production: inside one,
nothing is kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ipex.core.models import AuditEntry
from ipex.directory import services as directory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Correct-Horse-42"


def _signed_in(user) -> Client:
    browser = Client()
    answer = browser.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content
    return browser


def _second_browser(browser: Client) -> Client:
    """The same session cookie in another browser (or on another worker)."""
    other = Client()
    other.cookies = browser.cookies
    return other


def _is_signed_in(browser: Client) -> bool:
    answer = browser.get("/seizures/")
    return answer.status_code == 200


def test_a_kept_page_costs_one_query_for_session_and_head_together(people):
    browser = client_for(people.owner)
    assert browser.get("/seizures/").status_code == 200  # reads and keeps
    with CaptureQueriesContext(connection) as queries:
        again = browser.get("/seizures/")
    assert again.status_code == 200
    assert "Seizures" in again.content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1, sql
    assert "django_session" in sql[0] and "audithead" in sql[0].lower()


def test_a_signed_out_session_is_refused_on_the_next_request(people):
    browser = _signed_in(people.owner)
    copy = _second_browser(browser)
    assert _is_signed_in(copy)  # the account is now kept
    assert browser.post("/accounts/logout/").status_code == 302
    answer = copy.get("/seizures/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_a_new_password_ends_the_other_sessions_and_is_audited(people):
    here = _signed_in(people.owner)
    elsewhere = _signed_in(people.owner)
    assert _is_signed_in(elsewhere)
    changed = here.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Horse-43",
            "new_password2": "Another-Horse-43",
        },
    )
    assert changed.status_code == 302
    assert _is_signed_in(here)  # the session that changed it stays signed in
    assert not _is_signed_in(elsewhere)
    entry = AuditEntry.objects.filter(action="directory.user.password_changed").get()
    assert entry.actor_label == people.owner.email
    assert entry.actor_kind == "user"


def test_a_password_set_outside_the_forms_is_audited_as_the_system(people):
    elsewhere = _signed_in(people.owner)
    assert _is_signed_in(elsewhere)
    people.owner.set_password("Another-Horse-43")  # as `ipex changepassword` does
    people.owner.save()
    assert not _is_signed_in(elsewhere)
    entry = AuditEntry.objects.filter(action="directory.user.password_changed").get()
    assert entry.actor_kind == "system"


def test_a_deactivated_account_is_signed_out_on_the_next_request(people):
    browser = _signed_in(people.owner)
    assert _is_signed_in(browser)
    directory.user_set_active(actor=people.admin, user=people.owner, active=False)
    assert not _is_signed_in(browser)


def test_a_new_language_shows_on_the_next_page(people):
    browser = _signed_in(people.owner)
    assert "Seizures" in browser.get("/seizures/").content.decode()
    directory.user_update_profile(actor=people.owner, user=people.owner, language="ru")
    assert "Изъятия" in browser.get("/seizures/").content.decode()


def test_an_expired_or_unknown_session_is_signed_out(people):
    browser = _signed_in(people.owner)
    assert _is_signed_in(browser)
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.update(expire_date=timezone.now())
    assert not _is_signed_in(browser)
    stranger = Client()
    stranger.cookies["sessionid"] = "x" * 32
    assert not _is_signed_in(stranger)
