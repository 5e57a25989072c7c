from django.contrib import admin

from ipex.campaigns.models import Campaign
from ipex.core.admin import ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Read-only: special actions change through their services (audited)."""

    list_display = ["name_en", "owner_org", "starts_on", "ends_on"]
