"""The second factor, where a node administrator requires it for a role."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from ipex.directory.services import totp_required_for

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
            and totp_required_for(user)
        ):
            return redirect(f"{reverse('otp')}?next={request.get_full_path()}")
        return self.get_response(request)
