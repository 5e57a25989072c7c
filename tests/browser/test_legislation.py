"""The legislation library in a real browser, as an anonymous reader in each language: the
library, a law with its table of contents, an article with its earlier version; axe-core
finds no serious or critical accessibility violation on a law's page."""

from __future__ import annotations

import pytest

from tests.legislation.conftest import library as library  # the fixture, used by name

pytestmark = pytest.mark.browser

TITLES = {
    "en-GB": ("Legislation library", "Article 48", "Other versions"),
    "zh-CN": ("法律法规库", "第48条", "其他版本"),
    "ru-RU": ("Библиотека законодательства", "Статья 48", "Другие редакции"),
}


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations in the page's content (``<main>``: the
    menu bar is the base template's, checked with the portal's pages)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [["#main"]]})
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("locale", list(TITLES))
def test_an_anonymous_reader_browses_the_library(
    transactional_db,
    live_server,
    new_page,
    library,
    locale,  # noqa: F811
):
    heading, article, others = TITLES[locale]
    page = new_page(locale)
    page.goto(f"{live_server.url}/legislation/")
    assert page.locator("h1").inner_text() == heading
    page.get_by_role("link", name=library.law.localized_name(locale[:2])).click()
    page.wait_for_url("**/legislation/test-law/")
    assert serious_violations(page) == []
    page.locator("#toc").get_by_role("link").first.click()
    assert page.url.endswith("#article-48")
    page.locator("#article-48 h2 a").click()
    page.wait_for_url("**/legislation/test-law/article-48/")
    assert article in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name=others).is_visible()
    assert "2010-04-01" in page.locator("#versions").inner_text()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/legislation/?q=250000")
    assert page.locator("#results a").first.get_attribute("href") == (
        "/legislation/test-law/article-48/"
    )
    assert page.outside_requests == []
