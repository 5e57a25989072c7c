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
from ipex.legislation import urls as legislation_urls
from ipex.portal import urls as portal_urls
from ipex.seizures import urls as seizures_urls
from ipex.tips import urls as tips_urls

api_urls = [
    *core_urls.api_urlpatterns,
    *directory_urls.api_urlpatterns,
    *legislation_urls.api_urlpatterns,
    *campaigns_urls.api_urlpatterns,
    *seizures_urls.api_urlpatterns,
    *cases_urls.api_urlpatterns,
    *compliance_urls.api_urlpatterns,
    *tips_urls.api_urlpatterns,
    *assistance_urls.api_urlpatterns,
    *border_urls.api_urlpatterns,
    *cooperation_urls.api_urlpatterns,
    *portal_urls.api_urlpatterns,
]

urlpatterns = [
    # The API first: its prefix is distinct, and a request for it then skips every page
    # pattern (each app's pages are included at the root, tried in order).
    path("api/v1/", include(api_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include(portal_urls)),
    path("", include(core_urls)),
    path("", include(directory_urls)),
    path("", include(legislation_urls)),
    path("", include(campaigns_urls)),
    path("", include(seizures_urls)),
    path("", include(cases_urls)),
    path("", include(compliance_urls)),
    path("tips/", include(tips_urls)),
    path("", include(assistance_urls)),
    path("", include(border_urls)),
    path("cooperation/", include(cooperation_urls)),
    path("", include("ipex.federation.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "ipex.core.views.bad_request"
handler403 = "ipex.core.views.permission_denied"
handler404 = "ipex.core.views.page_not_found"
handler500 = "ipex.core.views.server_error"
