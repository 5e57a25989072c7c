"""Core pages (``urlpatterns``: audit log, background jobs, the share form) and API
(``api_urlpatterns``, under /api/v1/), included by the root ``ipex.urls``."""

from django.urls import path

from ipex.core import api, views
from ipex.core.routing import api_routes

api_urlpatterns = api_routes(
    ("audit", api.AuditEntryViewSet, "api-audit-entry"),
    ("jobs", api.JobViewSet, "api-job"),
)

urlpatterns = [
    path("share/<str:kind>/<uuid:uuid>", views.share_record, name="record-share"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
    path("audit/verify", views.AuditVerifyView.as_view(), name="audit-verify"),
    path("jobs/", views.JobListView.as_view(), name="job-list"),
    path("jobs/<uuid:uuid>/", views.JobDetailView.as_view(), name="job-detail"),
]
