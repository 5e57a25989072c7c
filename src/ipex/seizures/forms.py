from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.campaigns.forms import campaign_field
from ipex.directory.forms import (
    BootstrapMixin,
    JurisdictionChoiceField,
    OwnOrganisationForm,
    distribution_field,
    sharing_group_field,
)
from ipex.seizures.models import Category, Disposition, Method, PeriodKind, Unit

ITEM_FIELDS = (
    "category",
    "quantity",
    "unit",
    "description",
    "value_amount",
    "value_currency",
    "disposition",
)


class SeizureForm(OwnOrganisationForm):
    owner_label = _("Seizing organisation")
    seized_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    jurisdiction = JurisdictionChoiceField(
        label=_("Where (jurisdiction code)"), help_text=_("e.g. CN-GD-SZ-BA")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    campaign = campaign_field()
    distribution = distribution_field()
    sharing_group = sharing_group_field()

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if editing:
            for name in ("owner_org", "distribution", "sharing_group"):
                del self.fields[name]

    def clean_seized_on(self):
        day = self.cleaned_data["seized_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day


def item_rows(data) -> list[dict]:
    """Item lines posted as parallel lists (``item-category``, ``item-quantity`` …); lines
    left entirely blank are ignored."""
    columns = {f: data.getlist(f"item-{f}") for f in ITEM_FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    rows = []
    for index in range(count):
        row = {
            f: (columns[f][index] if index < len(columns[f]) else "").strip() for f in ITEM_FIELDS
        }
        if row["category"] or row["quantity"] or row["description"]:
            rows.append(row)
    return rows


def item_choices() -> dict:
    return {
        "categories": Category.objects.filter(valid_to__isnull=True).select_related("parent"),
        "units": Unit.choices,
        "dispositions": Disposition.choices,
    }


class ReportCreateForm(OwnOrganisationForm):
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1990)
    number = forms.IntegerField(
        label=_("Quarter or month"),
        min_value=0,
        max_value=12,
        initial=0,
        help_text=_("0 for a whole year"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


ENCODINGS = [
    ("", _("Detect")),
    ("utf-8", "UTF-8"),
    ("gbk", "GBK / GB18030"),
    ("cp1251", "CP1251 (Windows Cyrillic)"),
]


class ImportForm(OwnOrganisationForm):
    file = forms.FileField(label=_("CSV or XLSX file"))
    encoding = forms.ChoiceField(label=_("Text encoding (CSV)"), choices=ENCODINGS, required=False)
    dry_run = forms.BooleanField(label=_("Dry run: check and count, write nothing"), required=False)
