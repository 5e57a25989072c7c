"""Inventory import: ``inventory_import`` (the service), ``parsers`` (the four formats)."""

from ipex.compliance.inventories.service import (
    InventoryResult,
    inventory_import,
)

__all__ = ["InventoryResult", "inventory_import"]
