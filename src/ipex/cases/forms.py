from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.models import Campaign
from ipex.cases.models import CaseKind, PenaltyType
from ipex.core.models import Distribution
from ipex.directory.forms import BootstrapMixin
from ipex.directory.models import Organisation, SharingGroup


class CaseForm(BootstrapMixin, forms.Form):
    owner_org = forms.ChoiceField(label=_("Organisation"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    campaign = forms.ChoiceField(label=_("Special action"), required=False)
    distribution = forms.ChoiceField(
        label=_("Who may see it"), choices=Distribution.choices, initial=Distribution.ORG
    )
    sharing_group = forms.ChoiceField(label=_("Sharing group"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].choices = [(o.code, o.name) for o in user.organisations]
        self.campaigns = {str(c.uuid): c for c in Campaign.objects.visible_to(user)}
        self.fields["campaign"].choices = [("", "—")] + [
            (key, c.name) for key, c in self.campaigns.items()
        ]
        self.groups = {str(g.uuid): g for g in SharingGroup.objects.visible_to(user)}
        self.fields["sharing_group"].choices = [("", "—")] + [
            (key, g.name) for key, g in self.groups.items()
        ]

    def clean_owner_org(self):
        return Organisation.objects.get(code=self.cleaned_data["owner_org"])

    def clean_campaign(self):
        return self.campaigns.get(self.cleaned_data["campaign"])

    def clean_sharing_group(self):
        return self.groups.get(self.cleaned_data["sharing_group"])


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
