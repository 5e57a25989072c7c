"""Pages for alerts and requests for assistance (the partner pages are in views.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ipex.assistance import services as assistance
from ipex.assistance.models import Alert, AlertPriority, AssistanceRequest, MessageKind
from ipex.cases.models import Case
from ipex.core.forms import VisibleModelChoiceField
from ipex.core.models import Distribution
from ipex.core.permissions import can_write
from ipex.core.views import VisibleListView, create_view, perform
from ipex.directory.forms import OwnOrganisationForm, distribution_field, sharing_group_field
from ipex.directory.models import Organisation


class AlertForm(OwnOrganisationForm):
    owner_label = pgettext_lazy("sender", "From")
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"), choices=AlertPriority.choices, initial="normal"
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires"), widget=forms.DateInput(attrs={"type": "date"})
    )
    distribution = distribution_field(Distribution.GROUP)
    sharing_group = sharing_group_field()


class RequestForm(OwnOrganisationForm):
    owner_label = pgettext_lazy("sender", "From")
    recipient = VisibleModelChoiceField(Organisation, slug_field="code", label=gettext_lazy("Ask"))
    subject = forms.CharField(
        label=pgettext_lazy("request for assistance", "Subject"), max_length=200
    )
    body = forms.CharField(
        label=gettext_lazy("Questions"), widget=forms.Textarea(attrs={"rows": 5})
    )
    case = VisibleModelChoiceField(
        "cases.Case",
        label=gettext_lazy("Case"),
        required=False,
        label_from=lambda c: f"{c.reference} · {c.title}",
    )
    sharing_group = sharing_group_field(
        gettext_lazy("Share with (default: the two organisations only)")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        recipient = self.fields["recipient"]
        recipient.queryset = recipient.queryset.filter(
            origin_node__partner__approved_here_at__isnull=False, is_active=True
        ).order_by("code")
        case = self.fields["case"]
        case.queryset = case.queryset.filter(
            owner_org__in=user.organisations, origin_node__is_local=True
        )


class AlertListView(VisibleListView):
    model = Alert
    queryset = Alert.objects.select_related("owner_org", "origin_node")
    template_name = "assistance/alert_list.html"


alert_new = create_view(
    AlertForm,
    assistance.alert_create,
    title=gettext_lazy("New alert"),
    detail="alert-detail",
    success=gettext_lazy("Sent."),
)


@login_required
def alert_page(request, uuid):
    alert = get_object_or_404(Alert.objects.visible_to(request.user), uuid=uuid)
    return render(request, "assistance/alert_detail.html", {"alert": alert, "record": alert})


class RequestListView(VisibleListView):
    model = AssistanceRequest
    queryset = AssistanceRequest.with_status(
        AssistanceRequest.objects.select_related("owner_org", "recipient", "origin_node")
    )
    template_name = "assistance/request_list.html"


request_new = create_view(
    RequestForm,
    assistance.request_create,
    title=gettext_lazy("New request for assistance"),
    detail="assistance-detail",
    success=gettext_lazy("Sent."),
    # ?case=<uuid> picks the case the request is about
    initial=lambda request: {"case": request.GET.get("case", "")},
)


@login_required
def request_page(request, uuid):

    item = get_object_or_404(AssistanceRequest.objects.visible_to(request.user), uuid=uuid)
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "close":
            action = lambda: assistance.request_close(actor=request.user, request=item)  # noqa: E731
        else:
            action = lambda: assistance.request_message(  # noqa: E731
                actor=request.user, request=item, kind=step, body=request.POST.get("body", "")
            )
        perform(request, action, _("Sent."))
        return redirect("assistance-detail", uuid=item.uuid)
    user_orgs = {o.pk for o in request.user.organisations}
    case = (
        Case.objects.visible_to(request.user).filter(pk=item.case_id).first()
        if item.case_id
        else None
    )
    return render(
        request,
        "assistance/request_detail.html",
        {
            "item": item,
            "record": item,
            "case": case,
            "messages_in": item.messages.visible_to(request.user).select_related("owner_org"),
            "is_recipient": item.recipient_id in user_orgs and item.recipient.origin_node.is_local,
            "is_requester": can_write(request.user, item),
            "kinds": MessageKind,
        },
    )
