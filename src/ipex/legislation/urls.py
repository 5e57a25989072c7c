"""The library's pages (``urlpatterns``, public under /legislation/) and API
(``api_urlpatterns``, under /api/v1/: laws with their articles and versions, search)."""

from django.urls import include, path

from ipex.core.routing import api_routes
from ipex.legislation import api, views

api_urlpatterns = [
    path("legislation/search", api.SearchView.as_view(), name="api-legislation-search"),
    *api_routes(("laws", api.LawViewSet, "api-law")),
]

article_urls = [
    path("", views.article_detail, name="article-detail"),
    path("edit", views.article_edit, name="article-edit"),
    path("versions/new", views.version_edit, name="version-create"),
    path("versions/<int:pk>/edit", views.version_edit, name="version-edit"),
]

law_urls = [
    path("", views.law_detail, name="law-detail"),
    path("edit", views.law_edit, name="law-edit"),
    path("articles/new", views.article_edit, name="article-create"),
    path("article-<int:number>/", include(article_urls)),
]

urlpatterns = [
    path("legislation/", views.law_list, name="law-list"),
    path("legislation/new", views.law_edit, name="law-create"),
    path("legislation/<slug:slug>/", include(law_urls)),
]
