"""Special-action forms: opening one, adding a target."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.models import Campaign, Metric
from ipex.core.forms import VisibleModelChoiceField
from ipex.core.models import Distribution
from ipex.core.visibility import UnknownRecord, resolve_visible
from ipex.directory.forms import NAME, BootstrapMixin, OwnOrganisationForm, distribution_field
from ipex.directory.models import Organisation


def campaign_field() -> VisibleModelChoiceField:
    """The special action a record belongs to (optional): one the user may see."""
    return VisibleModelChoiceField(
        Campaign, label=_("Special action"), required=False, label_from=NAME
    )


def organisations_by_code(user, text: str) -> list:
    """Organisations typed by code, separated by commas, each through the door: one the user
    may not see is as unknown as one that does not exist."""
    codes = [c.strip().upper() for c in (text or "").split(",") if c.strip()]
    found, missing = {}, []
    for code in dict.fromkeys(codes):
        try:
            found[code] = resolve_visible(Organisation, user, code, field="code")
        except UnknownRecord:
            missing.append(code)
    if missing:
        raise forms.ValidationError(
            _("Unknown organisation codes: %(codes)s."), params={"codes": ", ".join(missing)}
        )
    return list(found.values())


class CampaignForm(OwnOrganisationForm):
    owner_label = _("Lead organisation")
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participants = forms.CharField(
        label=_("Participating organisations (codes, separated by commas)"),
        required=False,
        help_text=_("e.g. CN-GD-PSD, CN-GAC-GZ"),
    )
    distribution = distribution_field(Distribution.NODE)

    def clean_participants(self):
        return organisations_by_code(self.user, self.cleaned_data["participants"])


class TargetForm(BootstrapMixin, forms.Form):
    metric = forms.ChoiceField(label=_("Measure"), choices=Metric.choices)
    category = forms.CharField(label=_("Category code (optional)"), max_length=60, required=False)
    target = forms.IntegerField(label=_("Target"), min_value=1)
