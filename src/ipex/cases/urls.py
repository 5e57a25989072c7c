"""Case pages (``urlpatterns``) and API (``api_urlpatterns``, under /api/v1/: cases,
subjects, legal provisions, enforcement figures, search), included by the root
``ipex.urls``."""

from django.urls import include, path

from ipex.cases import api, views
from ipex.core.routing import api_routes, record_pages

api_urlpatterns = [
    path("stats/enforcement", api.EnforcementStatsView.as_view(), name="api-stats-enforcement"),
    path("search", api.SearchView.as_view(), name="api-search"),
    *api_routes(
        ("cases", api.CaseViewSet, "api-case"),
        ("subjects", api.SubjectViewSet, "api-subject"),
        ("legal-provisions", api.ProvisionViewSet, "api-provision"),
    ),
]

case_urls = [
    *record_pages(
        "case", index=views.CaseListView, new=views.case_create, detail=views.CaseDetailView
    ),
    path("export.csv", views.case_export, name="case-export"),
    path("search", views.search_page, name="case-search"),
    path("provisions/", views.ProvisionListView.as_view(), name="provision-list"),
    path("<uuid:uuid>/act", views.case_action, name="case-action"),
    path(
        "<uuid:uuid>/evidence/<uuid:evidence_uuid>",
        views.evidence_download,
        name="evidence-download",
    ),
]

urlpatterns = [
    path("cases/", include(case_urls)),
]
