"""Node administrators set routing, reward schedules and budgets here (audited). Tips and
rewards themselves change only through their services and are not in the admin."""

from django.contrib import admin

from ipex.directory.admin import AuditedAdmin
from ipex.tips.models import RewardBudget, RewardSchedule, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    list_display = ["jurisdiction", "kind", "organisation"]
    raw_id_fields = ["jurisdiction", "organisation"]


@admin.register(RewardSchedule)
class RewardScheduleAdmin(AuditedAdmin):
    list_display = ["kind", "outcome", "ceiling", "percent_of_fines", "currency"]


@admin.register(RewardBudget)
class RewardBudgetAdmin(AuditedAdmin):
    list_display = ["organisation", "year", "amount", "currency"]
    raw_id_fields = ["organisation"]
