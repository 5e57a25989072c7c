"""Audited bodies under their supervising administration, and the yearly obligation list."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipex.compliance.models import AuditedBody, BodyKind, Obligation
from ipex.compliance.reading import Problems, csv_rows
from ipex.core.audit import Actor, as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.permissions import ensure_actor_member_of
from ipex.core.services import validate
from ipex.directory.models import Jurisdiction, Organisation, OrgKind, Role
from ipex.directory.services import organisation_add

ADMINISTERING_ROLES = {Role.AUDITOR, Role.SUPERVISOR}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def ensure_administers(who: Actor, organisation: Organisation) -> None:
    """A person acts for ``organisation`` or one above it, as a compliance auditor or a
    supervisor; a system actor is not checked."""
    ensure_actor_member_of(who, organisation)
    if not who.is_system and not (ADMINISTERING_ROLES & who.user.roles):
        raise Forbidden(
            _("Only compliance auditors and supervisors of the administration can do this."),
            code="not_auditor",
        )


def ensure_year(year) -> int:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            _("Give a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            fields={"year": [_("Not a year.")]},
        )
    return year


def body_register(
    *,
    actor,
    administration: Organisation,
    code: str,
    name_en: str,
    body_kind: str,
    name_zh_hans: str = "",
    name_ru: str = "",
    jurisdiction: Jurisdiction | None = None,
) -> AuditedBody:
    """Register a government body or enterprise as an organisation of kind "audited body"
    below the copyright administration that supervises it (in its area)."""
    who = as_actor(actor)
    if administration.kind != OrgKind.COPYRIGHT_ADMIN:
        raise DomainError(
            _("An audited body is supervised by a copyright administration."),
            fields={"administration": [_("Not a copyright administration.")]},
        )
    ensure_administers(who, administration)
    if body_kind not in BodyKind.values:
        raise DomainError(
            _("Unknown kind of body."), fields={"body_kind": [_("Unknown kind of body.")]}
        )
    jurisdiction = jurisdiction or administration.jurisdiction
    if not jurisdiction.path.startswith(administration.jurisdiction.path):
        raise DomainError(
            _("The body must be in the area of %(admin)s.") % {"admin": administration.name},
            fields={"jurisdiction": [_("Outside the administration's area.")]},
        )
    with transaction.atomic():
        if Organisation.objects.filter(code=code.strip().upper()).exists():
            raise Conflict(
                _("An organisation with code %(code)s exists already.") % {"code": code},
                code="duplicate",
            )
        # The rule for who may register a body is the one checked above (an auditor of the
        # administration), not the directory's (a node administrator): the organisation is
        # made in the person's name, as a use case of this app.
        organisation = organisation_add(
            actor=who,
            code=code,
            kind=OrgKind.AUDITED_BODY,
            name_en=name_en,
            name_zh_hans=name_zh_hans,
            name_ru=name_ru,
            jurisdiction=jurisdiction,
            supervisor=administration,
        )
        body = AuditedBody(organisation=organisation, body_kind=body_kind)
        validate(body)
        body.save()
        audit_log(
            who,
            "compliance.body.registered",
            body,
            {"code": organisation.code, "kind": body_kind, "administration": administration.code},
        )
    return body


def obligation_add(*, actor, body: AuditedBody, year: int) -> Obligation:
    """Put a body on the list of those that must report for ``year``."""
    who = as_actor(actor)
    ensure_administers(who, body.organisation.supervisor or body.organisation)
    ensure_year(year)
    try:
        with transaction.atomic():
            obligation = Obligation.objects.create(body=body, year=year, added_by=who.user)
            audit_log(
                who, "compliance.obligation.added", obligation, {"body": body.code, "year": year}
            )
    except IntegrityError as exc:
        raise Conflict(
            _("%(code)s is already on the %(year)s list.") % {"code": body.code, "year": year},
            code="duplicate",
        ) from exc
    return obligation


OBLIGATION_COLUMNS = ("code", "name_en", "name_zh_hans", "name_ru", "body_kind", "jurisdiction")


def obligations_import(*, actor, administration: Organisation, year: int, fileobj) -> dict:
    """The year's list from CSV (columns ``code``, ``name_en``, ``name_zh_hans``, ``name_ru``,
    ``body_kind``, ``jurisdiction``): a body already registered below the administration is
    put on the list, a new one is registered first. All or nothing, row-numbered errors."""
    who = as_actor(actor)
    ensure_administers(who, administration)
    ensure_year(year)
    problems = Problems()
    added = already = registered = 0
    seen: set[str] = set()
    with transaction.atomic():
        for line, row in csv_rows(fileobj, ("code",)):
            if problems.full():
                break
            code = row["code"].upper()
            if code in seen:
                problems.add(
                    _("Row %(row)s: %(code)s is listed twice.") % {"row": line, "code": code}
                )
                continue
            seen.add(code)
            try:
                with transaction.atomic():
                    body = _listed_body(who, administration, code, row)
                    if body.pk and Obligation.objects.filter(body=body, year=year).exists():
                        already += 1
                        continue
                    if getattr(body, "_registered", False):
                        registered += 1
                    obligation_add(actor=who, body=body, year=year)
                    added += 1
            except DomainError as exc:
                problems.add(_("Row %(row)s: %(problem)s") % {"row": line, "problem": exc.message})
        problems.check()
        audit_log(
            who,
            "compliance.obligation.imported",
            administration,
            {"year": year, "added": added, "registered": registered, "already": already},
        )
    return {"added": added, "registered": registered, "already": already}


def _listed_body(who, administration, code, row) -> AuditedBody:
    existing = AuditedBody.objects.filter(organisation__code=code).select_related("organisation")
    body = existing.first()
    if body is not None:
        if not body.organisation.path.startswith(administration.path):
            raise DomainError(
                _("%(code)s is not a body supervised by %(admin)s.")
                % {"code": code, "admin": administration.code}
            )
        return body
    if not row.get("name_en"):
        raise DomainError(
            _("%(code)s is not registered yet: give its English name.") % {"code": code}
        )
    jurisdiction = None
    if row.get("jurisdiction"):
        jurisdiction = Jurisdiction.objects.filter(code=row["jurisdiction"].upper()).first()
        if jurisdiction is None:
            raise DomainError(_("Unknown jurisdiction %(code)s.") % {"code": row["jurisdiction"]})
    body = body_register(
        actor=who,
        administration=administration,
        code=code,
        name_en=row["name_en"],
        name_zh_hans=row.get("name_zh_hans", ""),
        name_ru=row.get("name_ru", ""),
        body_kind=row.get("body_kind") or BodyKind.GOVERNMENT,
        jurisdiction=jurisdiction,
    )
    body._registered = True
    return body
