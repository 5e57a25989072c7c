"""Issue 16's "Done when", in a real browser and in each language: a press officer drafts an
item and its translation, an approver publishes them, an anonymous visitor finds the item on
the public home, in the Atom feed and through search; the event is in the iCalendar feed;
the 2012 dataset downloads as CSV and as a Data Package that frictionless validates, with
the bulletin's figures."""

from __future__ import annotations

import csv
import io

import frictionless
import pytest
from django.urls import reverse

from ipex.portal.models import NewsItem
from ipex.seizures import services as seizures
from ipex.seizures.reference import national_figures
from tests.browser.test_tips import PASSWORD
from tests.portal.test_news import press  # noqa: F401 - fixture
from tests.portal.test_news_api_and_search import an_event
from tests.portal.test_open_data import approved_national_report
from tests.seizures.conftest import reporters  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "zh-hans": "zh-CN", "ru": "ru-RU"}
# language → (title, a word of it to search for), and the language it is translated into
ITEMS = {
    "en": ("Copyright cooperation by video conference", "cooperation"),
    "zh-hans": ("中俄版权合作视频会议", "版权合作"),
    "ru": ("Видеоконференция по авторскому праву", "авторскому"),
}
TRANSLATED_INTO = {"en": "zh-hans", "zh-hans": "ru", "ru": "en"}


def sign_in(page, url, user):
    """The sign-in form, by its fields' names (its labels are in the browser's language)."""
    page.goto(f"{url}{reverse('login')}")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_load_state()


def write(page, language, title):
    """Fill the newsroom's draft form (the translation's form has its item already) and save."""
    if page.locator("#id_owner_org").count():
        page.select_option("#id_owner_org", "CN-NCAC")
    page.select_option("#id_language", language)
    page.fill("#id_title", title)
    page.fill("#id_summary", f"{title}: summary.")
    page.fill("#id_body", f"{title}. Both administrations **met** by video conference.")
    page.select_option("#id_category", "event_report")
    page.locator("#main form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", list(LOCALES))
def test_from_a_draft_to_the_public_and_the_2012_open_data(
    transactional_db,
    live_server,
    new_page,
    press,  # noqa: F811
    orgs,
    reporters,  # noqa: F811
    tmp_path,
    language,
):
    url = live_server.url
    title, word = ITEMS[language]
    other = TRANSLATED_INTO[language]
    translated_title = f"{ITEMS[other][0]} ({language})"
    event = an_event(press, orgs, name_en="China–Russia video conference")
    approved_national_report(reporters, orgs, national_figures(2012))
    seizures.bulletin_publish(actor=reporters.national_sup, country="CN", year=2012)

    officer = new_page(LOCALES[language])
    sign_in(officer, url, press.officer)
    officer.goto(f"{url}{reverse('newsroom-draft')}")
    write(officer, language, title)
    original = officer.url
    officer.locator(f'a[href*="translation_of"][href*="language={other}"]').click()
    write(officer, other, translated_title)
    officer.locator("#news-submit").click()
    officer.goto(original)
    officer.locator("#news-submit").click()
    officer.wait_for_load_state()

    approver = new_page(LOCALES[language])
    sign_in(approver, url, press.approver)
    for item in NewsItem.objects.filter(title__in=[title, translated_title]):
        assert item.status == "review"
        approver.goto(f"{url}{reverse('newsroom-item', args=[item.uuid])}")
        approver.locator("#news-publish").click()
        approver.wait_for_load_state()
    assert NewsItem.objects.published().filter(title__in=[title, translated_title]).count() == 2

    visitor = new_page(LOCALES[language])
    visitor.goto(f"{url}{reverse('public-home')}")
    assert title in visitor.locator("#home-news").inner_text()
    feed = visitor.request.get(f"{url}{reverse('news-feed', args=[language])}").text()
    assert title in feed and translated_title not in feed
    visitor.goto(f"{url}{reverse('public-search')}")
    visitor.fill("#search-q", word)
    visitor.locator("#main form[role=search] button").click()
    visitor.wait_for_load_state()
    assert title in visitor.locator("#search-results").inner_text()
    calendar = visitor.request.get(f"{url}{reverse('event-calendar')}").text()
    assert "China–Russia video conference" in calendar and str(event.uuid) in calendar

    data = f"{url}/public/data/seizures/2012/"
    response = visitor.request.get(data + "data.csv")
    assert response.headers["access-control-allow-origin"] == "*"
    (tmp_path / "data.csv").write_bytes(response.body())
    (tmp_path / "datapackage.json").write_bytes(
        visitor.request.get(data + "datapackage.json").body()
    )
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid
    rows = csv.DictReader(io.StringIO(response.text()))
    national = {r["category"]: int(r["quantity"]) for r in rows if r["jurisdiction"] == "CN"}
    assert national == national_figures(2012)
