from django.db import migrations


def seed(apps, schema_editor):
    from ipex.seizures.categories import seed_categories

    seed_categories(apps.get_model("seizures", "Category"))


class Migration(migrations.Migration):
    dependencies = [("seizures", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
