"""Writes to the legislation library: one function per use case, transactional, audited.
Only node administrators (and the node itself: migrations, the demo) write."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError, refuse_if
from ipex.core.permissions import ensure_actor_node_admin
from ipex.legislation import search
from ipex.legislation.models import Article, ArticleVersion, Law, LawKind

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LAW_FIELDS = (
    "slug",
    "kind",
    "issuer",
    "number",
    "adopted_on",
    "is_published",
    "name_en",
    "name_zh_hans",
    "name_ru",
)
ARTICLE_FIELDS = ("number", "position", "heading_en", "heading_zh_hans", "heading_ru")
VERSION_FIELDS = ("text_en", "text_zh_hans", "text_ru", "effective_from", "effective_to", "note")


def _admin(actor):
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    return who


def _clean_text(data: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


def _write(who, record, data: dict, fields: tuple[str, ...], *, created: bool, index, kind: str):
    """Set ``fields`` from ``data`` on ``record``, save it, index it again (``index()``) and
    audit what changed (old, new) as ``legislation.<kind>.created`` or ``.changed``."""
    changes = {}
    for field in fields:
        if field in data and getattr(record, field) != data[field]:
            changes[field] = [getattr(record, field), data[field]]
            setattr(record, field, data[field])
    record.save()
    index()
    audit_log(who, f"legislation.{kind}.{'created' if created else 'changed'}", record, changes)
    return record


# ---------------------------------------------------------------- laws


def law_save(*, actor, law: Law | None = None, **data) -> Law:
    """A node administrator adds a law (``law`` None) or changes one; a published law is
    what anonymous readers, search and the sitemap see."""
    who = _admin(actor)
    data = _clean_text(data)
    errors: dict[str, list[str]] = {}
    slug = data.get("slug", law.slug if law else "")
    if law is not None and slug != law.slug:
        errors["slug"] = [_("A law keeps its address: its articles are cited by it.")]
    elif not _SLUG.fullmatch(slug or ""):
        errors["slug"] = [_("Use lower-case letters, digits and hyphens, e.g. copyright-law.")]
    elif Law.objects.filter(slug=slug).exclude(pk=getattr(law, "pk", None)).exists():
        errors["slug"] = [_("Another law has this address already.")]
    if "kind" in data and data["kind"] not in LawKind.values:
        errors["kind"] = [_("Unknown kind of law.")]
    if (law is None or "name_en" in data) and not data.get("name_en"):
        errors["name_en"] = [_("Give the law a title in English.")]
    if (law is None or "issuer" in data) and not data.get("issuer"):
        errors["issuer"] = [_("Name the body that issued it.")]
    if law is None and not isinstance(data.get("adopted_on"), dt.date):
        errors["adopted_on"] = [_("Give the date it was adopted.")]
    refuse_if(errors, _("The law was not saved; correct the errors."))
    record = law or Law()
    with transaction.atomic():
        return _write(
            who,
            record,
            data,
            LAW_FIELDS,
            created=law is None,
            index=lambda: search.index_law(record),
            kind="law",
        )


# ---------------------------------------------------------------- articles


def article_save(*, actor, law: Law | None = None, article: Article | None = None, **data):
    """A node administrator adds an article to ``law`` or changes ``article``."""
    who = _admin(actor)
    data = _clean_text(data)
    law = article.law if article else law
    number = data.get("number", article.number if article else None)
    if not isinstance(number, int) or number < 1:
        raise DomainError(
            _("The article was not saved; correct the errors."),
            fields={"number": [_("Give the article's number, 1 or more.")]},
        )
    clash = law.articles.filter(number=number).exclude(pk=getattr(article, "pk", None))
    if clash.exists():
        raise DomainError(
            _("The article was not saved; correct the errors."),
            fields={"number": [_("This law has an article with this number already.")]},
        )
    record = article or Article(law=law)
    if article is None and "position" not in data:
        data["position"] = number
    with transaction.atomic():
        return _write(
            who,
            record,
            data,
            ARTICLE_FIELDS,
            created=article is None,
            index=lambda: search.index_article(record),
            kind="article",
        )


# ---------------------------------------------------------------- versions


def _overlapping(article: Article, start: dt.date, end: dt.date | None, exclude=None):
    """The versions of ``article`` in force on some day from ``start`` to ``end``."""
    others = article.versions.exclude(pk=getattr(exclude, "pk", None)).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    )
    if end is not None:
        others = others.filter(effective_from__lte=end)
    return others


def version_save(*, actor, article: Article | None = None, version=None, **data):
    """A node administrator adds a version of ``article`` or changes ``version``. Its dates
    may not overlap another version of the same article; a version's end is on or after its
    start."""
    who = _admin(actor)
    article = version.article if version else article
    with transaction.atomic():
        # One writer of an article's versions at a time: two overlapping versions saved at
        # once cannot both pass the check.
        list(Article.objects.select_for_update().filter(pk=article.pk).values_list("pk"))
        return _version_save(who, article, version, _clean_text(data))


def _version_save(who, article: Article, version, data: dict) -> ArticleVersion:
    errors: dict[str, list[str]] = {}
    start = data.get("effective_from", getattr(version, "effective_from", None))
    end = data.get("effective_to", getattr(version, "effective_to", None))
    if not isinstance(start, dt.date):
        errors["effective_from"] = [_("Give the date this version came into force.")]
    elif end is not None and end < start:
        errors["effective_to"] = [_("A version cannot end before it comes into force.")]
    else:
        other = _overlapping(article, start, end, exclude=version).order_by("effective_from")
        other = other.first()
        if other is not None:
            until = other.effective_to.isoformat() if other.effective_to else _("now")
            errors["effective_from"] = [
                _("These dates overlap the version in force from %(start)s to %(end)s.")
                % {"start": other.effective_from.isoformat(), "end": until}
            ]
    if (version is None or "text_en" in data) and not data.get("text_en"):
        errors["text_en"] = [_("Give the text in English.")]
    refuse_if(errors, _("The version was not saved; correct the errors."))
    return _write(
        who,
        version or ArticleVersion(article=article),
        data,
        VERSION_FIELDS,
        created=version is None,
        index=lambda: search.index_article(article),
        kind="version",
    )
