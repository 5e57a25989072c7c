from django.db import migrations

from ipex.border.deadlines import seed_rules


def seed(apps, schema_editor):
    seed_rules(apps.get_model("border", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("border", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
