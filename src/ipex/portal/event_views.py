"""Events: the newsroom's pages (record, publish) and the public ones (the list, an event,
the iCalendar feed, RFC 5545)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ipex.campaigns.models import Campaign
from ipex.core.views import create_view, perform, validated_pages
from ipex.directory.models import Role
from ipex.portal import services
from ipex.portal.forms import EventForm
from ipex.portal.markdown import render_markdown
from ipex.portal.models import Event, next_public_change

EVENTS = Event.objects.select_related("campaign", "news_item", "owner_org").prefetch_related(
    "organisations"
)

event_create_page = create_view(
    EventForm,
    services.event_create,
    title=_("Record an event"),
    detail="newsroom-event",
    success=_("The event is saved."),
)


def _event_context(request, event: Event) -> dict:
    """What an event's page shows: its records only as far as the reader may see them."""
    campaign = event.campaign
    if (
        campaign is not None
        and not Campaign.objects.visible_to(request.user).filter(pk=campaign.pk).exists()
    ):
        campaign = None
    news_item = event.news_item if event.news_item and event.news_item.is_public else None
    return {
        "event": event,
        "description": render_markdown(event.description),
        "campaign": campaign,
        "news_item": news_item,
    }


@login_required
def newsroom_event(request, uuid):
    event = get_object_or_404(EVENTS.visible_to(request.user), uuid=uuid)
    context = _event_context(request, event)
    context["is_approver"] = request.user.has_role(Role.NEWS_APPROVER, event.owner_org)
    return render(request, "portal/newsroom_event.html", context)


@login_required
@require_POST
def newsroom_event_publish(request, uuid):
    event = get_object_or_404(Event.objects.visible_to(request.user), uuid=uuid)
    perform(
        request,
        lambda: services.event_publish(actor=request.user, event=event),
        _("The event is published."),
    )
    return redirect("newsroom-event", uuid=event.uuid)


@validated_pages(clock=next_public_change)
def event_list(request):
    now = timezone.now()
    events = EVENTS.published()
    return render(
        request,
        "portal/event_list.html",
        {
            "upcoming": events.filter(ends_at__gte=now).order_by("starts_at")[:50],
            "past": events.filter(ends_at__lt=now)[:50],
        },
    )


@validated_pages(clock=next_public_change)
def event_detail(request, uuid):
    event = get_object_or_404(EVENTS.published(), uuid=uuid)
    return render(request, "portal/event_detail.html", _event_context(request, event))


def event_calendar(request):
    """Every published event as an iCalendar file (RFC 5545), in the reader's language."""
    calendar = Calendar()
    calendar.add("prodid", "-//IPEX//events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", str(_("Events")))
    for event in EVENTS.published().order_by("starts_at"):
        entry = CalendarEvent()
        entry.add("uid", f"{event.uuid}@ipex")
        entry.add("dtstamp", event.updated_at)
        entry.add("dtstart", event.local_start)
        entry.add("dtend", event.local_end)
        entry.add("summary", event.name)
        entry.add("location", str(_("Online (video conference)")) if event.online else event.place)
        if event.description:
            entry.add("description", event.description)
        entry.add("url", request.build_absolute_uri(reverse("event-detail", args=[event.uuid])))
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response
