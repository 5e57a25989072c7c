# Alerts and requests for assistance moved here from the exchange app: their tables stay
# as they are (db_table), so this migration changes the state only.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('exchange', '0006_syncstate_pull_queued'),
        ('cases', '0008_search_index'),
        ('directory', '0002_sharing_group_order'),
        ('seizures', '0008_fewer_seizure_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Alert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('distribution', models.CharField(choices=[('org', 'Organisation and its supervisors'), ('node', 'Every organisation on this node'), ('group', 'Sharing group'), ('public', 'Public')], default='org', max_length=8, verbose_name='distribution')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated')),
                        ('withdrawn_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='withdrawn')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('body', models.TextField(verbose_name='text')),
                        ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], default='normal', max_length=8, verbose_name='priority')),
                        ('expires_on', models.DateField(verbose_name='expires')),
                        ('origin_node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.node', verbose_name='origin node')),
                        ('owner_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='owner organisation')),
                        ('sharing_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.sharinggroup', verbose_name='sharing group')),
                    ],
                    options={
                        'verbose_name': 'alert',
                        'verbose_name_plural': 'alerts',
                        'db_table': 'exchange_alert',
                        'ordering': ['-created_at', '-id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='AssistanceRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('distribution', models.CharField(choices=[('org', 'Organisation and its supervisors'), ('node', 'Every organisation on this node'), ('group', 'Sharing group'), ('public', 'Public')], default='org', max_length=8, verbose_name='distribution')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated')),
                        ('withdrawn_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='withdrawn')),
                        ('subject', models.CharField(max_length=200, verbose_name='subject')),
                        ('body', models.TextField(verbose_name='questions')),
                        ('case_uuid', models.UUIDField(blank=True, db_index=True, editable=False, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assistance_requests', to='cases.case', verbose_name='case')),
                        ('origin_node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.node', verbose_name='origin node')),
                        ('owner_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='owner organisation')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='asked organisation')),
                        ('seizures', models.ManyToManyField(blank=True, related_name='+', to='seizures.seizure', verbose_name='seizures')),
                        ('sharing_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.sharinggroup', verbose_name='sharing group')),
                    ],
                    options={
                        'verbose_name': 'request for assistance',
                        'verbose_name_plural': 'requests for assistance',
                        'db_table': 'exchange_assistancerequest',
                        'ordering': ['-created_at', '-id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='AssistanceMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('distribution', models.CharField(choices=[('org', 'Organisation and its supervisors'), ('node', 'Every organisation on this node'), ('group', 'Sharing group'), ('public', 'Public')], default='org', max_length=8, verbose_name='distribution')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated')),
                        ('withdrawn_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='withdrawn')),
                        ('kind', models.CharField(choices=[('acknowledge', 'Acknowledgement'), ('answer', 'Answer'), ('message', 'Message')], max_length=12, verbose_name='kind')),
                        ('body', models.TextField(blank=True, verbose_name='text')),
                        ('author_name', models.CharField(blank=True, max_length=200, verbose_name='from')),
                        ('origin_node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.node', verbose_name='origin node')),
                        ('owner_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='owner organisation')),
                        ('sharing_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.sharinggroup', verbose_name='sharing group')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='assistance.assistancerequest')),
                    ],
                    options={
                        'verbose_name': 'message',
                        'verbose_name_plural': 'messages',
                        'db_table': 'exchange_assistancemessage',
                        'ordering': ['created_at', 'id'],
                        'abstract': False,
                    },
                ),
            ],
        ),
    ]
