"""Agreements, meetings and joint operations: one function per use case, transactional,
audited (and so published to the partners they are shared with). Links and result summaries
are in ``results``."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ipex.cooperation.models import (
    ActionItem,
    Agreement,
    AgreementKind,
    ItemStatus,
    ItemUpdate,
    JointOperation,
    Meeting,
    MeetingKind,
    MeetingMode,
)
from ipex.core.audit import Actor, as_actor
from ipex.core.errors import DomainError, Forbidden, refuse_if
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.registry import shareable_types
from ipex.core.services import shared_record_create, shared_record_write
from ipex.directory import services as directory
from ipex.directory.models import Organisation, SharingGroup
from ipex.directory.shareable import local_record

GROUPS = Actor.system("cooperation")


def parties_group(owner_org: Organisation, name: str, orgs) -> SharingGroup:
    """The sharing group of a cooperation record: owned by ``owner_org``, its members the
    organisations taking part (kept to them: one that leaves stops receiving)."""
    group = SharingGroup.objects.filter(owner_org=owner_org, name=name).first()
    if group is None:
        group = directory.sharing_group_create(actor=GROUPS, owner_org=owner_org, name=name)
    wanted = {o.pk for o in orgs}
    members = list(group.members.filter(organisation__isnull=False))
    for member in members:
        if member.organisation_id not in wanted:
            directory.sharing_group_remove_member(actor=GROUPS, member=member)
    held = {m.organisation_id for m in members}
    for org in orgs:
        if org.pk not in held:
            directory.sharing_group_add_member(actor=GROUPS, group=group, organisation=org)
    return group


def for_parties(model, owner_org: Organisation, group_name: str, orgs, **fields):
    """A new cooperation record of ``owner_org`` (not saved yet), shared with the group of the
    organisations taking part."""
    return local_record(
        model,
        owner_org,
        Distribution.GROUP,
        parties_group(owner_org, group_name, orgs),
        **fields,
    )


def _minutes(errors, minutes) -> dict:
    languages = {code for code, _name in settings.LANGUAGES}
    minutes = {k: str(v) for k, v in (minutes or {}).items() if str(v).strip()}
    if set(minutes) - languages:
        errors["minutes"] = [_("Minutes are kept in English, Chinese or Russian.")]
    return minutes


def _text(errors, fields: dict, name: str, message: str) -> str:
    value = (fields.get(name) or "").strip()
    if not value:
        errors[name] = [message]
    return value


def _date(value):
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def _taking_part(errors, owner_org, orgs, field: str) -> list:
    orgs = list(dict.fromkeys(orgs or ()))
    if owner_org not in orgs:
        orgs.insert(0, owner_org)
    if len(orgs) < 2:
        errors[field] = [_("Name at least one other organisation.")]
    return orgs


# ---------------------------------------------------------------- agreements


def _documents(errors, documents) -> list[dict]:
    languages = {code for code, _name in settings.LANGUAGES}
    out = []
    for doc in documents or ():
        if (
            not isinstance(doc, dict)
            or doc.get("language") not in languages
            or not str(doc.get("title") or "").strip()
        ):
            errors["documents"] = [_("Give each document a title and one of the languages.")]
            return []
        url = str(doc.get("url") or "").strip()
        if url and not url.lower().startswith(("https://", "http://")):
            # the page links to it: no javascript:, data: or relative address
            errors["documents"] = [_("A document's address starts with https:// or http://.")]
            return []
        out.append(
            {
                "language": doc["language"],
                "title": str(doc["title"]).strip()[:200],
                "url": url[:500],
            }
        )
    return out


def agreement_create(
    *,
    actor,
    owner_org: Organisation,
    parties,
    title: str,
    kind: str,
    signed_on,
    starts_on,
    ends_on=None,
    scope: str = "",
    scope_kinds=(),
    scope_categories=(),
    documents=(),
    groups=(),
) -> Agreement:
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    errors: dict[str, list[str]] = {}
    title = _text(errors, {"title": title}, "title", _("Give the agreement a title."))
    if kind not in AgreementKind.values:
        errors["kind"] = [_("Choose a kind of agreement.")]
    parties = _taking_part(errors, owner_org, parties, "parties")
    signed_on, starts_on, ends_on = _date(signed_on), _date(starts_on), _date(ends_on)
    if signed_on is None:
        errors["signed_on"] = [_("Give a date (YYYY-MM-DD).")]
    if starts_on is None:
        errors["starts_on"] = [_("Give a date (YYYY-MM-DD).")]
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The term cannot end before it starts.")]
    if any(k not in shareable_types for k in scope_kinds or ()):
        errors["scope_kinds"] = [_("Unknown kind of record.")]
    documents = _documents(errors, documents)
    refuse_if(errors, _("The agreement was not recorded; correct the errors."))
    with transaction.atomic():
        agreement = for_parties(
            Agreement,
            owner_org,
            f"{_('Agreement')}: {title[:150]}",
            parties,
            title=title[:200],
            kind=kind,
            signed_on=signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            scope=(scope or "").strip(),
            scope_kinds=sorted(set(scope_kinds or ())),
            scope_categories=sorted(set(scope_categories or ())),
            documents=documents,
        )
        with shared_record_create(who, agreement, "cooperation.agreement.recorded") as write:
            agreement.parties.set(parties)
            agreement.groups.set(groups)
            write.note(parties=sorted(p.code for p in parties))
    return agreement


def agreement_update(*, actor, agreement: Agreement, **changes) -> Agreement:
    """Change the term, scope or documents of an agreement (the party that recorded it)."""
    allowed = {"ends_on", "scope", "documents"}
    if set(changes) - allowed:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(set(changes) - allowed))}
        )
    errors: dict[str, list[str]] = {}
    if "documents" in changes:
        changes["documents"] = _documents(errors, changes["documents"])
    if "ends_on" in changes:
        changes["ends_on"] = _date(changes["ends_on"])
        if changes["ends_on"] is not None and changes["ends_on"] < agreement.starts_on:
            errors["ends_on"] = [_("The term cannot end before it starts.")]
    refuse_if(errors, _("The agreement was not changed; correct the errors."))
    with shared_record_write(actor, agreement, "cooperation.agreement.updated") as write:
        write.set(**changes)
    return agreement


# ---------------------------------------------------------------- meetings


def _items(errors, participants, items) -> list[dict]:
    out = []
    for item in items or ():
        owner, due_on = item.get("owner"), _date(item.get("due_on"))
        if owner not in participants:
            errors["items"] = [_("An action item belongs to an organisation taking part.")]
        elif due_on is None or not (item.get("text") or "").strip():
            errors["items"] = [_("Give each action item a text and a due date.")]
        else:
            out.append({"owner": owner, "text": item["text"].strip(), "due_on": due_on})
    return out


def meeting_create(
    *,
    actor,
    owner_org: Organisation,
    participants,
    title: str,
    kind: str,
    mode: str,
    starts_at,
    ends_at,
    time_zone: str = "UTC",
    agenda: str = "",
    minutes=None,
    decisions: str = "",
    items=(),
) -> Meeting:
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    errors: dict[str, list[str]] = {}
    title = _text(errors, {"title": title}, "title", _("Give the meeting a title."))
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose bilateral or multilateral.")]
    if mode not in MeetingMode.values:
        errors["mode"] = [_("Choose in person or video conference.")]
    try:
        zoneinfo.ZoneInfo(time_zone or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = [_("Unknown time zone (e.g. Europe/Moscow).")]
    if not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None:
        errors["starts_at"] = [_("Give a date and time with its time zone.")]
    elif not isinstance(ends_at, dt.datetime) or ends_at.tzinfo is None:
        errors["ends_at"] = [_("Give a date and time with its time zone.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The meeting cannot end before it starts.")]
    participants = _taking_part(errors, owner_org, participants, "participants")
    minutes = _minutes(errors, minutes)
    lines = _items(errors, participants, items)
    refuse_if(errors, _("The meeting was not recorded; correct the errors."))
    with transaction.atomic():
        meeting = for_parties(
            Meeting,
            owner_org,
            f"{_('Meeting')}: {title[:150]}",
            participants,
            title=title[:200],
            kind=kind,
            mode=mode,
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=time_zone,
            agenda=(agenda or "").strip(),
            minutes=minutes,
            decisions=(decisions or "").strip(),
        )
        with shared_record_create(who, meeting, "cooperation.meeting.recorded") as write:
            meeting.participants.set(participants)
            for line in lines:
                ActionItem.objects.create(meeting=meeting, **line)
            write.note(items=len(lines))
    return meeting


def meeting_minutes(*, actor, meeting: Meeting, minutes: dict, decisions: str = "") -> Meeting:
    """Record the minutes (in the languages used) and decisions of a meeting."""
    errors: dict[str, list[str]] = {}
    minutes = _minutes(errors, minutes)
    refuse_if(errors, _("The minutes were not recorded; correct the errors."))
    with shared_record_write(actor, meeting, "cooperation.meeting.minutes") as write:
        write.set(minutes=minutes, decisions=(decisions or "").strip())
    return meeting


def item_status(item: ActionItem) -> str:
    """The status its owner last gave it (open until it said anything)."""
    update = next(
        (u for u in item.updates.all() if u.owner_org_id == item.owner_id and not u.withdrawn_at),
        None,
    )
    return update.status if update else ItemStatus.OPEN


def item_update(*, actor, item: ActionItem, status: str, note: str = "") -> ItemUpdate:
    """The owner organisation reports on its item, on its own node: its own record, shared
    with every participant of the meeting."""
    who = as_actor(actor)
    if not item.owner.origin_node.is_local:
        raise Forbidden(_("Only the organisation that owns the item updates it."), code="not_owner")
    ensure_actor_member_of(who, item.owner, allow_supervisors=False)
    if status not in ItemStatus.values:
        raise DomainError(_("Choose a status."), fields={"status": [_("Unknown.")]})
    meeting = item.meeting
    update = ItemUpdate.objects.filter(item=item, owner_org=item.owner).first()
    with transaction.atomic():
        if update is not None:
            with shared_record_write(who, update, "cooperation.item.updated") as write:
                write.set(status=status, note=(note or "").strip())
            return update
        update = for_parties(
            ItemUpdate,
            item.owner,
            f"{_('Action items')}: {meeting.title[:150]}",
            list(meeting.participants.all()),
            meeting=meeting,
            item=item,
            status=status,
            note=(note or "").strip(),
        )
        with shared_record_create(who, update, "cooperation.item.updated") as write:
            write.note(item=str(item.uuid))
    return update


# ---------------------------------------------------------------- joint operations


def _phases(errors, phases, starts_on, ends_on) -> list[dict]:
    out = []
    for phase in phases or ():
        first, last = _date(phase.get("starts_on")), _date(phase.get("ends_on"))
        name = str(phase.get("name") or "").strip()
        if not name or first is None or last is None or last < first:
            errors["phases"] = [_("Give each phase a name, a start and an end after it.")]
        elif starts_on and ends_on and (first < starts_on or last > ends_on):
            errors["phases"] = [_("Each phase lies within the operation's period.")]
        else:
            out.append({"name": name[:200], "starts_on": str(first), "ends_on": str(last)})
    return out


def operation_create(
    *,
    actor,
    owner_org: Organisation,
    participants,
    title: str,
    starts_on,
    ends_on,
    phases=(),
    targets: str = "",
) -> JointOperation:
    """A joint operation led by ``owner_org``, shared with every participant."""
    who = as_actor(actor)
    ensure_actor_member_of(who, owner_org, allow_supervisors=False)
    errors: dict[str, list[str]] = {}
    title = _text(errors, {"title": title}, "title", _("Give the operation a title."))
    starts_on, ends_on = _date(starts_on), _date(ends_on)
    if starts_on is None:
        errors["starts_on"] = [_("Give a date (YYYY-MM-DD).")]
    if ends_on is None or (starts_on and ends_on < starts_on):
        errors["ends_on"] = [_("The operation cannot end before it starts.")]
    participants = _taking_part(errors, owner_org, participants, "participants")
    phases = _phases(errors, phases, starts_on, ends_on)
    refuse_if(errors, _("The operation was not recorded; correct the errors."))
    with transaction.atomic():
        operation = for_parties(
            JointOperation,
            owner_org,
            f"{_('Joint operation')}: {title[:150]}",
            participants,
            title=title[:200],
            starts_on=starts_on,
            ends_on=ends_on,
            phases=phases,
            targets=(targets or "").strip(),
        )
        with shared_record_create(who, operation, "cooperation.operation.recorded") as write:
            operation.participants.set(participants)
            write.note(participants=sorted(p.code for p in participants))
    return operation


def operation_participants(*, actor, operation: JointOperation, participants) -> JointOperation:
    """The lead changes who takes part; one taken off no longer counts anywhere."""
    who = as_actor(actor)
    participants = list(dict.fromkeys(participants))
    if operation.owner_org not in participants:
        raise DomainError(
            _("The lead organisation takes part."),
            fields={"participants": [_("The lead organisation takes part.")]},
        )
    with shared_record_write(who, operation, "cooperation.operation.participants") as write:
        operation.participants.set(participants)
        parties_group(operation.owner_org, operation.sharing_group.name, participants)
        write.note(participants=sorted(p.code for p in participants))
    return operation
