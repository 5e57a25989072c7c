"""Case pages (``urlpatterns``) and API (``api_urlpatterns``, under /api/v1/: cases,
subjects, legal provisions, enforcement figures, search), included by the root
``ipex.urls``."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ipex.cases import api, views
from ipex.core.routing import record_pages

router = SimpleRouter(trailing_slash=False)
router.register("cases", api.CaseViewSet, basename="api-case")
router.register("subjects", api.SubjectViewSet, basename="api-subject")
router.register("legal-provisions", api.ProvisionViewSet, basename="api-provision")

api_urlpatterns = [
    path("stats/enforcement", api.EnforcementStatsView.as_view(), name="api-stats-enforcement"),
    path("search", api.SearchView.as_view(), name="api-search"),
    *router.urls,
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
