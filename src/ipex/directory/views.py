"""Directory pages: organisations, jurisdictions, users, sharing groups, account, second factor."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST

from ipex.core.errors import DomainError
from ipex.core.views import (
    VisibleDetailView,
    VisibleListView,
    apply_domain_error,
    create_view,
    error_page,
    form_page,
    next_or,
    perform,
    perform_form,
    record_button,
)
from ipex.directory import forms, services
from ipex.directory.api import JurisdictionFilter, OrganisationFilter
from ipex.directory.models import (
    ApiToken,
    Jurisdiction,
    Membership,
    Organisation,
    Role,
    RolePolicy,
    SharingGroup,
    User,
)


def node_admin_required(view):
    """Pages for node administrators; anyone else gets the same 404 as a missing page."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_node_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["username"].label = _("E-mail address")
        form.fields["username"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "username", "autofocus": True}
        )
        form.fields["password"].widget.attrs.update({"class": "form-control"})
        return form


# ---------------------------------------------------------------- organisations


class OrganisationListView(VisibleListView):
    model = Organisation
    queryset = Organisation.objects.select_related("jurisdiction")
    filterset_class = OrganisationFilter
    template_name = "directory/organisation_list.html"


class OrganisationDetailView(VisibleDetailView):
    model = Organisation
    context_object_name = "org"

    def record_context(self, org, user) -> dict:
        return {
            "supervisor": org.supervisor,
            "subordinates": (
                Organisation.objects.visible_to(user)
                .within(org)
                .filter(depth=org.depth + 1)
                .select_related("jurisdiction")
            ),
            "members": (
                Membership.objects.filter(organisation=org, user__in=User.objects.visible_to(user))
                .select_related("user")
                .order_by("user__email", "role")
            ),
        }


@node_admin_required
def organisation_create(request):
    return form_page(
        request,
        forms.OrganisationForm(request.POST or None, user=request.user),
        lambda data: services.organisation_create(actor=request.user, **data),
        title=_("New organisation"),
        detail="organisation-detail",
        success=lambda org: _("Organisation %(code)s created.") % {"code": org.code},
    )


@node_admin_required
def organisation_edit(request, uuid):
    org = get_object_or_404(Organisation.objects.visible_to(request.user), uuid=uuid)
    initial = {
        "kind": org.kind,
        "name_en": org.name_en,
        "name_zh_hans": org.name_zh_hans,
        "name_ru": org.name_ru,
        "jurisdiction": org.jurisdiction.code,
        "is_active": org.is_active,
    }
    return form_page(
        request,
        forms.OrganisationEditForm(request.POST or None, initial=initial, user=request.user),
        lambda data: services.organisation_update(actor=request.user, organisation=org, **data),
        title=_("Edit %(name)s") % {"name": org.name},
        detail="organisation-detail",
        success=_("Changes saved."),
    )


# ---------------------------------------------------------------- jurisdictions


class JurisdictionListView(VisibleListView):
    model = Jurisdiction
    filterset_class = JurisdictionFilter
    template_name = "directory/jurisdiction_list.html"

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.GET:
            queryset = queryset.filter(depth=1)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.request.GET.get("within")
        area = Jurisdiction.objects.filter(code=(code or "").upper()).first()
        context["area"] = area
        context["ancestors"] = [*Jurisdiction.objects.get_ancestors(area), area] if area else []
        return context


@node_admin_required
def jurisdiction_create(request):
    form = forms.JurisdictionForm(
        request.POST or None, initial={"parent": request.GET.get("parent")}, user=request.user
    )
    return form_page(
        request,
        form,
        lambda data: services.jurisdiction_add(actor=request.user, **data),
        title=_("New jurisdiction"),
        detail=lambda area: (
            f"{reverse('jurisdiction-list')}?within={form.cleaned_data['parent'].code}"
        ),
        success=lambda area: _("Jurisdiction %(code)s added.") % {"code": area.code},
    )


# ---------------------------------------------------------------- users


@method_decorator(node_admin_required, name="dispatch")
class UserListView(VisibleListView):
    model = User
    template_name = "directory/user_list.html"

    def get_queryset(self):
        return (
            super().get_queryset().prefetch_related("memberships__organisation").order_by("email")
        )


class UserDetailView(VisibleDetailView):
    model = User
    context_object_name = "person"

    def record_context(self, person, user) -> dict:
        return {
            "memberships": person.memberships.select_related("organisation"),
            "membership_form": forms.MembershipForm() if user.is_node_admin else None,
        }


@node_admin_required
def user_create(request):
    def save(data):
        with transaction.atomic():
            user = services.user_create(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"] or None,
            )
            services.membership_grant(
                actor=request.user,
                user=user,
                organisation=data["organisation"],
                role=data["role"],
            )
        return user

    return form_page(
        request,
        forms.UserCreateForm(request.POST or None, user=request.user),
        save,
        title=_("New user"),
        detail="user-detail",
        success=lambda user: _("User %(email)s created.") % {"email": user.email},
    )


on_user = record_button(User.objects.visible_to, "user-detail")


@require_POST
@node_admin_required
@on_user
def membership_grant(request, person):
    perform_form(
        request,
        forms.MembershipForm(request.POST, user=request.user),
        lambda data: services.membership_grant(actor=request.user, user=person, **data),
        _("Role granted."),
    )


