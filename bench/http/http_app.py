"""The WSGI application of bench/http_load.py: IPEX's own URLs plus a Django hello-world view
at /bench/hello, under the same settings and middleware, served by the same gunicorn."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipex.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

settings.ROOT_URLCONF = "http_app"


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


application = get_wsgi_application()  # sets Django up before IPEX's URLs are imported
urlpatterns = [path("bench/hello", hello), path("", include("ipex.urls"))]
handler400 = "ipex.core.views.bad_request"
handler403 = "ipex.core.views.permission_denied"
handler404 = "ipex.core.views.page_not_found"
handler500 = "ipex.core.views.server_error"
