from django.core.management.base import BaseCommand, CommandError

from ipex.core.errors import DomainError
from ipex.seizures.bulletin import LANGUAGES
from ipex.seizures.queries import bulletin_text


class Command(BaseCommand):
    help = "Print the national bulletin paragraph from the roll-ups of approved reports."

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--lang", default="en", choices=LANGUAGES)

    def handle(self, *args, country, year, lang, **options):
        try:
            self.stdout.write(bulletin_text(country=country, year=year, language=lang))
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
