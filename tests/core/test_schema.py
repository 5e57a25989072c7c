"""The OpenAPI schema builds with no warnings, validates, and its docs are served locally."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate


@pytest.mark.django_db
def test_schema_builds_without_warnings_and_is_valid_openapi(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), "--urlconf", "ipex.urls"
    )
    schema = yaml.safe_load(out.read_text())
    validate(schema)
    assert schema["openapi"].startswith("3.1")
    for path in (
        "/api/v1/me",
        "/api/v1/organisations",
        "/api/v1/jurisdictions",
        "/api/v1/sharing-groups",
        "/api/v1/me/tokens",
    ):
        assert path in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_api_docs_load_only_local_assets(client, page):
    html = client.get(page).content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls, "the docs page references its assets"
    assert all(u.startswith(("/", "#")) for u in urls), urls
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_every_stylesheet_and_script_of_the_base_page_is_served(client):
    from django.contrib.staticfiles import finders

    html = client.get("/accounts/login/").content.decode()
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert any(a.endswith("ipex.css") for a in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
