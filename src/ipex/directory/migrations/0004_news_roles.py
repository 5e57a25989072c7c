# The press officer and news approver roles (the public portal's news); choices only.

from django.db import migrations, models

ROLES = [
    ("officer", "Enforcement officer"),
    ("supervisor", "Supervisor"),
    ("statistician", "Statistician"),
    ("liaison", "Liaison officer"),
    ("reward_approver", "Reward approver"),
    ("auditor", "Compliance auditor"),
    ("asset_manager", "Software asset manager"),
    ("rights_holder_rep", "Rights-holder representative"),
    ("node_admin", "Node administrator"),
    ("press_officer", "Press officer"),
    ("news_approver", "News approver"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_asset_manager_role"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(choices=ROLES, max_length=20, verbose_name="role"),
        ),
        migrations.AlterField(
            model_name="rolepolicy",
            name="role",
            field=models.CharField(choices=ROLES, max_length=20, unique=True, verbose_name="role"),
        ),
    ]
