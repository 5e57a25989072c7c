"""Federation: the protocol's endpoints (under /federation/v1/) and the partners page,
included by the root ``ipex.urls``."""

from django.urls import include, path

from ipex.federation import views

federation_urls = [
    path("node", views.node_document, name="federation-node"),
    path("partnership", views.partnership, name="federation-partnership"),
    path("changes", views.changes, name="federation-changes"),
    path("snapshot", views.snapshot, name="federation-snapshot"),
    path("notify", views.notify, name="federation-notify"),
    path("organisations", views.organisations, name="federation-organisations"),
]

urlpatterns = [
    path("federation/v1/", include(federation_urls)),
    path("partners/", views.admin_page, name="federation-admin"),
]
