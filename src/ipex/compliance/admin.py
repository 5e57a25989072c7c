"""Software legalisation in the admin site: read only. Every change goes through the
services, which check it, audit it and keep the reconciliation current (a rule changed here
would not rename the raw strings)."""

from django.contrib import admin

from ipex.compliance.models import (
    AuditedBody,
    BodyCompliance,
    Entitlement,
    Inventory,
    NormalisationRule,
    Product,
)
from ipex.core.admin import ReadOnlyAdmin


@admin.register(AuditedBody)
class AuditedBodyAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "body_kind", "created_at"]
    list_filter = ["body_kind"]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["publisher", "name", "edition", "family", "licence_model", "spdx_id"]
    list_filter = ["family", "licence_model"]


@admin.register(NormalisationRule)
class NormalisationRuleAdmin(ReadOnlyAdmin):
    list_display = ["position", "kind", "pattern", "product", "ignore"]


@admin.register(Inventory)
class InventoryAdmin(ReadOnlyAdmin):
    list_display = ["body", "year", "file_name", "format", "devices", "installs", "created_at"]
    list_filter = ["format", "year"]


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ["body", "product", "metric", "quantity", "valid_from", "valid_to"]


@admin.register(BodyCompliance)
class BodyComplianceAdmin(ReadOnlyAdmin):
    list_display = ["body", "year", "devices", "compliant_devices", "shortfall"]
