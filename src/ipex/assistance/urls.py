"""Alerts and requests for assistance: pages (``urlpatterns``) and API
(``api_urlpatterns``, under /api/v1/), included by the root ``ipex.urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ipex.assistance import api, views

router = SimpleRouter(trailing_slash=False)
router.register("alerts", api.AlertViewSet, basename="api-alert")
router.register("assistance-requests", api.AssistanceRequestViewSet, basename="api-assistance")

api_urlpatterns = router.urls

urlpatterns = [
    path("alerts/", views.AlertListView.as_view(), name="alert-list"),
    path("alerts/new", views.alert_new, name="alert-new"),
    path("alerts/<uuid:uuid>/", views.alert_page, name="alert-detail"),
    path("assistance/", views.RequestListView.as_view(), name="assistance-list"),
    path("assistance/new", views.request_new, name="assistance-new"),
    path("assistance/<uuid:uuid>/", views.request_page, name="assistance-detail"),
]
