"""Django admin for node administrators (granted with the node_admin role)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ipex.core.audit import audit_log
from ipex.core.models import MultilingualName
from ipex.directory.models import (
    ApiToken,
    Jurisdiction,
    Membership,
    Node,
    Organisation,
    RolePolicy,
    SharingGroup,
    SharingGroupMember,
    User,
)


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin site are audited like any other write."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_log(
                request.user,
                f"{obj._meta.label_lower}.admin_{'changed' if change else 'added'}",
                obj,
                {"fields": list(form.changed_data)},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_log(request.user, f"{obj._meta.label_lower}.admin_deleted", obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class TreeAdmin(AuditedAdmin):
    """Tree nodes are added through IPEX's own pages, which place them in the tree."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("IPEX node administration")
admin.site.site_title = _("IPEX administration")


@admin.register(Node)
class NodeAdmin(AuditedAdmin):
    list_display = ["name", "base_url", "is_local", "is_demo", "created_at"]
    readonly_fields = ["uuid", "public_key", "is_local", "created_at"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(TreeAdmin):
    list_display = ["code", *MultilingualName.NAME_FIELDS, "level"]
    list_filter = ["level", "is_iso"]
    search_fields = ["code", *MultilingualName.NAME_FIELDS]
    readonly_fields = ["path", "depth", "numchild"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    list_display = ["code", "name_en", "kind", "jurisdiction", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", *MultilingualName.NAME_FIELDS]
    readonly_fields = ["uuid", "path", "depth", "numchild", "origin_node", "created_at"]
    autocomplete_fields = ["jurisdiction"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff"]
    readonly_fields = ["uuid", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["uuid", "email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "language"]}),
        (
            _("Status"),
            {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]},
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal: list[str] = []
    inlines = [MembershipInline]


@admin.register(RolePolicy)
class RolePolicyAdmin(AuditedAdmin):
    list_display = ["role", "require_totp"]


class SharingGroupMemberInline(admin.TabularInline):
    model = SharingGroupMember
    extra = 0


@admin.register(SharingGroup)
class SharingGroupAdmin(AuditedAdmin):
    list_display = ["name", "owner_org", "created_at"]
    search_fields = ["name"]
    inlines = [SharingGroupMemberInline]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["uuid", "user", "prefix", "secret_hash", "created_at", "last_used_at"]
    search_fields = ["user__email", "prefix", "name"]
