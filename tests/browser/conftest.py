"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's Python package."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path(os.environ.get("IPEX_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def _async_unsafe_orm():
    """Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures
    happen between its steps, never inside a coroutine. Only for the browser tests."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="session")
def browser(_async_unsafe_orm):
    if not CHROMIUM.exists():
        if os.environ.get("IPEX_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _watched_context(browser, locale):
    """A browser context whose console is read for Content-Security-Policy violations:
    Chromium reports every refused inline script or style, eval and outside load there."""
    context = browser.new_context(locale=locale)
    context.policy_violations = []

    def read(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            where = message.page.url if message.page else "?"
            context.policy_violations.append(f"{where}: {message.text}")

    context.on("console", read)
    return context


def _close_without_violations(contexts):
    violations = [line for context in contexts for line in context.policy_violations]
    for context in contexts:
        context.close()
    assert violations == [], "Content-Security-Policy violations in the browser console"


def _watched_page(context):
    page = context.new_page()
    page.outside_requests = []

    def watch(request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in LOCAL_HOSTS:
            page.outside_requests.append(request.url)

    page.on("request", watch)
    return page


@pytest.fixture
def page(browser):
    context = _watched_context(browser, "en-GB")
    yield _watched_page(context)
    _close_without_violations([context])


@pytest.fixture
def new_page(browser):
    """Pages in separate browser contexts (separate people), each watched for requests that
    leave the machine and for Content-Security-Policy violations."""
    contexts = []

    def make(locale="en-GB"):
        context = _watched_context(browser, locale)
        contexts.append(context)
        return _watched_page(context)

    yield make
    _close_without_violations(contexts)
