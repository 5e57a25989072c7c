from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.forms import campaign_field
from ipex.cases.models import CaseKind, PenaltyType
from ipex.directory.forms import (
    BootstrapMixin,
    OwnOrganisationForm,
    distribution_field,
    sharing_group_field,
)


class CaseForm(OwnOrganisationForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    campaign = campaign_field()
    distribution = distribution_field()
    sharing_group = sharing_group_field()


class ProvisionForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. CN-CL-217"))
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    penalty_type = forms.ChoiceField(label=_("Penalty"), choices=PenaltyType.choices)
    minimum = forms.DecimalField(label=_("Minimum"), required=False, min_value=0)
    maximum = forms.DecimalField(label=_("Maximum"), required=False, min_value=0)
    currency = forms.CharField(
        label=_("Currency (for fines)"), max_length=3, required=False, help_text="CNY"
    )
