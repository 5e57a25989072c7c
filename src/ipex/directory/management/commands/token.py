from django.core.management.base import CommandError

from ipex.core.audit import Actor
from ipex.core.commands import ActionCommand
from ipex.directory.models import ApiToken, User
from ipex.directory.services import token_create, token_revoke


class Command(ActionCommand):
    help = "API tokens: create (printed once), list, revoke."

    def add_actions(self, sub):
        create = sub.add_parser("create", help="Create a token for a user and print it once.")
        create.add_argument("email")
        create.add_argument("--name", default="command line")
        create.add_argument("--expires-days", type=int, default=None)
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    actor = Actor.system("ipex token")

    def create(self, email, name, expires_days, **options):
        _token, plain = token_create(
            actor=self.actor, user=self._user(email), name=name, expires_in_days=expires_days
        )
        self.stdout.write(plain)

    def list(self, email, **options):
        for t in ApiToken.objects.filter(user=self._user(email)):
            state = "revoked" if t.revoked_at else ("expired" if t.is_expired else "active")
            self.stdout.write(f"{t.prefix}  {state:8}  {t.created_at:%Y-%m-%d}  {t.name}")

    def revoke(self, prefix, **options):
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix}.")
        token_revoke(actor=self.actor, token=token)
        self.stdout.write(f"Revoked {token.prefix}.")

    def _user(self, email: str) -> User:
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}.")
        return user
