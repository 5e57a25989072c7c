from django.contrib import admin

from ipex.campaigns.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Read-only: special actions change through their services (audited)."""

    list_display = ["name_en", "owner_org", "starts_on", "ends_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
