"""The Content-Security-Policy in a real browser: the guard of conftest.py sees a violation
when one happens (so the other browser tests' silence means something), and the progress and
the API docs viewers render within their own, wider policy."""

from __future__ import annotations

import pytest

from tests.browser.test_login_languages import sign_in

pytestmark = pytest.mark.browser


def test_an_inline_style_or_script_is_refused_and_reported(transactional_db, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.context.policy_violations == []
    page.evaluate(
        """() => {
            document.head.insertAdjacentHTML('beforeend', '<style>body { display: none; }</style>');
            const script = document.createElement('script');
            script.textContent = 'window.ran = true;';
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("true")
    assert page.locator("body").is_visible()  # the injected style was not applied
    assert page.evaluate("window.ran === undefined")  # nor the script run
    assert len(page.context.policy_violations) == 2
    assert all("Content Security Policy" in line for line in page.context.policy_violations)
    page.context.policy_violations.clear()  # seen on purpose: the teardown must not fail


def test_redoc_renders_within_its_policy(transactional_db, live_server, page, people):
    """Redoc's bundle always shows Redocly's logo from its CDN; the policy refuses that one
    load (so nothing leaves the machine) and it is the only violation on the page."""
    sign_in(page, live_server, people.admin.email)
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector(".api-content h1", timeout=15_000)
    assert "IPEX API" in page.locator(".api-content h1").first.inner_text()
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    page.wait_for_function(f"!document.querySelector('img[src=\"{logo}\"]')")  # not shown
    assert set(page.outside_requests) <= {logo}
    violations = page.context.policy_violations
    assert violations and all(logo in line and "img-src" in line for line in violations)
    violations.clear()  # the one expected refusal; the teardown fails on any other
