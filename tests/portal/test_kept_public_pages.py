# ruff: noqa: F811 - ``press`` is the fixture of tests/portal/test_news.py
"""The public pages kept between readers under the audit head (``core.views.validated_pages``)
and tagged with an ETag made of it: what is published, corrected or scheduled shows at once;
each language and each signed-in reader has a page of their own; a conditional GET whose tag
still holds is answered 304 from the head alone.

These tests run outside a transaction (``transaction=True``), as requests do in production:
inside one, nothing is kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipex.portal import services
from ipex.seizures import services as seizure_services
from ipex.seizures.reference import national_figures
from tests.conftest import client_for
from tests.portal.test_news import a_draft, press, published  # noqa: F401 - the fixture
from tests.portal.test_open_data import approved_national_report, csv_rows, latest, national

pytestmark = pytest.mark.django_db(transaction=True)
HOME = "/public/"


def anonymous(path=HOME, **headers):
    return client_for(None).get(path, **headers)


def kept_read(path=HOME, **headers):
    """The page read twice: the second answer comes from what the first one kept (the head's
    query only)."""
    first = anonymous(path, **headers)
    with CaptureQueriesContext(connection) as queries:
        again = anonymous(path, **headers)
    assert again.status_code == first.status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert without_tokens(again.content) == without_tokens(first.content)
    return again


def without_tokens(content: bytes) -> bytes:
    """A page without its CSRF tokens (each reader has their own)."""
    return re.sub(rb"[A-Za-z0-9]{64}", b"<token>", content)


def test_an_item_published_shows_on_the_kept_home_and_list_at_once(press, orgs):
    published(press, orgs, title="First results")
    assert "First results" in kept_read().content.decode()
    assert "First results" in kept_read(reverse("news-list", args=["en"])).content.decode()
    published(press, orgs, title="Second results")
    assert "Second results" in anonymous().content.decode()
    assert "Second results" in anonymous(reverse("news-list", args=["en"])).content.decode()


def test_a_correction_shows_on_the_kept_item_page_at_once(press, orgs):
    item = published(press, orgs, body="Twelve lines were cracked down.")
    page = reverse("news-item", args=["en", item.group])
    assert "Twelve lines" in kept_read(page).content.decode()
    services.news_correct(
        actor=press.officer, item=item, note="The count was wrong.", body="Thirteen lines."
    )
    corrected = anonymous(page).content.decode()
    assert "Thirteen lines" in corrected and "The count was wrong." in corrected
    assert "Twelve lines" not in corrected


def test_a_draft_or_an_item_in_review_never_reaches_the_kept_pages(press, orgs):
    draft = a_draft(press, orgs, title="Draft zebra")
    kept_read()
    services.news_submit(actor=press.officer, item=a_draft(press, orgs, title="Review zebra"))
    for path in (HOME, reverse("news-list", args=["en"])):
        assert "zebra" not in kept_read(path).content.decode()
    assert anonymous(reverse("news-item", args=["en", draft.group])).status_code == 404


def test_a_scheduled_item_shows_when_its_time_comes_and_the_tag_changes(press, orgs, monkeypatch):
    item = a_draft(press, orgs, title="Scheduled results")
    services.news_submit(actor=press.officer, item=item)
    later = timezone.now() + dt.timedelta(hours=1)
    services.news_publish(actor=press.approver, item=item, publish_at=later)
    before = kept_read()
    assert "Scheduled results" not in before.content.decode()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(hours=2))
    # Nothing was written since: the head is the same, the clock alone made the item public.
    after = anonymous(HOME, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "Scheduled results" in after.content.decode()


def test_an_event_leaves_coming_up_when_it_ends(press, orgs, monkeypatch):
    now = timezone.now()
    event = services.event_create(
        actor=press.officer,
        owner_org=orgs.ncac,
        name_en="Video conference with partners",
        starts_at=now + dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=1),
        online=True,
    )
    services.event_publish(actor=press.approver, event=event)
    assert "Video conference with partners" in kept_read().content.decode()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(hours=2))
    assert "Video conference with partners" not in anonymous().content.decode()


def test_each_language_has_its_own_kept_page_and_says_which_it_is(press, orgs):
    english = kept_read()
    chinese = kept_read(HTTP_ACCEPT_LANGUAGE="zh-hans")
    russian = kept_read(HTTP_ACCEPT_LANGUAGE="ru")
    assert "Latest national figures" in english.content.decode()
    assert "Latest national figures" not in chinese.content.decode()
    assert "Latest national figures" not in russian.content.decode()
    assert chinese.content != russian.content
    assert len({english["ETag"], chinese["ETag"], russian["ETag"]}) == 3
    for answer, language in ((english, "en"), (chinese, "zh-hans"), (russian, "ru")):
        assert answer["Content-Language"] == language
        varies = {v.strip().lower() for v in answer["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= varies
    # A tag of one language is not taken for another's.
    assert (
        anonymous(HTTP_ACCEPT_LANGUAGE="ru", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200
    )


def test_a_signed_in_page_is_never_served_to_a_visitor_nor_the_other_way(press, orgs):
    published(press, orgs, title="Results of the year")
    officer = client_for(press.officer)
    signed_in = officer.get(HOME).content.decode()
    assert 'id="logout-button"' in signed_in and "Dashboard" in signed_in
    visitor = kept_read().content.decode()
    assert 'id="logout-button"' not in visitor and "Dashboard" not in visitor
    assert "Sign in" in visitor and "Results of the year" in visitor
    again = officer.get(HOME).content.decode()
    assert 'id="logout-button"' in again and "Sign in" not in again


def test_a_kept_public_page_is_the_same_for_every_visitor_and_mints_no_csrf_token(press, orgs):
    """A visitor's page has no form to post (the language switch is a GET for them), so the
    kept copy is served as it is: no token made per reader, no CSRF cookie set. A page with
    a form to post still gets each visitor a token of their own (tests/tips/test_kept_tip_form)."""
    first, second = anonymous(), anonymous()
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert b"csrfmiddlewaretoken" not in second.content
    assert b"@@ipex-csrf-token@@" not in second.content
    assert "csrftoken" not in first.cookies and "csrftoken" not in second.cookies


def test_a_conditional_get_of_a_public_page_is_answered_304_from_the_head_alone(press, orgs):
    item = published(press, orgs, title="Results of the year")
    for path in (HOME, reverse("news-item", args=["en", item.group])):
        first = anonymous(path)
        assert first.status_code == 200 and first["ETag"].startswith('"')
        with CaptureQueriesContext(connection) as queries:
            again = anonymous(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == first["ETag"]
        assert len(queries) == 1  # the audit head
        assert anonymous(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    tag = anonymous()["ETag"]
    published(press, orgs, title="News of the day")
    changed = anonymous(HOME, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert "News of the day" in changed.content.decode()


def test_an_item_that_is_not_there_is_404_without_a_tag(press, orgs):
    missing = anonymous(reverse("news-item", args=["en", "6b1f3c52-6f0e-4d43-9a51-1d1bb7e1a7a2"]))
    assert missing.status_code == 404 and "ETag" not in missing


def test_a_republished_year_is_in_the_kept_download_at_once(reporters, orgs):
    report = approved_national_report(reporters, orgs, national_figures(2012))
    seizure_services.bulletin_publish(actor=reporters.national_sup, country="CN", year=2012)
    first = kept_read(latest("data.csv"))
    assert national(csv_rows(first))["books"] == 19_080_000
    revision = seizure_services.report_revise(
        actor=reporters.national_stat, report=report, reason="Late returns"
    )
    seizure_services.report_set_lines(
        actor=reporters.national_stat,
        report=revision,
        lines={**national_figures(2012), "books": 19_090_000},
    )
    seizure_services.report_submit(actor=reporters.national_stat, report=revision)
    seizure_services.report_approve(actor=reporters.national_sup, report=revision)
    seizure_services.bulletin_publish(actor=reporters.national_sup, country="CN", year=2012)
    again = anonymous(latest("data.csv"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert national(csv_rows(again))["books"] == 19_090_000
