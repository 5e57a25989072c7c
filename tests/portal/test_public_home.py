"""The public home (no sign-in) and sitemap.xml (issue 16): only what is published reaches
them; the signed-in dashboard at / is unchanged."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from ipex.core.models import Distribution
from ipex.directory.models import Node, Role
from ipex.portal import services
from ipex.seizures.models import Bulletin
from tests.conftest import client_for, make_user

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def newsroom(orgs):
    officer = make_user("press@ncac.test", orgs.ncac, Role.PRESS_OFFICER)
    approver = make_user("approver@ncac.test", orgs.ncac, Role.NEWS_APPROVER)

    def item(title, *, publish=True, language="en"):
        made = services.news_draft(
            actor=officer,
            owner_org=orgs.ncac,
            language=language,
            title=title,
            summary="Summary",
            body="Body",
        )
        if publish:
            services.news_submit(actor=officer, item=made)
            services.news_publish(actor=approver, item=made)
        return made

    def event(name, *, publish=True, days=5):
        made = services.event_create(
            actor=officer,
            owner_org=orgs.ncac,
            name_en=name,
            starts_at=timezone.now() + dt.timedelta(days=days),
            ends_at=timezone.now() + dt.timedelta(days=days, hours=2),
            online=True,
        )
        if publish:
            services.event_publish(actor=approver, event=made)
        return made

    return item, event


def test_the_public_home_shows_published_news_events_and_figures_only(newsroom, orgs, areas):
    item, event = newsroom
    item("Results of the year")
    item("Draft only", publish=False)
    event("Video conference with partners")
    event("Unpublished meeting", publish=False)
    event("Long past meeting", days=-30)
    Bulletin.objects.create(
        origin_node=Node.local(),
        owner_org=orgs.ncac,
        distribution=Distribution.PUBLIC,
        country=areas.cn,
        year=2012,
        text_en="In 2012, 107 million pirated items were seized.",
        text_zh_hans="2012年，收缴盗版制品1.07亿件。",
        text_ru="В 2012 году изъято 107 млн контрафактных экземпляров.",
    )
    response = client_for(None).get(reverse("public-home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Results of the year" in page and "Draft only" not in page
    assert "Video conference with partners" in page
    assert "Unpublished meeting" not in page and "Long past meeting" not in page
    assert "107 million pirated items" in page
    assert reverse("tip-new") in page and reverse("statistics") in page
    chinese = client_for(None).get(reverse("public-home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "1.07亿件" in chinese.content.decode()


def test_the_public_home_without_anything_published_says_so(db):
    page = client_for(None).get(reverse("public-home")).content.decode()
    assert "No figures published yet." in page
    assert "No news in this language yet." in page


def test_the_signed_in_home_is_still_the_dashboard_and_anonymous_root_signs_in(people):
    assert client_for(None).get("/")["Location"] == "/accounts/login/"
    assert 'id="home-news"' not in client_for(people.owner).get("/").content.decode()


def test_the_sitemap_lists_published_items_and_events_only(newsroom):
    item, event = newsroom
    published = item("Published item")
    draft = item("Draft item", publish=False)
    russian_draft = item("Russian draft", publish=False, language="ru")
    public_event = event("Public event")
    draft_event = event("Draft event", publish=False)
    response = client_for(None).get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    locations = [e.text for e in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    paths = {loc.removeprefix("http://testserver") for loc in locations}
    assert reverse("news-item", args=["en", published.group]) in paths
    assert reverse("event-detail", args=[public_event.uuid]) in paths
    for hidden in (draft, russian_draft):
        assert reverse("news-item", args=[hidden.language, hidden.group]) not in paths
    assert reverse("event-detail", args=[draft_event.uuid]) not in paths
    assert reverse("public-home") in paths
