"""Special-action forms: opening one, adding a target."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.models import Metric
from ipex.core.models import Distribution
from ipex.directory.forms import BootstrapMixin
from ipex.directory.models import Organisation


class CampaignForm(BootstrapMixin, forms.Form):
    owner_org = forms.ChoiceField(label=_("Lead organisation"))
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
    distribution = forms.ChoiceField(
        label=_("Who may see it"), choices=Distribution.choices, initial=Distribution.NODE
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].choices = [(o.code, o.name) for o in user.organisations]

    def clean_owner_org(self):
        return Organisation.objects.get(code=self.cleaned_data["owner_org"])

    def clean_participants(self):
        codes = [
            c.strip().upper() for c in self.cleaned_data["participants"].split(",") if c.strip()
        ]
        found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("Unknown organisation codes: %(codes)s."), params={"codes": ", ".join(missing)}
            )
        return list(found.values())


class TargetForm(BootstrapMixin, forms.Form):
    metric = forms.ChoiceField(label=_("Measure"), choices=Metric.choices)
    category = forms.CharField(label=_("Category code (optional)"), max_length=60, required=False)
    target = forms.IntegerField(label=_("Target"), min_value=1)
