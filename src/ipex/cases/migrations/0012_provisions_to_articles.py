"""Every legal provision becomes (a part of) an article of the legislation library: the
provisions seeded by 0004 link to the articles they cite, with the version their range of
penalty comes from; any other provision gets an article of its own in an unpublished law of
carried-over provisions, for a node administrator to file properly. No provision and no
case's reference to one is lost: actions keep pointing at their provision, which now leads
to its article (and, by the action's date, to the version then in force)."""

import datetime as dt

from django.db import migrations

from ipex.core.textsearch import joined_terms

# slug, kind, issuer, number, adopted, (en, zh-hans, ru)
LAWS = {
    "criminal-law": (
        "law", "National People's Congress", "", dt.date(1979, 7, 1),
        ("Criminal Law of the People's Republic of China", "中华人民共和国刑法",
         "Уголовный кодекс Китайской Народной Республики"),
    ),
    "copyright-law-implementing-regulations": (
        "regulation", "State Council", "Decree of the State Council No. 359",
        dt.date(2002, 8, 2),
        ("Regulations for the Implementation of the Copyright Law of the People's Republic "
         "of China", "中华人民共和国著作权法实施条例",
         "Правила применения Закона КНР об авторском праве"),
    ),
    "provisions-carried-over": (
        "regulation", "—", "", dt.date(1900, 1, 1),
        ("Provisions carried over from the case register (to be filed)",
         "从案件登记中转入的条款（待归档）",
         "Положения, перенесённые из реестра дел (подлежат оформлению)"),
    ),
}
# provision code → law, article number, version in force from, to (None: still in force)
KNOWN = {
    "CN-CL-217": ("criminal-law", 217, dt.date(1997, 10, 1), dt.date(2021, 2, 28)),
    "CN-CL-217-BASIC": ("criminal-law", 217, dt.date(1997, 10, 1), dt.date(2021, 2, 28)),
    "CN-CRIR-36": (
        "copyright-law-implementing-regulations", 36, dt.date(2013, 3, 1), None
    ),
}
UNKNOWN_START = dt.date(1900, 1, 1)  # not known: a node administrator corrects it


def forwards(apps, schema_editor):
    provision_model = apps.get_model("cases", "LegalProvision")
    law_model = apps.get_model("legislation", "Law")
    article_model = apps.get_model("legislation", "Article")
    version_model = apps.get_model("legislation", "ArticleVersion")
    document_model = apps.get_model("legislation", "SearchDocument")
    laws, texts = {}, {}
    carried = 0
    for provision in provision_model.objects.filter(article__isnull=True).order_by("code"):
        if provision.code in KNOWN:
            slug, number, start, end = KNOWN[provision.code]
        else:
            slug, start, end = "provisions-carried-over", UNKNOWN_START, None
            carried += 1
            number = carried
        if slug not in laws:
            kind, issuer, law_number, adopted, (en, zh, ru) = LAWS[slug]
            laws[slug], _ = law_model.objects.get_or_create(slug=slug, defaults={
                "kind": kind, "issuer": issuer, "number": law_number, "adopted_on": adopted,
                "name_en": en, "name_zh_hans": zh, "name_ru": ru, "is_published": False,
            })
            document_model.objects.get_or_create(
                law=laws[slug], article=None, defaults={"terms": joined_terms([en, zh, ru])}
            )
        heading = provision.code if slug == "provisions-carried-over" else ""
        article, _ = article_model.objects.get_or_create(
            law=laws[slug], number=number,
            defaults={"position": number, "heading_en": heading},
        )
        names = texts.setdefault(article.pk, ([], [], [], start, end))
        names[0].append(provision.name_en)
        names[1].append(provision.name_zh_hans)
        names[2].append(provision.name_ru)
        provision.article = article
        provision.save(update_fields=["article"])
    for article_pk, (en, zh, ru, start, end) in texts.items():
        version, _ = version_model.objects.get_or_create(
            article_id=article_pk, effective_from=start, defaults={
                "effective_to": end,
                "text_en": "\n".join(en),
                "text_zh_hans": "\n".join(t for t in zh if t),
                "text_ru": "\n".join(t for t in ru if t),
                "note": "Carried over from the legal provisions of the case register.",
            },
        )
        article = article_model.objects.get(pk=article_pk)
        document_model.objects.update_or_create(article=article, defaults={
            "law": article.law,
            "terms": joined_terms([version.text_en, version.text_zh_hans, version.text_ru]),
        })


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_provision_article"),
        ("legislation", "0002_search_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
