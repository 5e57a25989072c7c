# Special actions moved to the campaigns app with their table: the seizure's link points
# there now, and nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('seizures', '0008_fewer_seizure_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='seizure',
                    name='campaign',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seizures', to='campaigns.campaign', verbose_name='special action'),
                ),
            ],
        ),
    ]
