"""The library's pages: public (no sign-in; drafts only for node administrators) and the
node administrators' forms."""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.textsearch import phrases
from ipex.core.views import form_page, paginate
from ipex.directory.views import node_admin_required
from ipex.legislation import search, services
from ipex.legislation.forms import ArticleForm, LawForm, VersionForm
from ipex.legislation.models import Article, Law, LawKind


def _law(request, slug: str) -> Law:
    return get_object_or_404(Law.objects.visible_to(request.user), slug=slug)


def _article(request, slug: str, number: int) -> Article:
    return get_object_or_404(_law(request, slug).articles.select_related("law"), number=number)


def law_list(request):
    """The laws by kind, and search over their titles and articles (``?q=``)."""
    query = request.GET.get("q", "").strip()
    results = None
    if query:
        results = paginate(request, search.search_documents(request.user, query))
    laws = Law.objects.visible_to(request.user)
    groups = [(label, [law for law in laws if law.kind == kind]) for kind, label in LawKind.choices]
    context = {
        "groups": [(label, members) for label, members in groups if members],
        "query": query,
        "results": results,
        "no_words": bool(query) and not phrases(query),
    }
    return render(request, "legislation/law_list.html", context)


def law_detail(request, slug: str):
    """A law: its facts, a table of contents, and each article as in force today."""
    law = _law(request, slug)
    today = timezone.localdate()
    articles = list(law.articles.prefetch_related("versions"))
    for article in articles:
        article.current = article.version_on(today)
    return render(
        request, "legislation/law_detail.html", {"law": law, "articles": articles, "today": today}
    )


def article_detail(request, slug: str, number: int):
    """An article at its stable address: the version in force today and the earlier ones."""
    article = _article(request, slug, number)
    today = timezone.localdate()
    versions = list(article.versions.all())
    current = article.version_on(today)
    return render(
        request,
        "legislation/article_detail.html",
        {
            "law": article.law,
            "article": article,
            "current": current,
            "others": [v for v in versions if v != current],
            "today": today,
        },
    )


# ---------------------------------------------------------------- node administrators


def _edit(request, form_class, instance, save, title: str):
    initial = model_to_dict(instance, fields=list(form_class.base_fields)) if instance else None
    form = form_class(request.POST or None, initial=initial)
    return form_page(
        request, form, save, title=title, detail=lambda r: r.get_absolute_url(), success=_("Saved.")
    )


@node_admin_required
def law_edit(request, slug: str | None = None):
    """Add a law, or change one."""
    law = _law(request, slug) if slug else None
    return _edit(
        request,
        LawForm,
        law,
        lambda data: services.law_save(actor=request.user, law=law, **data),
        _("Change the law") if law else _("Add a law"),
    )


@node_admin_required
def article_edit(request, slug: str, number: int | None = None):
    """Add an article to a law, or change one."""
    law = _law(request, slug)
    article = _article(request, slug, number) if number else None
    return _edit(
        request,
        ArticleForm,
        article,
        lambda data: services.article_save(actor=request.user, law=law, article=article, **data),
        _("Change the article") if article else _("Add an article"),
    )


@node_admin_required
def version_edit(request, slug: str, number: int, pk: int | None = None):
    """Add a version of an article, or change one."""
    article = _article(request, slug, number)
    version = get_object_or_404(article.versions, pk=pk) if pk else None
    return _edit(
        request,
        VersionForm,
        version,
        lambda data: services.version_save(
            actor=request.user, article=article, version=version, **data
        ),
        _("Change the version") if version else _("Add a version"),
    )
