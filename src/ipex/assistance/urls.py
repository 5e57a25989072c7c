"""Alerts and requests for assistance: pages (``urlpatterns``) and API
(``api_urlpatterns``, under /api/v1/), included by the root ``ipex.urls``."""

from django.urls import include, path

from ipex.assistance import api, views
from ipex.core.routing import api_routes, record_pages

api_urlpatterns = api_routes(
    ("alerts", api.AlertViewSet, "api-alert"),
    ("assistance-requests", api.AssistanceRequestViewSet, "api-assistance"),
)

urlpatterns = [
    path(
        "alerts/",
        include(
            record_pages(
                "alert",
                index=views.AlertListView,
                new=views.alert_new,
                detail=views.alert_page,
                new_name="new",
            )
        ),
    ),
    path(
        "assistance/",
        include(
            record_pages(
                "assistance",
                index=views.RequestListView,
                new=views.request_new,
                detail=views.request_page,
                new_name="new",
            )
        ),
    ),
]
