"""Case pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView
from django_fsm import can_proceed

from ipex.cases import forms, search, services
from ipex.cases.evidence import evidence_add, evidence_open
from ipex.cases.models import (
    ActionKind,
    Case,
    CaseOutcome,
    LegalProvision,
    SubjectKind,
    SubjectRole,
)
from ipex.cases.queries import (
    CASES,
    EXPORT_COLUMNS,
    CaseFilter,
    case_export_rows,
    case_timeline,
    cases_for,
)
from ipex.core.errors import DomainError
from ipex.core.exports import csv_response
from ipex.core.views import (
    SharedRecordDetailView,
    VisibleListView,
    apply_domain_error,
    create_view,
    perform,
    record_button,
)
from ipex.directory.models import User
from ipex.seizures.models import Seizure

# ---------------------------------------------------------------- cases


CASE_ACTION_LABELS = [
    ("investigate", gettext_lazy("Start the investigation")),
    ("take_action", gettext_lazy("Record that action was taken")),
    ("refer", gettext_lazy("Refer for prosecution")),
    ("close", gettext_lazy("Close")),
    ("reopen", gettext_lazy("Reopen")),
]


class CaseListView(VisibleListView):
    model = Case
    template_name = "cases/case_list.html"
    filterset_class = CaseFilter

    queryset = CASES


@login_required
def case_export(request):
    """Exactly the cases the user can see, with the list's filters applied, as CSV."""
    queryset = CaseFilter(request.GET or None, queryset=cases_for(request.user), request=request).qs
    return csv_response(EXPORT_COLUMNS, case_export_rows(queryset), "cases")


@login_required
def search_page(request):
    """Full-text search over the cases, subjects and actions the user can see."""
    query = request.GET.get("q", "").strip()
    documents = search.search_documents(request.user, query)
    page = Paginator(documents, settings.IPEX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/search.html",
        {
            "query": query,
            "page_obj": page,
            "hits": search.hits(page.object_list),
            "query_string": urlencode({"q": query}),
        },
    )


class ProvisionListView(LoginRequiredMixin, ListView):
    """Legal provisions and their ranges; node administrators add new ones."""

    template_name = "cases/provision_list.html"
    queryset = LegalProvision.objects.select_related("article__law")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_node_admin:
            context["form"] = getattr(self, "form", None) or forms.ProvisionForm()
        return context

    def post(self, request):
        if not request.user.is_node_admin:
            raise Http404
        self.form = forms.ProvisionForm(request.POST)
        if self.form.is_valid():
            try:
                provision = services.provision_create(actor=request.user, **self.form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(self.form, exc)
            else:
                messages.success(request, _("Provision %(code)s added.") % {"code": provision.code})
                return redirect("provision-list")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=400)


class CaseDetailView(SharedRecordDetailView):
    queryset = CASES

    def record_context(self, case, user) -> dict:
        return {
            "timeline": case_timeline(case),
            "seizures": case.seizures.filter(pk__in=Seizure.objects.visible_to(user).values("pk")),
            "outcomes": CaseOutcome.choices,
            "case_actions": case.actions.select_related("provision__article__law").prefetch_related(
                "provision__article__versions"
            ),
            "subject_links": case.subject_links.select_related("subject"),
            "evidence_files": case.evidence.all(),
            # Tips and requests for assistance sit above cases: reached through the relations
            # they declare (Tip.case, AssistanceRequest.case), each through its own door.
            "tips": case.tips.visible_to(user),
            "assistance_requests": case.assistance_requests.visible_to(user).select_related(
                "recipient"
            ),
            "subject_kinds": SubjectKind.choices,
            "subject_roles": SubjectRole.choices,
            "action_kinds": ActionKind.choices,
            "provisions": LegalProvision.objects.all(),
            "officers": case.officers.all(),
            "tasks": case.tasks.select_related("assignee"),
            "members": (
                User.objects.filter(
                    memberships__organisation=case.owner_org, is_active=True
                ).distinct()
                if self.can_edit
                else []
            ),
            "actions": [
                (name, label)
                for name, label in CASE_ACTION_LABELS
                if can_proceed(getattr(case, name))
            ],
        }


