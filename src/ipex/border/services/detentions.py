"""Detentions at the border: customs suspend the release of goods, the holders of the
linked recordations are notified at once (in IPEX and by e-mail, in each contact's
language) and answer before the deadline of the country's rule; silence makes the release
due. Each a service on the shared-record write path."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipex.border import deadlines
from ipex.border.models import (
    AnswerKind,
    Detention,
    DetentionAnswer,
    DetentionLine,
    DetentionNotice,
    DetentionPhoto,
    DetentionStatus,
    Direction,
    Outcome,
    Recordation,
    Transport,
)
from ipex.border.services.abroad import answer_check, notice_send
from ipex.border.services.recordations import (
    answer_deadline,
    countries_of,
    country_of,
    read_photos,
    rule_for,
    store_photos,
)
from ipex.core.audit import Actor, as_actor
from ipex.core.errors import Conflict, DomainError, Forbidden, refuse_if
from ipex.core.models import Distribution
from ipex.core.services import (
    creating_member,
    shared_record_create,
    shared_record_transition,
    shared_record_write,
)
from ipex.core.visibility import may_name
from ipex.directory.models import Organisation, OrgKind
from ipex.directory.shareable import local_record
from ipex.seizures.models import Category, Method
from ipex.seizures.services import seizure_record

RELEASE_CHECK = Actor.system("ipex border release-due")
REMINDER = Actor.system("ipex border remind")


def _lines(lines, errors: dict) -> list[dict]:
    out, problems = [], []
    codes = {str((line or {}).get("category") or "") for line in lines or []}
    categories = {c.code: c for c in Category.objects.filter(code__in=codes)}
    for number, line in enumerate(lines or [], start=1):
        line = line or {}
        description = str(line.get("description") or "").strip()
        category = categories.get(str(line.get("category") or ""))
        quantity = line.get("quantity")
        if not description or category is None:
            problems.append(
                _("Line %(n)s: give a description and a category of the vocabulary.")
                % {"n": number}
            )
        elif not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            problems.append(_("Line %(n)s: the quantity is a whole number from 1.") % {"n": number})
        else:
            out.append(
                {"description": description[:300], "category": category, "quantity": quantity}
            )
    if problems:
        errors["lines"] = problems
    elif not out:
        errors["lines"] = [_("Give at least one line of goods.")]
    return out


def _notify(detention: Detention, recordations, kind: str = "detention") -> int:
    """One notice per contact of each linked recordation (a detention's, or a reminder of
    its deadline), e-mailed once the write is saved, in the contact's language."""
    sent = 0
    for recordation in recordations:
        for contact in recordation.contacts.all():
            DetentionNotice.objects.create(
                detention=detention,
                recordation=recordation,
                email=contact.email,
                language=contact.language,
                kind=kind,
            )
            transaction.on_commit(
                lambda c=contact, r=recordation: mail_holder(
                    detention, r, c.email, c.language, reminder=kind == "reminder"
                )
            )
            sent += 1
    return sent


def mail_holder(
    detention: Detention, recordation: Recordation, email: str, language: str, reminder=False
):
    with translation.override(language):
        subject = _("Goods detained under your recordation %(number)s") % {
            "number": recordation.number
        }
        if reminder:
            subject = _("Reminder: %(subject)s") % {"subject": subject}
        body = _(
            "Customs at %(place)s suspended the release of goods (declaration %(declaration)s) "
            "under your recordation %(number)s (%(right)s). Answer in IPEX by %(deadline)s: "
            "confirm the infringement, ask for an extension, agree to destruction or release "
            "the goods. Without an answer the goods will be released."
        ) % {
            "place": detention.place,
            "declaration": detention.declaration_number,
            "number": recordation.number,
            "right": recordation.right_name,
            "deadline": detention.answer_by.isoformat() if detention.answer_by else "—",
        }
    send_mail(subject, body, None, [email], fail_silently=True)


