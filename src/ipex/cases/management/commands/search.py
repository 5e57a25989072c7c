from django.core.management.base import CommandError

from ipex.cases import search
from ipex.core.commands import ActionCommand
from ipex.directory.models import User


class Command(ActionCommand):
    help = (
        "Full-text search over cases, subjects and actions: 'rebuild' the index, or 'find' "
        "words as a user sees them."
    )

    def add_actions(self, sub):
        sub.add_parser("rebuild", help="Index every case, subject and action again.")
        find = sub.add_parser("find", help="Search as a user (only what they can see).")
        find.add_argument("words")
        find.add_argument("--as", dest="email", required=True, help="the user's e-mail")

    def rebuild(self, **options):
        count = search.rebuild()
        self.stdout.write(f"Search index rebuilt: {count} documents.")

    def find(self, words, email, **options):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {email}.")
        if not search.terms(words):
            raise CommandError("Give at least one word to search for.")
        documents = search.search_documents(user, words)
        self.stdout.write(f"{documents.count()} results")
        for hit in search.hits(documents[:50]):
            self.stdout.write(f"{hit.kind:8} {hit.label}")
