"""Customs protection of rights: one function per use case, each through the shared-record
write path (transactional, validated, audited, and so published to partners)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.border import deadlines, register
from ipex.border.models import (
    ContactLanguage,
    DeadlineRule,
    Recordation,
    RecordationContact,
    RecordationPhoto,
    RecordationStatus,
    RightKind,
    WorkType,
    customs_member,
)
from ipex.cases.evidence import read_within, sniff
from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.models import Distribution
from ipex.core.permissions import ensure_actor_node_admin
from ipex.core.services import (
    creating_member,
    shared_record_create,
    shared_record_transition,
    shared_record_write,
)
from ipex.directory.models import Jurisdiction, JurisdictionLevel, Node, Organisation, OrgKind
from ipex.directory.shareable import local_record
from ipex.tips.images import strip_metadata

HOLDER_KINDS = {OrgKind.RIGHTS_HOLDER, OrgKind.REPRESENTATIVE}
PHOTO_TYPES = {"image/png", "image/jpeg"}
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# How long a recordation stands when customs give no end (China: ten years, Customs IP
# Protection Regulations art. 10; Russia: up to two years; EU: one year, renewable).
VALIDITY_YEARS = {"CN": 10, "RU": 2, "EU": 1}
EXTRA_COUNTRIES = {"EU"}


def photos_dir() -> Path:
    return Path(settings.DATA_DIR) / "border" / "photos"


@dataclass(frozen=True)
class Photo:
    name: str
    content_type: str
    data: bytes


def read_photos(uploads, errors: dict) -> list[Photo]:
    """Every photo checked by its content before anything is written: a PNG or JPEG that
    decodes as one; kept without its metadata."""
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]
        return []
    out, problems = [], []
    for name, data in read_within(uploads, MAX_PHOTO_BYTES, problems, default_name="photo"):
        try:
            content_type = sniff(data[:16], name, allowed=PHOTO_TYPES)
            clean = strip_metadata(data, content_type)
        except Exception:  # noqa: BLE001 - a wrong type or any decoder failure: not a photo
            problems.append(_("%(name)s is not a photo (JPEG or PNG).") % {"name": name})
            continue
        out.append(Photo(name=name, content_type=content_type, data=clean))
    if problems:
        errors["photos"] = problems
    return out


def store_photos(photos: list[Photo], model=RecordationPhoto, **parent) -> None:
    """The checked photos on disk (by their hash) and as rows of ``model`` under ``parent``
    (a recordation's or a detention's)."""
    folder = photos_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for photo in photos:
        digest = hashlib.sha256(photo.data).hexdigest()
        (folder / digest).write_bytes(photo.data)
        model.objects.create(
            name=photo.name,
            content_type=photo.content_type,
            size=len(photo.data),
            sha256=digest,
            **parent,
        )


def photo_path(photo: RecordationPhoto) -> Path:
    return photos_dir() / photo.sha256


def _contacts(contacts, errors: dict) -> list[dict]:
    out = []
    for each in contacts or []:
        name = (each.get("name") or "").strip()
        email = (each.get("email") or "").strip()
        language = each.get("language") or ContactLanguage.EN
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("contacts", []).append(
                _("%(email)s is not an e-mail address.") % {"email": email or "—"}
            )
            continue
        if not name or language not in ContactLanguage.values:
            errors.setdefault("contacts", []).append(
                _("Give each contact a name and a language (en, zh-hans, ru).")
            )
            continue
        out.append({"name": name[:200], "email": email, "language": language})
    if not out and "contacts" not in errors:
        errors["contacts"] = [_("Name at least one contact to notify.")]
    return out


def countries_of(codes, errors: dict, *, field: str = "countries", required: bool = True):
    """Country codes (jurisdictions of this node, or EU), upper case and sorted."""
    codes = sorted({(c or "").strip().upper() for c in codes or [] if (c or "").strip()})
    known = set(
        Jurisdiction.objects.filter(level=JurisdictionLevel.COUNTRY, code__in=codes).values_list(
            "code", flat=True
        )
    )
    unknown = [c for c in codes if c not in known and c not in EXTRA_COUNTRIES]
    if unknown:
        errors[field] = [_("Unknown country: %(codes)s.") % {"codes": ", ".join(unknown)}]
    elif not codes and required:
        errors[field] = [_("Name the countries whose customs the recordation is for.")]
    return codes


def _duplicate_of(record: Recordation) -> Recordation | None:
    """A valid recordation of this node for the same right and the same goods."""
    record.right_key = record.compute_right_key()
    return (
        Recordation.objects.in_register()
        .filter(origin_node_id=Node.local_id(), right_key=record.right_key)
        .exclude(pk=record.pk)
        .first()
    )


def _refuse_duplicate(record: Recordation) -> None:
    other = _duplicate_of(record)
    if other is not None:
        raise DomainError(
            _("%(right)s is already recorded for these goods (%(number)s, valid until %(until)s).")
            % {"right": record.right_name, "number": other.number, "until": other.valid_until},
            fields={"goods": [_("Already recorded for these goods.")]},
            code="duplicate",
        )


def recordation_apply(
    *,
    actor,
    owner_org: Organisation,
    right_kind: str,
    goods: str,
    work_owner: str,
    countries,
    contacts,
    work_title: str = "",
    work_type: str = "",
    work_year: int | None = None,
    mark: str = "",
    manufacturers: str = "",
    importers: str = "",
    licensees: str = "",
    recognition: str = "",
    routes: str = "",
    photos=(),
    distribution: str = Distribution.ORG,
    sharing_group=None,
) -> Recordation:
    """A rights holder (or its representative) applies to record a right with customs."""
    who = creating_member(actor, owner_org, distribution=distribution, sharing_group=sharing_group)
    errors: dict[str, list[str]] = {}
    if owner_org.kind not in HOLDER_KINDS:
        errors["owner_org"] = [_("Only a rights holder or its representative records a right.")]
    if right_kind == RightKind.COPYRIGHT:
        if not (work_title or "").strip():
            errors["work_title"] = [_("Give the work's title.")]
        if work_type not in WorkType.values:
            errors["work_type"] = [_("Choose the type of work.")]
        if work_year is not None and not 1000 <= int(work_year) <= timezone.localdate().year:
            errors["work_year"] = [_("Give the year the work was made.")]
    elif right_kind == RightKind.TRADEMARK:
        if not (mark or "").strip():
            errors["mark"] = [_("Give the trademark.")]
    else:
        errors["right_kind"] = [_("Choose a copyright work or a trademark.")]
    if not (goods or "").strip():
        errors["goods"] = [_("Say which goods the right covers.")]
    if not (work_owner or "").strip():
        errors["work_owner"] = [_("Name the right's owner.")]
    codes = countries_of(countries, errors)
    people = _contacts(contacts, errors)
    pictures = read_photos(photos, errors)
    refuse_if(errors, _("The application was not made; correct the errors."))
    record = local_record(
        Recordation,
        owner_org,
        distribution,
        sharing_group,
        right_kind=right_kind,
        work_title=(work_title or "").strip() if right_kind == RightKind.COPYRIGHT else "",
        work_type=work_type if right_kind == RightKind.COPYRIGHT else "",
        work_year=work_year if right_kind == RightKind.COPYRIGHT else None,
        mark=(mark or "").strip() if right_kind == RightKind.TRADEMARK else "",
        work_owner=work_owner.strip(),
        goods=goods.strip(),
        manufacturers=(manufacturers or "").strip(),
        importers=(importers or "").strip(),
        licensees=(licensees or "").strip(),
        recognition=(recognition or "").strip(),
        routes=(routes or "").strip(),
        countries=codes,
    )
    _refuse_duplicate(record)
    with shared_record_create(who, record, "border.recordation.applied") as write:
        for person in people:
            RecordationContact.objects.create(recordation=record, **person)
        store_photos(pictures, recordation=record)
        write.note(contacts=len(people), photos=len(pictures))
    return record


def _customs_of_this_node(who, record: Recordation) -> None:
    """Customs steps: an officer of a customs organisation of this node, on a recordation
    made here (a system actor is trusted)."""
    if who.is_system:
        return
    if not customs_member(who.user):
        raise Forbidden(_("Only customs review recordations."), code="not_customs")
    if record.is_replica:
        raise Forbidden(
            _("This record comes from another node and is read-only here."), code="read_only"
        )


def country_of(org: Organisation) -> str:
    """The country of an organisation's jurisdiction (CN for CN-GD-SZ)."""
    return org.jurisdiction.code.split("-")[0]


