"""Forms of the border app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.border.models import ContactLanguage, Direction, RightKind, Transport, WorkType
from ipex.core.forms import VisibleFormMixin
from ipex.core.models import Distribution
from ipex.directory.forms import (
    BootstrapMixin,
    OwnOrganisationForm,
    distribution_field,
    sharing_group_field,
)


def country_list(text: str) -> list[str]:
    """Country codes typed with commas or semicolons between them (the service checks them)."""
    return [c for c in text.replace(";", ",").split(",") if c.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def contact_lines(text: str) -> list[dict]:
    """One contact a line: ``name, e-mail, language`` (language en, zh-hans or ru)."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        bits = [b.strip() for b in line.split(",")]
        name, email = bits[0], bits[1] if len(bits) > 1 else ""
        language = (bits[2] if len(bits) > 2 else "") or ContactLanguage.EN
        out.append({"name": name, "email": email, "language": language.lower()})
    return out


class RecordationForm(OwnOrganisationForm):
    owner_label = _("Rights holder")
    right_kind = forms.ChoiceField(label=_("Right"), choices=RightKind.choices)
    work_title = forms.CharField(label=_("Work title"), max_length=200, required=False)
    work_type = forms.ChoiceField(
        label=_("Type of work"), choices=[("", "—"), *WorkType.choices], required=False
    )
    work_year = forms.IntegerField(label=_("Year"), required=False, min_value=1000)
    mark = forms.CharField(label=_("Trademark"), max_length=200, required=False)
    work_owner = forms.CharField(label=_("Right owner"), max_length=200)
    goods = forms.CharField(label=_("Goods covered"), widget=forms.Textarea(attrs={"rows": 2}))
    manufacturers = forms.CharField(
        label=_("Authorised manufacturers"), required=False, widget=forms.Textarea({"rows": 2})
    )
    importers = forms.CharField(
        label=_("Authorised importers"), required=False, widget=forms.Textarea({"rows": 2})
    )
    licensees = forms.CharField(
        label=_("Licensees"), required=False, widget=forms.Textarea({"rows": 2})
    )
    recognition = forms.CharField(
        label=_("How to tell originals from fakes"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    routes = forms.CharField(
        label=_("Known routes and places of infringement"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    countries = forms.CharField(
        label=_("Countries' customs"), help_text=_("Country codes, e.g. CN, RU, EU.")
    )
    contacts = forms.CharField(
        label=_("Contacts to notify"),
        help_text=_("One a line: name, e-mail, language (en, zh-hans or ru)."),
        widget=forms.Textarea({"rows": 3}),
    )
    photos = MultipleFileField(label=_("Photos (JPEG or PNG)"), required=False)
    distribution = distribution_field(Distribution.ORG)
    sharing_group = sharing_group_field()

    def clean_countries(self) -> list[str]:
        return country_list(self.cleaned_data["countries"])

    def clean_contacts(self) -> list[dict]:
        return contact_lines(self.cleaned_data["contacts"])


class RecordForm(forms.Form):
    number = forms.CharField(label=_("Recordation number"), max_length=40, required=False)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DeadlineRuleForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=8)
    calendar = forms.CharField(
        label=_("Working-day calendar"),
        max_length=8,
        help_text=_("A country code (CN, RU, DE…) or a market calendar such as XECB."),
    )
    working_days = forms.IntegerField(label=_("Working days to answer"))
    extension_allowed = forms.BooleanField(label=_("Extension allowed"), required=False)
    extension_days = forms.IntegerField(label=_("Extension (working days)"), initial=0)
    guarantee_required = forms.BooleanField(label=_("Guarantee required"), required=False)


class DetentionForm(OwnOrganisationForm):
    """The customs officer's record of a suspended release; the goods lines come as parallel
    lists (``line-description``, ``line-category``, ``line-quantity``) and the linked
    recordations as the register matches ticked (``recordation``: their uuids)."""

    owner_label = _("Customs")
    declaration_number = forms.CharField(label=_("Declaration number"), max_length=60)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    place = forms.CharField(label=_("Place (customs office, border crossing)"), max_length=200)
    route = forms.CharField(
        label=_("Route (countries)"), required=False, help_text=_("Country codes, e.g. CN, RU.")
    )
    transport = forms.ChoiceField(label=_("Means of transport"), choices=Transport.choices)
    consignor = forms.CharField(label=_("Consignor"), max_length=200, required=False)
    consignee = forms.CharField(label=_("Consignee"), max_length=200, required=False)
    photos = MultipleFileField(label=_("Photos (JPEG or PNG)"), required=False)

    def clean_route(self) -> list[str]:
        return country_list(self.cleaned_data["route"])


def line_rows(data) -> list[dict]:
    """Goods lines posted as parallel lists; lines left blank are ignored. A quantity that is
    not a whole number is passed on as typed (the service refuses it)."""
    columns = [data.getlist(f"line-{f}") for f in ("description", "category", "quantity")]
    rows = []
    for description, category, quantity in zip(*columns, strict=False):
        if not (description.strip() or category.strip() or quantity.strip()):
            continue
        try:
            amount = int(quantity.strip())
        except ValueError:
            amount = quantity.strip()
        rows.append({"description": description, "category": category, "quantity": amount})
    return rows


class AlertForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    """The group through which a detention is sent on as an alert (it must reach the customs
    of the route's other end)."""

    sharing_group = sharing_group_field(_("Group reaching the partner customs"))
