"""Directory services: who may do what, what is refused, and that a refusal writes nothing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import translation

from ipex.core.errors import Conflict, DomainError, Forbidden, NotFound, Unauthenticated
from ipex.core.models import AuditEntry
from ipex.directory import services
from ipex.directory.models import ApiToken, Membership, Node, Organisation, Role, RolePolicy
from tests.conftest import SYSTEM, make_user


@pytest.fixture(autouse=True)
def _english():
    """Services speak the active language; an earlier request may have left another active."""
    with translation.override("en"):
        yield


def pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def audit_count() -> int:
    return AuditEntry.objects.count()


# ---------------------------------------------------------------- node identity


def test_node_init_is_idempotent(node, settings):
    key_file = Path(settings.IPEX_NODE_KEY_FILE)
    key_before = key_file.read_bytes()
    before = audit_count()
    again, created = services.node_init(name="Another name", base_url="http://elsewhere")
    assert created is False
    assert again.pk == node.pk
    assert again.name == "Test node CN"
    assert Node.objects.filter(is_local=True).count() == 1
    assert key_file.read_bytes() == key_before
    assert audit_count() == before


def test_node_init_keeps_the_private_key_in_a_file_only_the_owner_reads(node, settings):
    key_file = Path(settings.IPEX_NODE_KEY_FILE)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    assert services.public_key_b64(key) == node.public_key
    assert AuditEntry.objects.filter(action="directory.node.initialised").count() == 1


def test_node_init_refuses_a_key_file_that_does_not_match(node, settings):
    key_file = Path(settings.IPEX_NODE_KEY_FILE)
    key_file.write_bytes(pem(Ed25519PrivateKey.generate()))
    with pytest.raises(Conflict, match="does not match this node's public key"):
        services.node_init()
    node.refresh_from_db()
    assert Node.objects.filter(is_local=True).get().public_key == node.public_key


def test_node_init_refuses_a_missing_key_file_and_does_not_make_a_new_one(node, settings):
    key_file = Path(settings.IPEX_NODE_KEY_FILE)
    key_file.unlink()
    with pytest.raises(Conflict, match="key file .* is missing"):
        services.node_init()
    assert not key_file.exists()
    assert Node.objects.get(is_local=True).public_key == node.public_key


def test_node_init_refuses_a_key_file_that_is_not_ed25519(node, settings):
    Path(settings.IPEX_NODE_KEY_FILE).write_bytes(pem(generate_private_key(SECP256R1())))
    with pytest.raises(DomainError, match="does not hold an Ed25519 key"):
        services.node_init()


# ---------------------------------------------------------------- organisations


def test_organisation_update_on_a_foreign_organisation_is_forbidden(people, orgs):
    before = audit_count()
    with pytest.raises(Forbidden, match="belongs to another node"):
        services.organisation_update(
            actor=people.admin, organisation=orgs.foreign, name_en="Renamed"
        )
    assert Organisation.objects.get(pk=orgs.foreign.pk).name_en == "Federal Customs Service"
    assert audit_count() == before


def test_organisation_update_by_an_officer_is_forbidden(people, orgs):
    with pytest.raises(Forbidden) as err:
        services.organisation_update(actor=people.supervisor, organisation=orgs.ba, name_en="X")
    assert err.value.code == "not_node_admin"
    assert Organisation.objects.get(pk=orgs.ba.pk).name_en == "CN-GD-BA-CB"


def test_organisation_update_refuses_fields_that_cannot_change(people, orgs):
    with pytest.raises(DomainError, match="cannot be changed: code"):
        services.organisation_update(actor=people.admin, organisation=orgs.ba, code="CN-NEW")
    assert Organisation.objects.get(pk=orgs.ba.pk).code == "CN-GD-BA-CB"


def test_organisation_update_records_before_and_after(people, orgs, areas):
    services.organisation_update(actor=people.admin, organisation=orgs.zj, jurisdiction=areas.gd)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "directory.organisation.updated"
    assert entry.changes == {"jurisdiction": ["CN-ZJ", "CN-GD"]}
    assert Organisation.objects.get(pk=orgs.zj.pk).jurisdiction == areas.gd


def test_organisation_update_without_changes_writes_no_audit_entry(people, orgs):
    before = audit_count()
    services.organisation_update(actor=people.admin, organisation=orgs.zj, name_en="CN-ZJ-CB")
    assert audit_count() == before


def test_organisation_create_by_an_officer_is_forbidden(people, areas):
    before = Organisation.objects.count()
    with pytest.raises(Forbidden):
        services.organisation_create(
            actor=people.supervisor,
            code="CN-GD-SZ-CB",
            kind="police",
            name_en="Shenzhen",
            jurisdiction=areas.gd,
        )
    assert Organisation.objects.count() == before


# ---------------------------------------------------------------- users and memberships


def test_membership_grant_twice_is_a_conflict(people, orgs):
    before = (Membership.objects.count(), audit_count())
    with pytest.raises(Conflict, match="already holds this role"):
        services.membership_grant(
            actor=people.admin, user=people.owner, organisation=orgs.ba, role=Role.OFFICER
        )
    assert (Membership.objects.count(), audit_count()) == before


def test_membership_grant_refuses_an_unknown_role(people, orgs):
    with pytest.raises(DomainError) as err:
        services.membership_grant(
            actor=people.admin, user=people.owner, organisation=orgs.ba, role="emperor"
        )
    assert err.value.fields == {"role": ["Unknown role."]}
    assert not Membership.objects.filter(role="emperor").exists()


def test_membership_grant_refuses_an_organisation_of_another_node(people, orgs):
    with pytest.raises(DomainError, match="organisations of this node"):
        services.membership_grant(
            actor=people.admin, user=people.owner, organisation=orgs.foreign, role=Role.OFFICER
        )
    assert not Membership.objects.filter(organisation=orgs.foreign).exists()


def test_membership_grant_by_a_non_admin_is_forbidden(people, orgs):
    with pytest.raises(Forbidden):
        services.membership_grant(
            actor=people.supervisor, user=people.owner, organisation=orgs.gd, role=Role.SUPERVISOR
        )
    assert not people.owner.memberships.filter(organisation=orgs.gd).exists()


def test_node_admin_role_opens_the_admin_site_and_revoking_it_closes_it(people, orgs):
    membership = services.membership_grant(
        actor=people.admin, user=people.colleague, organisation=orgs.zj, role=Role.NODE_ADMIN
    )
    people.colleague.refresh_from_db()
    assert (people.colleague.is_staff, people.colleague.is_superuser) == (True, True)
    services.membership_revoke(actor=people.admin, membership=membership)
    people.colleague.refresh_from_db()
    assert (people.colleague.is_staff, people.colleague.is_superuser) == (False, False)
    assert AuditEntry.objects.order_by("-seq").first().action == "directory.membership.revoked"


def test_the_last_node_administrator_cannot_be_removed(people):
    membership = Membership.objects.get(user=people.admin, role=Role.NODE_ADMIN)
    before = audit_count()
    with pytest.raises(DomainError, match="last node administrator"):
        services.membership_revoke(actor=people.admin, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    people.admin.refresh_from_db()
    assert people.admin.is_superuser is True
    assert audit_count() == before


def test_a_deactivated_admin_does_not_count_as_another_administrator(people, orgs):
    second = make_user("second-admin@ncac.test", orgs.ncac, Role.NODE_ADMIN)
    services.user_set_active(actor=people.admin, user=second, active=False)
    membership = Membership.objects.get(user=people.admin, role=Role.NODE_ADMIN)
    with pytest.raises(DomainError, match="last node administrator"):
        services.membership_revoke(actor=people.admin, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_node_admin_cannot_deactivate_themselves(people):
    before = audit_count()
    with pytest.raises(DomainError, match="cannot deactivate your own account"):
        services.user_set_active(actor=people.admin, user=people.admin, active=False)
    people.admin.refresh_from_db()
    assert people.admin.is_active is True
    assert audit_count() == before


def test_deactivated_user_sees_nothing(people, orgs):
    services.user_set_active(actor=people.admin, user=people.colleague, active=False)
    people.colleague.refresh_from_db()
    assert people.colleague.is_active is False
    assert AuditEntry.objects.order_by("-seq").first().action == "directory.user.deactivated"
    assert not Organisation.objects.visible_to(people.colleague).exists()


def test_user_set_active_by_a_non_admin_is_forbidden(people):
    with pytest.raises(Forbidden):
        services.user_set_active(actor=people.supervisor, user=people.owner, active=False)
    people.owner.refresh_from_db()
    assert people.owner.is_active is True


def test_user_create_refuses_a_weak_password(people):
    with pytest.raises(DomainError) as err:
        services.user_create(actor=people.admin, email="weak@x.test", password="123")
    assert "password" in err.value.fields
    assert not people.admin.__class__.objects.filter(email="weak@x.test").exists()


def test_user_create_refuses_a_taken_address_in_any_case(people):
    with pytest.raises(DomainError) as err:
        services.user_create(actor=people.admin, email="  OWNER@ba.test ")
    assert "email" in err.value.fields


def test_user_cannot_change_someone_elses_profile(people):
    with pytest.raises(Forbidden):
        services.user_update_profile(actor=people.admin, user=people.owner, language="ru")
    people.owner.refresh_from_db()
    assert people.owner.language == ""


# ---------------------------------------------------------------- role policies and TOTP


def test_role_policy_is_set_by_node_admins_only(people):
    with pytest.raises(Forbidden):
        services.role_policy_set(actor=people.supervisor, role=Role.OFFICER, require_totp=True)
    assert not RolePolicy.objects.filter(require_totp=True).exists()
    assert services.totp_required_for(people.owner) is False


def test_role_policy_applies_to_holders_of_the_role(people):
    services.role_policy_set(actor=people.admin, role=Role.OFFICER, require_totp=True)
    services.role_policy_set(actor=people.admin, role=Role.OFFICER, require_totp=True)
    assert AuditEntry.objects.filter(action="directory.role_policy.changed").count() == 1
    assert services.totp_required_for(people.owner) is True
    assert services.totp_required_for(people.supervisor) is False
    assert services.totp_required_for(people.no_org) is False


def test_role_policy_refuses_an_unknown_role(people):
    with pytest.raises(DomainError, match="Unknown role"):
        services.role_policy_set(actor=people.admin, role="emperor", require_totp=True)
    assert not RolePolicy.objects.exists()


# ---------------------------------------------------------------- sharing groups


def test_sharing_group_member_must_be_an_organisation_or_a_node(people, group, partner_node):
    before = group.members.count()
    with pytest.raises(DomainError, match="either an organisation or a node"):
        services.sharing_group_add_member(actor=people.supervisor, group=group)
    with pytest.raises(DomainError, match="either an organisation or a node"):
        services.sharing_group_add_member(
            actor=people.supervisor,
            group=group,
            organisation=people.colleague.organisations[0],
            node=partner_node,
        )
    assert group.members.count() == before


def test_whole_partner_node_joins_a_sharing_group(people, group, partner_node):
    member = services.sharing_group_add_member(
        actor=people.supervisor, group=group, node=partner_node
    )
    assert member.node == partner_node
    with pytest.raises(Conflict):
        services.sharing_group_add_member(actor=people.supervisor, group=group, node=partner_node)
    assert group.members.filter(node=partner_node).count() == 1


def test_colleague_cannot_remove_a_member_of_another_lines_group(people, group):
    member = group.members.get()
    with pytest.raises(Forbidden):
        services.sharing_group_remove_member(actor=people.colleague, member=member)
    assert group.members.filter(pk=member.pk).exists()


# ---------------------------------------------------------------- tokens


def test_officer_cannot_create_a_token_for_someone_else(people):
    with pytest.raises(Forbidden):
        services.token_create(actor=people.owner, user=people.colleague, name="theirs")
    assert not ApiToken.objects.filter(user=people.colleague).exists()


@pytest.mark.parametrize("days", [0, 3651])
def test_token_lifetime_is_between_one_day_and_ten_years(people, days):
    with pytest.raises(DomainError, match="1 to 3650 days"):
        services.token_create(actor=people.owner, user=people.owner, name="x", expires_in_days=days)
    assert not ApiToken.objects.exists()


def test_token_of_a_deactivated_account_cannot_be_created(people):
    services.user_set_active(actor=people.admin, user=people.colleague, active=False)
    with pytest.raises(DomainError, match="deactivated"):
        services.token_create(actor=people.admin, user=people.colleague, name="x")


def test_someone_elses_token_cannot_be_revoked(people, token_for):
    token_for(people.colleague)
    token = ApiToken.objects.get(user=people.colleague)
    with pytest.raises(NotFound):
        services.token_revoke(actor=people.owner, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "raw", ["", "garbage", "ipex_", "ipex__", "other_abc_def", "ipex_000000000000_secret"]
)
def test_malformed_tokens_are_invalid(people, token_for, raw):
    token_for(people.owner)
    with pytest.raises(Unauthenticated) as err:
        services.token_authenticate(raw)
    assert err.value.code == "token_invalid"


def test_system_actor_is_recorded_as_system(people):
    entry = AuditEntry.objects.filter(action="directory.user.created").order_by("seq").first()
    assert (entry.actor_kind, entry.actor_label) == ("system", SYSTEM.label)
