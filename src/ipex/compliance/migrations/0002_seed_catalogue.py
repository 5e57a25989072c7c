"""The common products and the rules that recognise them (``ipex.compliance.catalogue``)."""

from django.db import migrations

from ipex.compliance.catalogue import PRODUCTS, RULES


def seed(apps, schema_editor):  # noqa: ARG001
    Product = apps.get_model("compliance", "Product")
    Rule = apps.get_model("compliance", "NormalisationRule")
    made = {}
    for key, (publisher, name, edition, family, model, spdx) in PRODUCTS.items():
        made[key], _created = Product.objects.get_or_create(
            publisher=publisher,
            name=name,
            edition=edition,
            defaults={"family": family, "licence_model": model, "spdx_id": spdx},
        )
    for position, kind, pattern, publisher, key, examples in RULES:
        Rule.objects.get_or_create(
            kind=kind,
            pattern=pattern,
            publisher=publisher,
            defaults={
                "position": position,
                "product": made[key] if key else None,
                "ignore": key is None,
                "examples": examples,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
