"""The demo library: the Copyright Law of the PRC, Criminal Law Articles 217 and 218 and
Article 36 of the Copyright Law's implementing regulations, with the real article numbers and
dates of amendment. The texts are short synthetic summaries, labelled so; they are not the
official wording. Everything goes through the services (audited, indexed). Idempotent."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

from django.db import transaction

from ipex.core.audit import Actor
from ipex.legislation import services
from ipex.legislation.models import Law

DEMO = Actor.system("demo")
LABEL = " (Synthetic summary, not the official text.)"
LABEL_ZH = "（合成摘要，非官方文本。）"
LABEL_RU = " (Синтетическое изложение, не официальный текст.)"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def demo_library() -> dict:
    """``data/demo-library.json``: the Copyright Law and the articles with their versions."""
    path = resources.files("ipex.legislation") / "data" / "demo-library.json"
    return json.loads(path.read_text(encoding="utf-8"))


def demo_lines(country: str) -> list[str]:  # noqa: ARG001 - the library is the node's
    if Law.objects.filter(slug="copyright-law").exists():
        return []
    added = 0
    library = demo_library()
    with transaction.atomic():
        services.law_save(
            actor=DEMO,
            **{**library["law"], "adopted_on": _date(library["law"]["adopted_on"])},
        )
        laws = {law.slug: law for law in Law.objects.all()}
        for row in library["articles"]:
            law, number = laws[row["law"]], row["number"]
            article = law.articles.filter(number=number).first() or services.article_save(
                actor=DEMO, law=law, number=number
            )
            headings = {
                field: row[field] for field in ("heading_en", "heading_zh_hans", "heading_ru")
            }
            services.article_save(actor=DEMO, article=article, **headings)
            for version in row["versions"]:
                start = _date(version["effective_from"])
                if article.versions.filter(effective_from=start).exists():
                    continue
                services.version_save(
                    actor=DEMO,
                    article=article,
                    effective_from=start,
                    effective_to=_date(version["effective_to"]),
                    text_en=version["text_en"] + LABEL,
                    text_zh_hans=version["text_zh_hans"] + LABEL_ZH,
                    text_ru=version["text_ru"] + LABEL_RU,
                )
                added += 1
        for law in laws.values():
            if law.slug != "provisions-carried-over" and not law.is_published:
                services.law_save(actor=DEMO, law=law, is_published=True)
    return [f"legislation: the Copyright Law, Criminal Law 217/218 ({added} article versions)"]
