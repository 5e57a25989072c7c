import csv

from django.core.management.base import CommandError

from ipex.cases.models import CaseKind, CaseStatus
from ipex.cases.queries import EXPORT_COLUMNS, CaseFilter, case_export_rows, cases_for
from ipex.core.commands import ActionCommand
from ipex.directory.models import User


class Command(ActionCommand):
    help = "Export, as CSV on standard output, the cases a user can see (with the list's filters)."

    def add_actions(self, sub):
        export = sub.add_parser("export", help="CSV of the cases the user can see.")
        export.add_argument("--as", dest="email", required=True, help="the user's e-mail")
        export.add_argument("--status", choices=CaseStatus.values)
        export.add_argument("--kind", choices=CaseKind.values)
        export.add_argument("--year", type=int)
        export.add_argument("--campaign", help="uuid of a special action")

    def export(self, email, **options):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {email}.")
        data = {k: options[k] for k in ("status", "kind", "year", "campaign") if options.get(k)}

        class Request:  # the filter reads the user from a request
            pass

        request = Request()
        request.user = user
        filtered = CaseFilter(data or None, queryset=cases_for(user), request=request)
        if data and not filtered.is_valid():
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in filtered.errors.items()))
        writer = csv.writer(self.stdout)
        writer.writerow(EXPORT_COLUMNS)
        for row in case_export_rows(filtered.qs):
            writer.writerow(row)
