"""Every write of software legalisation; callers write ``services.body_register(…)``."""

from ipex.compliance.services.bodies import (
    body_register,
    ensure_administers,
    obligation_add,
    obligations_import,
)
from ipex.compliance.services.entitlements import (
    entitlement_add,
    entitlements_import,
)
from ipex.compliance.services.inspections import (
    finding_record,
    inspection_conclude,
    inspection_draw,
    inspection_follow_up,
    inspection_plan,
    inspection_rectify,
    inspections_escalate_overdue,
)
from ipex.compliance.services.products import (
    normalise,
    product_create,
    rule_create,
    strings_note,
    unmatched_map,
)
from ipex.compliance.services.selfreports import (
    selfreport_approve,
    selfreport_return,
    selfreport_submit,
)
from ipex.compliance.services.statistics import figures_approve

__all__ = [
    "figures_approve",
    "finding_record",
    "inspection_conclude",
    "inspection_draw",
    "inspection_follow_up",
    "inspection_plan",
    "inspection_rectify",
    "inspections_escalate_overdue",
    "selfreport_approve",
    "selfreport_return",
    "selfreport_submit",
    "entitlement_add",
    "entitlements_import",
    "body_register",
    "ensure_administers",
    "normalise",
    "obligation_add",
    "obligations_import",
    "product_create",
    "rule_create",
    "strings_note",
    "unmatched_map",
]