@require_POST
@node_admin_required
@on_user
def membership_revoke(request, person, membership_id):
    membership = get_object_or_404(person.memberships, pk=membership_id)
    perform(
        request,
        lambda: services.membership_revoke(actor=request.user, membership=membership),
        _("Role removed."),
    )


@require_POST
@node_admin_required
@on_user
def user_set_active(request, person):
    active = request.POST.get("active") == "1"
    perform(
        request,
        lambda: services.user_set_active(actor=request.user, user=person, active=active),
        _("Account reactivated.") if active else _("Account deactivated."),
    )


@node_admin_required
def role_policies(request):
    current = dict(RolePolicy.objects.values_list("role", "require_totp"))
    form = forms.RolePolicyForm(request.POST or None, policies=current)
    if request.method == "POST" and form.is_valid():
        for value in Role.values:
            services.role_policy_set(
                actor=request.user, role=value, require_totp=form.cleaned_data[f"totp_{value}"]
            )
        messages.success(request, _("Role policies saved."))
        return redirect("role-policies")
    return render(request, "directory/role_policies.html", {"form": form})


# ---------------------------------------------------------------- sharing groups


class SharingGroupListView(VisibleListView):
    model = SharingGroup
    queryset = SharingGroup.objects.select_related("owner_org")
    template_name = "directory/sharing_group_list.html"


class SharingGroupDetailView(VisibleDetailView):
    model = SharingGroup
    template_name = "directory/sharing_group_detail.html"
    context_object_name = "group"

    def record_context(self, group, user) -> dict:
        return {
            "members": group.members.select_related("organisation", "node"),
            "member_form": forms.GroupMemberForm(),
        }


sharing_group_create = create_view(
    forms.SharingGroupForm,
    services.sharing_group_create,
    title=gettext_lazy("New sharing group"),
    detail="sharing-group-detail",
    success=gettext_lazy("Sharing group created."),
)


on_sharing_group = record_button(SharingGroup.objects.visible_to, "sharing-group-detail")


@require_POST
@login_required
@on_sharing_group
def sharing_group_member_add(request, group):
    perform_form(
        request,
        forms.GroupMemberForm(request.POST, user=request.user),
        lambda data: services.sharing_group_add_member(
            actor=request.user, group=group, organisation=data["organisation"]
        ),
        _("Member added."),
    )


@require_POST
@login_required
@on_sharing_group
def sharing_group_member_remove(request, group, member_id):
    member = get_object_or_404(group.members, pk=member_id)
    perform(
        request,
        lambda: services.sharing_group_remove_member(actor=request.user, member=member),
        _("Member removed."),
    )


# ---------------------------------------------------------------- account


@login_required
def profile(request):
    user = request.user
    form = forms.ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "language": user.language}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("profile")
    return render(request, "directory/profile.html", {"form": form})


@login_required
def tokens(request):
    form = forms.TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created = services.token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            form = forms.TokenForm()
    return render(
        request,
        "directory/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.visible_to(request.user),
        },
    )


@require_POST
@login_required
def token_revoke(request, uuid):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), uuid=uuid)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("tokens")


@method_decorator(login_required, name="dispatch")
class OtpView(View):
    """Enrol (scan a QR code, confirm a code) or verify a TOTP second factor."""

    template_name = "registration/otp.html"

    def get(self, request):
        return self.render(request, forms.OtpForm())

    def post(self, request):
        form = forms.OtpForm(request.POST)
        if form.is_valid():
            try:
                services.totp_verify(request=request, code=form.cleaned_data["code"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                return redirect(next_or(request, "home"))
        return self.render(request, form)

    def render(self, request, form):
        device = services.totp_device_for(request.user)
        context = {
            "form": form,
            "enrolling": not device.confirmed,
            "next": request.GET.get("next", ""),
        }
        if not device.confirmed:
            context["secret"] = base64.b32encode(device.bin_key).decode("ascii")
            context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        return render(request, self.template_name, context)


def logout_view(request):
    """GET shows a confirmation; POST signs out (Django 5 refuses GET for logout)."""
    if request.method == "POST":
        return auth_views.LogoutView.as_view()(request)
    return render(request, "registration/logout_confirm.html")


@require_http_methods(["GET", "POST"])
def set_language(request):
    """Switch language: remembered on the account when signed in (a POST, with its CSRF
    token), in a cookie otherwise. A visitor's pages carry no CSRF token, so that a kept copy
    is served without minting one for each reader (``core.views.kept_page``): their form
    switches with a GET, which only ever sets the cookie."""
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("language", "")
    codes = {c for c, _name in settings.LANGUAGES}
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if code not in codes:
        return error_page(
            request,
            400,
            _("Unknown language"),
            _("The language %(code)s is not offered; choose one of: %(codes)s.")
            % {"code": code or "—", "codes": ", ".join(sorted(codes))},
        )
    if request.user.is_authenticated:
        if request.method != "POST":
            # The account's language wins over the cookie: a GET (a visitor's form, sent after
            # signing in elsewhere) would seem to do nothing, so it says what to do.
            messages.info(
                request, _("Your language is kept on your account: choose it again here.")
            )
            return HttpResponseRedirect(next_url)
        services.user_update_profile(actor=request.user, user=request.user, language=code)
    translation.activate(code)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
