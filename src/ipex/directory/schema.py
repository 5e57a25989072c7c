"""OpenAPI descriptions of IPEX's authentication classes (loaded in DirectoryConfig.ready)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "ipex.directory.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An IPEX API token: `ipex_<prefix>_<secret>`.",
        }


class VerifiedSessionScheme(SessionScheme):
    target_class = "ipex.directory.authentication.VerifiedSessionAuthentication"
