"""Inventory import: ``inventory_import`` (the service), ``parsers`` (the four formats)."""

from ipex.compliance.inventories.service import (
    AFTER_INVENTORY,
    InventoryResult,
    inventory_import,
)

__all__ = ["AFTER_INVENTORY", "InventoryResult", "inventory_import"]
