"""Tip pages: the public form and the tipster's return (no account, no JavaScript needed,
nothing about the visitor kept), and the officers' queue, tip page and rewards."""

from __future__ import annotations

import base64
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ipex.cases.models import Case
from ipex.core.errors import DomainError
from ipex.core.views import (
    VisibleListView,
    apply_domain_error,
    error_page,
    kept_pages,
    perform,
)
from ipex.tips import forms, queries, receipts, services, throttle
from ipex.tips.models import Tip
from ipex.tips.queries import TIPS, TipFilter, tips_for
from ipex.tips.services import tip_detail

RECEIPT_LIMIT = 10  # wrong receipts per client per window
RECEIPT_WINDOW = 15 * 60
SUBMIT_LIMIT = 20  # tips per client per hour
SUBMIT_WINDOW = 3600


def _private(response):
    """Pages with a receipt or a tipster's words: never cached, never named to another site."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _too_many(request):
    return _private(
        error_page(
            request,
            429,
            _("Too many attempts"),
            _("Too many attempts from here. Wait a quarter of an hour and try again."),
        )
    )


@never_cache
@kept_pages
def tip_new(request):
    """The public tip form."""
    jurisdictions = services.routable_jurisdictions()
    form = forms.TipForm(request.POST or None, request.FILES or None, jurisdictions=jurisdictions)
    if request.method == "POST":
        if throttle.exceeded(request, "submit", SUBMIT_LIMIT):
            return _too_many(request)
        if getattr(request, "upload_too_large", False):
            form.add_error("files", _("The files are larger than the upload limit."))
        elif form.is_valid():
            throttle.count(request, "submit", SUBMIT_WINDOW)
            try:
                tip, receipt, proof = services.tip_submit(
                    kind=form.cleaned_data["kind"],
                    jurisdiction=form.cleaned_data["jurisdiction"],
                    description=form.cleaned_data["description"],
                    contact=form.cleaned_data["contact"],
                    files=form.cleaned_data["files"],
                    language=get_language(),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                text = json.dumps(proof, indent=2)
                return _private(
                    render(
                        request,
                        "tips/submitted.html",
                        {
                            "receipt": receipts.display(receipt),
                            "proof": text,
                            "proof_href": "data:application/json;base64,"
                            + base64.b64encode(text.encode()).decode(),
                            "tip": tip,
                        },
                    )
                )
    return _private(
        render(request, "tips/new.html", {"form": form}, status=400 if form.errors else 200)
    )


def _status_page(request, tip, receipt, *, reply_form=None, claim_form=None, status=200):
    return _private(
        render(
            request,
            "tips/status.html",
            {
                "view": queries.tipster_view(tip),
                "receipt": receipt,
                "reply_form": reply_form or forms.ReplyForm(),
                "claim_form": claim_form or forms.ClaimForm(),
            },
            status=status,
        )
    )


def _tip_from_receipt(request):
    """(tip, receipt, response): the tip of the posted receipt, or the one answer every wrong
    receipt gets (or the throttle's)."""
    if throttle.exceeded(request, "receipt", RECEIPT_LIMIT):
        return None, "", _too_many(request)
    receipt = request.POST.get("receipt", "")
    tip = queries.tip_by_receipt(receipt)
    if tip is None:
        throttle.count(request, "receipt", RECEIPT_WINDOW)
        # The same page for every wrong receipt: nothing typed is echoed back.
        return (
            None,
            "",
            _private(
                render(
                    request,
                    "tips/lookup.html",
                    {
                        "form": forms.ReceiptForm(),
                        "error": _("No tip matches this receipt code. Check it and try again."),
                    },
                    status=404,
                )
            ),
        )
    return tip, receipt, None


@never_cache
def tip_status(request):
    """The tipster's return: the receipt is posted with every form, never put in a URL."""
    if request.method != "POST":
        return _private(render(request, "tips/lookup.html", {"form": forms.ReceiptForm()}))
    tip, receipt, refusal = _tip_from_receipt(request)
    if refusal:
        return refusal
    return _status_page(request, tip, receipt)


@require_POST
@never_cache
def tip_reply(request):
    def reply(tip, data):
        services.tipster_reply(tip=tip, body=data["body"], files=data["files"])

    return _tipster_form(
        request, "reply_form", lambda: forms.ReplyForm(request.POST, request.FILES), reply
    )


@require_POST
@never_cache
def tip_claim(request):
    def claim(tip, data):
        services.reward_claim(
            tip=tip, payment_identity=data["payment_identity"], reason=data["reason"]
        )
        tip.refresh_from_db()

    return _tipster_form(request, "claim_form", lambda: forms.ClaimForm(request.POST), claim)


def _tipster_form(request, form_name: str, make_form, save):
    """A form of the status page (``form_name``) that the tipster posts with the receipt:
    ``save(tip, cleaned_data)`` through the service and the status page again, or the page
    with the form's problems (400)."""
    tip, receipt, refusal = _tip_from_receipt(request)
    if refusal:
        return refusal
    form = make_form()
    if "files" in form.fields and getattr(request, "upload_too_large", False):
        form.add_error("files", _("The files are larger than the upload limit."))
    elif form.is_valid():
        try:
            save(tip, form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return _status_page(request, tip, receipt)
    return _status_page(request, tip, receipt, **{form_name: form}, status=400)


# ---------------------------------------------------------------- officers


class TipListView(VisibleListView):
    model = Tip
    template_name = "tips/tip_list.html"
    filterset_class = TipFilter

    queryset = TIPS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


@login_required
def tip_page(request, uuid):
    """One tip, opened: every opening is audited (a tip is a sensitive record)."""
    tip = get_object_or_404(tips_for(request.user), uuid=uuid)
    return render(request, "tips/tip_detail.html", tip_detail(request.user, tip))


def _act(request, tip) -> None:
    """The tip page's buttons: references typed by the officer are resolved here, through
    the one door; the step itself is the service's."""

    post = request.POST
    other, typed = None, post.get("duplicate_of", "").strip().lower()
    if len(typed) >= 8:  # the tip number shown on the pages: the uuid's first characters
        other = tips_for(request.user).filter(uuid__startswith=typed).first()
    case = Case.objects.visible_to(request.user).filter(reference=post.get("case", "").strip())
    services.tip_step(
        actor=request.user,
        tip=tip,
        step=post.get("step", ""),
        assessment=post.get("assessment", ""),
        duplicate_of=other,
        question=post.get("question", ""),
        case=case.first() if post.get("case") else None,
        outcome=post.get("outcome", ""),
        amount=post.get("amount", ""),
        payment_reference=post.get("payment_reference", ""),
        reason=post.get("reason", ""),
    )


@login_required
@require_POST
def tip_act(request, uuid):
    tip = get_object_or_404(tips_for(request.user), uuid=uuid)
    perform(request, lambda: _act(request, tip), _("Saved."))
    return redirect("tip-detail", uuid=tip.uuid)


@login_required
@require_POST
def reward_identity(request, uuid):
    """The approver, paying, sees the sealed payment identity; the view is audited."""
    tip = get_object_or_404(tips_for(request.user), uuid=uuid)
    reward = queries.reward_of(tip)
    if reward is None:
        raise Http404
    try:
        identity = services.reward_payment_identity(actor=request.user, reward=reward)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("tip-detail", uuid=tip.uuid)
    context = tip_detail(request.user, tip)
    context["payment_identity"] = identity
    return _private(render(request, "tips/tip_detail.html", context))


@login_required
def tip_file(request, uuid, file_uuid, variant):
    """An attachment through its tip: officers get the metadata-free copy of a photo; the
    original is kept as evidence and downloaded on purpose. Every download is audited."""
    tip = get_object_or_404(tips_for(request.user), uuid=uuid)
    attachment = get_object_or_404(tip.attachments, uuid=file_uuid)
    if variant not in {"clean", "original"} or (
        variant == "clean" and not attachment.has_clean_copy
    ):
        raise Http404
    data = services.attachment_file(actor=request.user, attachment=attachment, variant=variant)
    response = HttpResponse(data, content_type=attachment.content_type)
    disposition = "inline" if variant == "clean" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{attachment.uuid}.{variant}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def reward_list(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    return render(
        request,
        "tips/reward_list.html",
        {
            "rewards": queries.rewards_for(request.user),
            "report": services.payout_report(request.user, year),
            "year": year,
            "schedules": queries.reward_schedules(),
            "budgets": queries.reward_budgets_for(request.user),
        },
    )
