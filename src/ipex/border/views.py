"""Pages of customs protection of rights: recordations and the public register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipex.border import queries, stats
from ipex.border import services as border
from ipex.border.forms import (
    AlertForm,
    DeadlineRuleForm,
    DetentionForm,
    RecordationForm,
    RecordForm,
    line_rows,
)
from ipex.border.models import (
    AnswerKind,
    BorderNotice,
    DeadlineRule,
    Detention,
    Outcome,
    Recordation,
    customs_member,
)
from ipex.core.errors import DomainError
from ipex.core.permissions import can_write
from ipex.core.views import (
    VisibleListView,
    apply_domain_error,
    paginate,
    perform,
    perform_form,
)
from ipex.core.visibility import UnknownRecord, resolve_visible
from ipex.directory.views import node_admin_required
from ipex.seizures.charts import bar_chart
from ipex.seizures.forms import item_choices


class RecordationListView(VisibleListView):
    model = Recordation
    queryset = queries.RECORDATIONS
    template_name = "border/recordation_list.html"


@login_required
def recordation_new(request):
    """The application form (its own page: it sends photos)."""
    if not request.user.organisations:
        raise Http404
    form = RecordationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = border.recordation_apply(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Application sent to customs."))
            return redirect("recordation-detail", uuid=record.uuid)
    title = _("Apply to record a right")
    return render(request, "border/recordation_form.html", {"form": form, "title": title})


@login_required
def recordation_page(request, uuid):
    item = get_object_or_404(
        queries.RECORDATIONS.prefetch_related("contacts", "photos").visible_to(request.user),
        uuid=uuid,
    )
    user = request.user
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step == "record":
            form = RecordForm(request.POST)
            perform_form(
                request,
                form,
                lambda data: border.recordation_record(actor=user, recordation=item, **data),
                _("Recorded."),
            )
        elif step == "refuse":
            perform(
                request,
                lambda: border.recordation_refuse(
                    actor=user, recordation=item, reason=request.POST.get("reason", "")
                ),
                _("Refused."),
            )
        elif step == "renew":
            perform(
                request,
                lambda: border.recordation_renew(
                    actor=user, recordation=item, valid_until=request.POST.get("valid_until")
                ),
                _("Renewed."),
            )
        elif step == "withdraw":
            perform(
                request,
                lambda: border.recordation_withdraw(actor=user, recordation=item),
                _("Withdrawn."),
            )
        return redirect("recordation-detail", uuid=item.uuid)
    return render(
        request,
        "border/recordation_detail.html",
        {
            "item": item,
            "record": item,
            "is_customs": customs_member(user) and not item.is_replica,
            "is_holder": can_write(user, item),
            "record_form": RecordForm(),
        },
    )


def register_page(request):
    """The public register (no sign-in): number, right, holder, goods, validity."""
    q = request.GET.get("q", "")
    page = paginate(request, queries.register_search(q))
    return render(request, "border/register.html", {"page_obj": page, "q": q})


@node_admin_required
def deadline_rules_page(request):
    """Node administrators set each country's rule (the form saves one country at a time)."""
    form = DeadlineRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            border.deadline_rule_save(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("border-deadline-rules")
    rules = DeadlineRule.objects.visible_to(request.user)
    return render(request, "border/deadline_rules.html", {"rules": rules, "form": form})


class DetentionListView(VisibleListView):
    model = Detention
    queryset = Detention.objects.select_related("owner_org")
    template_name = "border/detention_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        abroad = BorderNotice.objects.visible_to(user).filter(origin_node__is_local=False)
        return {
            **super().get_context_data(**kwargs),
            "is_customs": customs_member(user),
            "abroad": abroad.select_related("owner_org")[:50],
        }


def _linked(user, uuids) -> tuple[list[Recordation], bool]:
    """The ticked register matches, through the door, and whether every one resolved (a
    hidden or lapsed one is refused like a missing one)."""
    in_force = Recordation.objects.visible_to(user).in_register()
    found = []
    for value in uuids:
        try:
            found.append(resolve_visible(Recordation, user, value, queryset=in_force))
        except UnknownRecord:
            continue
    return found, len(found) == len(uuids)


@login_required
def detention_new(request):
    """The customs officer's form: the shipment, its goods lines, and a search of the register
    whose matches the officer ticks to link (none ticked: ex officio)."""
    if not customs_member(request.user):
        raise Http404
    data = request.POST
    searching = "search" in data
    q = (data.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    ticked = list(dict.fromkeys(data.getlist("recordation")))
    rows = line_rows(data)
    if searching or request.method != "POST":
        form = DetentionForm(initial=data.dict(), user=request.user)
    else:
        form = DetentionForm(data, request.FILES, user=request.user)
    linked, whole = _linked(request.user, ticked)
    if request.method == "POST" and not searching and not whole:
        form.add_error(None, _("Link only recordations in force."))
    elif request.method == "POST" and not searching and form.is_valid():
        try:
            detention = border.detention_record(
                actor=request.user, lines=rows, recordations=linked, **form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Detention recorded."))
            return redirect("detention-detail", uuid=detention.uuid)
    matches = list(queries.register_search(q)[:20]) if q.strip() else []
    shown = {r.pk for r in matches}
    context = {
        "form": form,
        "q": q,
        "matches": [*matches, *(r for r in linked if r.pk not in shown)],
        "ticked": {str(r.uuid) for r in linked},
        "rows": rows + [{}] * max(1, 3 - len(rows)),
        "categories": item_choices()["categories"],
        "title": _("Record a detention"),
    }
    return render(request, "border/detention_form.html", context)


def _answer(request, service, **record) -> None:
    """A holder's answer from the answer form (a detention's, or a partner's notice's)."""
    days = request.POST.get("days", "").strip()
    perform(
        request,
        lambda: service(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            grounds=request.POST.get("grounds", ""),
            days=int(days) if days.isdigit() else None,
            **record,
        ),
        _("Answer sent to customs."),
    )


@login_required
def detention_page(request, uuid):
    """A detention: customs see it whole, the linked holders answer from here."""
    item = get_object_or_404(
        Detention.objects.visible_to(request.user).prefetch_related(
            "lines__category", "answers__organisation", "recordations", "notices"
        ),
        uuid=uuid,
    )
    if request.method == "POST" and request.POST.get("step") == "alert":
        form = AlertForm(request.POST, user=request.user)
        perform_form(
            request,
            form,
            lambda data: border.detention_alert(
                actor=request.user, detention=item, sharing_group=data["sharing_group"]
            ),
            _("Alert sent to the partner customs."),
        )
        return redirect("detention-detail", uuid=item.uuid)
    if request.method == "POST" and request.POST.get("outcome"):
        perform(
            request,
            lambda: border.detention_close(
                actor=request.user, detention=item, outcome=request.POST["outcome"]
            ),
            _("Closed."),
        )
        return redirect("detention-detail", uuid=item.uuid)
    if request.method == "POST":
        _answer(request, border.detention_answer, detention=item)
        return redirect("detention-detail", uuid=item.uuid)
    owners = {r.owner_org_id for r in item.recordations.all()}
    is_holder = any(o.pk in owners and o.origin_node.is_local for o in request.user.organisations)
    return render(
        request,
        "border/detention_detail.html",
        {
            "item": item,
            "record": item,
            "is_holder": is_holder,
            "kinds": AnswerKind.choices,
            "can_close": can_write(request.user, item) and item.status != "closed",
            "outcomes": [o for o in Outcome.choices if o[0] != Outcome.CASE],
            "alert_form": AlertForm(user=request.user) if can_write(request.user, item) else None,
        },
    )


@login_required
def notice_page(request, uuid):
    """A partner's detention under one of this node's recordations: the holder answers here
    and the answer goes back to the customs that detained the goods."""
    item = get_object_or_404(
        BorderNotice.objects.visible_to(request.user).select_related("recordation", "owner_org"),
        uuid=uuid,
    )
    if request.method == "POST":
        _answer(request, border.notice_answer, notice=item)
        return redirect("border-notice-detail", uuid=item.uuid)
    is_holder = any(
        o.pk == item.recordation.owner_org_id and o.origin_node.is_local
        for o in request.user.organisations
    )
    return render(
        request,
        "border/notice_detail.html",
        {"item": item, "is_holder": is_holder and item.is_replica, "kinds": AnswerKind.choices},
    )


@login_required
def statistics_page(request):
    """Detentions of a country's year, each breakdown as a chart and a table."""
    year = request.GET.get("year", "")
    country = request.GET.get("country") or "CN"
    year = int(year) if year.isdigit() else timezone.localdate().year
    language = get_language()
    sections = []
    try:
        for by, title in (
            ("direction", _("By direction")),
            ("route", _("By route")),
            ("category", _("By category of goods")),
            ("outcome", _("By outcome")),
        ):
            figures = stats.detention_stats(request.user, country=country, year=year, by=by)
            chart = bar_chart(
                figures["rows"], label="name", value="detentions", title=title, language=language
            )
            sections.append({"by": by, "title": title, "rows": figures["rows"], "chart": chart})
    except DomainError as exc:
        context = {"error": exc, "country": country, "year": year}
        return render(request, "border/statistics.html", context, status=400)
    return render(
        request,
        "border/statistics.html",
        {"country": figures["country"], "year": year, "figures": figures, "sections": sections},
    )
