"""WCAG 2.1 AA as axe-core checks it (issue 16, item 5): no serious or critical violation on
the public pages — the home, a news item, an event, the statistics, the tip form, open data
and search — in English, Chinese and Russian. axe-core comes inside axe-playwright-python
and is evaluated in the page: nothing is fetched."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from ipex.seizures import services as seizures
from tests.portal.test_news import a_draft, press, published  # noqa: F401 - fixture
from tests.portal.test_news_api_and_search import an_event
from tests.portal.test_open_data import approved_national_report, national_figures
from tests.seizures.conftest import reporters  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

# The browser's language for each language of the node (the pages follow Accept-Language).
LOCALES = {"en": "en-GB", "zh-hans": "zh-CN", "ru": "ru-RU"}
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url} {v['id']} ({v['impact']}): "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def test_public_pages_have_no_serious_accessibility_violation(
    transactional_db,
    live_server,
    new_page,
    press,  # noqa: F811
    orgs,
    reporters,  # noqa: F811
):
    english = published(press, orgs)
    published(press, orgs, language="zh-hans", translation_of=english, title="中俄视频会议")
    published(press, orgs, language="ru", translation_of=english, title="Видеоконференция")
    event = an_event(press, orgs)
    approved_national_report(reporters, orgs, national_figures(2012))
    seizures.bulletin_publish(actor=reporters.national_sup, country="CN", year=2012)
    found = []
    for language, locale in LOCALES.items():
        page = new_page(locale)
        for path in [
            reverse("public-home"),
            reverse("news-item", args=[language, english.group]),
            reverse("event-detail", args=[event.uuid]),
            reverse("statistics") + "?year=2012",
            reverse("tip-new"),
            reverse("open-data"),
            reverse("open-data-version", args=["seizures", 2012, 1]),
            reverse("public-search") + "?q=video",
        ]:
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            found += serious_violations(page)
        assert page.outside_requests == []
    assert not found, "\n".join(found)
