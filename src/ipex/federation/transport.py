"""How this node reaches a partner: the error when it cannot (or the answer cannot be trusted),
and the test hook that puts an in-process node behind a base URL."""

from __future__ import annotations

import httpx

# Test hook: base URL → httpx transport (an in-process node); empty in production.
TRANSPORTS: dict[str, httpx.BaseTransport] = {}


class SyncError(Exception):
    """A partner could not be reached, or answered something that cannot be trusted."""
