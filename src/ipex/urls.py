"""The project's URLs: each app's pages and API (its ``urls.py``), in the app order."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ipex.assistance import urls as assistance_urls
from ipex.border import urls as border_urls
from ipex.campaigns import urls as campaigns_urls
from ipex.cases import urls as cases_urls
from ipex.compliance import urls as compliance_urls
from ipex.cooperation import urls as cooperation_urls
from ipex.core import urls as core_urls
from ipex.directory import urls as directory_urls
from ipex.federation import urls as federation_urls
from ipex.legislation import urls as legislation_urls
from ipex.portal import urls as portal_urls
from ipex.seizures import urls as seizures_urls
from ipex.tips import urls as tips_urls

# Each app's pages under its prefix, tried in this order: the portal's public pages first
# (the busiest), then the others as they have always been tried (no two apps' pages overlap).
# An app's API (``api_urlpatterns``, where it has one) stands under /api/v1/.
APPS = (
    (portal_urls, ""),
    (core_urls, ""),
    (directory_urls, ""),
    (legislation_urls, ""),
    (campaigns_urls, ""),
    (seizures_urls, ""),
    (cases_urls, ""),
    (compliance_urls, ""),
    (tips_urls, "tips/"),
    (assistance_urls, ""),
    (border_urls, ""),
    (cooperation_urls, "cooperation/"),
    (federation_urls, ""),
)

api_urls = [route for app, _ in APPS for route in getattr(app, "api_urlpatterns", ())]

urlpatterns = [
    # The API first: its prefix is distinct, and a request for it then skips every page
    # pattern (each app's pages are included at the root, tried in order).
    path("api/v1/", include(api_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    *(path(prefix, include(app)) for app, prefix in APPS),
    path("admin/", admin.site.urls),
]

handler400 = "ipex.core.views.bad_request"
handler403 = "ipex.core.views.permission_denied"
handler404 = "ipex.core.views.page_not_found"
handler500 = "ipex.core.views.server_error"
