from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipex.core.audit import Actor
from ipex.core.commands import by_code_or_error, refusal
from ipex.core.errors import DomainError
from ipex.directory.models import Organisation
from ipex.seizures.imports import COLUMNS, ImportFailed, seizures_import


class Command(BaseCommand):
    help = (
        "Import seizures from a CSV or XLSX file for an organisation: one row per seized item, "
        f"columns {', '.join(COLUMNS)}. All or nothing; the same file twice imports once."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="Organisation code, e.g. CN-GD-BA-CB.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count; write nothing."
        )
        parser.add_argument(
            "--encoding",
            choices=["utf-8", "gbk", "gb18030", "cp1251"],
            help="Encoding of a CSV file (default: UTF-8, else recognised from the text).",
        )

    def handle(self, *args, file, org, dry_run, encoding, **options):
        owner = by_code_or_error(Organisation, org, "organisation")
        path = Path(file)
        try:
            fileobj = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        with fileobj:
            try:
                result = seizures_import(
                    actor=Actor.system("ipex import-seizures"),
                    owner_org=owner,
                    fileobj=fileobj,
                    filename=path.name,
                    dry_run=dry_run,
                    encoding=encoding,
                )
            except ImportFailed as exc:
                for row, column, message in exc.row_errors:
                    where = f"row {row}" + (f", {column}" if column else "")
                    self.stderr.write(f"{where}: {message}")
                if exc.error_rows > len({row for row, _c, _m in exc.row_errors}):
                    self.stderr.write(f"(only the first {len(exc.row_errors)} errors are listed)")
                raise CommandError(exc.message) from exc
            except DomainError as exc:
                raise refusal(exc) from exc
        self.stdout.write(result.message)
        if result.batch is not None and not result.already_imported:
            self.stdout.write(f"Import {result.batch.uuid} of {owner.code}.")
