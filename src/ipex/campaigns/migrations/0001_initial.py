# Special actions moved here from the cases app: their tables stay as they are (db_table
# cases_campaign, cases_campaigntarget, cases_campaign_participants), so this migration
# changes the state only.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0008_search_index'),
        ('directory', '0002_sharing_group_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                        ('name_zh_hans', models.CharField(blank=True, max_length=200, verbose_name='name (Chinese)')),
                        ('name_ru', models.CharField(blank=True, max_length=200, verbose_name='name (Russian)')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('distribution', models.CharField(choices=[('org', 'Organisation and its supervisors'), ('node', 'Every organisation on this node'), ('group', 'Sharing group'), ('public', 'Public')], default='org', max_length=8, verbose_name='distribution')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated')),
                        ('withdrawn_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='withdrawn')),
                        ('starts_on', models.DateField(verbose_name='starts')),
                        ('ends_on', models.DateField(verbose_name='ends')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('origin_node', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.node', verbose_name='origin node')),
                        ('owner_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='owner organisation')),
                        ('participants', models.ManyToManyField(blank=True, related_name='campaigns', to='directory.organisation', verbose_name='participating organisations')),
                        ('sharing_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.sharinggroup', verbose_name='sharing group')),
                    ],
                    options={
                        'verbose_name': 'special action',
                        'verbose_name_plural': 'special actions',
                        'db_table': 'cases_campaign',
                        'ordering': ['-starts_on', 'name_en'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='CampaignTarget',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('metric', models.CharField(choices=[('items_seized', 'Items seized'), ('seizures', 'Seizures recorded'), ('lines_closed', 'Production lines cracked down'), ('cases_closed', 'Cases closed'), ('enterprises_punished', 'Licensed enterprises punished')], max_length=24, verbose_name='measure')),
                        ('category', models.CharField(blank=True, help_text='For items seized: a top category', max_length=60, verbose_name='category')),
                        ('target', models.PositiveBigIntegerField(verbose_name='target')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='campaigns.campaign', verbose_name='campaign')),
                    ],
                    options={
                        'verbose_name': 'target',
                        'verbose_name_plural': 'targets',
                        'db_table': 'cases_campaigntarget',
                        'ordering': ['id'],
                        'constraints': [models.UniqueConstraint(fields=('campaign', 'metric', 'category'), name='unique_campaign_target')],
                    },
                ),
            ],
        ),
    ]
