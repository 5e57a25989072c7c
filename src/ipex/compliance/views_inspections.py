"""Inspection pages: planned from the body's page, then one page per inspection with a form
for each step (thin views over ``services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipex.compliance import forms, services
from ipex.compliance.models import BodyCompliance, Inspection, ProductCompliance
from ipex.compliance.services.entitlements import proof_dir
from ipex.compliance.views import _body, _body_form
from ipex.core.errors import DomainError
from ipex.core.views import apply_domain_error

# step: (its form, None when it takes none; its service; the message once done)
STEPS = {
    "draw": (forms.DrawForm, services.inspection_draw, gettext_lazy("Sample drawn.")),
    "finding": (forms.FindingForm, services.finding_record, gettext_lazy("Finding recorded.")),
    "conclude": (
        forms.ConcludeForm,
        services.inspection_conclude,
        gettext_lazy("Inspection concluded."),
    ),
    "rectify": (forms.AnswerForm, services.inspection_rectify, gettext_lazy("Answer sent.")),
    "follow-up": (None, services.inspection_follow_up, gettext_lazy("Inspection closed.")),
}


def _inspection(request, uuid):
    queryset = Inspection.objects.visible_to(request.user).select_related(
        "body__organisation", "administration"
    )
    return get_object_or_404(queryset, uuid=uuid)


def _forms(request, inspection, **bound) -> dict:
    return {
        "draw_form": bound.get("draw") or forms.DrawForm(),
        "finding_form": bound.get("finding") or forms.FindingForm(user=request.user),
        "conclude_form": bound.get("conclude") or forms.ConcludeForm(),
        "rectify_form": bound.get("rectify")
        or forms.AnswerForm(user=request.user, inspection=inspection),
    }


def _form_extra(request, form_class, inspection) -> dict:
    if form_class is forms.FindingForm:
        return {"user": request.user}
    if form_class is forms.AnswerForm:
        return {"user": request.user, "inspection": inspection}
    return {}


@login_required
def inspection_page(request, uuid, status=200, **bound):
    """The inspection and its steps; once the body answered, its proof (entitlements linked,
    files) and the body's reconciliation of the year as it stands, for the follow-up."""
    inspection = _inspection(request, uuid)
    found = inspection.findings.values_list("product", flat=True)
    context = {
        "inspection": inspection,
        "findings": inspection.findings.select_related("product"),
        "proofs": inspection.proofs.select_related("entitlement__product"),
        "compliance": BodyCompliance.objects.visible_to(request.user)
        .filter(body=inspection.body, year=inspection.year)
        .first(),
        "product_lines": ProductCompliance.objects.visible_to(request.user)
        .filter(body=inspection.body, year=inspection.year, product__in=found)
        .select_related("product"),
        **_forms(request, inspection, **bound),
    }
    return render(request, "compliance/inspection_detail.html", context, status=status)


@login_required
def inspection_proof(request, uuid, proof_uuid):
    """A proof file of the body's answer, through the inspection (the one door): whoever may
    not see the inspection gets a 404."""
    inspection = _inspection(request, uuid)
    proof = get_object_or_404(inspection.proofs.exclude(file_name=""), uuid=proof_uuid)
    path = proof_dir() / str(proof.uuid)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=proof.file_name,
        content_type=proof.file_type or "application/octet-stream",
    )


@login_required
@require_POST
def inspection_step(request, uuid, step):
    if step not in STEPS:
        raise Http404
    inspection = _inspection(request, uuid)
    form_class, service, done = STEPS[step]
    form = None
    if form_class is not None:
        extra = _form_extra(request, form_class, inspection)
        form = form_class(request.POST, request.FILES, **extra)
    data = {} if form is None else (form.cleaned_data if form.is_valid() else None)
    if data is not None:
        try:
            service(actor=request.user, inspection=inspection, **data)
        except DomainError as exc:
            if form is None:
                raise
            apply_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("compliance-inspection", uuid=inspection.uuid)
    return inspection_page(request, uuid, status=400, **{step: form})


@login_required
@require_POST
def body_inspection(request, uuid):
    body = _body(request, uuid)
    return _body_form(
        request,
        body,
        forms.InspectionPlanForm(request.POST),
        "inspection_form",
        lambda data: services.inspection_plan(actor=request.user, body=body, **data),
        lambda _inspection: _("Inspection planned."),
    )
