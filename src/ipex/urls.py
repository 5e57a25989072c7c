from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from ipex.assistance import api as assistance_api
from ipex.assistance import views as assistance_views
from ipex.campaigns import urls as campaigns_urls
from ipex.cases import api as cases_api
from ipex.cases import views as cases_views
from ipex.core import api as core_api
from ipex.core import views as core_views
from ipex.directory import api as directory_api
from ipex.directory import forms as directory_forms
from ipex.directory import views as directory_views
from ipex.federation import views as federation_views
from ipex.seizures import api as seizures_api
from ipex.seizures import views as seizures_views
from ipex.tips import api as tips_api
from ipex.tips import views as tips_views

router = SimpleRouter(trailing_slash=False)
router.register("me/tokens", directory_api.TokenViewSet, basename="api-token")
router.register("organisations", directory_api.OrganisationViewSet, basename="api-organisation")
router.register("jurisdictions", directory_api.JurisdictionViewSet, basename="api-jurisdiction")
router.register("users", directory_api.UserViewSet, basename="api-user")
router.register("sharing-groups", directory_api.SharingGroupViewSet, basename="api-sharing-group")
router.register("seizures", seizures_api.SeizureViewSet, basename="api-seizure")
router.register("categories", seizures_api.CategoryViewSet, basename="api-category")
router.register("reports", seizures_api.ReportViewSet, basename="api-report")
router.register("cases", cases_api.CaseViewSet, basename="api-case")
router.register("subjects", cases_api.SubjectViewSet, basename="api-subject")
router.register("legal-provisions", cases_api.ProvisionViewSet, basename="api-provision")
router.register("tips", tips_api.TipViewSet, basename="api-tip")
router.register("alerts", assistance_api.AlertViewSet, basename="api-alert")
router.register(
    "assistance-requests", assistance_api.AssistanceRequestViewSet, basename="api-assistance"
)
router.register("audit", core_api.AuditEntryViewSet, basename="api-audit-entry")
router.register("jobs", core_api.JobViewSet, basename="api-job")

me = directory_api.MeViewSet.as_view({"get": "retrieve", "patch": "partial_update"})

api_urls = [
    path("me", me, name="me"),
    path("stats/seizures", seizures_api.SeizureStatsView.as_view(), name="api-stats-seizures"),
    path(
        "stats/enforcement", cases_api.EnforcementStatsView.as_view(), name="api-stats-enforcement"
    ),
    path("search", cases_api.SearchView.as_view(), name="api-search"),
    path("public/tips", tips_api.PublicTipsView.as_view(), name="api-public-tips"),
    path(
        "public/tips/status", tips_api.PublicTipStatusView.as_view(), name="api-public-tip-status"
    ),
    path("public/tips/reply", tips_api.PublicTipReplyView.as_view(), name="api-public-tip-reply"),
    path("public/tips/claim", tips_api.PublicTipClaimView.as_view(), name="api-public-tip-claim"),
    path("tips/rewards", tips_api.RewardListView.as_view(), name="api-reward-list"),
    path("tips/rewards/report", tips_api.PayoutReportView.as_view(), name="api-reward-report"),
    *router.urls,
    *campaigns_urls.api_urlpatterns,
]

