"""Domain errors: what a service raises when a use case cannot go ahead.

Every message is translatable; the API turns an error into the one JSON error shape and
an HTML view shows it on the page, both in the user's language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A use case refused, with a message for the user."""

    status = 400
    default_code = "invalid"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        # {"field": ["message", ...]} for errors that belong to one input.
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """Missing and not visible are the same answer, so existence never leaks."""

    status = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Forbidden(DomainError):
    """The user may see the record but not do this to it."""

    status = 403
    default_code = "forbidden"
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    status = 409
    default_code = "conflict"
    default_message = _("This conflicts with the current state of the record.")


class Unauthenticated(DomainError):
    status = 401
    default_code = "not_authenticated"
    default_message = _("Authentication is required.")


def refuse_if(errors: dict, message, *, code: str | None = None) -> None:
    """Refuse a use case as a whole when any of its inputs is wrong: ``message`` says what did
    not happen, ``errors`` ({"field": ["message", ...]}) say where, so a form shows each one
    beside its field and the API lists them all at once."""
    if errors:
        raise DomainError(message, code=code, fields=errors)
