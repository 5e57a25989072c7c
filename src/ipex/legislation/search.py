"""Full-text search over law titles and article texts (every version, in every language),
the way ``ipex.core.textsearch`` does it: PostgreSQL full-text over a GIN index, SQLite FTS5
(migration 0002). Only published laws are ever found by a reader who may not see drafts."""

from __future__ import annotations

from ipex.core.textsearch import joined_terms, matching
from ipex.legislation.models import Article, Law, SearchDocument


def index_law(law: Law) -> None:
    SearchDocument.objects.update_or_create(
        law=law,
        article=None,
        defaults={"terms": joined_terms([law.name_en, law.name_zh_hans, law.name_ru, law.number])},
    )


def index_article(article: Article) -> None:
    texts = [article.heading_en, article.heading_zh_hans, article.heading_ru]
    for version in article.versions.all():
        texts += [version.text_en, version.text_zh_hans, version.text_ru]
    SearchDocument.objects.update_or_create(
        article=article, defaults={"law": article.law, "terms": joined_terms(texts)}
    )


def rebuild() -> int:
    SearchDocument.objects.all().delete()
    for law in Law.objects.all():
        index_law(law)
    for article in Article.objects.select_related("law").prefetch_related("versions"):
        index_article(article)
    return SearchDocument.objects.count()


def search_documents(user, query: str):
    """Titles and articles matching every word, of the laws ``user`` may read."""
    return (
        matching(SearchDocument.objects.all(), query, fts="legislation_search_fts")
        .filter(law__in=Law.objects.visible_to(user))
        .select_related("law", "article")
        .order_by("law__name_en", "article__position", "article__number")
    )
