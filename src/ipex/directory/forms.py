from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from ipex.directory.models import Jurisdiction, JurisdictionLevel, Organisation, OrgKind, Role


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


class CodeChoiceField(forms.CharField):
    """A record by its code (e.g. CN-GD), with a clear error for an unknown one."""

    model: type
    unknown_message = ""  # with %(code)s

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = self.model.objects.filter(code=value.strip().upper()).first()
        if found is None:
            raise forms.ValidationError(self.unknown_message, params={"code": value})
        return found


class JurisdictionChoiceField(CodeChoiceField):
    model = Jurisdiction
    unknown_message = _("There is no jurisdiction with code %(code)s.")


class OrganisationChoiceField(CodeChoiceField):
    model = Organisation
    unknown_message = _("There is no organisation with code %(code)s.")


class OrganisationForm(BootstrapMixin, forms.Form):
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


class OrganisationEditForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    jurisdiction = JurisdictionChoiceField(label=_("Jurisdiction code"))
    is_active = forms.BooleanField(label=_("Active"), required=False)


class JurisdictionForm(BootstrapMixin, forms.Form):
    parent = JurisdictionChoiceField(label=_("Part of (code)"), help_text=_("e.g. CN-GD"))
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. CN-GD-SZ"))
    level = forms.ChoiceField(label=_("Level"), choices=JurisdictionLevel.choices)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh_hans = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class UserCreateForm(BootstrapMixin, forms.Form):
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


class MembershipForm(BootstrapMixin, forms.Form):
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


class SharingGroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner_org = forms.ChoiceField(label=_("Owner organisation"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].choices = [(o.code, str(o)) for o in user.organisations]

    def clean_owner_org(self):
        return Organisation.objects.get(code=self.cleaned_data["owner_org"])


class GroupMemberForm(BootstrapMixin, forms.Form):
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


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    def get_users(self, email):
        """Also accounts created without a password: that is how new users choose theirs."""
        from ipex.directory.models import User

        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    pass
