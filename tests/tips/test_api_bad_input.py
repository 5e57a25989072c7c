"""Bad input to the tip API that the fuzzed contract (tests/fuzz) found answered with a 500:
each now gets a clear 400 in the caller's language and writes nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ipex.core.models import AuditEntry
from ipex.tips.models import Tip, TipMessage
from tests.conftest import api_for

PUBLIC_STEPS = ["status", "reply", "claim"]


@pytest.mark.parametrize(
    "path", ["/api/v1/public/tips", *(f"/api/v1/public/tips/{s}" for s in PUBLIC_STEPS)]
)
@pytest.mark.parametrize("body", ["-1.86e+28", "[1, 2]", '"a tip"', "null"])
def test_a_body_that_is_not_an_object_gets_400_and_nothing_is_written(routing, path, body):
    before = (Tip.objects.count(), TipMessage.objects.count(), AuditEntry.objects.count())
    answer = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        path, body, content_type="application/json"
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "请更正以下错误。"
    assert error["fields"] == {"__all__": ["请以一个 JSON 对象发送各字段。"]}
    assert (Tip.objects.count(), TipMessage.objects.count(), AuditEntry.objects.count()) == before


def test_a_reply_with_an_object_body_still_reaches_the_tip(submit):
    _tip, receipt, _proof = submit()
    answer = Client().post(
        "/api/v1/public/tips/reply",
        json.dumps({"receipt": receipt, "body": "The line runs on Tuesdays too."}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["messages"][-1]["body"] == "The line runs on Tuesdays too."


@pytest.mark.parametrize("year", ["347301467", "10000", "0", "²", "2013.5", "-1"])
def test_a_payout_report_year_outside_the_calendar_gets_400_in_the_callers_language(people, year):
    answer = api_for(people.national).get(
        "/api/v1/tips/rewards/report", {"year": year}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {"year": ["Укажите год числом, например 2013."]}


def test_a_payout_report_of_a_four_digit_year_is_answered(people):
    answer = api_for(people.national).get("/api/v1/tips/rewards/report", {"year": "9999"})
    assert answer.status_code == 200
    assert answer.json() == {"year": 9999, "rows": []}
