"""The legislation library: laws, regulations and judicial interpretations, their articles,
and each article's versions with the dates they were in force, in three languages."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ipex.core.models import MultilingualName, parent_fk, unique
from ipex.core.visibility import signed_in


def in_language(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_en`` / ``_zh_hans`` / ``_ru`` in the language asked for (the active one
    by default), falling back to English."""
    language = (language or get_language() or "en").lower()
    english = getattr(obj, f"{field}_en")
    if language.startswith("zh"):
        return getattr(obj, f"{field}_zh_hans") or english
    if language.startswith("ru"):
        return getattr(obj, f"{field}_ru") or english
    return english


class LawKind(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    INTERPRETATION = "judicial_interpretation", _("Judicial interpretation")


class LawQuerySet(models.QuerySet):
    def published(self) -> LawQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user) -> LawQuerySet:
        """Published laws for everyone, signed in or not; drafts for node administrators."""
        if signed_in(user) and user.is_node_admin:
            return self.all()
        return self.published()


class Law(MultilingualName):
    """A law, regulation or judicial interpretation; ``name_*`` is its title."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=LawKind.choices)
    issuer = models.CharField(_("issuer"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    adopted_on = models.DateField(_("adopted"))
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LawQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("law")
        verbose_name_plural = _("laws")

    @property
    def title(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("law-detail", args=[self.slug])


class Article(models.Model):
    """An article of a law; its text lives in its versions."""

    law = parent_fk(Law, _("law"), related_name="articles")
    number = models.PositiveIntegerField(_("article number"))
    position = models.PositiveIntegerField(_("position"), default=0)
    heading_en = models.CharField(_("heading (English)"), max_length=200, blank=True)
    heading_zh_hans = models.CharField(_("heading (Chinese)"), max_length=200, blank=True)
    heading_ru = models.CharField(_("heading (Russian)"), max_length=200, blank=True)

    class Meta:
        ordering = ["law", "position", "number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [unique("law", "number", name="unique_law_article")]

    def __str__(self) -> str:
        return f"{self.law.name_en}, Art. {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("article-detail", args=[self.law.slug, self.number])

    @property
    def heading(self) -> str:
        return in_language(self, "heading")

    def version_on(self, day: dt.date) -> ArticleVersion | None:
        """The version in force on ``day``, or None when none was (from the prefetched
        versions when they are)."""
        return next((v for v in self.versions.all() if v.in_force_on(day)), None)


class ArticleVersion(models.Model):
    """The text of an article from one date to another (or until now); the versions of one
    article never overlap."""

    article = parent_fk(Article, _("article"), related_name="versions")
    text_en = models.TextField(_("text (English)"))
    text_zh_hans = models.TextField(_("text (Chinese)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["article", "-effective_from"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="article_version_dates_in_order",
            ),
            unique("article", "effective_from", name="unique_article_version_start"),
        ]

    def __str__(self) -> str:
        return f"{self.article} ({self.effective_from})"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()

    @property
    def text(self) -> str:
        return in_language(self, "text")

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class SearchDocument(models.Model):
    """The searchable terms of a law's title or an article's versions (see
    ``ipex.legislation.search``)."""

    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="search_documents")
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="search_document"
    )
    terms = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["law"],
                condition=models.Q(article__isnull=True),
                name="one_title_document_per_law",
            )
        ]
