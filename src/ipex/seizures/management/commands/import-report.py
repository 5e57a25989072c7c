from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipex.core.audit import Actor
from ipex.core.commands import by_code_or_error, refusal
from ipex.core.errors import DomainError
from ipex.directory.models import Organisation
from ipex.seizures.imports.reports import report_import_csv


class Command(BaseCommand):
    help = "Import a yearly report from CSV (country,year,category,quantity) for an organisation."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="Organisation code, e.g. CN-NCAC.")
        parser.add_argument(
            "--approve", action="store_true", help="Approve it too (as the operator; audited)."
        )

    def handle(self, *args, file, org, approve, **options):
        owner = by_code_or_error(Organisation, org, "organisation")
        try:
            raw = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            report = report_import_csv(
                actor=Actor.system("ipex import-report"), owner_org=owner, raw=raw, approve=approve
            )
        except DomainError as exc:
            raise refusal(exc) from exc
        total = sum(line.quantity for line in report.lines.all() if not line.category.parent_id)
        self.stdout.write(
            f"Report {report.period_label} of {owner.code}: "
            f"{report.get_status_display()}, total {total:,}."
        )
