from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ipex.urls import handler400, handler403, handler404, handler500  # noqa: F401
from ipex.urls import urlpatterns as ipex_urlpatterns
from tests.memos import views

router = SimpleRouter(trailing_slash=False)
router.register("memos", views.MemoViewSet, basename="memo")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("memos/", views.MemoListView.as_view(), name="memo-list"),
    path("memos/<uuid:uuid>/", views.MemoDetailView.as_view(), name="memo-detail"),
    path("memos/<uuid:uuid>/edit", views.memo_edit, name="memo-edit"),
    *ipex_urlpatterns,
]
