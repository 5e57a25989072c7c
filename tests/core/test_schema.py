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


# Each former step of the generic ``steps/{step}`` endpoints: its path, and the fields of its
# own request body with those it requires (None: the step takes no body).
STEP_OPERATIONS = {
    "/api/v1/cases/{uuid}/investigate": None,
    "/api/v1/cases/{uuid}/take-action": None,
    "/api/v1/cases/{uuid}/refer": None,
    "/api/v1/cases/{uuid}/close": ({"outcome"}, {"outcome"}),
    "/api/v1/cases/{uuid}/reopen": ({"reason"}, {"reason"}),
    "/api/v1/tips/{uuid}/acknowledge": None,
    "/api/v1/tips/{uuid}/assess": ({"assessment", "duplicate_of"}, {"assessment"}),
    "/api/v1/tips/{uuid}/ask": ({"question"}, {"question"}),
    "/api/v1/tips/{uuid}/link-case": ({"case"}, {"case"}),
    "/api/v1/tips/{uuid}/close": ({"outcome"}, {"outcome"}),
    "/api/v1/tips/{uuid}/reward/invite": None,
    "/api/v1/tips/{uuid}/reward/propose": ({"amount"}, {"amount"}),
    "/api/v1/tips/{uuid}/reward/approve": None,
    "/api/v1/tips/{uuid}/reward/pay": ({"payment_reference"}, {"payment_reference"}),
    "/api/v1/tips/{uuid}/reward/reject": ({"reason"}, {"reason"}),
}


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(urlconf="ipex.urls").get_schema(request=None, public=True)


def test_each_former_step_is_its_own_operation_with_its_own_request_body(schema):
    paths, components = schema["paths"], schema["components"]["schemas"]
    bodies = set()
    for path, expected in STEP_OPERATIONS.items():
        operation = paths[path]["post"]
        assert set(paths[path]) == {"post"}, path
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), path
        if expected is None:
            assert "requestBody" not in operation, path
            continue
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = components[ref.rsplit("/", 1)[-1]]
        fields, required = expected
        assert (set(body["properties"]), set(body["required"])) == (fields, required), path
        assert operation["requestBody"]["required"] is True, path
        bodies.add(ref)
    assert len(bodies) == len([e for e in STEP_OPERATIONS.values() if e]), "one body per step"
    assert len({paths[p]["post"]["operationId"] for p in STEP_OPERATIONS}) == len(STEP_OPERATIONS)


def test_no_generic_step_endpoint_remains(schema):
    generic = [p for p in schema["paths"] if re.search(r"/steps?(/|$)", p) or "{step}" in p]
    assert generic == []
