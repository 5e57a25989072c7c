"""The home page: each app's panels (``ipex.core.registry.dashboard_panels``) that have
something for the user; and the public home (no sign-in): the latest published national
figures, news in the reader's language and upcoming events."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ipex.core.registry import dashboard_panels
from ipex.core.views import validated_pages
from ipex.legislation.models import Law
from ipex.portal.models import (
    ContentLanguage,
    DatasetVersion,
    Event,
    NewsItem,
    next_public_change,
)
from ipex.portal.news_views import content_language
from ipex.portal.search import MAX_RESULTS, search_news
from ipex.seizures.models import Bulletin


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    panels = []
    for panel in dashboard_panels.values():
        context = panel.context(request.user)
        if context is not None:
            panels.append((panel.template, context))
    return render(request, "portal/home.html", {"panels": panels})


@validated_pages(clock=next_public_change)
def public_home(request):
    """What the public reads first: only what is published reaches it."""
    language = content_language()
    bulletin = (
        Bulletin.objects.visible_to(request.user)
        .select_related("country")
        .order_by("-year", "-id")
        .first()
    )
    context = {
        "language": language,
        "bulletin": bulletin,
        "bulletin_text": bulletin.text(language) if bulletin else "",
        "news": NewsItem.objects.published().filter(language=language)[:5],
        "events": Event.objects.published()
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")[:5],
    }
    return render(request, "portal/public_home.html", context)


def legislation_pages() -> list[tuple[str, object]]:
    """The library, each published law and each of its articles."""
    laws = Law.objects.published().prefetch_related("articles")
    pages = [(reverse("law-list"), None)]
    for law in laws:
        pages.append((law.get_absolute_url(), law.updated_at))
        pages += [(article.get_absolute_url(), law.updated_at) for article in law.articles.all()]
    return pages


def sitemap(request):
    """``sitemap.xml`` (sitemaps.org 0.9) of the public pages: published items and events
    only."""
    pages = [(reverse("public-home"), None), (reverse("event-list"), None)]
    pages += [(reverse("news-list", args=[code]), None) for code in ContentLanguage.values]
    pages += [
        (
            reverse("news-item", args=[item.language, item.group]),
            item.corrected_at or item.published_at,
        )
        for item in NewsItem.objects.published().only(
            "language", "group", "published_at", "corrected_at"
        )
    ]
    pages += [
        (reverse("event-detail", args=[event.uuid]), event.updated_at)
        for event in Event.objects.published().only("uuid", "updated_at")
    ]
    pages += [(reverse("statistics"), None), (reverse("tip-new"), None)]
    pages += legislation_pages()
    pages += [(reverse("open-data"), None)]
    pages += [
        (reverse("open-data-version", args=[v.dataset, v.year, v.number]), v.changed_at)
        for v in DatasetVersion.objects.only(
            "dataset", "year", "number", "published_at", "superseded_at"
        )
    ]
    urlset = ET.Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
    for path, modified in pages:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = request.build_absolute_uri(path)
        if modified is not None:
            ET.SubElement(url, "lastmod").text = modified.date().isoformat()
    body = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def search(request):
    """Published news items matching the reader's words (``?q=``), in every language."""
    query = (request.GET.get("q") or "")[:200]
    results = list(search_news(query)[:MAX_RESULTS]) if query.strip() else []
    return render(
        request,
        "portal/search.html",
        {"query": query, "results": results, "searched": bool(query.strip())},
    )