case_create = create_view(
    forms.CaseForm,
    services.case_open,
    title=gettext_lazy("Open a case"),
    detail="case-detail",
    success=lambda case: _("Case %(ref)s opened.") % {"ref": case.reference},
)


def _member(case, user_uuid):
    """A user of the case's organisation by uuid, or None (the service explains)."""
    try:
        return User.objects.filter(uuid=user_uuid, memberships__organisation=case.owner_org).first()
    except (ValueError, ValidationError):
        return None


def _case_step(request, case) -> None:
    """Record an action, link a seizure by its reference, or move the case one step."""
    if getattr(request, "upload_too_large", False):
        raise DomainError(_("The file is larger than the upload limit."), code="too_large")
    if request.FILES.get("evidence"):
        evidence_add(
            actor=request.user,
            case=case,
            upload=request.FILES["evidence"],
            description=request.POST.get("description", ""),
        )
        return
    if request.POST.get("subject_kind"):
        services.subject_link(
            actor=request.user,
            case=case,
            kind=request.POST["subject_kind"],
            name=request.POST.get("subject_name", ""),
            role=request.POST.get("subject_role", ""),
            registration_number=request.POST.get("registration_number", ""),
            has_business_licence=request.POST.get("has_business_licence") == "on",
            sid_code=request.POST.get("sid_code", ""),
            domain=request.POST.get("domain", ""),
        )
        return
    if request.POST.get("action_kind"):
        provision = LegalProvision.objects.filter(code=request.POST.get("provision", "")).first()
        services.case_add_action(
            actor=request.user,
            case=case,
            kind=request.POST["action_kind"],
            taken_on=request.POST.get("taken_on", ""),
            notes=request.POST.get("notes", ""),
            provision=provision,
            amount=request.POST.get("penalty") or None,
            months=request.POST.get("penalty") or None,
            out_of_range_reason=request.POST.get("out_of_range_reason", ""),
        )
        return
    if request.POST.get("task_title") is not None:
        services.task_add(
            actor=request.user,
            case=case,
            title=request.POST.get("task_title", ""),
            due_on=request.POST.get("due_on", ""),
            assignee=_member(case, request.POST.get("assignee")),
        )
        return
    if request.POST.get("task_done"):
        task = case.tasks.filter(pk=request.POST["task_done"]).first()
        if task is None:
            raise DomainError(_("No such task in this case."))
        services.task_complete(actor=request.user, task=task)
        return
    if request.POST.get("officer_add") or request.POST.get("officer_remove"):
        add = (
            _member(case, request.POST.get("officer_add"))
            if request.POST.get("officer_add")
            else None
        )
        remove = case.officers.filter(uuid=request.POST.get("officer_remove") or None).first()
        services.case_set_officers(
            actor=request.user,
            case=case,
            add=[add] if add else [],
            remove=[remove] if remove else [],
        )
        return
    if request.POST.get("seizure"):
        seizure = (
            Seizure.objects.visible_to(request.user)
            .filter(reference=request.POST["seizure"].strip())
            .first()
        )
        if seizure is None:
            raise DomainError(_("No seizure you can see has that reference."))
        services.case_link_seizure(actor=request.user, case=case, seizure=seizure)
        return
    services.case_transition(
        actor=request.user,
        case=case,
        action=request.POST.get("action", ""),
        outcome=request.POST.get("outcome", ""),
        reason=request.POST.get("reason", ""),
    )


@login_required
@record_button(cases_for, "case-detail")
def case_action(request, case):
    if request.method == "POST":
        perform(request, lambda: _case_step(request, case), _("Saved."))


@login_required
def evidence_download(request, uuid, evidence_uuid):
    """Through the case (the one door): a case or file the user cannot see is a 404."""
    case = get_object_or_404(cases_for(request.user), uuid=uuid)
    evidence = get_object_or_404(case.evidence, uuid=evidence_uuid)
    return FileResponse(
        evidence_open(actor=request.user, evidence=evidence),
        as_attachment=True,
        filename=evidence.filename,
        content_type=evidence.content_type,
    )
