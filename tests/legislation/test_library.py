"""The legislation library: versions that never overlap, the version in force on a date,
public pages and API that show only published laws, the node administrators' pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ipex.core.audit import Actor
from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import AuditEntry
from ipex.legislation import services
from ipex.legislation.models import ArticleVersion, Law
from tests.conftest import api_for, client_for

SYSTEM = Actor.system("test")


def test_the_version_in_force_depends_on_the_date(library):
    assert library.article.version_on(dt.date(2015, 6, 1)) == library.old
    assert library.article.version_on(dt.date(2020, 12, 31)) == library.old
    assert library.article.version_on(dt.date(2021, 1, 1)) == library.new
    assert library.article.version_on(dt.date(2000, 1, 1)) is None


def test_an_overlapping_version_is_refused_with_the_version_it_overlaps(library):
    with pytest.raises(DomainError) as refused:
        services.version_save(
            actor=SYSTEM,
            article=library.article,
            effective_from=dt.date(2020, 6, 1),
            effective_to=dt.date(2020, 7, 1),
            text_en="Overlapping",
        )
    message = refused.value.fields["effective_from"][0]
    assert "2010-04-01" in message and "2020-12-31" in message
    assert library.article.versions.count() == 2


def test_an_open_ended_version_overlaps_every_later_start(library):
    with pytest.raises(DomainError) as refused:
        services.version_save(
            actor=SYSTEM, article=library.article, effective_from=dt.date(2030, 1, 1), text_en="x"
        )
    assert "2021-01-01" in refused.value.fields["effective_from"][0]


def test_a_version_ending_before_it_starts_is_refused(library):
    with pytest.raises(DomainError) as refused:
        services.version_save(
            actor=SYSTEM,
            article=library.article,
            effective_from=dt.date(2005, 1, 1),
            effective_to=dt.date(2004, 1, 1),
            text_en="Backwards",
        )
    assert refused.value.fields["effective_to"] == [
        "A version cannot end before it comes into force."
    ]
    assert library.article.versions.count() == 2


def test_a_changed_version_may_keep_its_own_dates(library):
    services.version_save(actor=SYSTEM, version=library.new, text_en="Corrected wording")
    library.new.refresh_from_db()
    assert library.new.text_en == "Corrected wording"
    assert AuditEntry.objects.filter(action="legislation.version.changed").count() == 1


def test_bad_law_and_article_input_is_refused_and_nothing_written(library):
    laws = Law.objects.count()
    with pytest.raises(DomainError) as refused:
        services.law_save(actor=SYSTEM, slug="Bad Slug", kind="statute", name_en="", issuer="")
    assert set(refused.value.fields) == {"slug", "kind", "name_en", "issuer", "adopted_on"}
    with pytest.raises(DomainError) as clash:
        services.article_save(actor=SYSTEM, law=library.law, number=48)
    assert clash.value.fields["number"] == ["This law has an article with this number already."]
    assert Law.objects.count() == laws


def test_a_law_keeps_its_address(library):
    with pytest.raises(DomainError) as refused:
        services.law_save(actor=SYSTEM, law=library.law, slug="renamed-law")
    assert refused.value.fields["slug"] == [
        "A law keeps its address: its articles are cited by it."
    ]
    assert Law.objects.filter(slug="test-law").exists()


def test_only_node_administrators_write(library, people):
    with pytest.raises(Forbidden):
        services.law_save(actor=people.national, law=library.law, name_en="Renamed")
    library.law.refresh_from_db()
    assert library.law.name_en == "Test Copyright Law"


def test_anonymous_readers_see_published_laws_only(library):
    client = client_for(None)
    listing = client.get("/legislation/")
    assert listing.status_code == 200
    assert "Test Copyright Law" in listing.text
    assert "Secret draft regulation" not in listing.text
    assert client.get("/legislation/draft-law/").status_code == 404
    assert client.get("/legislation/draft-law/article-1/").status_code == 404


def test_a_law_page_has_its_contents_and_each_article_as_in_force_today(library):
    page = client_for(None).get("/legislation/test-law/")
    assert page.status_code == 200
    assert 'href="#article-48"' in page.text
    assert "New wording" in page.text and "Old wording" not in page.text


def test_an_article_has_a_stable_address_with_its_earlier_versions(library):
    assert library.article.get_absolute_url() == "/legislation/test-law/article-48/"
    page = client_for(None).get("/legislation/test-law/article-48/")
    assert page.status_code == 200
    current, _, earlier = page.text.partition("Other versions")
    assert "New wording" in current and "In force since 2021-01-01" in current
    assert "Old wording" in earlier and "In force from 2010-04-01 to 2020-12-31" in earlier


@pytest.mark.parametrize(
    "url",
    [
        "/legislation/no-such-law/",
        "/legislation/test-law/article-999/",
        "/legislation/test-law/article-x/",
        "/api/v1/laws/no-such-law",
        "/api/v1/laws/draft-law",
    ],
)
def test_unknown_laws_and_articles_answer_404(library, url):
    assert client_for(None).get(url).status_code == 404


def test_pages_speak_the_readers_language(library):
    client = client_for(None)
    chinese = client.get("/legislation/test-law/article-48/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "测试著作权法" in chinese.text and "第48条" in chinese.text
    assert "旧文本" in chinese.text  # the earlier version in Chinese
    russian = client.get("/legislation/test-law/article-48/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Статья 48" in russian.text and "Новая редакция" in russian.text
    with translation.override("ru"):
        assert library.old.text == "Old wording: fine up to 100000 yuan"  # falls back to English


def test_search_finds_titles_and_article_texts_of_published_laws_only(library):
    client = client_for(None)
    found = client.get("/legislation/", {"q": "250000"})
    assert "/legislation/test-law/article-48/" in found.text
    assert "Unpublished pirate" not in client.get("/legislation/", {"q": "pirate"}).text
    assert "/legislation/draft-law/" not in client.get("/legislation/", {"q": "pirate"}).text
    chinese = client.get("/legislation/", {"q": "罚款"})
    assert "/legislation/test-law/article-48/" in chinese.text
    empty = client.get("/legislation/", {"q": "---"})
    assert "Give at least one word to search for." in empty.text


def test_the_api_is_public_and_hides_drafts(library, people):
    anonymous = api_for(None)
    laws = anonymous.get("/api/v1/laws").json()
    assert [law["slug"] for law in laws["results"]] == ["test-law"]
    law = anonymous.get("/api/v1/laws/test-law").json()
    versions = law["articles"][0]["versions"]
    assert [v["effective_from"] for v in versions] == ["2021-01-01", "2010-04-01"]
    hits = anonymous.get("/api/v1/legislation/search", {"q": "pirate"}).json()
    assert hits["count"] == 0
    admin_hits = api_for(people.admin).get("/api/v1/legislation/search", {"q": "pirate"}).json()
    assert admin_hits["results"][0]["url"] == "/legislation/draft-law/article-1/"
    bad = anonymous.get("/api/v1/legislation/search", {"q": ""})
    assert bad.status_code == 400
    assert anonymous.post("/api/v1/laws", {"slug": "x"}).status_code in (401, 403, 405)


def test_a_node_administrator_adds_a_law_an_article_and_a_version(people):
    client = client_for(people.admin)
    law = client.post(
        "/legislation/new",
        {
            "slug": "new-law",
            "kind": "judicial_interpretation",
            "issuer": "Supreme People's Court",
            "adopted_on": "2004-12-08",
            "name_en": "Interpretation on IP crimes",
            "is_published": "on",
        },
    )
    assert law.status_code == 302 and law["Location"] == "/legislation/new-law/"
    article = client.post("/legislation/new-law/articles/new", {"number": 5, "position": 5})
    assert article["Location"] == "/legislation/new-law/article-5/"
    version = client.post(
        "/legislation/new-law/article-5/versions/new",
        {"effective_from": "2004-12-22", "text_en": "Thresholds for serious circumstances."},
    )
    assert version.status_code == 302
    overlap = client.post(
        "/legislation/new-law/article-5/versions/new",
        {"effective_from": "2010-01-01", "text_en": "Overlap"},
    )
    assert overlap.status_code == 200
    assert "These dates overlap the version in force from 2004-12-22 to now." in overlap.text
    assert ArticleVersion.objects.filter(article__law__slug="new-law").count() == 1
    assert AuditEntry.objects.filter(action="legislation.law.created").exists()


def test_other_users_cannot_reach_the_administrators_pages(library, people):
    assert client_for(people.national).get("/legislation/new").status_code == 404
    anonymous = client_for(None).get("/legislation/test-law/edit")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(people.admin).get("/legislation/draft-law/edit").status_code == 200


def test_the_sitemap_lists_published_laws_and_articles_only(library):
    sitemap = client_for(None).get("/sitemap.xml").text
    assert "http://testserver/legislation/test-law/article-48/" in sitemap
    assert "/legislation/draft-law/" not in sitemap
