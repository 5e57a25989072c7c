"""The security headers every response carries: a Content-Security-Policy without inline code,
a Permissions-Policy, Referrer-Policy and nosniff — on a page, the API and the public tip
form; and no template brings inline code back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

import ipex
from tests.conftest import client_for

TEMPLATES = Path(ipex.__file__).resolve().parent / "templates"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_headers(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_a_page_sends_the_headers(people):
    response = client_for(people.owner).get("/")
    assert response.status_code == 200
    assert_headers(response)


def test_the_api_sends_the_headers(people, token_for):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(people.owner)}")
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert_headers(response)


@pytest.mark.django_db
def test_the_public_tip_form_sends_the_headers():
    response = Client().get("/tips/new")
    assert response.status_code == 200
    assert_headers(response)


@pytest.mark.django_db
def test_a_refusal_sends_the_headers_too():
    response = Client().get("/api/v1/me")
    assert response.status_code in (401, 403)
    assert_headers(response)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_only_the_api_docs_pages_allow_their_inline_code(people, path):
    client = client_for(people.admin)
    docs = client.get(path)
    assert docs.status_code == 200
    policy = directives(docs)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    schema = client.get("/api/schema/")
    assert "'unsafe-inline'" not in schema["Content-Security-Policy"]


def test_the_pages_render_without_inline_styles(people):
    """What replaced style="width: N%" and the indent spans still renders the same."""
    page = client_for(people.admin).get("/directory/organisations/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="indent-0"' in html and 'class="indent-2"' in html
    assert "style=" not in html


INLINE_CODE = [
    (re.compile(r"\sstyle\s*="), "a style= attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"\shx-on[:-]", re.I), "an hx-on attribute (evaluated code)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_carries_inline_code():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 20
    found = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE_CODE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(TEMPLATES)}:{line}: {what}")
    assert found == []


def test_the_inline_code_check_would_catch_a_regression():
    samples = {
        '<div class="progress-bar" style="width: 5%">': "a style= attribute",
        "<style>body { margin: 0; }</style>": "a <style> element",
        "<script>alert(1)</script>": "an inline <script>",
        '<button onclick="go()">': "an on…= event handler",
        '<button hx-on:click="this.remove()">': "an hx-on attribute (evaluated code)",
    }
    for sample, expected in samples.items():
        assert [what for pattern, what in INLINE_CODE if pattern.search(sample)] == [expected]
    assert not any(p.search('<script src="/static/ipex/ipex.js"></script>') for p, _ in INLINE_CODE)