def customs_country(who) -> str:
    for org in getattr(who.user, "organisations", None) or []:
        if org.kind == OrgKind.CUSTOMS:
            return country_of(org)
    return "CN"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _validity(who, valid_from, valid_until) -> tuple[dt.date, dt.date]:
    valid_from = _date(valid_from, "valid_from") or timezone.localdate()
    valid_until = _date(valid_until, "valid_until")
    if valid_until is None:
        years = VALIDITY_YEARS.get(customs_country(who), 1)
        valid_until = _add_years(valid_from, years) - dt.timedelta(days=1)
    if valid_until < valid_from:
        raise DomainError(
            _("The validity ends before it starts."),
            fields={"valid_until": [_("Give an end on or after the start.")]},
            code="end_before_start",
        )
    return valid_from, valid_until


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(
            _("Please correct the errors below."), fields={field: [_("Give a date (YYYY-MM-DD).")]}
        ) from exc


def _next_number(valid_from: dt.date) -> str:
    prefix = f"R{valid_from.year}-"
    taken = Recordation.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:06d}"


def recordation_record(
    *, actor, recordation: Recordation, number: str = "", valid_from=None, valid_until=None
) -> Recordation:
    """Customs record the right: a number and a validity (by default the country's term)."""
    with shared_record_transition(
        actor,
        recordation,
        "record",
        "border.recordation.recorded",
        permission=_customs_of_this_node,
    ):
        start, end = _validity(as_actor(actor), valid_from, valid_until)
        recordation.valid_from, recordation.valid_until = start, end
        recordation.number = (number or "").strip()[:40] or _next_number(start)
        if (
            Recordation.objects.filter(number=recordation.number)
            .exclude(pk=recordation.pk)
            .exists()
        ):
            raise Conflict(_("This recordation number is taken."), code="number_taken")
        _refuse_duplicate(recordation)
        register.index(recordation)
    return recordation


