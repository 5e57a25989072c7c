"""Language per user, and the second factor where a node administrator requires it."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's (LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user is not None and user.is_authenticated and user.language:
            response.headers.setdefault("Content-Language", user.language)
        return response


EXEMPT_PREFIXES = (
    "/static/",
    "/i18n/",
    "/api/",  # the API checks it in VerifiedSessionAuthentication; tokens are a factor of their own
    "/federation/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/otp/",
    "/accounts/password-reset/",
    "/accounts/reset/",
)


class SecondFactorMiddleware:
    """Officers whose role requires TOTP must enrol and verify before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            from ipex.directory.services import totp_required_for

            if totp_required_for(user):
                return redirect(f"{reverse('otp')}?next={request.get_full_path()}")
        return self.get_response(request)
