from django.contrib import admin

from ipex.core.admin import ReadOnlyAdmin
from ipex.core.models import MultilingualName
from ipex.directory.admin import AuditedAdmin
from ipex.seizures.models import Bulletin, Category, ImportBatch, PeriodReport, Seizure


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["code", *MultilingualName.NAME_FIELDS, "parent", "valid_from", "valid_to"]
    list_filter = ["parent"]
    search_fields = ["code", *MultilingualName.NAME_FIELDS]


@admin.register(Seizure)
class SeizureAdmin(ReadOnlyAdmin):
    list_display = ["reference", "seized_on", "owner_org", "jurisdiction", "method"]
    list_filter = ["method"]
    search_fields = ["reference", "owner_org__code"]


@admin.register(PeriodReport)
class PeriodReportAdmin(ReadOnlyAdmin):
    list_display = ["owner_org", "period_kind", "year", "number", "revision", "status"]
    list_filter = ["status", "period_kind", "year"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["filename", "owner_org", "rows", "seizures", "created_at"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["country", "year", "version", "updated_at"]
