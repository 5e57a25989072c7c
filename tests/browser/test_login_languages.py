"""The main path in a real browser: sign in, switch to Chinese and Russian, sign out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "Correct-Horse-42"


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-submit").click()


def switch_language(page, code):
    page.select_option("#language-select", code)
    page.locator("#language-submit").click()
    page.wait_for_load_state()


def test_sign_in_switch_languages_and_sign_out(transactional_db, live_server, page, people):
    sign_in(page, live_server, people.admin.email)
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert page.locator("#count-organisations").inner_text().strip() == "6"

    switch_language(page, "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text().startswith("欢迎")
    assert page.get_by_role("heading", name="您的机构和角色").is_visible()
    assert page.get_by_role("link", name="工作台").is_visible()

    switch_language(page, "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text().startswith("Добро пожаловать")
    assert page.get_by_role("heading", name="Ваши организации и роли").is_visible()

    people.admin.refresh_from_db()
    assert people.admin.language == "ru"  # remembered on the account

    page.get_by_role("button", name=people.admin.full_name).click()
    page.locator("#logout-button").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("h1").inner_text() == "Войти"  # the language cookie stays
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.outside_requests == []


def test_wrong_password_shows_an_error_and_stays_signed_out(
    transactional_db, live_server, page, people
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(people.owner.email)
    page.get_by_label("Password").fill("not-the-password")
    page.locator("#login-submit").click()
    assert page.get_by_role("alert").is_visible()
    assert "correct" in page.get_by_role("alert").inner_text().lower()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url


def test_swagger_ui_renders_from_local_assets(transactional_db, live_server, page, people):
    sign_in(page, live_server, people.admin.email)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert "IPEX API" in page.locator(".swagger-ui .info").inner_text()
    assert page.outside_requests == []
