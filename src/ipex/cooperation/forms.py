"""Forms of the pages that record a joint operation and a meeting."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.forms import organisations_by_code
from ipex.cooperation.models import MeetingKind, MeetingMode
from ipex.directory.forms import OwnOrganisationForm

DATE = forms.DateInput(attrs={"type": "date"})
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"})


class TakingPartForm(OwnOrganisationForm):
    """Who records it (one of the user's organisations), who else takes part, a title."""

    participants = forms.CharField(
        label=_("Other participating organisations (codes, separated by commas)"),
        help_text=_("e.g. RU-FCS, RU-MVD"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)

    def clean_participants(self):
        return organisations_by_code(self.user, self.cleaned_data["participants"])


class OperationForm(TakingPartForm):
    owner_label = _("Lead organisation")
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)
    targets = forms.CharField(
        label=_("Targets"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingForm(TakingPartForm):
    owner_label = _("Convening organisation")
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    mode = forms.ChoiceField(label=_("Form"), choices=MeetingMode.choices)
    time_zone = forms.CharField(label=_("Time zone"), initial="Asia/Shanghai", max_length=64)
    starts_at = forms.DateTimeField(label=_("Starts (in that time zone)"), widget=WHEN)
    ends_at = forms.DateTimeField(label=_("Ends (in that time zone)"), widget=WHEN)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    items = forms.CharField(
        label=_("Action items, one a line: organisation code; due date; what"),
        help_text=_("e.g. RU-FCS; 2013-10-31; Send the list of importers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_items(self):
        out = []
        for line in (self.cleaned_data["items"] or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";", 2)]
            try:
                owner = organisations_by_code(self.user, parts[0])[0]
                due_on = dt.date.fromisoformat(parts[1])
                text = parts[2]
            except (IndexError, ValueError) as exc:
                raise forms.ValidationError(
                    _("Write each action item as: organisation code; YYYY-MM-DD; what.")
                ) from exc
            out.append({"owner": owner, "due_on": due_on, "text": text})
        return out

    def clean(self):
        data = super().clean()
        try:
            zone = zoneinfo.ZoneInfo(data.get("time_zone") or "")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Unknown time zone (e.g. Europe/Moscow)."))
            return data
        for name in ("starts_at", "ends_at"):  # the times as typed, in the meeting's zone
            if data.get(name):
                data[name] = data[name].replace(tzinfo=None).replace(tzinfo=zone)
        return data
