"""Directory writes, by what they change: ``node``, ``organisations`` (and jurisdictions),
``users`` (memberships, roles, second factor), ``groups`` (sharing groups), ``tokens``.
``from ipex.directory import services; services.X`` works for every public name."""

from ipex.directory.services.groups import (
    sharing_group_add_member,
    sharing_group_create,
    sharing_group_remove_member,
)
from ipex.directory.services.node import (
    node_init,
    node_private_key,
    public_key_b64,
    replace_node_key,
)
from ipex.directory.services.organisations import (
    ORG_FIELDS,
    jurisdiction_add,
    organisation_add,
    organisation_create,
    organisation_update,
)
from ipex.directory.services.tokens import (
    token_authenticate,
    token_create,
    token_revoke,
)
from ipex.directory.services.users import (
    membership_grant,
    membership_revoke,
    role_policy_set,
    totp_device_for,
    totp_required_for,
    totp_verify,
    user_create,
    user_set_active,
    user_update_profile,
)

__all__ = [
    "replace_node_key",
    "public_key_b64",
    "node_private_key",
    "node_init",
    "jurisdiction_add",
    "organisation_add",
    "organisation_create",
    "organisation_update",
    "ORG_FIELDS",
    "user_create",
    "user_set_active",
    "user_update_profile",
    "membership_grant",
    "membership_revoke",
    "role_policy_set",
    "totp_required_for",
    "totp_device_for",
    "totp_verify",
    "sharing_group_create",
    "sharing_group_add_member",
    "sharing_group_remove_member",
    "token_create",
    "token_revoke",
    "token_authenticate",
]
