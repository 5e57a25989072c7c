"""Forms of the software-legalisation pages; the services check what the forms cannot."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.compliance.models import (
    BodyKind,
    Entitlement,
    InventoryFormat,
    LicenceMetric,
    LicenceModel,
    Product,
    ProductFamily,
    RuleKind,
)
from ipex.compliance.queries import administrations_of
from ipex.core.forms import VisibleFormMixin, VisibleModelChoiceField
from ipex.directory.forms import NAME, BootstrapMixin, JurisdictionChoiceField
from ipex.directory.models import Organisation


def administration_field() -> VisibleModelChoiceField:
    return VisibleModelChoiceField(
        Organisation, slug_field="code", label=_("Supervising administration"), label_from=NAME
    )


class AdministrationForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    """A form whose ``administration`` is one the user audits or supervises."""

    administration = administration_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["administration"]
        field.queryset = field.queryset.filter(pk__in=[o.pk for o in administrations_of(user)])


class BodyForm(AdministrationForm):
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("Capital letters, digits and hyphens.")
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    body_kind = forms.ChoiceField(label=_("Kind of body"), choices=BodyKind.choices)
    jurisdiction = JurisdictionChoiceField(
        label=_("Jurisdiction code"),
        required=False,
        help_text=_("Empty: the administration's own."),
    )


def csv_file_field(help_text) -> forms.FileField:
    return forms.FileField(label=_("CSV file"), help_text=help_text)


class ObligationImportForm(AdministrationForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    fileobj = csv_file_field(
        _("Columns: code, name_en, name_zh_hans, name_ru, body_kind, jurisdiction.")
    )


class YearForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class ProductForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    publisher = forms.CharField(label=_("Publisher"), max_length=120)
    name = forms.CharField(label=_("Product"), max_length=120)
    edition = forms.CharField(label=_("Edition"), max_length=80, required=False)
    family = forms.ChoiceField(label=_("Family"), choices=ProductFamily.choices)
    licence_model = forms.ChoiceField(label=_("Licence model"), choices=LicenceModel.choices)
    spdx_id = forms.CharField(label=_("SPDX licence identifier"), max_length=80, required=False)


def product_field(required: bool = False) -> VisibleModelChoiceField:
    return VisibleModelChoiceField(Product, label=_("Product"), required=required)


class RuleForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of rule"), choices=RuleKind.choices)
    pattern = forms.CharField(label=_("Pattern"), max_length=300)
    publisher = forms.CharField(
        label=_("Publisher"), max_length=120, required=False, help_text=_("Empty: any publisher.")
    )
    product = product_field()
    ignore = forms.BooleanField(label=_("Ignore what it matches"), required=False)
    examples = forms.CharField(
        label=_("Examples"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One raw name per line; the rule must match every one."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=0, required=False, help_text=_("Empty: after the others.")
    )

    def clean_examples(self):
        return [line.strip() for line in self.cleaned_data["examples"].splitlines() if line.strip()]


class MapForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    product = product_field()
    ignore = forms.BooleanField(label=_("Ignore"), required=False)


class InventoryForm(BootstrapMixin, forms.Form):
    fileobj = forms.FileField(
        label=_("Inventory file"),
        help_text=_(
            "glpi-agent JSON, OCS Inventory NG XML, osquery JSON results, or CSV with the "
            "columns device, name, publisher, version."
        ),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Empty: this year."),
    )
    fmt = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Recognise it")), *InventoryFormat.choices],
        required=False,
    )


class EntitlementForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    product = product_field(required=True)
    metric = forms.ChoiceField(label=_("Metric"), choices=LicenceMetric.choices)
    quantity = forms.IntegerField(label=_("Quantity"), initial=1)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: perpetual."),
    )
    reference = forms.CharField(label=_("Contract or invoice"), max_length=120, required=False)
    oem = forms.BooleanField(label=_("OEM, bundled with devices"), required=False)
    proof = forms.FileField(
        label=_("Proof of purchase"),
        required=False,
        help_text=_("PDF, PNG, JPEG or an Office file; its content must match its name."),
    )


class EntitlementImportForm(BootstrapMixin, forms.Form):
    fileobj = csv_file_field(
        _(
            "Columns: publisher, product, edition, metric, quantity, valid_from, valid_to, "
            "reference, oem."
        )
    )


class SelfReportForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    devices = forms.IntegerField(label=_("Devices"), min_value=0)
    licensed_os = forms.IntegerField(label=_("Licensed operating systems"), min_value=0)
    licensed_office = forms.IntegerField(label=_("Licensed office suites"), min_value=0)
    licensed_antivirus = forms.IntegerField(label=_("Licensed antivirus"), min_value=0)
    spent = forms.DecimalField(
        label=_("Money spent on software that year"), min_value=0, max_digits=14, decimal_places=2
    )
    explanation = forms.CharField(
        label=_("Explanation of differences"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a figure differs from the reconciliation by more than 5%."),
    )


class ReturnReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for return"), max_length=2000)


class InspectionPlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=1000)


class DrawForm(BootstrapMixin, forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        required=False,
        min_value=0,
        help_text=_("Empty: a new random seed. A recorded seed draws the same sample again."),
    )


class FindingForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    device = forms.CharField(label=_("Device"), max_length=200)
    product = product_field(required=True)
    licensed = forms.BooleanField(label=_("Licensed"), required=False)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConcludeForm(BootstrapMixin, forms.Form):
    deadline = forms.DateField(
        label=_("Rectification deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: close the inspection as compliant."),
    )
    order = forms.CharField(
        label=_("Rectification order"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (each checked by the service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AnswerForm(BootstrapMixin, forms.Form):
    """The body's answer: what it did, the entitlements it recorded for it (licences bought,
    entered or imported on the body's page) and proof files."""

    answer = forms.CharField(
        label=_("What was put right"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Upload the new inventory and the entitlements on the body's page first."),
    )
    entitlements = forms.ModelMultipleChoiceField(
        label=_("Licences bought (the body's entitlements)"),
        queryset=Entitlement.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    proofs = MultipleFileField(
        label=_("Proof files"),
        required=False,
        help_text=_("PDF, PNG, JPEG or an Office file; its content must match its name."),
    )

    def __init__(self, *args, user=None, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Entitlement.objects.visible_to(user) if user is not None else None
        if visible is None or inspection is None:
            self.fields["entitlements"].queryset = Entitlement.objects.none()
        else:
            self.fields["entitlements"].queryset = visible.filter(
                body=inspection.body_id
            ).select_related("product")
