"""Seizure pages (``urlpatterns``: seizures, period reports, statistics and the bulletin)
and API (``api_urlpatterns``, under /api/v1/), included by the root ``ipex.urls``."""

from django.urls import include, path

from ipex.core.routing import api_routes, record_pages
from ipex.seizures import api, views

api_urlpatterns = [
    path("stats/seizures", api.SeizureStatsView.as_view(), name="api-stats-seizures"),
    *api_routes(
        ("seizures", api.SeizureViewSet, "api-seizure"),
        ("categories", api.CategoryViewSet, "api-category"),
        ("reports", api.ReportViewSet, "api-report"),
    ),
]

seizure_urls = [
    *record_pages(
        "seizure",
        index=views.SeizureListView,
        new=views.seizure_create,
        detail=views.SeizureDetailView,
        edit=views.seizure_edit,
    ),
    path("item-line", views.seizure_item_line, name="seizure-item-line"),
    path("import", views.seizure_import, name="seizure-import"),
    path(
        "import/template.<str:fmt>",
        views.seizure_import_template,
        name="seizure-import-template",
    ),
    path("export.<str:fmt>", views.seizure_export, name="seizure-export"),
    path("<uuid:uuid>/withdraw", views.seizure_withdraw, name="seizure-withdraw"),
]

report_urls = [
    *record_pages(
        "report", index=views.report_list, new=views.report_create, detail=views.ReportDetailView
    ),
    path("<uuid:uuid>/<str:action>", views.report_action, name="report-action"),
]

urlpatterns = [
    path("seizures/", include(seizure_urls)),
    path("reports/", include(report_urls)),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/bulletin", views.bulletin_page, name="bulletin"),
]
