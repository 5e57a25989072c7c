"""``ipex compliance import-inventory FILE --body CODE [--year YEAR] [--format FORMAT]`` and
``ipex compliance escalate`` (daily: overdue rectification orders)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from ipex.compliance.inventories import inventory_import
from ipex.compliance.models import AuditedBody, InventoryFormat
from ipex.compliance.services import inspections_escalate_overdue
from ipex.core.audit import Actor
from ipex.core.commands import ActionCommand


class Command(ActionCommand):
    help = "Software legalisation: import a body's inventory, escalate overdue rectifications."

    def add_actions(self, sub) -> None:
        parser = sub.add_parser("import-inventory", help="Import an inventory file for a body.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--body", required=True, help="the audited body's code")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--format", choices=InventoryFormat.values, default=None)
        sub.add_parser(
            "escalate", help="Escalate overdue rectification orders (run daily; idempotent)."
        )

    def escalate(self, **_options) -> None:
        self.stdout.write(f"{inspections_escalate_overdue()} rectification orders escalated.")

    def import_inventory(self, *, file: Path, body: str, year, format, **_options) -> None:  # noqa: A002
        found = AuditedBody.objects.filter(organisation__code=body.strip().upper()).first()
        if found is None:
            raise CommandError(f"There is no audited body with code {body}.")
        if not file.is_file():
            raise CommandError(f"There is no file {file}.")
        with file.open("rb") as handle:
            result = inventory_import(
                actor=Actor.system("ipex compliance import-inventory"),
                body=found,
                fileobj=handle,
                file_name=file.name,
                year=year,
                fmt=format,
            )
        self.stdout.write(str(result.message))
