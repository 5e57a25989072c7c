"""The newsroom's forms: a draft, a translation, a publication time, a correction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