def recordation_refuse(*, actor, recordation: Recordation, reason: str) -> Recordation:
    if not (reason or "").strip():
        raise DomainError(
            _("Give the reason for the refusal."), fields={"reason": [_("Required.")]}
        )
    with shared_record_transition(
        actor,
        recordation,
        "refuse",
        "border.recordation.refused",
        permission=_customs_of_this_node,
    ):
        recordation.refusal_reason = reason.strip()
    return recordation


def recordation_renew(*, actor, recordation: Recordation, valid_until=None) -> Recordation:
    """Customs extend a recorded right's validity (by default by the country's term)."""
    with shared_record_transition(
        actor,
        recordation,
        "renew",
        "border.recordation.renewed",
        permission=_customs_of_this_node,
    ):
        end = _date(valid_until, "valid_until")
        if end is None:
            years = VALIDITY_YEARS.get(customs_country(as_actor(actor)), 1)
            end = _add_years(recordation.valid_until, years)
        if end <= recordation.valid_until:
            raise DomainError(
                _("A renewal ends after the present validity."),
                fields={"valid_until": [_("Give a later end.")]},
                code="end_before_start",
            )
        recordation.valid_until = end
    return recordation


def recordation_withdraw(*, actor, recordation: Recordation, reason: str = "") -> Recordation:
    """The holder withdraws its application or recordation."""
    with shared_record_transition(
        actor, recordation, "withdraw", "border.recordation.withdrawn"
    ) as write:
        write.note(reason=(reason or "").strip())
    return recordation


