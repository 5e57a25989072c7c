"""Signing in and out, lock-out after repeated failures, password reset, the TOTP second factor
and the language switch."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.oath import totp

from ipex.core.models import AuditEntry
from ipex.directory import services
from ipex.directory.models import Role
from tests.conftest import client_for

PASSWORD = "Correct-Horse-42"  # what make_user gives every persona


def login(client: Client, email: str, password: str, **extra):
    return client.post("/accounts/login/", {"username": email, "password": password, **extra})


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


# ---------------------------------------------------------------- sign in and out


def test_login_page_is_shown_to_a_visitor(db):
    html = Client().get("/accounts/login/").content.decode()
    assert "Sign in" in html
    assert "E-mail address" in html
    assert "Forgot your password?" in html


def test_officer_signs_in_with_email_and_password(people):
    client = Client()
    response = login(client, "owner@ba.test", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in_as(client) == str(people.owner.pk)
    assert "Welcome, owner" in client.get("/").content.decode()


def test_sign_in_returns_to_the_page_asked_for(people):
    client = Client()
    response = login(client, "owner@ba.test", PASSWORD, next="/accounts/tokens/")
    assert response.headers["Location"] == "/accounts/tokens/"


def test_sign_in_does_not_redirect_to_another_site(people):
    client = Client()
    response = login(client, "owner@ba.test", PASSWORD, next="https://evil.example/")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("email", "password"),
    [("owner@ba.test", "wrong-password"), ("nobody-here@ba.test", PASSWORD)],
)
def test_wrong_password_or_unknown_email_shows_an_error_and_does_not_sign_in(
    people, email, password
):
    client = Client()
    response = login(client, email, password)
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password." in response.content.decode()
    assert signed_in_as(client) is None
    assert client.get("/").headers["Location"] == "/accounts/login/"


def test_deactivated_user_cannot_sign_in(people):
    services.user_set_active(actor=people.admin, user=people.colleague, active=False)
    client = Client()
    response = login(client, "colleague@zj.test", PASSWORD)
    assert response.status_code == 200
    assert signed_in_as(client) is None


def test_email_address_is_not_case_sensitive_at_sign_in(people):
    client = Client()
    response = login(client, "Owner@BA.test", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == str(people.owner.pk)


def test_account_is_locked_after_repeated_failures(people):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    client = Client()
    for _attempt in range(limit - 1):
        assert login(client, "owner@ba.test", "wrong-password").status_code == 200
    locked = login(client, "owner@ba.test", "wrong-password")
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()
    # Even the right password is refused now, from any browser.
    for attempt_client in (client, Client()):
        response = login(attempt_client, "owner@ba.test", PASSWORD)
        assert response.status_code == 429
        assert "Account locked" in response.content.decode()
        assert signed_in_as(attempt_client) is None


def test_lock_out_counts_failures_whatever_the_case_of_the_address(people):
    for variant in ("owner@ba.test", "OWNER@ba.test", "Owner@BA.test", "owner@BA.TEST"):
        login(Client(), variant, "wrong-password")
    response = login(Client(), "oWnEr@ba.test", "wrong-password")
    assert response.status_code == 429
    right = Client()
    assert login(right, "owner@ba.test", PASSWORD).status_code == 429
    assert signed_in_as(right) is None


def test_lock_out_is_per_account(people):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "owner@ba.test", "wrong-password")
    response = login(client, "colleague@zj.test", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == str(people.colleague.pk)


def test_successful_sign_in_resets_the_failure_count(people):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(Client(), "owner@ba.test", "wrong-password")
    assert login(Client(), "owner@ba.test", PASSWORD).status_code == 302
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(Client(), "owner@ba.test", "wrong-password").status_code == 200
    assert login(Client(), "owner@ba.test", PASSWORD).status_code == 302


def test_logout_asks_for_confirmation_on_get(people):
    client = client_for(people.owner)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert signed_in_as(client) == str(people.owner.pk)


def test_logout_by_post_signs_out(people):
    client = client_for(people.owner)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/"
    assert signed_in_as(client) is None
    assert client.get("/").headers["Location"] == "/accounts/login/"


# ---------------------------------------------------------------- password reset


def test_password_reset_sends_a_link_that_sets_a_new_password(people):
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "owner@ba.test"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@ba.test"]
    link = re.search(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert link, message.body

    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "Another-Horse-77", "new_password2": "Another-Horse-77"},
    )
    assert done.status_code == 302
    assert done.headers["Location"] == "/accounts/reset/done/"

    assert login(Client(), "owner@ba.test", PASSWORD).status_code == 200  # old one is gone
    assert login(Client(), "owner@ba.test", "Another-Horse-77").status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(people):
    response = Client().post("/accounts/password-reset/", {"email": "stranger@x.test"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_user_created_without_a_password_can_choose_one_by_password_reset(people, orgs):
    services.user_create(actor=people.admin, email="fresh@zj.test", full_name="Fresh")
    response = Client().post("/accounts/password-reset/", {"email": "fresh@zj.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- second factor


@pytest.fixture
def totp_for_officers(people):
    services.role_policy_set(actor=people.admin, role=Role.OFFICER, require_totp=True)


def current_code(user) -> str:
    device = services.totp_device_for(user)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def test_officer_must_enrol_a_second_factor_before_the_dashboard(people, totp_for_officers):
    client = client_for(people.owner)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/otp/?next=/"
    html = client.get(response.headers["Location"]).content.decode()
    assert "Scan this code" in html
    assert re.search(r'id="totp-secret">[A-Z2-7]+=*</code>', html)
    assert "<svg" in html


def test_roles_without_the_policy_are_not_asked_for_a_code(people, totp_for_officers):
    assert client_for(people.supervisor).get("/").status_code == 200


def test_wrong_code_is_refused_and_the_officer_stays_outside(people, totp_for_officers):
    client = client_for(people.owner)
    correct = current_code(people.owner)
    wrong = f"{(int(correct) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/otp/?next=/", {"code": wrong, "next": "/"})
    assert response.status_code == 200
    assert "Wrong code." in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="directory.totp.failed").count() == 1
    assert services.totp_device_for(people.owner).confirmed is False


def test_non_numeric_code_is_refused_beside_the_field(people, totp_for_officers):
    response = client_for(people.owner).post("/accounts/otp/", {"code": "abcdef"})
    assert response.status_code == 200
    assert "The code has six digits." in response.content.decode()


def test_correct_code_lets_the_officer_through(people, totp_for_officers):
    client = client_for(people.owner)
    response = client.post(
        "/accounts/otp/?next=/", {"code": current_code(people.owner), "next": "/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert services.totp_device_for(people.owner).confirmed is True
    assert AuditEntry.objects.filter(action="directory.totp.enrolled").count() == 1


def test_enrolled_officer_is_asked_only_for_the_code(people, totp_for_officers):
    client_for(people.owner).post("/accounts/otp/", {"code": current_code(people.owner)})
    html = client_for(people.owner).get("/accounts/otp/").content.decode()
    assert "Enter the six-digit code from your authenticator app." in html
    assert 'id="totp-secret"' not in html


def test_api_session_needs_the_second_factor_too(people, totp_for_officers):
    client = client_for(people.owner)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    client.post("/accounts/otp/", {"code": current_code(people.owner)})
    assert client.get("/api/v1/me").json()["email"] == "owner@ba.test"


# ---------------------------------------------------------------- language switch


def test_unknown_language_gets_a_400_page(people):
    client = client_for(people.owner)
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown language" in html
    assert "The language xx is not offered" in html
    people.owner.refresh_from_db()
    assert people.owner.language == ""


def test_choosing_chinese_is_remembered_on_the_account(people):
    client = client_for(people.owner)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/profile/"
    people.owner.refresh_from_db()
    assert people.owner.language == "zh-hans"
    assert AuditEntry.objects.order_by("-seq").first().action == "directory.user.profile_updated"
    # In a new browser, too.
    html = client_for(people.owner).get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "欢迎" in html


def test_anonymous_visitor_language_is_kept_in_a_cookie(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html  # Sign in


def test_a_visitors_page_switches_language_with_a_get_and_mints_no_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/public/")
    html = page.content.decode()
    # The visitor's form is a GET without a token, and no CSRF cookie is set for it: a kept
    # copy of the page is served to every visitor as it is.
    assert 'action="/i18n/setlang/"' in html
    assert 'method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "X-CSRFToken" not in html
    assert settings.CSRF_COOKIE_NAME not in page.cookies
    response = client.get("/i18n/setlang/", {"language": "ru", "next": "/public/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/public/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert '<html lang="ru">' in client.get("/public/").content.decode()
    # An unknown language by GET gets the same 400 page, and no cookie.
    refused = Client().get("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert refused.status_code == 400
    assert "The language xx is not offered" in refused.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies


def test_a_signed_in_users_page_posts_the_language_with_its_token(people):
    client = client_for(people.owner)
    html = client.get("/public/").content.decode()
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert "X-CSRFToken" in html
    # A GET (a visitor's form sent after signing in) changes neither the account nor the
    # cookie, and says where the language is chosen.
    response = client.get("/i18n/setlang/", {"language": "ru", "next": "/public/"}, follow=True)
    assert response.redirect_chain == [("/public/", 302)]
    assert "Your language is kept on your account: choose it again here." in (
        response.content.decode()
    )
    people.owner.refresh_from_db()
    assert people.owner.language == ""
    assert '<html lang="en">' in response.content.decode()


def test_language_switch_does_not_redirect_to_another_site(db):
    response = Client().post("/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
