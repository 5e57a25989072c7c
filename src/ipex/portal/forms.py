"""The newsroom's forms: a draft, a translation, a publication time, a correction, an
event."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.forms import campaign_field, organisations_by_code
from ipex.core.forms import VisibleModelChoiceField
from ipex.directory.forms import BootstrapMixin, OwnOrganisationForm
from ipex.portal.models import ContentLanguage, NewsCategory, NewsItem


class NewsTextForm(BootstrapMixin, forms.Form):
    """What a press officer writes: the text of one language version."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: headings, lists, links, tables. HTML is shown as text."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=NewsCategory.choices)
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas.")
    )


class NewsDraftForm(OwnOrganisationForm, NewsTextForm):
    language = forms.ChoiceField(label=_("Language"), choices=ContentLanguage.choices)
    translation_of = VisibleModelChoiceField(
        NewsItem,
        label=_("Translation of"),
        required=False,
        widget=forms.HiddenInput,
    )
    field_order = ["owner_org", "language", "title", "summary", "body", "category", "tags"]


class NewsPublishForm(BootstrapMixin, forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: now. In your time zone."),
    )


class NewsReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class NewsCorrectionForm(BootstrapMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(label=_("What the correction changes"), max_length=1000)


class EventForm(OwnOrganisationForm):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="Asia/Shanghai",
        help_text=_("The start and end are in this time zone, e.g. Asia/Shanghai, Europe/Moscow."),
    )
    online = forms.BooleanField(label=_("Online (video conference)"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    organisations = forms.CharField(
        label=_("Participating organisations (codes, separated by commas)"),
        required=False,
        help_text=_("e.g. CN-GD-PSD, CN-GAC-GZ"),
    )
    campaign = campaign_field()
    statistics_year = forms.IntegerField(label=_("Statistics year"), required=False)
    news_item = VisibleModelChoiceField(NewsItem, label=_("News item"), required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: headings, lists, links, tables. HTML is shown as text."),
    )

    def clean_organisations(self):
        return organisations_by_code(self.user, self.cleaned_data["organisations"])

    def clean(self):
        """The start and end as typed, in the event's time zone."""
        data = super().clean()
        try:
            zone = zoneinfo.ZoneInfo(data.get("time_zone") or "")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Unknown time zone."))
            return data
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = timezone.make_naive(data[name]).replace(tzinfo=zone)
        return data
