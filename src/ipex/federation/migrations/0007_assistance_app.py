# Alerts and requests for assistance moved to the assistance app, which took them over with
# their tables as they are: nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0006_syncstate_pull_queued"),
        ("assistance", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="AssistanceMessage"),
                migrations.DeleteModel(name="AssistanceRequest"),
                migrations.DeleteModel(name="Alert"),
            ],
        ),
    ]
