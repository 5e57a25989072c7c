# ruff: noqa: E501 - the texts in three languages, one paragraph a string
"""The demo library: the Copyright Law of the PRC, Criminal Law Articles 217 and 218 and
Article 36 of the Copyright Law's implementing regulations, with the real article numbers and
dates of amendment. The texts are short synthetic summaries, labelled so; they are not the
official wording. Everything goes through the services (audited, indexed). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ipex.core.audit import Actor
from ipex.legislation import services
from ipex.legislation.models import Law, LawKind

DEMO = Actor.system("demo")
LABEL = " (Synthetic summary, not the official text.)"
LABEL_ZH = "（合成摘要，非官方文本。）"
LABEL_RU = " (Синтетическое изложение, не официальный текст.)"

COPYRIGHT_LAW = {
    "slug": "copyright-law",
    "kind": LawKind.LAW,
    "issuer": "National People's Congress Standing Committee",
    "number": "Order of the President No. 31 (1990)",
    "adopted_on": dt.date(1990, 9, 7),
    "name_en": "Copyright Law of the People's Republic of China",
    "name_zh_hans": "中华人民共和国著作权法",
    "name_ru": "Закон Китайской Народной Республики об авторском праве",
}
D = dt.date
# law slug, article, heading (en, zh, ru), versions: (from, to, en, zh, ru)
ARTICLES = [
    (
        "copyright-law",
        1,
        ("Purpose", "立法目的", "Цель"),
        [
            (
                D(1991, 6, 1),
                None,
                "The law protects the copyright of authors of literary, artistic and scientific works "
                "and related rights, and encourages the creation and spread of works.",
                "本法保护文学、艺术和科学作品作者的著作权以及相关权益，鼓励作品的创作和传播。",
                "Закон охраняет авторское право авторов литературных, художественных и научных "
                "произведений и смежные права, поощряет создание и распространение произведений.",
            ),
        ],
    ),
    (
        "copyright-law",
        48,
        (
            "Infringements and administrative penalties",
            "侵权行为及行政处罚",
            "Нарушения и административные наказания",
        ),
        [
            (
                D(2010, 4, 1),
                D(2021, 5, 31),
                "Reproducing, distributing or communicating a work to the public without permission, "
                "where it also harms the public interest, may be ordered to stop by the copyright "
                "administration, which may confiscate illegal gains, copies and the equipment mainly "
                "used to make them, and impose a fine.",
                "未经许可复制、发行或者通过信息网络向公众传播作品，同时损害公共利益的，可以由著作权行政管理部门"
                "责令停止侵权行为，没收违法所得、侵权复制品及主要用于制作侵权复制品的设备，并可处以罚款。",
                "Воспроизведение, распространение или доведение произведения до всеобщего сведения без "
                "разрешения, наносящее ущерб общественным интересам, может быть пресечено органом по "
                "авторскому праву с конфискацией дохода, копий и оборудования и штрафом.",
            ),
        ],
    ),
    (
        "copyright-law",
        53,
        (
            "Infringements and administrative penalties",
            "侵权行为及行政处罚",
            "Нарушения и административные наказания",
        ),
        [
            (
                D(2021, 6, 1),
                None,
                "The infringements of former Article 48, renumbered by the 2020 amendment; a fine of up "
                "to five times the illegal turnover, or up to 250,000 yuan where there is none or it is "
                "under 50,000 yuan.",
                "原第四十八条规定的侵权行为，经2020年修正后改为本条；可处违法经营额五倍以下的罚款，"
                "没有违法经营额或者不足五万元的，可处二十五万元以下的罚款。",
                "Нарушения прежней статьи 48, перенумерованной поправкой 2020 года; штраф до пятикратной "
                "незаконной выручки или до 250 000 юаней, если выручки нет или она менее 50 000 юаней.",
            ),
        ],
    ),
    (
        "criminal-law",
        217,
        ("Crime of infringing copyright", "侵犯著作权罪", "Нарушение авторского права"),
        [
            (
                D(2021, 3, 1),
                None,
                "Copyright infringement for profit: with a large illegal income or other serious "
                "circumstances, up to 3 years of fixed-term imprisonment or criminal detention and/or "
                "a fine; especially serious circumstances: 3 to 10 years and a fine (Amendment XI).",
                "以营利为目的侵犯著作权，违法所得数额较大或者有其他严重情节的，处三年以下有期徒刑，并处或者单处"
                "罚金；情节特别严重的，处三年以上十年以下有期徒刑，并处罚金（刑法修正案（十一））。",
                "Нарушение авторского права с целью извлечения прибыли: при крупном доходе или иных "
                "серьёзных обстоятельствах — до 3 лет лишения свободы и (или) штраф; при особо тяжких — "
                "от 3 до 10 лет и штраф (поправка XI).",
            ),
        ],
    ),
    (
        "criminal-law",
        218,
        ("Crime of selling infringing copies", "销售侵权复制品罪", "Продажа контрафактных копий"),
        [
            (
                D(1997, 10, 1),
                D(2021, 2, 28),
                "Knowingly selling infringing copies for profit, with a huge illegal income: up to "
                "3 years of fixed-term imprisonment or criminal detention and/or a fine.",
                "以营利为目的，销售明知是侵权复制品，违法所得数额巨大的，处三年以下有期徒刑或者拘役，并处或者单处罚金。",
                "Сбыт заведомо контрафактных копий с целью прибыли при особо крупном доходе — до 3 лет "
                "лишения свободы или арест и (или) штраф.",
            ),
            (
                D(2021, 3, 1),
                None,
                "Knowingly selling infringing copies for profit, with a huge illegal income or other "
                "especially serious circumstances: up to 5 years and/or a fine (Amendment XI).",
                "以营利为目的，销售明知是侵权复制品，违法所得数额巨大或者有其他严重情节的，处五年以下有期徒刑，"
                "并处或者单处罚金（刑法修正案（十一））。",
                "Сбыт заведомо контрафактных копий с целью прибыли при особо крупном доходе или иных "
                "тяжких обстоятельствах — до 5 лет лишения свободы и (или) штраф (поправка XI).",
            ),
        ],
    ),
    (
        "copyright-law-implementing-regulations",
        36,
        ("Administrative fines", "行政罚款", "Административные штрафы"),
        [
            (
                D(2002, 9, 15),
                D(2013, 2, 28),
                "For an infringement that harms the public interest, a fine of up to three times the "
                "illegal turnover, or up to 100,000 yuan where the turnover is hard to compute.",
                "有损害公共利益的侵权行为的，可处非法经营额三倍以下的罚款；非法经营额难以计算的，可处十万元以下的罚款。",
                "За нарушение, наносящее ущерб общественным интересам, — штраф до трёхкратной незаконной "
                "выручки или до 100 000 юаней, если выручку трудно исчислить.",
            ),
        ],
    ),
]


def demo_lines(country: str) -> list[str]:  # noqa: ARG001 - the library is the node's
    if Law.objects.filter(slug="copyright-law").exists():
        return []
    added = 0
    with transaction.atomic():
        services.law_save(actor=DEMO, **COPYRIGHT_LAW)
        laws = {law.slug: law for law in Law.objects.all()}
        for slug, number, (en, zh, ru), versions in ARTICLES:
            law = laws[slug]
            article = law.articles.filter(number=number).first() or services.article_save(
                actor=DEMO, law=law, number=number
            )
            services.article_save(
                actor=DEMO, article=article, heading_en=en, heading_zh_hans=zh, heading_ru=ru
            )
            for start, end, text_en, text_zh, text_ru in versions:
                if article.versions.filter(effective_from=start).exists():
                    continue
                services.version_save(
                    actor=DEMO,
                    article=article,
                    effective_from=start,
                    effective_to=end,
                    text_en=text_en + LABEL,
                    text_zh_hans=text_zh + LABEL_ZH,
                    text_ru=text_ru + LABEL_RU,
                )
                added += 1
        for law in laws.values():
            if law.slug != "provisions-carried-over" and not law.is_published:
                services.law_save(actor=DEMO, law=law, is_published=True)
    return [f"legislation: the Copyright Law, Criminal Law 217/218 ({added} article versions)"]
