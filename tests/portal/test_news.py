"""News items (issue 16): Markdown made safe, the workflow from draft to publication by an
approver who is not the author, corrections, translations, and what an anonymous reader,
the Atom feed and the staff pages see."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.models import AuditEntry
from ipex.directory import services as directory
from ipex.directory.models import Role
from ipex.portal import services
from ipex.portal.markdown import render_markdown
from ipex.portal.models import NewsItem, NewsStatus
from tests.conftest import SYSTEM, client_for, make_user

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def press(orgs):
    return SimpleNamespace(
        officer=make_user("press@ncac.test", orgs.ncac, Role.PRESS_OFFICER),
        approver=make_user("approver@ncac.test", orgs.ncac, Role.NEWS_APPROVER),
        officer_approver=make_user("both@ncac.test", orgs.ncac, Role.PRESS_OFFICER),
        outsider=make_user("press@zj.test", orgs.zj, Role.PRESS_OFFICER),
    )


@pytest.fixture
def _both(press, orgs):
    directory.membership_grant(
        actor=SYSTEM, user=press.officer_approver, organisation=orgs.ncac, role=Role.NEWS_APPROVER
    )


def a_draft(press, orgs, *, language="en", title="Video conference with Russia", **extra):
    return services.news_draft(
        actor=extra.pop("actor", press.officer),
        owner_org=orgs.ncac,
        language=language,
        title=title,
        summary="The two administrations met by video conference.",
        body=extra.pop("body", "The **heads** of both administrations spoke."),
        category="event_report",
        tags="Russia, cooperation",
        **extra,
    )


def published(press, orgs, **extra):
    item = a_draft(press, orgs, **extra)
    services.news_submit(actor=press.officer, item=item)
    return services.news_publish(actor=press.approver, item=item)


# ---------------------------------------------------------------- Markdown made safe


def test_markdown_is_rendered():
    html = render_markdown("Some **bold** text and [a link](https://www.ncac.gov.cn/).")
    assert "<strong>bold</strong>" in html
    assert 'href="https://www.ncac.gov.cn/"' in html


def test_a_script_in_markdown_reaches_the_page_as_text_only():
    html = render_markdown("Hello <script>alert('x')</script>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_an_iframe_in_markdown_reaches_the_page_as_text_only():
    html = render_markdown('<iframe src="https://evil.example/"></iframe>\n\nText')
    assert "<iframe" not in html


def test_raw_html_attributes_never_reach_the_page():
    html = render_markdown('<img src=x onerror="alert(1)"> <b style="color:red">b</b>')
    assert "<img" not in html and "<b " not in html  # no element: the tags are text
    assert "&lt;img" in html


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "<javascript:alert(1)>",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_a_javascript_or_data_link_is_not_a_link(link):
    html = render_markdown(link)
    assert "href" not in html
    assert "<a" not in html


# ---------------------------------------------------------------- the workflow


def test_a_press_officer_drafts_submits_and_an_approver_publishes(press, orgs):
    item = a_draft(press, orgs)
    assert item.status == NewsStatus.DRAFT and item.author == press.officer
    services.news_submit(actor=press.officer, item=item)
    assert item.status == NewsStatus.REVIEW
    services.news_publish(actor=press.approver, item=item)
    item.refresh_from_db()
    assert item.status == NewsStatus.PUBLISHED
    assert item.approved_by == press.approver
    assert item.published_at <= timezone.now()
    actions = list(
        AuditEntry.objects.filter(object_uuid=item.uuid)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [f"portal.newsitem.{step}" for step in ("drafted", "submitted", "published")]


def test_an_item_published_by_its_own_author_is_refused(press, orgs, _both):
    item = a_draft(press, orgs, actor=press.officer_approver)
    services.news_submit(actor=press.officer_approver, item=item)
    with pytest.raises(Forbidden) as refused:
        services.news_publish(actor=press.officer_approver, item=item)
    assert "other than its author" in str(refused.value)
    item.refresh_from_db()
    assert item.status == NewsStatus.REVIEW and item.published_at is None and item.version == 2


def test_only_an_approver_publishes_and_only_a_press_officer_drafts(press, orgs, people):
    with pytest.raises(Forbidden):
        a_draft(press, orgs, actor=people.national)  # a supervisor, not a press officer
    with pytest.raises(Forbidden):
        a_draft(press, orgs, actor=press.outsider)  # a press officer of another organisation
    assert NewsItem.objects.count() == 0
    item = a_draft(press, orgs)
    services.news_submit(actor=press.officer, item=item)
    with pytest.raises(Forbidden):
        services.news_publish(actor=press.officer, item=item)
    item.refresh_from_db()
    assert item.status == NewsStatus.REVIEW


def test_a_draft_cannot_be_published_before_it_is_submitted(press, orgs):
    item = a_draft(press, orgs)
    with pytest.raises(Conflict):
        services.news_publish(actor=press.approver, item=item)
    item.refresh_from_db()
    assert item.status == NewsStatus.DRAFT


def test_a_schedule_in_the_past_is_refused_and_nothing_is_written(press, orgs):
    item = a_draft(press, orgs)
    services.news_submit(actor=press.officer, item=item)
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.news_publish(
            actor=press.approver, item=item, publish_at=timezone.now() - dt.timedelta(days=1)
        )
    assert "publish_at" in refused.value.fields
    item.refresh_from_db()
    assert item.status == NewsStatus.REVIEW and AuditEntry.objects.count() == entries


def test_a_scheduled_item_is_not_public_before_its_time(press, orgs, client):
    item = a_draft(press, orgs)
    services.news_submit(actor=press.officer, item=item)
    later = timezone.now() + dt.timedelta(days=2)
    services.news_publish(actor=press.approver, item=item, publish_at=later)
    assert item.status == NewsStatus.PUBLISHED and not item.is_public
    assert client.get(reverse("news-item", args=["en", item.group])).status_code == 404
    assert item.title not in client.get(reverse("news-list", args=["en"])).content.decode()
    assert item.title not in client.get(reverse("news-feed", args=["en"])).content.decode()
    assert NewsItem.objects.published(now=later + dt.timedelta(minutes=1)).filter(pk=item.pk)


def test_the_approver_returns_an_item_to_draft(press, orgs):
    item = a_draft(press, orgs)
    services.news_submit(actor=press.officer, item=item)
    services.news_return(actor=press.approver, item=item, reason="Check the date")
    assert item.status == NewsStatus.DRAFT
    services.news_update(actor=press.officer, item=item, title="Corrected title")
    item.refresh_from_db()
    assert item.title == "Corrected title"


def test_a_published_item_is_not_edited_but_corrected_with_a_date(press, orgs, client):
    item = published(press, orgs)
    with pytest.raises(Conflict):
        services.news_update(actor=press.officer, item=item, title="Changed silently")
    with pytest.raises(DomainError) as refused:
        services.news_correct(actor=press.officer, item=item, note="  ", body="New")
    assert "note" in refused.value.fields
    services.news_correct(
        actor=press.officer, item=item, note="The date of the meeting was wrong.", body="Fixed."
    )
    item.refresh_from_db()
    assert item.corrected_at is not None
    page = client.get(reverse("news-item", args=["en", item.group])).content.decode()
    assert "Corrected" in page and "The date of the meeting was wrong." in page
    assert item.corrected_at.date().isoformat() in page


# ---------------------------------------------------------------- translations


def test_a_translation_shares_the_item_and_a_missing_language_says_so(press, orgs, client):
    english = published(press, orgs)
    chinese = a_draft(press, orgs, language="zh-hans", title="中俄视频会议", translation_of=english)
    assert chinese.group == english.group
    # Not yet published in Chinese: the Chinese page says so and offers English.
    response = client.get(reverse("news-item", args=["zh-hans", english.group]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="news-missing-language"' in page
    assert reverse("news-item", args=["en", english.group]) in page
    assert "中俄视频会议" not in page
    services.news_submit(actor=press.officer, item=chinese)
    services.news_publish(actor=press.approver, item=chinese)
    page = client.get(reverse("news-item", args=["zh-hans", english.group])).content.decode()
    assert "中俄视频会议" in page and 'id="news-missing-language"' not in page


def test_a_second_version_in_the_same_language_is_refused(press, orgs):
    english = a_draft(press, orgs)
    with pytest.raises(DomainError) as refused:
        a_draft(press, orgs, translation_of=english)
    assert "language" in refused.value.fields
    assert NewsItem.objects.count() == 1


def test_a_translation_of_an_item_the_officer_cannot_see_is_refused(press, orgs):
    english = a_draft(press, orgs)
    with pytest.raises(DomainError):
        services.news_draft(
            actor=press.outsider,
            owner_org=orgs.zj,
            language="ru",
            title="Видеоконференция",
            summary="s",
            body="b",
            translation_of=english,
        )
    assert NewsItem.objects.count() == 1


def test_a_translation_of_a_record_of_another_kind_is_refused(press, orgs, record):
    seizure = record()
    with pytest.raises(DomainError) as refused:
        a_draft(press, orgs, language="ru", translation_of=seizure)
    assert "translation_of" in refused.value.fields
    assert NewsItem.objects.count() == 0


# ---------------------------------------------------------------- what the public sees


def test_an_anonymous_reader_sees_published_items_only(press, orgs, client):
    public = published(press, orgs, title="Published item")
    draft = a_draft(press, orgs, title="Draft item", language="ru")
    review = a_draft(press, orgs, title="Item in review", language="zh-hans")
    services.news_submit(actor=press.officer, item=review)
    listing = client.get(reverse("news-list", args=["en"])).content.decode()
    assert "Published item" in listing
    for hidden in (draft, review):  # each alone in its item: nothing published, a 404
        page = client.get(reverse("news-item", args=[hidden.language, hidden.group]))
        assert page.status_code == 404
        assert hidden.title not in page.content.decode()
        assert (
            hidden.title
            not in client.get(reverse("news-list", args=[hidden.language])).content.decode()
        )
    # a group with nothing published is a 404
    lonely = a_draft(press, orgs, title="Lonely draft")
    assert client.get(reverse("news-item", args=["en", lonely.group])).status_code == 404
    assert client.get(reverse("news-item", args=["en", public.group])).status_code == 200


def test_unknown_language_or_item_is_404(client, press, orgs):
    item = published(press, orgs)
    assert client.get(reverse("news-list", args=["xx"])).status_code == 404
    assert client.get(reverse("news-item", args=["de", item.group])).status_code == 404
    assert (
        client.get(f"/news/en/{item.uuid}/").status_code == 404
    )  # a version's uuid is not an item
    assert client.get("/news/en/not-a-uuid/").status_code == 404
    assert client.get(reverse("news-feed", args=["xx"])).status_code == 404


def test_the_public_page_renders_markdown_safely(press, orgs, client):
    item = published(press, orgs, body="Hi <script>alert(1)</script> [x](javascript:alert(2))")
    page = client.get(reverse("news-item", args=["en", item.group])).content.decode()
    assert "<script>alert(1)" not in page
    assert "javascript:alert(2)" not in page.replace("[x](javascript:alert(2))", "")


def test_the_atom_feed_of_a_language_carries_its_published_items_only(press, orgs, client):
    english = published(press, orgs, title="English item")
    russian = a_draft(press, orgs, language="ru", title="Русская статья", translation_of=english)
    response = client.get(reverse("news-feed", args=["en"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["English item"]
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith(reverse("news-item", args=["en", english.group]))
    ru_feed = ET.fromstring(client.get(reverse("news-feed", args=["ru"])).content)
    assert ru_feed.findall(f"{ATOM}entry") == []
    services.news_submit(actor=press.officer, item=russian)
    services.news_publish(actor=press.approver, item=russian)
    ru_feed = ET.fromstring(client.get(reverse("news-feed", args=["ru"])).content)
    assert [e.findtext(f"{ATOM}title") for e in ru_feed.findall(f"{ATOM}entry")] == [
        "Русская статья"
    ]


def test_news_redirects_to_the_readers_language(client):
    with override("ru"):
        response = client.get(reverse("news"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302 and response["Location"] == reverse("news-list", args=["ru"])


# ---------------------------------------------------------------- the newsroom pages


def test_the_newsroom_pages_draft_submit_and_publish(press, orgs):
    officer = client_for(press.officer)
    response = officer.post(
        reverse("newsroom-draft"),
        {
            "owner_org": orgs.ncac.code,
            "language": "en",
            "title": "Special action results",
            "summary": "The figures of the year.",
            "body": "Text",
            "category": "enforcement",
            "tags": "",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "newsroom-item", args=[item.uuid]
    )
    officer.post(reverse("newsroom-action", args=[item.uuid, "submit"]))
    approver = client_for(press.approver)
    page = approver.get(reverse("newsroom-item", args=[item.uuid])).content.decode()
    assert 'id="news-publish"' in page
    approver.post(reverse("newsroom-action", args=[item.uuid, "publish"]), {"publish_at": ""})
    item.refresh_from_db()
    assert item.status == NewsStatus.PUBLISHED


def test_the_newsroom_shows_a_refusal_in_the_users_language(press, orgs, _both):
    item = a_draft(press, orgs, actor=press.officer_approver)
    services.news_submit(actor=press.officer_approver, item=item)
    both = client_for(press.officer_approver)
    response = both.post(
        reverse("newsroom-action", args=[item.uuid, "publish"]),
        {"publish_at": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert "автор" in response.content.decode()
    item.refresh_from_db()
    assert item.status == NewsStatus.REVIEW


def test_the_draft_form_refuses_bad_input_and_writes_nothing(press, orgs):
    officer = client_for(press.officer)
    response = officer.post(
        reverse("newsroom-draft"),
        {"owner_org": orgs.ncac.code, "language": "de", "title": "", "summary": "s", "body": "b"},
    )
    assert response.status_code == 200
    assert NewsItem.objects.count() == 0
    assert "is-invalid" in response.content.decode()


def test_a_draft_is_404_to_those_who_may_not_see_it(press, orgs, people):
    item = a_draft(press, orgs)
    assert (
        client_for(people.colleague).get(reverse("newsroom-item", args=[item.uuid])).status_code
        == 404
    )
    assert (
        client_for(press.outsider)
        .post(reverse("newsroom-action", args=[item.uuid, "submit"]))
        .status_code
        == 404
    )
    assert client_for(None).get(reverse("newsroom-item", args=[item.uuid])).status_code == 302
    assert (
        client_for(press.approver).get(reverse("newsroom-item", args=[item.uuid])).status_code
        == 200
    )
    item.refresh_from_db()
    assert item.status == NewsStatus.DRAFT
