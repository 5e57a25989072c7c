"""The public side: the form without an account, the receipt shown once, the tipster's
return with the receipt, the same answer for every wrong receipt, throttling."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.test import Client

from ipex.tips import receipts, services
from ipex.tips.models import Tip, TipMessage
from tests.tips.conftest import photo


def page_submit(client, **fields):
    data = {
        "kind": "production_line",
        "jurisdiction": "CN-GD-SZ-BA",
        "description": "Discs pressed at night",
        **fields,
    }
    return client.post("/tips/new", data)


def receipt_of(response) -> str:
    return re.search(r'id="receipt">([\d ]+)<', response.content.decode()).group(1)


def test_the_form_works_without_an_account_in_chinese(routing):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    form = client.get("/tips/new")
    assert form.status_code == 200 and "举报" in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    response = page_submit(client, description="夜间在染料厂后面生产光盘", files=[photo()])
    assert response.status_code == 200
    receipt = receipt_of(response)
    assert len(receipt.replace(" ", "")) == 16
    tip = Tip.objects.get()
    assert tip.language == "zh-hans" and tip.attachments.count() == 1
    # The receipt is shown once: nothing on the node can show it again.
    assert receipt.replace(" ", "") not in tip.receipt_hash
    assert "ipex-tip-proof/1" in response.content.decode()


def test_bad_input_on_the_form_is_explained_and_nothing_is_written(routing):
    response = page_submit(Client(), description="", jurisdiction="")
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required." in text
    assert not Tip.objects.exists()


def test_the_tipster_reads_answers_and_adds_files_with_the_receipt(routing, people):
    client = Client()
    receipt = receipt_of(page_submit(client))
    tip = Tip.objects.get()
    services.tip_acknowledge(actor=people.owner, tip=tip)
    services.tip_ask(actor=people.owner, tip=tip, question="Which gate do the lorries use?")
    status = client.post("/tips/status", {"receipt": receipt})
    assert status.status_code == 200
    text = status.content.decode()
    assert "Acknowledged" in text and "Which gate do the lorries use?" in text
    assert receipt.replace(" ", "") not in status.request["PATH_INFO"]
    reply = client.post(
        "/tips/status/reply", {"receipt": receipt, "body": "The north gate", "files": [photo()]}
    )
    assert reply.status_code == 200 and "The north gate" in reply.content.decode()
    assert TipMessage.objects.filter(direction="reply").count() == 1
    assert tip.attachments.count() == 1
    empty = client.post("/tips/status/reply", {"receipt": receipt, "body": ""})
    assert empty.status_code == 400 and "Write a reply or add a file." in empty.content.decode()


def test_every_wrong_receipt_gets_the_same_answer_and_costs_one_hash(routing):
    client = Client()
    receipt = receipt_of(page_submit(client)).replace(" ", "")
    wrong = receipt[:15] + str((int(receipt[15]) + 1) % 10)
    calls = []
    real = receipts.receipt_hash

    def counting(raw):
        calls.append(raw)
        return real(raw)

    answers = []
    with mock.patch("ipex.tips.services.receipts.receipt_hash", counting):
        for attempt in (wrong, "1111222233334444", "not-a-receipt", ""):
            calls.clear()
            response = client.post("/tips/status", {"receipt": attempt})
            assert len(calls) == 1  # one argon2id hash whatever was typed
            # Only the (masked, per-response) CSRF token may differ.
            body = re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())
            answers.append((response.status_code, body))
    assert {status for status, _ in answers} == {404}
    assert len({body for _, body in answers}) == 1
    assert "No tip matches this receipt code." in answers[0][1]


def test_repeated_wrong_receipts_are_throttled_and_the_api_says_so(routing):
    client = Client(REMOTE_ADDR="192.0.2.9")
    receipt = receipt_of(page_submit(client)).replace(" ", "")
    for _ in range(10):
        assert client.post("/tips/status", {"receipt": "9" * 16}).status_code == 404
    blocked = client.post("/tips/status", {"receipt": receipt})
    assert blocked.status_code == 429  # even the right receipt, while throttled
    assert "Too many attempts" in blocked.content.decode()
    api = client.post(
        "/api/v1/public/tips/status", {"receipt": receipt}, content_type="application/json"
    )
    assert api.status_code == 429
    # Another client is not affected.
    other = Client(REMOTE_ADDR="192.0.2.10")
    assert other.post("/tips/status", {"receipt": receipt}).status_code == 200


def test_the_public_api_answers_receipt_and_proof_and_refuses_bad_input(routing):
    client = Client()
    response = client.post(
        "/api/v1/public/tips",
        {"kind": "production_line", "jurisdiction": "CN-GD-SZ-BA", "description": "Line"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"receipt", "proof"} and body["proof"]["format"] == "ipex-tip-proof/1"
    multipart = client.post(
        "/api/v1/public/tips",
        {"kind": "online", "jurisdiction": "CN-GD", "description": "Site", "files": [photo()]},
    )
    assert multipart.status_code == 201
    bad = client.post(
        "/api/v1/public/tips",
        {"kind": "production_line", "jurisdiction": "CN-GD", "description": "  "},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "description" in bad.json()["error"]["fields"]
    unknown = client.post(
        "/api/v1/public/tips/status", {"receipt": "1234"}, content_type="application/json"
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_receipt"
    assert Tip.objects.count() == 2


@pytest.mark.parametrize("path", ["/tips/", "/api/v1/tips"])
def test_the_officers_side_is_closed_to_the_public(routing, path):
    response = Client().get(path)
    assert response.status_code in {302, 401}
