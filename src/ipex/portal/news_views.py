"""The news pages: the newsroom (signed in: draft, submit, approve, correct) and the public
pages (no sign-in: the published items of a language, one item, its other languages)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ipex.core.views import (
    VisibleListView,
    create_view,
    form_page,
    perform,
    perform_form,
    validated_pages,
)
from ipex.directory.models import Role
from ipex.portal import services
from ipex.portal.forms import (
    NewsCorrectionForm,
    NewsDraftForm,
    NewsPublishForm,
    NewsReturnForm,
    NewsTextForm,
)
from ipex.portal.markdown import render_markdown
from ipex.portal.models import ContentLanguage, Event, NewsItem, next_public_change

LANGUAGES = dict(ContentLanguage.choices)
# Open Graph spells a locale as language_TERRITORY.
OG_LOCALES = {"en": "en_US", "zh-hans": "zh_CN", "ru": "ru_RU"}


def content_language(code: str | None = None) -> str:
    """The content language of a URL, or the reader's (an unknown one is a 404)."""
    code = (code or get_language() or "en").lower()
    if code.startswith("zh"):
        code = "zh-hans" if code in ("zh", "zh-hans", "zh-cn") else code
    if code not in LANGUAGES:
        raise Http404
    return code


# ---------------------------------------------------------------- the newsroom (signed in)


class NewsroomView(VisibleListView):
    model = NewsItem
    queryset = NewsItem.objects.select_related("owner_org", "author")
    template_name = "portal/newsroom.html"

    def get_queryset(self):
        return super().get_queryset().order_by("-updated_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = Event.objects.visible_to(self.request.user).order_by("-starts_at")[:20]
        return context


def _initial(request) -> dict:
    return {
        "translation_of": request.GET.get("translation_of", ""),
        "language": request.GET.get("language", ""),
    }


news_draft_page = create_view(
    NewsDraftForm,
    services.news_draft,
    title=_("Draft a news item"),
    detail="newsroom-item",
    success=_("The draft is saved."),
    initial=_initial,
)


def _item(request, uuid) -> NewsItem:
    return get_object_or_404(NewsItem.objects.visible_to(request.user), uuid=uuid)


@login_required
def newsroom_item(request, uuid):
    item = _item(request, uuid)
    user = request.user
    versions = NewsItem.objects.visible_to(user).filter(group=item.group).exclude(pk=item.pk)
    present = {item.language, *(v.language for v in versions)}
    context = {
        "item": item,
        "body": render_markdown(item.body),
        "versions": versions,
        "missing": [(code, name) for code, name in ContentLanguage.choices if code not in present],
        "is_press": user.has_role(Role.PRESS_OFFICER, item.owner_org),
        "is_approver": user.has_role(Role.NEWS_APPROVER, item.owner_org),
        "publish_form": NewsPublishForm(),
        "return_form": NewsReturnForm(),
        "correction_form": NewsCorrectionForm(initial={"summary": item.summary, "body": item.body}),
    }
    return render(request, "portal/newsroom_item.html", context)


@login_required
def newsroom_edit(request, uuid):
    item = _item(request, uuid)
    initial = {f: getattr(item, f) for f in ("title", "summary", "body", "category", "tags")}
    form = NewsTextForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.news_update(actor=request.user, item=item, **data),
        title=_("Edit the draft"),
        detail="newsroom-item",
        success=_("The draft is saved."),
    )


# The buttons of an item's page: (form, service, message); ``None`` for a plain button.
ACTIONS = {
    "submit": (None, services.news_submit, _("Sent for approval.")),
    "return": (NewsReturnForm, services.news_return, _("Returned to the press officer.")),
    "publish": (NewsPublishForm, services.news_publish, _("Approved for publication.")),
    "correct": (NewsCorrectionForm, services.news_correct, _("The correction is published.")),
}


@login_required
@require_POST
def newsroom_action(request, uuid, action):
    if action not in ACTIONS:
        raise Http404
    item = _item(request, uuid)
    form_class, service, success = ACTIONS[action]
    if form_class is None:
        perform(request, lambda: service(actor=request.user, item=item), success)
    else:
        perform_form(
            request,
            form_class(request.POST),
            lambda data: service(actor=request.user, item=item, **data),
            success,
        )
    return redirect("newsroom-item", uuid=item.uuid)


# ---------------------------------------------------------------- public pages (no sign-in)


def news_index(request):
    return redirect("news-list", language=content_language())


@validated_pages(clock=next_public_change)
def news_list(request, language):
    language = content_language(language)
    items = NewsItem.objects.published().filter(language=language)
    return render(
        request,
        "portal/news_list.html",
        {
            "items": items[:50],
            "language": language,
            "languages": ContentLanguage.choices,
            "language_name": LANGUAGES[language],
        },
    )


@validated_pages(clock=next_public_change)
def news_item(request, language, group):
    """One item in a language; where it has no published version in that language, a page
    saying so with the languages it has (a 404 when it has none)."""
    language = content_language(language)
    try:
        versions = list(NewsItem.objects.published().filter(group=group))
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if not versions:
        raise Http404
    by_language = {v.language: v for v in versions}
    item = by_language.get(language)
    others = [
        (code, LANGUAGES[code], reverse("news-item", args=[code, group]))
        for code in LANGUAGES
        if code in by_language and code != language
    ]
    context = {
        "item": item,
        "language": language,
        "language_name": LANGUAGES[language],
        "others": others,
        "body": render_markdown(item.body) if item else "",
        "feed": reverse("news-feed", args=[language]),
        "og_locale": OG_LOCALES[language],
    }
    return render(request, "portal/news_item.html", context, status=200)
