"""Core pages (``urlpatterns``: audit log, background jobs, the share form) and API
(``api_urlpatterns``, under /api/v1/), included by the root ``ipex.urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ipex.core import api, views

router = SimpleRouter(trailing_slash=False)
router.register("audit", api.AuditEntryViewSet, basename="api-audit-entry")
router.register("jobs", api.JobViewSet, basename="api-job")

api_urlpatterns = router.urls

urlpatterns = [
    path("share/<str:kind>/<uuid:uuid>", views.share_record, name="record-share"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
    path("audit/verify", views.AuditVerifyView.as_view(), name="audit-verify"),
    path("jobs/", views.JobListView.as_view(), name="job-list"),
    path("jobs/<uuid:uuid>/", views.JobDetailView.as_view(), name="job-detail"),
]
