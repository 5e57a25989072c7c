import datetime as dt

import pytest

from ipex.core.audit import Actor
from ipex.legislation import services

SYSTEM = Actor.system("test")


@pytest.fixture
def library(db):
    """A published law with an article in two versions (to 2020-12-31, from 2021-01-01) and
    an unpublished draft law."""
    law = services.law_save(
        actor=SYSTEM,
        slug="test-law",
        kind="law",
        issuer="Test Congress",
        adopted_on=dt.date(1990, 9, 7),
        name_en="Test Copyright Law",
        name_zh_hans="测试著作权法",
        name_ru="Тестовый закон об авторском праве",
        is_published=True,
    )
    article = services.article_save(actor=SYSTEM, law=law, number=48, heading_en="Penalties")
    old = services.version_save(
        actor=SYSTEM,
        article=article,
        effective_from=dt.date(2010, 4, 1),
        effective_to=dt.date(2020, 12, 31),
        text_en="Old wording: fine up to 100000 yuan",
        text_zh_hans="旧文本：罚款十万元以下",
    )
    new = services.version_save(
        actor=SYSTEM,
        article=article,
        effective_from=dt.date(2021, 1, 1),
        text_en="New wording: fine up to 250000 yuan",
        text_ru="Новая редакция: штраф до 250000 юаней",
    )
    draft = services.law_save(
        actor=SYSTEM,
        slug="draft-law",
        kind="regulation",
        issuer="Test Council",
        adopted_on=dt.date(2024, 1, 1),
        name_en="Secret draft regulation",
    )
    draft_article = services.article_save(actor=SYSTEM, law=draft, number=1)
    services.version_save(
        actor=SYSTEM,
        article=draft_article,
        effective_from=dt.date(2024, 1, 1),
        text_en="Unpublished pirate clause",
    )
    return type(
        "Library", (), {"law": law, "article": article, "old": old, "new": new, "draft": draft}
    )
