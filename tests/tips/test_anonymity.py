"""After a tip with a distinctive client address and user agent, neither appears anywhere in
the database, the files or the logs; a distinctive phrase of the description appears nowhere
in plain text."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client

from tests.tips.conftest import photo

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
AGENT = "DistinctiveAgent/9.9 (Xq7zK3; tipster-machine)"
PHRASE = "PurpleElephantWarehouse"
CONTACT = "lotus-contact-5521"


def everything_stored(data_dir) -> list[bytes]:
    """Every value of every table, and every file the platform wrote."""
    blobs: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, memoryview | bytes | bytearray):
                        blobs.append(bytes(value))
                    else:
                        blobs.append(str(value).encode("utf-8"))
    for path in data_dir.rglob("*"):
        if path.is_file():
            blobs.append(path.read_bytes())
    return blobs


def assert_nothing_identifying(data_dir, caplog):
    stored = everything_stored(data_dir)
    for needle in (ADDRESS, FORWARDED, AGENT, "Xq7zK3", PHRASE, CONTACT):
        assert not any(needle.encode() in blob for blob in stored), needle
        assert needle not in caplog.text, needle


@pytest.mark.django_db(transaction=False)
def test_a_tip_through_the_page_leaves_no_trace_of_its_sender(routing, settings, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED)
    response = client.post(
        "/tips/new",
        {
            "kind": "production_line",
            "jurisdiction": "CN-GD-SZ-BA",
            "description": f"A line at the {PHRASE} runs every night",
            "contact": CONTACT,
            "files": [photo()],
        },
    )
    assert response.status_code == 200
    assert "Your receipt code, shown only this once" in response.content.decode()
    # A wrong receipt attempt and a status check add nothing either.
    client.post("/tips/status", {"receipt": "0000 0000 0000 0000"})
    assert_nothing_identifying(settings.DATA_DIR, caplog)


@pytest.mark.django_db
def test_a_tip_through_the_api_leaves_no_trace_of_its_sender(routing, settings, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED)
    response = client.post(
        "/api/v1/public/tips",
        {
            "kind": "online",
            "jurisdiction": "CN-GD",
            "description": f"Site selling discs, the {PHRASE} brand",
            "contact": CONTACT,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    receipt = response.json()["receipt"]
    status = client.post(
        "/api/v1/public/tips/status", {"receipt": receipt}, content_type="application/json"
    )
    assert status.json()["status"] == "received"
    assert_nothing_identifying(settings.DATA_DIR, caplog)
