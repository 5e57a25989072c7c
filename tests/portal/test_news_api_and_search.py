"""The read API of news and events, full-text search over published news, and the page
titles and Open Graph tags of the public pages (issue 16, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ipex.portal import services
from tests.conftest import api_for, client_for
from tests.portal.test_news import a_draft, press, published  # noqa: F401 - fixture

BODY = "Both administrations spoke of 光盘生产线 and of GD-2013-0042."


def an_event(press, orgs, *, publish=True, **extra):  # noqa: F811
    event = services.event_create(
        actor=press.officer,
        owner_org=orgs.ncac,
        name_en=extra.pop("name_en", "China–Russia video conference"),
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
        online=True,
        description="Enforcement results and **cooperation**.",
        **extra,
    )
    if publish:
        services.event_publish(actor=press.approver, event=event)
    return event


# ---------------------------------------------------------------- the read API


def test_anyone_reads_published_news_and_events_through_the_api(press, orgs):  # noqa: F811
    item = published(press, orgs, body=BODY)
    draft = a_draft(press, orgs, title="Draft only", language="ru")
    event = an_event(press, orgs)
    hidden = an_event(press, orgs, publish=False, name_en="Unannounced meeting")
    anonymous = api_for(None)
    news = anonymous.get("/api/v1/news").json()
    assert [n["title"] for n in news["results"]] == [item.title]
    one = anonymous.get(f"/api/v1/news/{item.uuid}").json()
    assert one["language"] == "en" and "<p>Both administrations" in one["body_html"]
    assert one["url"] == reverse("news-item", args=["en", item.group])
    assert anonymous.get(f"/api/v1/news/{draft.uuid}").status_code == 404
    events = anonymous.get("/api/v1/events").json()["results"]
    assert [e["uuid"] for e in events] == [str(event.uuid)]
    assert anonymous.get(f"/api/v1/events/{hidden.uuid}").status_code == 404


def test_staff_read_their_drafts_and_others_do_not(press, orgs):  # noqa: F811
    draft = a_draft(press, orgs, title="Draft only")
    hidden = an_event(press, orgs, publish=False)
    officer = api_for(press.officer)
    assert officer.get(f"/api/v1/news/{draft.uuid}").json()["status"] == "draft"
    assert officer.get(f"/api/v1/events/{hidden.uuid}").json()["status"] == "draft"
    outsider = api_for(press.outsider)
    assert outsider.get(f"/api/v1/news/{draft.uuid}").status_code == 404
    assert outsider.get(f"/api/v1/events/{hidden.uuid}").status_code == 404


def test_a_scheduled_item_is_not_read_before_its_time(press, orgs):  # noqa: F811
    item = a_draft(press, orgs)
    services.news_submit(actor=press.officer, item=item)
    services.news_publish(
        actor=press.approver, item=item, publish_at=timezone.now() + dt.timedelta(days=2)
    )
    assert api_for(None).get(f"/api/v1/news/{item.uuid}").status_code == 404
    assert api_for(press.officer).get(f"/api/v1/news/{item.uuid}").status_code == 200


def test_news_by_language_and_an_unknown_language_is_refused(press, orgs):  # noqa: F811
    english = published(press, orgs)
    chinese = published(press, orgs, language="zh-hans", translation_of=english, title="视频会议")
    anonymous = api_for(None)
    answer = anonymous.get("/api/v1/news?language=zh-hans").json()["results"]
    assert [n["uuid"] for n in answer] == [str(chinese.uuid)]
    refused = anonymous.get("/api/v1/news?language=klingon")
    assert refused.status_code == 400
    assert "Choose en, zh-hans or ru." in str(refused.json())


def test_the_api_of_news_is_read_only(press, orgs):  # noqa: F811
    item = published(press, orgs)
    officer = api_for(press.officer)
    assert officer.post("/api/v1/news", {"title": "x"}, format="json").status_code == 405
    assert officer.delete(f"/api/v1/news/{item.uuid}").status_code == 405


# ---------------------------------------------------------------- search


def search(words: str) -> str:
    response = client_for(None).get(reverse("public-search"), {"q": words})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_published_items_by_word_prefix_and_chinese_characters(press, orgs):  # noqa: F811
    published(press, orgs, title="Video conference with Russia", body=BODY)
    assert "Video conference with Russia" in search("conference")
    assert "Video conference with Russia" in search("CONFER")
    assert "Video conference with Russia" in search("生产")
    assert "Video conference with Russia" in search("GD-2013-00")
    assert "Video conference with Russia" in search("russia 光盘")
    assert "0 items found" in search("russia karaoke")


def test_search_never_shows_a_draft_an_item_in_review_or_a_scheduled_one(press, orgs):  # noqa: F811
    a_draft(press, orgs, title="Secret draft zebra")
    review = a_draft(press, orgs, language="ru", title="Under review zebra")
    services.news_submit(actor=press.officer, item=review)
    scheduled = a_draft(press, orgs, language="zh-hans", title="Scheduled zebra")
    services.news_submit(actor=press.officer, item=scheduled)
    services.news_publish(
        actor=press.approver, item=scheduled, publish_at=timezone.now() + dt.timedelta(days=1)
    )
    page = search("zebra")
    assert "0 items found" in page
    for title in ("Secret draft zebra", "Under review zebra", "Scheduled zebra"):
        assert title not in page


@pytest.mark.parametrize("words", ["", "   ", "-- ; ' \" %", "x" * 500])
def test_a_search_of_nothing_or_of_symbols_answers_calmly(press, orgs, words):  # noqa: F811
    published(press, orgs)
    page = search(words)
    assert 'id="search-q"' in page
    assert "Video conference with Russia" not in page


def test_a_corrected_item_is_found_by_its_new_words(press, orgs):  # noqa: F811
    item = published(press, orgs)
    services.news_correct(
        actor=press.officer, item=item, note="Wrong city", body="The meeting was in Harbin."
    )
    assert "Video conference with Russia" in search("harbin")


# ---------------------------------------------------------------- titles and Open Graph


def test_a_news_page_has_its_title_and_open_graph_tags(press, orgs):  # noqa: F811
    item = published(press, orgs)
    page = client_for(None).get(reverse("news-item", args=["en", item.group])).content.decode()
    assert "<title>Video conference with Russia ·" in page
    assert '<meta property="og:title" content="Video conference with Russia">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:locale" content="en_US">' in page


def test_an_event_page_has_its_title_and_open_graph_tags(press, orgs):  # noqa: F811
    event = an_event(press, orgs)
    page = client_for(None).get(reverse("event-detail", args=[event.uuid])).content.decode()
    assert "<title>China–Russia video conference ·" in page
    assert '<meta property="og:title" content="China–Russia video conference">' in page
