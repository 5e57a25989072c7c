from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.core.forms import PlainSelect
from ipex.directory.forms import BootstrapMixin
from ipex.tips.models import Assessment, TipKind, TipOutcome


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class TipForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What is it about?"), choices=TipKind.choices)
    jurisdiction = forms.ChoiceField(label=_("Where?"), widget=PlainSelect)
    description = forms.CharField(
        label=_("What did you see?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Places, times, names of shops or websites, what is being copied."),
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        required=False,
        max_length=500,
        help_text=_(
            "Leave it empty to stay fully anonymous; you can still follow the tip "
            "with your receipt."
        ),
    )
    files = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_(
            "Up to 5 files: JPEG, PNG or PDF. Photo metadata such as location is "
            "removed before officers see them."
        ),
    )

    def __init__(self, *args, jurisdictions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [("", "—")] + [
            (j.code, "\u2003" * max(0, j.depth - 1) + j.name) for j in jurisdictions
        ]


class ReceiptForm(BootstrapMixin, forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class ReplyForm(BootstrapMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(label=_("More photos or documents"), required=False)


class ClaimForm(BootstrapMixin, forms.Form):
    payment_identity = forms.CharField(
        label=_("How should the reward be paid to you?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "e.g. the name and number of a bank account. It is sealed and shown only "
            "to the person who pays the reward."
        ),
    )
    reason = forms.CharField(
        label=_("Why should the decision be reconsidered? (after a rejection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ASSESSMENTS = Assessment.choices
OUTCOMES = TipOutcome.choices
