"""Forms of the pages that record an agreement, a joint operation and a meeting."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.forms import organisations_by_code
from ipex.cooperation.models import AgreementKind, MeetingKind, MeetingMode
from ipex.core.forms import VisibleFormMixin
from ipex.core.registry import shareable_types
from ipex.directory.forms import BootstrapMixin, OwnOrganisationForm, sharing_group_field
from ipex.seizures.models import Category

DATE = forms.DateInput(attrs={"type": "date"})
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"})


def semicolon_lines(text: str | None):
    """The non-empty lines of a text field, each cut at its first two semicolons into at most
    three stripped parts (action items, documents)."""
    for line in (text or "").splitlines():
        if line.strip():
            yield [part.strip() for part in line.split(";", 2)]


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
        for parts in semicolon_lines(self.cleaned_data["items"]):
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


def _scope_kind_choices():
    return sorted(
        (
            (name, kind.model._meta.verbose_name.capitalize())
            for name, kind in shareable_types.items()
        ),
        key=lambda choice: str(choice[1]),
    )


class AgreementTermsForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    """What the recording party may change once the agreement is recorded: the end of its
    term, its scope and its documents."""

    ends_on = forms.DateField(
        label=_("In force until (empty: open-ended)"), widget=DATE, required=False
    )
    scope = forms.CharField(
        label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = forms.CharField(
        label=_("Documents, one a line: language; title; address"),
        help_text=_("e.g. ru; Меморандум о сотрудничестве; https://example.org/mou-ru.pdf"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_documents(self):
        out = []
        for parts in semicolon_lines(self.cleaned_data["documents"]):
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("Write each document as: language; title; address (optional).")
                )
            out.append(
                {"language": parts[0], "title": parts[1], "url": parts[2] if len(parts) > 2 else ""}
            )
        return out


class AgreementForm(OwnOrganisationForm, AgreementTermsForm):
    """A new agreement: the recording party (one of the user's organisations), the other
    parties by code (through the door), the term, scope, documents and implementing group."""

    owner_label = _("Recording party")
    parties = forms.CharField(
        label=_("Other parties (organisation codes, separated by commas)"),
        help_text=_("e.g. RU-FCS, RU-MVD"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    starts_on = forms.DateField(label=_("In force from"), widget=DATE)
    scope_kinds = forms.MultipleChoiceField(
        label=_("Kinds of records it covers"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    scope_categories = forms.CharField(
        label=_("Categories it covers (codes, separated by commas)"),
        help_text=_("e.g. audiovisual.dvd, software"),
        required=False,
    )
    group = sharing_group_field(_("Sharing group implementing it"))

    field_order = [
        "owner_org",
        "parties",
        "title",
        "kind",
        "signed_on",
        "starts_on",
        "ends_on",
        "scope_kinds",
        "scope_categories",
        "scope",
        "documents",
        "group",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_kinds"].choices = _scope_kind_choices()

    def clean_parties(self):
        return organisations_by_code(self.user, self.cleaned_data["parties"])

    def clean_scope_categories(self):
        codes = [
            c.strip() for c in (self.cleaned_data["scope_categories"] or "").split(",") if c.strip()
        ]
        known = set(
            Category.objects.visible_to(self.user)
            .filter(code__in=codes)
            .values_list("code", flat=True)
        )
        unknown = [c for c in dict.fromkeys(codes) if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("Unknown category codes: %(codes)s."), params={"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))

    def clean(self):
        data = super().clean()
        group = data.pop("group", None)
        data["groups"] = [group] if group else []
        return data
