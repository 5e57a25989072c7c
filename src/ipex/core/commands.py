"""What the apps' management commands build with."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ipex.core.errors import DomainError


def by_code_or_error(model, code: str, what: str):
    """The record of ``model`` with this code (as typed, in any case), or the command ends:
    "No <what> with code <code>."."""
    found = model.objects.filter(code=code.strip().upper()).first()
    if found is None:
        raise CommandError(f"No {what} with code {code}.")
    return found


def refusal(exc: DomainError) -> CommandError:
    """A service's refusal as the command's error: its message, then each field's messages
    (``field: message; field: message``). Raise it ``from exc``."""
    details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
    return CommandError(f"{exc.message} {details}".strip())


class ActionCommand(BaseCommand):
    """A command whose first argument names what to do (``ipex tips rotate-key``): the
    subclass declares its actions and their arguments in ``add_actions(sub)`` (``sub`` is the
    parser's subparsers) and writes one method per action, named after it
    (``rotate_key(self, **options)``). A service's refusal (``DomainError``) ends the command
    with its message, as a ``CommandError``."""

    def add_arguments(self, parser):
        self.add_actions(parser.add_subparsers(dest="action", required=True))

    def add_actions(self, sub) -> None:
        raise NotImplementedError

    def handle(self, *args, action, **options):
        try:
            getattr(self, action.replace("-", "_"))(**options)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc


def add_country(parser) -> None:
    """The ``--country`` of a demo-federation step: which of the two demo nodes this is."""
    parser.add_argument("--country", choices=["CN", "RU"], required=True)


def country_demo(command: BaseCommand, country: str, **steps) -> None:
    """Run this node's step of a demo-federation build (``steps`` by country, each giving the
    line to write); a step that cannot run yet (``RuntimeError``, e.g. the partner's records
    have not arrived) ends the command with its message."""
    try:
        command.stdout.write(steps[country]())
    except RuntimeError as exc:
        raise CommandError(str(exc)) from exc
