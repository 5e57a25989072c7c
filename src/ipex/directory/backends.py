"""How a request finds its signed-in user."""

from django.contrib.auth.backends import ModelBackend

from ipex.core.freshness import kept


class KeptModelBackend(ModelBackend):
    """Django's model backend, with the signed-in user of a session kept between requests
    under the audit head (``core.freshness``): every change to an account that bears on
    signing in — deactivation, a new password, roles, name, language — is audited, so the
    next request after it reads the account afresh."""

    def get_user(self, user_id):
        read = super().get_user
        return kept("user", str(user_id), lambda: read(user_id))
