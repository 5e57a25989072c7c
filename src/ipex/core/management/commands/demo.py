from django.core.management.base import BaseCommand

from ipex.cases.demo import build_case_demo
from ipex.directory.demo import DEMO_PASSWORD, USERS, build_demo
from ipex.seizures.demo import build_seizure_demo
from ipex.tips.demo import build_tip_demo


class Command(BaseCommand):
    help = "Build the demo node (idempotent): organisations, users and roles, all synthetic."

    def add_arguments(self, parser):
        parser.add_argument(
            "--country",
            choices=["CN", "RU"],
            default="CN",
            help="CN: the Chinese node with its figures, cases and tips (default); RU: the "
            "Russian partner node of make demo-federation (customs and police, users only).",
        )

    def handle(self, *args, country="CN", **options):
        if country == "RU":
            from ipex.directory.demo import RU_USERS

            counts = build_demo(country="RU")
            self.stdout.write(
                f"Demo ready (RU): {counts['organisations']} organisations, "
                f"{counts['users']} users and {counts['memberships']} roles added."
            )
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for email, _name, org, role in RU_USERS:
                self.stdout.write(f"  {email:26} {role:18} {org}")
            return
        counts = build_demo()
        figures = build_seizure_demo()
        cases = build_case_demo()
        tips = build_tip_demo()
        self.stdout.write(
            f"Demo ready: {counts['organisations']} organisations, {counts['users']} users and "
            f"{counts['memberships']} roles added (existing ones kept)."
        )
        self.stdout.write(
            f"2012 figures: {figures['reports']} approved reports and {figures['seizures']} "
            "seizure records added."
        )
        self.stdout.write(
            f"2013 special action: {cases['campaigns']} special action and {cases['cases']} "
            "cases added (synthetic)."
        )
        self.stdout.write(f"Tip-offs: {tips['tips']} tips added (synthetic).")
        if tips["receipts"]:
            self.stdout.write("Demo tip receipts (try them at /tips/status):")
            for state, receipt in tips["receipts"].items():
                self.stdout.write(f"  {receipt}  {state}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, org, role in USERS:
            self.stdout.write(f"  {email:26} {role:18} {org}")
