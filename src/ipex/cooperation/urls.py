"""Cooperation: pages (``urlpatterns``) and API (``api_urlpatterns``, under /api/v1/),
included by the root ``ipex.urls``."""

from django.urls import path

from ipex.cooperation import api, views
from ipex.core.routing import api_routes, page

api_urlpatterns = api_routes(
    ("agreements", api.AgreementViewSet, "api-agreement"),
    ("meetings", api.MeetingViewSet, "api-meeting"),
    ("joint-operations", api.JointOperationViewSet, "api-jointoperation"),
)

urlpatterns = [
    page("agreements/", views.AgreementListView, "agreement-list"),
    page("agreements/new", views.agreement_new, "agreement-new"),
    page("agreements/<uuid:uuid>/", views.agreement_page, "agreement-detail"),
    page("agreements/<uuid:uuid>/change", views.agreement_edit, "agreement-edit"),
    page("meetings/", views.MeetingListView, "meeting-list"),
    page("meetings/new", views.meeting_new, "meeting-new"),
    page("meetings/<uuid:uuid>/", views.meeting_page, "meeting-detail"),
    page("joint-operations/", views.OperationListView, "jointoperation-list"),
    page("joint-operations/new", views.operation_new, "jointoperation-new"),
    page("joint-operations/<uuid:uuid>/", views.operation_page, "jointoperation-detail"),
    path(
        "joint-operations/<uuid:uuid>/report/<str:language>/",
        views.operation_report,
        name="jointoperation-report",
    ),
]
