"""Software-legalisation pages: thin views over the queries and the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipex.compliance import forms, queries, services
from ipex.compliance.inventories import inventory_import
from ipex.compliance.models import NormalisationRule, Product, SelfReport, is_curator
from ipex.core.errors import DomainError
from ipex.core.views import VisibleListView, apply_domain_error, form_view, perform_form

# ---------------------------------------------------------------- bodies


class BodyListView(VisibleListView):
    model = queries.BODIES.model
    queryset = queries.BODIES
    template_name = "compliance/body_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["administers"] = bool(queries.administrations_of(self.request.user))
        context["curator"] = is_curator(self.request.user)
        return context


def _body(request, uuid):
    return get_object_or_404(queries.BODIES.visible_to(request.user), uuid=uuid)


@login_required
def body_page(request, uuid):
    body = _body(request, uuid)
    return render(request, "compliance/body_detail.html", _body_context(request, body))


def _body_context(request, body, **extra) -> dict:
    return {
        "body": body,
        "obligations": body.obligations.order_by("-year"),
        "year_form": forms.YearForm(),
        "administers": bool(queries.administrations_of(request.user)),
        "inventories": body.inventories.all()[:20],
        "device_years": queries.device_years(body),
        "reconciliations": queries.body_reconciliations(body),
        "inventory_form": forms.InventoryForm(),
        "entitlements": body.entitlements.select_related("product")[:50],
        "entitlement_form": forms.EntitlementForm(user=request.user),
        "entitlement_import_form": forms.EntitlementImportForm(),
        "self_reports": body.self_reports.all(),
        "self_report_form": forms.SelfReportForm(),
        "return_form": forms.ReturnReasonForm(),
        "inspections": body.inspections.all(),
        "inspection_form": forms.InspectionPlanForm(),
        **extra,
    }


def _body_form(request, body, form, key: str, save, success):
    """A form of the body's page saved by a service: back to the page with ``success``, or
    the page again (400) with the refusal beside the fields."""
    if form.is_valid():
        try:
            outcome = save(form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, success(outcome))
            return redirect("compliance-body", uuid=body.uuid)
    context = _body_context(request, body, **{key: form})
    return render(request, "compliance/body_detail.html", context, status=400)


@login_required
@require_POST
def body_entitlement(request, uuid):
    body = _body(request, uuid)
    form = forms.EntitlementForm(request.POST, request.FILES, user=request.user)
    return _body_form(
        request,
        body,
        form,
        "entitlement_form",
        lambda data: services.entitlement_add(actor=request.user, body=body, **data),
        lambda _entitlement: _("Entitlement recorded."),
    )


@login_required
@require_POST
def body_self_report(request, uuid):
    body = _body(request, uuid)
    form = forms.SelfReportForm(request.POST)
    return _body_form(
        request,
        body,
        form,
        "self_report_form",
        lambda data: services.selfreport_submit(actor=request.user, body=body, **data),
        lambda report: _("Self-report for %(year)s submitted.") % {"year": report.year},
    )


@login_required
@require_POST
def self_report_decide(request, uuid, decision):
    if decision not in ("approve", "return"):
        raise Http404
    report = get_object_or_404(SelfReport.objects.visible_to(request.user), uuid=uuid)
    body = report.body
    if decision == "approve":
        form = forms.YearForm({"year": report.year})
        save, done = (
            lambda _data: services.selfreport_approve(actor=request.user, report=report),
            _("Self-report approved."),
        )
    else:
        form = forms.ReturnReasonForm(request.POST)
        save, done = (
            lambda data: services.selfreport_return(
                actor=request.user, report=report, reason=data["reason"]
            ),
            _("Self-report returned to the body."),
        )
    return _body_form(request, body, form, "return_form", save, lambda _report: done)


@login_required
@require_POST
def body_entitlements_import(request, uuid):
    body = _body(request, uuid)
    form = forms.EntitlementImportForm(request.POST, request.FILES)
    return _body_form(
        request,
        body,
        form,
        "entitlement_import_form",
        lambda data: services.entitlements_import(
            actor=request.user, body=body, fileobj=data["fileobj"]
        ),
        lambda added: _("%(count)s entitlements imported.") % {"count": added},
    )


@login_required
@require_POST
def body_inventory(request, uuid):
    body = _body(request, uuid)
    form = forms.InventoryForm(request.POST, request.FILES)
    return _body_form(
        request,
        body,
        form,
        "inventory_form",
        lambda data: inventory_import(
            actor=request.user,
            body=body,
            fileobj=data["fileobj"],
            file_name=data["fileobj"].name,
            year=data["year"],
            fmt=data["fmt"] or None,
        ),
        lambda result: result.message,
    )


@login_required
@require_POST
def body_obligation(request, uuid):
    body = _body(request, uuid)
    form = forms.YearForm(request.POST)
    perform_form(
        request,
        form,
        lambda data: services.obligation_add(actor=request.user, body=body, year=data["year"]),
        _("Added to the list."),
    )
    return redirect("compliance-body", uuid=body.uuid)


body_new = form_view(
    forms.BodyForm,
    services.body_register,
    title=gettext_lazy("Register an audited body"),
    detail=lambda body: reverse("compliance-body", args=[body.uuid]),
)
obligations_import = form_view(
    forms.ObligationImportForm,
    services.obligations_import,
    title=gettext_lazy("Import the list of bodies that must report"),
    detail=lambda _outcome: reverse("compliance-home"),
    success=lambda outcome: (
        _("%(added)s bodies added to the list (%(registered)s newly registered).") % outcome
    ),
)


# ---------------------------------------------------------------- catalogue and rules


class ProductListView(VisibleListView):
    model = Product
    queryset = Product.objects.all()
    template_name = "compliance/product_list.html"
    extra_context = {"title": gettext_lazy("Product catalogue")}


product_new = form_view(
    forms.ProductForm,
    services.product_create,
    title=gettext_lazy("Add a product"),
    detail=lambda _product: reverse("compliance-products"),
)


class RuleListView(VisibleListView):
    model = NormalisationRule
    queryset = NormalisationRule.objects.select_related("product")
    template_name = "compliance/rule_list.html"


rule_new = form_view(
    forms.RuleForm,
    services.rule_create,
    title=gettext_lazy("Add a normalisation rule"),
    detail=lambda _rule: reverse("compliance-rules"),
)


class UnmatchedListView(VisibleListView):
    """Raw strings no rule names, most frequent first: curators only (404 for others)."""

    model = queries.UNMATCHED.model
    queryset = queries.UNMATCHED
    template_name = "compliance/unmatched_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_curator(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["map_form"] = forms.MapForm(user=self.request.user)
        return context


@login_required
@require_POST
def unmatched_map(request, uuid):
    raw = get_object_or_404(queries.UNMATCHED.visible_to(request.user), uuid=uuid)
    form = forms.MapForm(request.POST, user=request.user)
    perform_form(
        request,
        form,
        lambda data: services.unmatched_map(actor=request.user, raw=raw, **data),
        _("Mapped: a rule now names “%(name)s” for every body.") % {"name": raw.name},
    )
    return redirect("compliance-unmatched")
