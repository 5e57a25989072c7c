"""Software legalisation: pages (``urlpatterns``, under /compliance/) and API
(``api_urlpatterns``, under /api/v1/compliance/), included by the root ``ipex.urls``."""

from django.urls import path

from ipex.compliance import api, api_reports, views, views_inspections, views_stats
from ipex.core.routing import api_routes, page

api_urlpatterns = [
    path(
        "stats/compliance", api_reports.ComplianceStatsView.as_view(), name="api-stats-compliance"
    ),
    path(
        "stats/compliance/approve",
        api_reports.ComplianceStatsApproveView.as_view(),
        name="api-stats-compliance-approve",
    ),
    *api_routes(
        ("compliance/bodies", api.BodyViewSet, "api-compliance-body"),
        ("compliance/obligations", api.ObligationViewSet, "api-obligation"),
        ("compliance/products", api.ProductViewSet, "api-product"),
        ("compliance/rules", api.RuleViewSet, "api-rule"),
        ("compliance/unmatched", api.UnmatchedViewSet, "api-unmatched"),
        ("compliance/inventories", api.InventoryViewSet, "api-inventory"),
        ("compliance/entitlements", api.EntitlementViewSet, "api-entitlement"),
        ("compliance/reconciliation", api.ReconciliationViewSet, "api-reconciliation"),
        ("compliance/self-reports", api_reports.SelfReportViewSet, "api-self-report"),
        ("compliance/inspections", api_reports.InspectionViewSet, "api-inspection"),
    ),
]

urlpatterns = [
    page("compliance/", views.BodyListView, "compliance-home"),
    page("compliance/statistics", views_stats.statistics_page, "compliance-statistics"),
    path(
        "compliance/statistics/approve",
        views_stats.statistics_approve,
        name="compliance-statistics-approve",
    ),
    page("compliance/bodies/new", views.body_new, "compliance-body-new"),
    page("compliance/bodies/<uuid:uuid>/", views.body_page, "compliance-body"),
    path(
        "compliance/bodies/<uuid:uuid>/obligations",
        views.body_obligation,
        name="compliance-body-obligation",
    ),
    page(
        "compliance/obligations/import", views.obligations_import, "compliance-obligations-import"
    ),
    page("compliance/products/", views.ProductListView, "compliance-products"),
    page("compliance/products/new", views.product_new, "compliance-product-new"),
    page("compliance/rules/", views.RuleListView, "compliance-rules"),
    page("compliance/rules/new", views.rule_new, "compliance-rule-new"),
    page("compliance/unmatched/", views.UnmatchedListView, "compliance-unmatched"),
    path("compliance/unmatched/<uuid:uuid>/map", views.unmatched_map, name="compliance-map"),
    path(
        "compliance/bodies/<uuid:uuid>/entitlements",
        views.body_entitlement,
        name="compliance-body-entitlement",
    ),
    path(
        "compliance/bodies/<uuid:uuid>/entitlements/import",
        views.body_entitlements_import,
        name="compliance-body-entitlements-import",
    ),
    path(
        "compliance/bodies/<uuid:uuid>/inventories",
        views.body_inventory,
        name="compliance-body-inventory",
    ),
    path(
        "compliance/bodies/<uuid:uuid>/self-reports",
        views.body_self_report,
        name="compliance-body-self-report",
    ),
    path(
        "compliance/self-reports/<uuid:uuid>/<str:decision>",
        views.self_report_decide,
        name="compliance-self-report-decide",
    ),
    path(
        "compliance/bodies/<uuid:uuid>/inspections",
        views_inspections.body_inspection,
        name="compliance-body-inspection",
    ),
    page(
        "compliance/inspections/<uuid:uuid>/",
        views_inspections.inspection_page,
        "compliance-inspection",
    ),
    path(
        "compliance/inspections/<uuid:uuid>/proofs/<uuid:proof_uuid>",
        views_inspections.inspection_proof,
        name="compliance-inspection-proof",
    ),
    path(
        "compliance/inspections/<uuid:uuid>/<str:step>",
        views_inspections.inspection_step,
        name="compliance-inspection-step",
    ),
]