account_urls = [
    path("login/", directory_views.LoginView.as_view(), name="login"),
    path("logout/", directory_views.logout_view, name="logout"),
    path("otp/", directory_views.OtpView.as_view(), name="otp"),
    path("profile/", directory_views.profile, name="profile"),
    path("tokens/", directory_views.tokens, name="tokens"),
    path("tokens/<uuid:uuid>/revoke", directory_views.token_revoke, name="token-revoke"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=directory_forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=directory_forms.PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=directory_forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

directory_urls = [
    path(
        "organisations/", directory_views.OrganisationListView.as_view(), name="organisation-list"
    ),
    path("organisations/new", directory_views.organisation_create, name="organisation-create"),
    path(
        "organisations/<uuid:uuid>/",
        directory_views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<uuid:uuid>/edit",
        directory_views.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "jurisdictions/", directory_views.JurisdictionListView.as_view(), name="jurisdiction-list"
    ),
    path("jurisdictions/new", directory_views.jurisdiction_create, name="jurisdiction-create"),
    path("users/", directory_views.UserListView.as_view(), name="user-list"),
    path("users/new", directory_views.user_create, name="user-create"),
    path("users/<uuid:uuid>/", directory_views.UserDetailView.as_view(), name="user-detail"),
    path("users/<uuid:uuid>/roles", directory_views.membership_grant, name="membership-grant"),
    path(
        "users/<uuid:uuid>/roles/<int:membership_id>/revoke",
        directory_views.membership_revoke,
        name="membership-revoke",
    ),
    path("users/<uuid:uuid>/active", directory_views.user_set_active, name="user-set-active"),
    path("role-policies/", directory_views.role_policies, name="role-policies"),
    path(
        "sharing-groups/", directory_views.SharingGroupListView.as_view(), name="sharing-group-list"
    ),
    path("sharing-groups/new", directory_views.sharing_group_create, name="sharing-group-create"),
    path(
        "sharing-groups/<uuid:uuid>/",
        directory_views.SharingGroupDetailView.as_view(),
        name="sharing-group-detail",
    ),
    path(
        "sharing-groups/<uuid:uuid>/members",
        directory_views.sharing_group_member_add,
        name="sharing-group-member-add",
    ),
    path(
        "sharing-groups/<uuid:uuid>/members/<int:member_id>/remove",
        directory_views.sharing_group_member_remove,
        name="sharing-group-member-remove",
    ),
]

seizure_urls = [
    path("", seizures_views.SeizureListView.as_view(), name="seizure-list"),
    path("new", seizures_views.seizure_create, name="seizure-create"),
    path("item-line", seizures_views.seizure_item_line, name="seizure-item-line"),
    path("import", seizures_views.seizure_import, name="seizure-import"),
    path(
        "import/template.<str:fmt>",
        seizures_views.seizure_import_template,
        name="seizure-import-template",
    ),
    path("export.<str:fmt>", seizures_views.seizure_export, name="seizure-export"),
    path("<uuid:uuid>/", seizures_views.SeizureDetailView.as_view(), name="seizure-detail"),
    path("<uuid:uuid>/edit", seizures_views.seizure_edit, name="seizure-edit"),
    path("<uuid:uuid>/withdraw", seizures_views.seizure_withdraw, name="seizure-withdraw"),
]

report_urls = [
    path("", seizures_views.report_list, name="report-list"),
    path("new", seizures_views.report_create, name="report-create"),
    path("<uuid:uuid>/", seizures_views.ReportDetailView.as_view(), name="report-detail"),
    path("<uuid:uuid>/<str:action>", seizures_views.report_action, name="report-action"),
]

federation_urls = [
    path("node", federation_views.node_document, name="federation-node"),
    path("partnership", federation_views.partnership, name="federation-partnership"),
    path("changes", federation_views.changes, name="federation-changes"),
    path("snapshot", federation_views.snapshot, name="federation-snapshot"),
    path("notify", federation_views.notify, name="federation-notify"),
    path("organisations", federation_views.organisations, name="federation-organisations"),
]

tip_urls = [
    path("", tips_views.TipListView.as_view(), name="tip-list"),
    path("new", tips_views.tip_new, name="tip-new"),
    path("status", tips_views.tip_status, name="tip-status"),
    path("status/reply", tips_views.tip_reply, name="tip-reply"),
    path("status/claim", tips_views.tip_claim, name="tip-claim"),
    path("rewards/", tips_views.reward_list, name="reward-list"),
    path("<uuid:uuid>/", tips_views.tip_page, name="tip-detail"),
    path("<uuid:uuid>/act", tips_views.tip_act, name="tip-act"),
    path("<uuid:uuid>/payment-identity", tips_views.reward_identity, name="reward-identity"),
    path(
        "<uuid:uuid>/files/<uuid:file_uuid>/<str:variant>",
        tips_views.tip_file,
        name="tip-file",
    ),
]

case_urls = [
    path("", cases_views.CaseListView.as_view(), name="case-list"),
    path("new", cases_views.case_create, name="case-create"),
    path("export.csv", cases_views.case_export, name="case-export"),
    path("search", cases_views.search_page, name="case-search"),
    path("provisions/", cases_views.ProvisionListView.as_view(), name="provision-list"),
    path("<uuid:uuid>/", cases_views.CaseDetailView.as_view(), name="case-detail"),
    path("<uuid:uuid>/act", cases_views.case_action, name="case-action"),
    path(
        "<uuid:uuid>/evidence/<uuid:evidence_uuid>",
        cases_views.evidence_download,
        name="evidence-download",
    ),
]

urlpatterns = [
    path("", include("ipex.portal.urls")),
    path("cases/", include(case_urls)),
    path("tips/", include(tip_urls)),
    path("federation/v1/", include(federation_urls)),
    path("share/<str:kind>/<uuid:uuid>", core_views.share_record, name="record-share"),
    path("partners/", federation_views.admin_page, name="federation-admin"),
    path("alerts/", assistance_views.AlertListView.as_view(), name="alert-list"),
    path("alerts/new", assistance_views.alert_new, name="alert-new"),
    path("alerts/<uuid:uuid>/", assistance_views.alert_page, name="alert-detail"),
    path("assistance/", assistance_views.RequestListView.as_view(), name="assistance-list"),
    path("assistance/new", assistance_views.request_new, name="assistance-new"),
    path("assistance/<uuid:uuid>/", assistance_views.request_page, name="assistance-detail"),
    path("", include("ipex.campaigns.urls")),
    path("seizures/", include(seizure_urls)),
    path("reports/", include(report_urls)),
    path("statistics/", seizures_views.statistics, name="statistics"),
    path("statistics/bulletin", seizures_views.bulletin_page, name="bulletin"),
    path("i18n/setlang/", directory_views.set_language, name="set-language"),
    path("accounts/", include(account_urls)),
    path("directory/", include(directory_urls)),
    path("audit/", core_views.AuditListView.as_view(), name="audit"),
    path("audit/verify", core_views.AuditVerifyView.as_view(), name="audit-verify"),
    path("jobs/", core_views.JobListView.as_view(), name="job-list"),
    path("jobs/<uuid:uuid>/", core_views.JobDetailView.as_view(), name="job-detail"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

handler400 = "ipex.core.views.bad_request"
handler403 = "ipex.core.views.permission_denied"
handler404 = "ipex.core.views.page_not_found"
handler500 = "ipex.core.views.server_error"
