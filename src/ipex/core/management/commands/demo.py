from django.core.management.base import BaseCommand

from ipex.cases.demo import build_case_demo
from ipex.directory.demo import DEMO_PASSWORD, USERS, build_demo
from ipex.seizures.demo import build_seizure_demo
from ipex.tips.demo import build_tip_demo


class Command(BaseCommand):
    help = "Build the demo node (idempotent): organisations, users and roles, all synthetic."

    def handle(self, *args, **options):
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
