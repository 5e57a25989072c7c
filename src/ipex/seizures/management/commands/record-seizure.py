from django.core.management.base import BaseCommand

from ipex.core.audit import Actor
from ipex.core.commands import by_code_or_error, refusal
from ipex.core.errors import DomainError
from ipex.directory.models import Jurisdiction, Organisation
from ipex.seizures.models import Method
from ipex.seizures.services import seizure_record


class Command(BaseCommand):
    help = (
        "Record one seizure: ipex record-seizure --org CN-GD-CB --date 2012-03-14 "
        "--where CN-GD --method raid --item audiovisual.dvd:1200 --item books:80"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="Owner organisation code.")
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--where", required=True, help="Jurisdiction code.")
        parser.add_argument("--method", required=True, choices=Method.values)
        parser.add_argument(
            "--item",
            action="append",
            required=True,
            help="CATEGORY:QUANTITY[:DESCRIPTION]; repeat for each line.",
        )
        parser.add_argument("--place", default="")
        parser.add_argument("--reference", default="")

    def handle(self, *args, **options):
        owner = by_code_or_error(Organisation, options["org"], "organisation")
        where = by_code_or_error(Jurisdiction, options["where"], "jurisdiction")
        items = []
        for text in options["item"]:
            category, _sep, rest = text.partition(":")
            quantity, _sep, description = rest.partition(":")
            items.append({"category": category, "quantity": quantity, "description": description})
        try:
            seizure = seizure_record(
                actor=Actor.system("ipex record-seizure"),
                owner_org=owner,
                seized_on=options["date"],
                jurisdiction=where,
                method=options["method"],
                items=items,
                place=options["place"],
                reference=options["reference"],
            )
        except DomainError as exc:
            raise refusal(exc) from exc
        self.stdout.write(f"Recorded seizure {seizure.uuid} with {seizure.items.count()} items.")
