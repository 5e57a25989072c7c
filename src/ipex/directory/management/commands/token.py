from django.core.management.base import BaseCommand, CommandError

from ipex.core.audit import Actor
from ipex.core.errors import DomainError
from ipex.directory.models import ApiToken, User
from ipex.directory.services import token_create, token_revoke


class Command(BaseCommand):
    help = "API tokens: create (printed once), list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print it once.")
        create.add_argument("email")
        create.add_argument("--name", default="command line")
        create.add_argument("--expires-days", type=int, default=None)
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        actor = Actor.system("ipex token")
        try:
            if action == "create":
                user = self._user(options["email"])
                _token, plain = token_create(
                    actor=actor,
                    user=user,
                    name=options["name"],
                    expires_in_days=options["expires_days"],
                )
                self.stdout.write(plain)
            elif action == "list":
                user = self._user(options["email"])
                for t in ApiToken.objects.filter(user=user):
                    state = "revoked" if t.revoked_at else ("expired" if t.is_expired else "active")
                    self.stdout.write(f"{t.prefix}  {state:8}  {t.created_at:%Y-%m-%d}  {t.name}")
            else:
                token = ApiToken.objects.filter(prefix=options["prefix"]).first()
                if token is None:
                    raise CommandError(f"No token with prefix {options['prefix']}.")
                token_revoke(actor=actor, token=token)
                self.stdout.write(f"Revoked {token.prefix}.")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _user(self, email: str) -> User:
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}.")
        return user
