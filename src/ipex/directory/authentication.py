"""``Authorization: Bearer <token>`` for the API."""

from rest_framework import authentication, exceptions

from ipex.core.errors import Unauthenticated
from ipex.directory.services import token_authenticate, totp_required_for


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                detail=Unauthenticated.default_message, code="token_invalid"
            )
        try:
            token = token_authenticate(header[1])
        except Unauthenticated as exc:
            raise exceptions.AuthenticationFailed(detail=exc.message, code=exc.code) from exc
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """A browser session counts only once the second factor is verified, where required."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]

        django_user = request._request.user
        if totp_required_for(user) and not django_user.is_verified():
            return None
        return result


def axes_username(request, credentials=None) -> str:
    """Lock-out is per account, whatever the case the address was typed in."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    return (source.get("username") or "").strip().lower()
