"""Directory pages (``urlpatterns``: sign-in and account, organisations, jurisdictions,
users, sharing groups, language) and API (``api_urlpatterns``, under /api/v1/), included by
the root ``ipex.urls``."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from ipex.core.routing import api_routes, record_pages
from ipex.directory import api, forms, views

me = api.MeViewSet.as_view({"get": "retrieve", "patch": "partial_update"})

api_urlpatterns = [
    path("me", me, name="me"),
    *api_routes(
        ("me/tokens", api.TokenViewSet, "api-token"),
        ("organisations", api.OrganisationViewSet, "api-organisation"),
        ("jurisdictions", api.JurisdictionViewSet, "api-jurisdiction"),
        ("users", api.UserViewSet, "api-user"),
        ("sharing-groups", api.SharingGroupViewSet, "api-sharing-group"),
    ),
]

account_urls = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.OtpView.as_view(), name="otp"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:uuid>/revoke", views.token_revoke, name="token-revoke"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=forms.PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

organisation_urls = record_pages(
    "organisation",
    index=views.OrganisationListView,
    new=views.organisation_create,
    detail=views.OrganisationDetailView,
    edit=views.organisation_edit,
)

user_urls = [
    *record_pages(
        "user", index=views.UserListView, new=views.user_create, detail=views.UserDetailView
    ),
    path("<uuid:uuid>/roles", views.membership_grant, name="membership-grant"),
    path(
        "<uuid:uuid>/roles/<int:membership_id>/revoke",
        views.membership_revoke,
        name="membership-revoke",
    ),
    path("<uuid:uuid>/active", views.user_set_active, name="user-set-active"),
]

sharing_group_urls = [
    *record_pages(
        "sharing-group",
        index=views.SharingGroupListView,
        new=views.sharing_group_create,
        detail=views.SharingGroupDetailView,
    ),
    path("<uuid:uuid>/members", views.sharing_group_member_add, name="sharing-group-member-add"),
    path(
        "<uuid:uuid>/members/<int:member_id>/remove",
        views.sharing_group_member_remove,
        name="sharing-group-member-remove",
    ),
]

directory_urls = [
    path("organisations/", include(organisation_urls)),
    path("jurisdictions/", views.JurisdictionListView.as_view(), name="jurisdiction-list"),
    path("jurisdictions/new", views.jurisdiction_create, name="jurisdiction-create"),
    path("users/", include(user_urls)),
    path("role-policies/", views.role_policies, name="role-policies"),
    path("sharing-groups/", include(sharing_group_urls)),
]

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set-language"),
    path("accounts/", include(account_urls)),
    path("directory/", include(directory_urls)),
]
