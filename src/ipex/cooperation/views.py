"""Pages for agreements, meetings and joint operations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipex.cooperation import queries, results, services
from ipex.cooperation.forms import AgreementForm, AgreementTermsForm, MeetingForm, OperationForm
from ipex.cooperation.models import ItemStatus, LinkKind
from ipex.cooperation.services import links
from ipex.core.permissions import can_write
from ipex.core.views import VisibleListView, create_view, form_page, perform
from ipex.core.visibility import UnknownRecord, resolve_visible


class AgreementListView(VisibleListView):
    model = queries.Agreement
    queryset = queries.AGREEMENTS
    template_name = "cooperation/agreement_list.html"


class MeetingListView(VisibleListView):
    model = queries.Meeting
    queryset = queries.MEETINGS
    template_name = "cooperation/meeting_list.html"


class OperationListView(VisibleListView):
    model = queries.JointOperation
    queryset = queries.OPERATIONS
    template_name = "cooperation/operation_list.html"


agreement_new = create_view(
    AgreementForm,
    services.agreement_create,
    title=gettext_lazy("New agreement"),
    detail="agreement-detail",
    success=gettext_lazy("Recorded."),
)
operation_new = create_view(
    OperationForm,
    services.operation_create,
    title=gettext_lazy("New joint operation"),
    detail="jointoperation-detail",
    success=gettext_lazy("Recorded."),
)
meeting_new = create_view(
    MeetingForm,
    services.meeting_create,
    title=gettext_lazy("New meeting"),
    detail="meeting-detail",
    success=gettext_lazy("Recorded."),
)


@login_required
def agreement_page(request, uuid):
    agreement = get_object_or_404(queries.AGREEMENTS.visible_to(request.user), uuid=uuid)
    context = {"agreement": agreement, "record": agreement}
    context["shared"] = queries.agreement_counts(agreement)
    context["can_change"] = can_write(request.user, agreement)
    return render(request, "cooperation/agreement_detail.html", context)


@login_required
def agreement_edit(request, uuid):
    """The recording party changes the term, scope or documents; the service refuses anyone
    else (a party that did not record it sees the agreement but cannot change it)."""
    agreement = get_object_or_404(queries.AGREEMENTS.visible_to(request.user), uuid=uuid)
    initial = {
        "ends_on": agreement.ends_on,
        "scope": agreement.scope,
        "documents": "\n".join(
            "; ".join(filter(None, (d["language"], d["title"], d.get("url"))))
            for d in agreement.documents
        ),
    }
    form = AgreementTermsForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.agreement_update(actor=request.user, agreement=agreement, **data),
        title=_("Change the agreement"),
        detail="agreement-detail",
        success=_("Changed."),
    )


@login_required
def meeting_page(request, uuid):
    meeting = get_object_or_404(queries.MEETINGS.visible_to(request.user), uuid=uuid)
    if request.method == "POST":
        item = get_object_or_404(meeting.items, uuid=request.POST.get("item", ""))
        perform(
            request,
            lambda: services.item_update(
                actor=request.user,
                item=item,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            ),
            _("Updated."),
        )
        return redirect("meeting-detail", uuid=meeting.uuid)
    mine = {o.pk for o in request.user.organisations if o.origin_node.is_local}
    items = queries.items_of([meeting])
    for item in items:
        item.mine = item.owner_id in mine
    context = {"meeting": meeting, "record": meeting, "items": items, "statuses": ItemStatus}
    return render(request, "cooperation/meeting_detail.html", context)


def _link_step(request, operation):
    kind, step = request.POST.get("kind", ""), request.POST.get("step", "")
    if kind not in LinkKind.values:
        return lambda: links.operation_link(actor=request.user, operation=operation, kind="")
    try:
        record = resolve_visible(links.MODELS[kind], request.user, request.POST.get("record"))
    except UnknownRecord:
        record = None
    service = links.operation_unlink if step == "unlink" else links.operation_link
    return lambda: service(actor=request.user, operation=operation, kind=kind, record=record)


@login_required
def operation_page(request, uuid):
    operation = get_object_or_404(queries.OPERATIONS.visible_to(request.user), uuid=uuid)
    if request.method == "POST":
        perform(request, _link_step(request, operation), _("The figures are updated."))
        return redirect("jointoperation-detail", uuid=operation.uuid)
    context = {
        "operation": operation,
        "record": operation,
        "results": results.combined(operation),
        "rows": results.figure_rows,
        "kinds": LinkKind,
    }
    context["total_rows"] = results.figure_rows(context["results"]["total"])
    return render(request, "cooperation/operation_detail.html", context)


REPORT_LANGUAGES = {"en": "en", "zh-hans": "zh-hans", "ru": "ru"}


@login_required
def operation_report(request, uuid, language):
    """The closing report, in English, Chinese or Russian whatever the reader's language."""
    operation = get_object_or_404(queries.OPERATIONS.visible_to(request.user), uuid=uuid)
    if language not in REPORT_LANGUAGES:
        return get_object_or_404(queries.OPERATIONS.none())
    combined = results.combined(operation)
    with translation.override(REPORT_LANGUAGES[language]):
        return render(
            request,
            "cooperation/operation_report.html",
            {
                "operation": operation,
                "results": combined,
                "total_rows": results.figure_rows(combined["total"]),
                "org_rows": [
                    (row, results.figure_rows(row["figures"])) for row in combined["organisations"]
                ],
                "report_language": REPORT_LANGUAGES[language],
            },
        )
