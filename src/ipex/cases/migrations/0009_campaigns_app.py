# Special actions moved to the campaigns app, which took them over with their tables as
# they are: the case's link points there now, and nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('cases', '0008_search_index'),
        ('seizures', '0009_campaign_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='campaign',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='campaigns.campaign', verbose_name='special action'),
                ),
                migrations.RemoveField(
                    model_name='campaigntarget',
                    name='campaign',
                ),
                migrations.DeleteModel(
                    name='Campaign',
                ),
                migrations.DeleteModel(
                    name='CampaignTarget',
                ),
            ],
        ),
    ]