def recordation_add_photos(*, actor, recordation: Recordation, photos) -> Recordation:
    """More recognition photos from the holder (each checked by content; all or none)."""
    errors: dict[str, list[str]] = {}
    pictures = read_photos(photos, errors)
    if not pictures and not errors:
        errors["photos"] = [_("Choose at least one photo.")]
    refuse_if(errors, _("No photo was added; correct the errors."))
    with shared_record_write(actor, recordation, "border.recordation.photos_added") as write:
        if recordation.status in {RecordationStatus.REFUSED, RecordationStatus.WITHDRAWN}:
            raise Conflict(_("This recordation is closed."), code="illegal_transition")
        store_photos(pictures, recordation=recordation)
        write.note(photos=len(pictures))
    return recordation


# ---------------------------------------------------------------- deadline rules

MAX_WORKING_DAYS = 60


def deadline_rule_save(
    *,
    actor,
    country: str,
    calendar: str,
    working_days: int,
    extension_allowed: bool = False,
    extension_days: int = 0,
    guarantee_required: bool = False,
) -> DeadlineRule:
    """A node administrator sets how long holders have to answer in one country."""
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    country = (country or "").strip().upper()
    calendar = (calendar or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if not country or len(country) > 8 or not country.replace("-", "").isalnum():
        errors["country"] = [_("Give a country code such as CN, RU or EU.")]
    if calendar not in deadlines.known_calendars():
        errors["calendar"] = [
            _("Unknown working-day calendar: %(code)s.") % {"code": calendar or "—"}
        ]
    if not isinstance(working_days, int) or not 1 <= working_days <= MAX_WORKING_DAYS:
        errors["working_days"] = [
            _("Give between 1 and %(n)s working days.") % {"n": MAX_WORKING_DAYS}
        ]
    extension_days = extension_days or 0
    if not isinstance(extension_days, int) or not 0 <= extension_days <= MAX_WORKING_DAYS:
        errors["extension_days"] = [
            _("Give between 0 and %(n)s working days.") % {"n": MAX_WORKING_DAYS}
        ]
    elif extension_allowed and not extension_days:
        errors["extension_days"] = [_("Say how many working days an extension gives.")]
    elif not extension_allowed and extension_days:
        errors["extension_days"] = [_("No extension is allowed: leave it at 0.")]
    refuse_if(errors, _("The rule was not saved; correct the errors."))
    with transaction.atomic():
        rule = DeadlineRule.objects.select_for_update().filter(country=country).first()
        fields = {
            "calendar": calendar,
            "working_days": working_days,
            "extension_allowed": bool(extension_allowed),
            "extension_days": extension_days,
            "guarantee_required": bool(guarantee_required),
        }
        before = {name: getattr(rule, name) for name in fields} if rule else {}
        if rule is None:
            rule = DeadlineRule(country=country)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.updated_at = timezone.now()
        rule.save()
        changes = {
            name: [before.get(name), value]
            for name, value in fields.items()
            if before.get(name) != value
        }
        audit_log(who, "border.deadline_rule.saved", rule, {"country": country, **changes})
    return rule


def rule_for(country: str) -> DeadlineRule:
    rule = DeadlineRule.objects.filter(country=(country or "").upper()).first()
    if rule is None:
        raise DomainError(
            _("No deadline rule for %(country)s: a node administrator sets one.")
            % {"country": country},
            code="no_deadline_rule",
        )
    return rule


def answer_deadline(rule: DeadlineRule, notified_on: dt.date, *, extended: bool = False):
    """The last day to answer a notification given on ``notified_on`` (the day itself does
    not count), with the extension when one was granted."""
    days = rule.working_days + (rule.extension_days if extended else 0)
    return deadlines.add_working_days(rule.calendar, notified_on, days)