def detention_record(
    *,
    actor,
    owner_org: Organisation,
    declaration_number: str,
    direction: str,
    place: str,
    transport: str,
    lines,
    route=(),
    consignor: str = "",
    consignee: str = "",
    recordations=(),
    photos=(),
    on: dt.date | None = None,
) -> Detention:
    """A customs officer records a suspended release; the linked holders are notified and
    the deadline set by the country's rule. No recordation: ex officio, nobody notified.
    ``on``: the day of the detention when it is recorded later (today by default)."""
    who = creating_member(actor, owner_org, distribution=Distribution.ORG)
    errors: dict[str, list[str]] = {}
    if owner_org.kind != OrgKind.CUSTOMS:
        errors["owner_org"] = [_("Only customs record detentions.")]
    if not (declaration_number or "").strip():
        errors["declaration_number"] = [_("Give the declaration number.")]
    if direction not in Direction.values:
        errors["direction"] = [_("Choose import, export or transit.")]
    if not (place or "").strip():
        errors["place"] = [_("Name the customs office or border crossing.")]
    if transport not in Transport.values:
        errors["transport"] = [_("Choose the means of transport.")]
    countries_of(route, errors, field="route", required=False)
    # The route in the order travelled (the check above sorts).
    codes = list(dict.fromkeys(c.strip().upper() for c in route or [] if (c or "").strip()))
    goods = _lines(lines, errors)
    recordations = list(dict.fromkeys(recordations or []))
    valid = set(Recordation.objects.in_register().filter(pk__in=[r.pk for r in recordations]))
    if any(r not in valid for r in recordations):
        errors["recordations"] = [_("Link only recordations in force.")]
    pictures = read_photos(photos, errors)
    refuse_if(errors, _("The detention was not recorded; correct the errors."))
    country = country_of(owner_org)
    rule = rule_for(country)
    today = on or timezone.localdate()
    detention = local_record(
        Detention,
        owner_org,
        Distribution.ORG,
        declaration_number=declaration_number.strip()[:60],
        direction=direction,
        place=place.strip()[:200],
        route=codes,
        transport=transport,
        consignor=(consignor or "").strip()[:200],
        consignee=(consignee or "").strip()[:200],
        ex_officio=not recordations,
        country=country,
        officer=who.user,
        notified_on=today,
        answer_by=answer_deadline(rule, today) if recordations else None,
    )
    with shared_record_create(who, detention, "border.detention.recorded") as write:
        for line in goods:
            DetentionLine.objects.create(detention=detention, **line)
        detention.recordations.set(recordations)
        store_photos(pictures, DetentionPhoto, detention=detention)
        notices = _notify(detention, [r for r in recordations if not r.is_replica])
        for recordation in recordations:
            if recordation.is_replica:  # the holder is notified through its own node
                notice_send(who, detention, recordation, goods)
                notices += 1
        write.note(
            lines=len(goods),
            recordations=[str(r.uuid) for r in recordations],
            notices=notices,
            answer_by=detention.answer_by.isoformat() if detention.answer_by else None,
        )
    return detention


def _linked_holder(who, detention: Detention) -> None:
    """The answer comes from a person of an organisation whose recordation the detention
    names."""
    if who.is_system:
        return
    holder = _holder_of(who, detention)
    if holder is None:
        raise Forbidden(_("Only the holders of the linked recordations answer."), code="not_linked")


def _holder_of(who, detention: Detention) -> Organisation | None:
    owners = {r.owner_org_id for r in detention.recordations.all()}
    for org in getattr(who.user, "organisations", None) or []:
        if org.pk in owners and org.origin_node.is_local:
            return org
    return None


def detention_answer(
    *,
    actor,
    detention: Detention,
    kind: str,
    grounds: str = "",
    days: int | None = None,
    on: dt.date | None = None,
) -> Detention:
    """The holder answers before the deadline: confirm (with grounds), ask for an extension
    (within the rule), agree to destruction, or release."""
    who = as_actor(actor)
    answer_check(kind, grounds)
    with shared_record_transition(
        who,
        detention,
        kind,
        f"border.detention.{kind}",
        check=lambda d: _in_time(d, on or timezone.localdate()),
        permission=_linked_holder,
    ) as write:
        if kind == AnswerKind.EXTEND:
            _extend(detention, days)
        DetentionAnswer.objects.create(
            detention=detention,
            organisation=_holder_of(who, detention) or detention.recordations.first().owner_org,
            kind=kind,
            grounds=(grounds or "").strip(),
            answered_by=who.user,
        )
        write.note(grounds=(grounds or "").strip())
    return detention


def _in_time(detention: Detention, today: dt.date) -> None:
    if detention.status != DetentionStatus.NOTIFIED:
        raise Conflict(_("This detention has been answered."), code="illegal_transition")
    if detention.answer_by is None or today > detention.answer_by:
        raise Conflict(
            _("The deadline to answer passed on %(day)s.") % {"day": detention.answer_by or "—"},
            code="too_late",
        )


def _extend(detention: Detention, days) -> None:
    rule = rule_for(detention.country)
    if not rule.extension_allowed:
        raise DomainError(
            _("The rule of %(country)s allows no extension.") % {"country": rule.country},
            fields={"days": [_("No extension.")]},
            code="no_extension",
        )
    if detention.extended:
        raise Conflict(_("The deadline was extended already."), code="extended")
    days = rule.extension_days if days is None else days
    if not isinstance(days, int) or not 1 <= days <= rule.extension_days:
        raise DomainError(
            _("An extension is of 1 to %(n)s working days in %(country)s.")
            % {"n": rule.extension_days, "country": rule.country},
            fields={"days": [_("Beyond the rule.")]},
            code="beyond_rule",
        )
    detention.answer_by = deadlines.add_working_days(rule.calendar, detention.answer_by, days)
    detention.extended = True


