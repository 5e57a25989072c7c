# ruff: noqa: F811 - ``press`` is the fixture of tests/portal/test_news.py
"""Nothing unpublished reaches an anonymous reader (issue 16): for every kind of unpublished
record — a draft news item, an item in review, a scheduled item whose time has not come, a
draft translation of a published item, an unpublished event, the figures of each open
dataset (``ipex.core.registry.open_datasets``) that are not approved or whose year is not
published, an unpublished law with its articles — nothing of it shows on the public home,
the news lists, the Atom feeds (each language), the iCalendar feed, the event list,
sitemap.xml, the news search, the legislation library and its search, the public API, nor in
any open-data file (CSV, JSON, XLSX, Data Package, DCAT, the catalogue pages).

Each case then publishes the same record and finds it where it belongs: a check that looks
in the wrong place cannot pass. The pages are read outside a transaction, as in production,
so what the first reading kept (``core.views.validated_pages``, the open-data files) is what
the second one must see past."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ipex.core.audit import Actor
from ipex.core.registry import open_datasets
from ipex.legislation import services as legislation
from ipex.portal import services
from ipex.portal.data_formats import FILES
from ipex.seizures import services as seizure_services
from ipex.seizures.reference import national_figures
from tests.conftest import client_for
from tests.portal.test_news import a_draft, press, published  # noqa: F401 - the fixture
from tests.portal.test_open_data import approved_national_report

SYSTEM = Actor.system("tests")
WORD = "Quokkafest"  # in no page but through the record of the case
LANGUAGES = ("en", "zh-hans", "ru")
YEARS = (2012, 2013)
pytestmark = pytest.mark.django_db(transaction=True)


def _text(response) -> str:
    if response.status_code != 200:
        return ""
    if response["Content-Type"].startswith(FILES["data.xlsx"][0]):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(",".join(str(v) for v in row) for row in sheet.values)
    return response.content.decode()


def public_texts() -> dict[str, str]:
    """Everything an anonymous reader can fetch that lists or shows published records, by
    place."""
    client = client_for(None)

    def get(path, **headers):
        return _text(client.get(path, **headers))

    texts = {}
    for language in LANGUAGES:
        texts[f"home {language}"] = get("/public/", HTTP_ACCEPT_LANGUAGE=language)
        texts[f"news {language}"] = get(reverse("news-list", args=[language]))
        texts[f"feed {language}"] = get(reverse("news-feed", args=[language]))
    texts["events"] = get(reverse("event-list"))
    texts["calendar"] = get(reverse("event-calendar"))
    texts["sitemap"] = get(reverse("sitemap"))
    texts["legislation"] = get(reverse("law-list"))
    texts["api news"] = get("/api/v1/news")
    texts["api events"] = get("/api/v1/events")
    texts["api laws"] = get("/api/v1/laws")
    # A search page repeats the words asked: there, what is found shows by its address.
    for place, path in (
        ("search", reverse("public-search")),
        ("legislation search", reverse("law-list")),
        ("api legislation search", "/api/v1/legislation/search"),
    ):
        texts[place] = get(path, data={"q": WORD}).replace(WORD, "<the words asked>")
    texts["open data"] = get(reverse("open-data"))
    texts["catalogue"] = get(reverse("open-data-catalog"))
    # Every version the catalogue lists, every file of it; and the current files of each
    # dataset's years at their stable addresses, listed or not.
    versions = [
        d["@id"].removeprefix("http://testserver")
        for d in json.loads(texts["catalogue"])["dcat:dataset"]
    ]
    for version in versions:
        texts[version] = get(version)
        for file in FILES:
            texts[version + file] = get(version + file)
    for dataset in open_datasets:
        for year in YEARS:
            for file in FILES:
                path = reverse("open-data-latest", args=[dataset, year, file])
                texts[path] = get(path)
    return texts


@dataclass
class Case:
    """An unpublished record made by ``hide(fixtures)``, which returns how to publish it;
    ``marks`` are strings only that record puts on a page; once published, it shows in
    each place of ``shows_in`` (names of ``public_texts``, or their start)."""

    hide: Callable
    marks: Callable[[dict], list[str]]
    shows_in: tuple[str, ...]


NEWS_PLACES = ("home en", "news en", "feed en", "sitemap", "search", "api news")


def _news_marks(made):
    return [WORD, str(made["item"].group)]


def _draft(f):
    f.made["item"] = a_draft(f.press, f.orgs, title=f"{WORD} results", language="en")

    def publish():
        services.news_submit(actor=f.press.officer, item=f.made["item"])
        services.news_publish(actor=f.press.approver, item=f.made["item"])

    return publish


def _in_review(f):
    f.made["item"] = a_draft(f.press, f.orgs, title=f"{WORD} results")
    services.news_submit(actor=f.press.officer, item=f.made["item"])
    return lambda: services.news_publish(actor=f.press.approver, item=f.made["item"])


def _scheduled(f):
    f.made["item"] = a_draft(f.press, f.orgs, title=f"{WORD} results")
    services.news_submit(actor=f.press.officer, item=f.made["item"])
    services.news_publish(
        actor=f.press.approver,
        item=f.made["item"],
        publish_at=timezone.now() + dt.timedelta(hours=1),
    )

    def publish():  # nothing is written: its time comes
        real_now = timezone.now
        f.monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(hours=2))

    return publish


def _draft_translation(f):
    english = published(f.press, f.orgs, title="Video conference")
    f.made["item"] = a_draft(
        f.press,
        f.orgs,
        title=f"{WORD} видеоконференция",
        language="ru",
        translation_of=english,
    )

    def publish():
        services.news_submit(actor=f.press.officer, item=f.made["item"])
        services.news_publish(actor=f.press.approver, item=f.made["item"])

    return publish


def _event(f):
    now = timezone.now()
    f.made["event"] = services.event_create(
        actor=f.press.officer,
        owner_org=f.orgs.ncac,
        name_en=f"{WORD} video conference",
        name_zh_hans=f"{WORD} 视频会议",
        name_ru=f"{WORD} видеоконференция",
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2),
        online=True,
    )
    return lambda: services.event_publish(actor=f.press.approver, event=f.made["event"])


def _unapproved_figures(f):
    """The 2012 national figures published; a province's 2012 report submitted, not
    approved (4,242,424 books: a figure no other row has)."""
    approved_national_report(f.reporters, f.orgs, national_figures(2012))
    seizure_services.bulletin_publish(actor=f.reporters.national_sup, country="CN", year=2012)
    report = seizure_services.report_create(
        actor=f.reporters.province_stat, owner_org=f.orgs.gd, period_kind="year", year=2012
    )
    seizure_services.report_set_lines(
        actor=f.reporters.province_stat, report=report, lines={"books": 4_242_424}
    )
    seizure_services.report_submit(actor=f.reporters.province_stat, report=report)

    def publish():
        seizure_services.report_approve(actor=f.reporters.national_sup, report=report)
        seizure_services.bulletin_publish(actor=f.reporters.national_sup, country="CN", year=2012)

    return publish


def _unpublished_year(f):
    """The 2013 national figures approved, their year not published (no bulletin)."""
    approved_national_report(f.reporters, f.orgs, {"books": 5_151_515}, year=2013)
    return lambda: seizure_services.bulletin_publish(
        actor=f.reporters.national_sup, country="CN", year=2013
    )


def _law(f):
    law = legislation.law_save(
        actor=SYSTEM,
        slug="quokkafest-regulation",
        kind="regulation",
        issuer="Test Council",
        adopted_on=dt.date(2024, 1, 1),
        name_en=f"{WORD} regulation",
    )
    article = legislation.article_save(actor=SYSTEM, law=law, number=1, heading_en="Scope")
    legislation.version_save(
        actor=SYSTEM,
        article=article,
        effective_from=dt.date(2024, 1, 1),
        text_en=f"The {WORD} clause.",
    )
    return lambda: legislation.law_save(actor=SYSTEM, law=law, is_published=True)


def _dataset_year(dataset, year):
    return [f"/public/data/{dataset}/{year}/", f"{dataset}-{year}-v1"]


CASES = {
    "draft news item": Case(_draft, _news_marks, NEWS_PLACES),
    "news item in review": Case(_in_review, _news_marks, NEWS_PLACES),
    "scheduled news item": Case(_scheduled, _news_marks, NEWS_PLACES),
    "draft translation": Case(
        _draft_translation,
        lambda made: [WORD, f"/news/ru/{made['item'].group}/"],
        ("home ru", "news ru", "feed ru", "sitemap", "search", "api news"),
    ),
    "unpublished event": Case(
        _event,
        lambda made: [WORD, str(made["event"].uuid)],
        ("home en", "home zh-hans", "home ru", "events", "calendar", "sitemap", "api events"),
    ),
    "unpublished law": Case(
        _law,
        lambda made: [WORD, "quokkafest-regulation"],
        ("legislation", "legislation search", "sitemap", "api laws", "api legislation search"),
    ),
    # The open datasets: the figures of each that are not approved, or whose year is not
    # published. Each dataset registered in ``open_datasets`` has its cases here.
    "seizures: unapproved figures": Case(
        _unapproved_figures,
        lambda made: ["4242424", "CN-GD"],
        tuple(f"/public/data/seizures/2012/{f}" for f in ("data.csv", "data.json", "data.xlsx")),
    ),
    "seizures: figures of an unpublished year": Case(
        _unpublished_year,
        lambda made: _dataset_year("seizures", 2013),
        ("open data", "catalogue", "/public/data/seizures/2013/"),
    ),
    "enforcement: figures of an unpublished year": Case(
        _unpublished_year,
        lambda made: _dataset_year("enforcement", 2013),
        ("open data", "catalogue", "/public/data/enforcement/2013/"),
    ),
}
DATASET_CASES = {name.split(":")[0] for name in CASES if ":" in name}


@pytest.fixture
def fixtures(press, orgs, reporters, monkeypatch):
    return type(
        "Fixtures",
        (),
        {
            "press": press,
            "orgs": orgs,
            "reporters": reporters,
            "monkeypatch": monkeypatch,
            "made": {},
        },
    )


def _places(texts, shows_in):
    for wanted in shows_in:
        places = [name for name in texts if name == wanted or name.startswith(wanted)]
        assert places, f"no place {wanted!r}"
        yield wanted, places


@pytest.mark.parametrize("name", list(CASES))
def test_an_unpublished_record_reaches_no_anonymous_reader_until_published(name, fixtures):
    case = CASES[name]
    publish = case.hide(fixtures)
    marks = case.marks(fixtures.made)
    texts = public_texts()
    leaks = [(place, mark) for place, text in texts.items() for mark in marks if mark in text]
    assert leaks == []
    publish()
    texts = public_texts()
    for wanted, places in _places(texts, case.shows_in):
        found = [p for p in places if any(mark in texts[p] for mark in marks)]
        assert found, f"{name}, once published, is not in {wanted}"


@pytest.mark.django_db(transaction=False)
def test_every_open_dataset_has_its_unpublished_figures_checked():
    """A dataset an app registers has its cases above: which of its figures are not
    published yet, and how they are published."""
    assert set(open_datasets) <= DATASET_CASES, set(open_datasets) - DATASET_CASES
