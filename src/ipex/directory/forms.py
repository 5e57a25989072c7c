from __future__ import annotations

import operator

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from ipex.core.forms import VisibleFormMixin, VisibleModelChoiceField
from ipex.core.models import Distribution
from ipex.directory.models import (
    Jurisdiction,
    JurisdictionLevel,
    Organisation,
    OrgKind,
    Role,
    SharingGroup,
    User,
)

NAME = operator.attrgetter("name")


def own_organisations(form, user, field: str = "owner_org") -> None:
    """A record is created for one of the user's own organisations: the field offers those."""
    choices = form.fields[field]
    choices.queryset = choices.queryset.filter(pk__in=[o.pk for o in user.organisations])


def distribution_field(initial: str = Distribution.ORG) -> forms.ChoiceField:
    """Who may see the record a form creates: one of the distribution levels."""
    return forms.ChoiceField(
        label=_("Who may see it"), choices=Distribution.choices, initial=initial
    )


def sharing_group_field(label=None) -> VisibleModelChoiceField:
    """The group a new record is shared with (optional): one the user may see."""
    return VisibleModelChoiceField(SharingGroup, label=label or _("Sharing group"), required=False)


class BootstrapMixin:
    """Bootstrap classes on every widget, and aria-invalid on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_errors"


class OwnOrganisationForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    """A form whose first field, ``owner_org`` (labelled ``owner_label``), is one of the
    user's own organisations: the one a new record is created for. ``Form(data, user=…)``."""

    owner_label = _("Organisation")
    owner_org = VisibleModelChoiceField(Organisation, slug_field="code", label_from=NAME)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["owner_org"].label = self.owner_label
        own_organisations(self, user)


class CodeChoiceField(VisibleModelChoiceField):
    """A record typed by its code (e.g. CN-GD), through the door (the form binds the user);
    an unknown or hidden code gets the same error, naming the code the user typed."""

    widget = forms.TextInput
    model = None
    unknown = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(self.model, slug_field="code", **kwargs)

    def to_python(self, value):
        value = (value or "").strip().upper()
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(self.unknown, params={"code": value}) from exc


class JurisdictionChoiceField(CodeChoiceField):
    model = Jurisdiction
    unknown = _("There is no jurisdiction with code %(code)s.")


class OrganisationChoiceField(CodeChoiceField):
    model = Organisation
    unknown = _("There is no organisation with code %(code)s.")


class OrganisationForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Capital letters, digits and hyphens, e.g. CN-GD-CB."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    jurisdiction = JurisdictionChoiceField(
        label=_("Jurisdiction code"), help_text=_("e.g. CN, CN-GD")
    )
    supervisor = OrganisationChoiceField(label=_("Supervising organisation (code)"), required=False)


class OrganisationEditForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    jurisdiction = JurisdictionChoiceField(label=_("Jurisdiction code"))
    is_active = forms.BooleanField(label=_("Active"), required=False)


class JurisdictionForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    parent = JurisdictionChoiceField(label=_("Part of (code)"), help_text=_("e.g. CN-GD"))
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. CN-GD-SZ"))
    level = forms.ChoiceField(label=_("Level"), choices=JurisdictionLevel.choices)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class UserCreateForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    organisation = OrganisationChoiceField(label=_("Organisation (code)"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_(
            "Leave empty to let the user choose one through 'Forgot your password?' on the "
            "sign-in page."
        ),
    )


class MembershipForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    organisation = OrganisationChoiceField(label=_("Organisation (code)"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ProfileForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Follow the browser"))] + list(settings.LANGUAGES),
        required=False,
    )


class TokenForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'statistics export'."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"), min_value=1, max_value=3650, required=False
    )


class SharingGroupForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner_org = VisibleModelChoiceField(
        Organisation, slug_field="code", label=_("Owner organisation")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        own_organisations(self, user)


class GroupMemberForm(VisibleFormMixin, BootstrapMixin, forms.Form):
    organisation = OrganisationChoiceField(label=_("Organisation (code)"))


class RolePolicyForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = policies or {}
        for value, label in Role.choices:
            self.fields[f"totp_{value}"] = forms.BooleanField(
                label=label, required=False, initial=current.get(value, False)
            )


class OtpForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        return code


class OwnPasswordMixin:
    """The user sets their own password (signed in, or through a reset link): the audit entry
    names them (``User.save``)."""

    def save(self, commit=True):
        self.user.password_changed_by = self.user
        return super().save(commit)


class PasswordChangeForm(OwnPasswordMixin, BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    def get_users(self, email):
        """Also accounts created without a password: that is how new users choose theirs."""

        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class SetPasswordForm(OwnPasswordMixin, BootstrapMixin, auth_forms.SetPasswordForm):
    pass