def detentions_to_remind(today: dt.date | None = None) -> list[Detention]:
    """Detentions still awaiting an answer whose deadline is at most one working day away
    (on the rule's calendar) and whose holders have not been reminded yet."""
    today = today or timezone.localdate()
    out = []
    rows = Detention.objects.filter(
        status=DetentionStatus.NOTIFIED, answer_by__gte=today, withdrawn_at__isnull=True
    ).exclude(notices__kind="reminder")
    calendars = {}
    for detention in rows:
        if detention.country not in calendars:
            calendars[detention.country] = rule_for(detention.country).calendar
        eve = deadlines.add_working_days(calendars[detention.country], today, 1)
        if detention.answer_by <= eve:
            out.append(detention)
    return out


def detention_remind(*, detention: Detention) -> int:
    """Remind the linked holders' contacts of the deadline (once; a background task)."""
    with shared_record_write(REMINDER, detention, "border.detention.reminded") as write:
        if (
            detention.status != DetentionStatus.NOTIFIED
            or detention.notices.filter(kind="reminder").exists()
        ):
            write.skip()
            return 0
        sent = _notify(detention, detention.recordations.prefetch_related("contacts"), "reminder")
        write.note(reminders=sent, answer_by=detention.answer_by.isoformat())
    return sent


def detentions_release_due(*, today: dt.date | None = None) -> int:
    """Detentions whose deadline passed without an answer: release due, the officer alerted
    (run daily: ``ipex border release-due``)."""
    today = today or timezone.localdate()
    moved = 0
    for detention in Detention.objects.filter(
        status=DetentionStatus.NOTIFIED, answer_by__lt=today
    ).select_related("officer"):
        with shared_record_transition(
            RELEASE_CHECK, detention, "lapse", "border.detention.release_due"
        ) as write:
            write.note(answer_by=detention.answer_by.isoformat())
            officer = detention.officer
            if officer is not None and officer.email:
                transaction.on_commit(lambda d=detention, o=officer: _mail_officer(d, o))
        moved += 1
    return moved


def _mail_officer(detention: Detention, officer) -> None:
    with translation.override(getattr(officer, "language", "") or "en"):
        subject = _("Release due: declaration %(declaration)s") % {
            "declaration": detention.declaration_number
        }
        body = _(
            "No holder answered by %(deadline)s for the goods detained at %(place)s "
            "(declaration %(declaration)s): their release is due."
        ) % {
            "deadline": detention.answer_by.isoformat(),
            "place": detention.place,
            "declaration": detention.declaration_number,
        }
    send_mail(subject, body, None, [officer.email], fail_silently=True)


# What the holder's answer must be before customs may take each outcome (ex officio
# detentions, with nobody to answer, may take any once recorded).
NEEDS = {
    Outcome.RELEASED: None,
    Outcome.DESTROYED: {DetentionStatus.CONFIRMED, DetentionStatus.DESTRUCTION_AGREED},
    Outcome.SEIZED: {DetentionStatus.CONFIRMED, DetentionStatus.DESTRUCTION_AGREED},
    Outcome.CASE: {DetentionStatus.CONFIRMED, DetentionStatus.DESTRUCTION_AGREED},
}


def detention_close(
    *, actor, detention: Detention, outcome: str, case=None, on: dt.date | None = None
) -> Detention:
    """Customs close a detention: release, destruction, seizure (a seizure record with the
    goods lines, method "customs detention", so it counts in the statistics as a customs
    seizure) or a case (linked; a case the officer may see)."""
    who = as_actor(actor)
    if outcome not in Outcome.values:
        raise DomainError(_("Choose an outcome."), fields={"outcome": [_("Unknown.")]})
    if outcome == Outcome.CASE and (case is None or not may_name(who, case)):
        raise DomainError(
            _("Choose the case the goods are handed to."), fields={"case": [_("Unknown case.")]}
        )

    def allowed(d: Detention) -> None:
        needed = NEEDS[outcome]
        if needed and d.status not in needed and not (d.ex_officio and d.status == "notified"):
            raise Conflict(
                _("Destruction, seizure or a case need the holder's confirmation first."),
                code="not_confirmed",
            )

    with shared_record_transition(
        who, detention, "close", "border.detention.closed", check=allowed
    ) as write:
        detention.outcome = outcome
        if outcome == Outcome.SEIZED:
            detention.seizure = _seize(who, detention, on or timezone.localdate())
            write.note(seizure=str(detention.seizure.uuid))
        if outcome == Outcome.CASE:
            detention.case = case
            write.note(case=str(case.uuid))
    return detention


def _seize(who, detention: Detention, day: dt.date):
    return seizure_record(
        actor=who,
        owner_org=detention.owner_org,
        seized_on=day,
        jurisdiction=detention.owner_org.jurisdiction,
        method=Method.CUSTOMS_DETENTION,
        place=detention.place,
        reference=detention.declaration_number,
        items=[
            {
                "category": line.category.code,
                "quantity": line.quantity,
                "description": line.description,
            }
            for line in detention.lines.select_related("category")
        ],
    )
