from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.models import Campaign
from ipex.cases.models import CaseKind, PenaltyType
from ipex.core.forms import VisibleFormMixin, VisibleModelChoiceField
from ipex.core.models import Distribution
from ipex.directory.forms import NAME, BootstrapMixin, own_organisations
from ipex.directory.models import Organisation, SharingGroup


class CaseForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    owner_org = VisibleModelChoiceField(
        Organisation, slug_field="code", label=_("Organisation"), label_from=NAME
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    campaign = VisibleModelChoiceField(
        Campaign, label=_("Special action"), required=False, label_from=NAME
    )
    distribution = forms.ChoiceField(
        label=_("Who may see it"), choices=Distribution.choices, initial=Distribution.ORG
    )
    sharing_group = VisibleModelChoiceField(SharingGroup, label=_("Sharing group"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        own_organisations(self, user)


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
