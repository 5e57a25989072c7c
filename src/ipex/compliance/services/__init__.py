"""Every write of software legalisation; callers write ``services.body_register(…)``."""

from ipex.compliance.services.bodies import (
    body_register,
    ensure_administers,
    obligation_add,
    obligations_import,
)
from ipex.compliance.services.entitlements import (
    AFTER_ENTITLEMENT,
    entitlement_add,
    entitlements_import,
)
from ipex.compliance.services.products import (
    AFTER_RENAMING,
    normalise,
    product_create,
    rule_create,
    strings_note,
    unmatched_map,
)

__all__ = [
    "AFTER_ENTITLEMENT",
    "entitlement_add",
    "entitlements_import",
    "AFTER_RENAMING",
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
