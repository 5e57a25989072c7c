from django.contrib import admin

from ipex.core.models import AuditEntry, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their services (workflow, figures, audit): the
    admin site shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["seq", "at", "actor_label", "action", "object_repr"]
    list_filter = ["actor_kind"]
    search_fields = ["action", "actor_label", "object_uuid", "object_repr"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "started_by", "status", "progress", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False
