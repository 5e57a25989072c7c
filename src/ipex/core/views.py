"""Base HTML views (the one door applied for every page), audit, jobs, errors, sharing; the
operations endpoints (/healthz, /readyz, /metrics, served by OperationsMiddleware)."""

from __future__ import annotations

import hmac
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from ipex.core.api import json_not_found, json_server_error
from ipex.core.audit import as_actor
from ipex.core.errors import DomainError
from ipex.core.filters import AuditFilter
from ipex.core.freshness import kept_answer, validator
from ipex.core.health import readiness
from ipex.core.metrics import CONTENT_TYPE, metrics_text
from ipex.core.models import AuditEntry, Distribution, Job, JobKind, directory_model
from ipex.core.permissions import can_write
from ipex.core.registry import share_pages
from ipex.core.services import job_start, shared_record_share
from ipex.core.visibility import resolve_visible


class VisibleQuerysetMixin(LoginRequiredMixin):
    """Every record a page shows comes through ``Model.objects.visible_to(user)``."""

    model = None
    #: what the page shows before the door (with its related rows: ``queries.CASES`` …);
    #: the view declares it and this base applies ``visible_to``, so no page can forget it
    queryset = None

    def get_queryset(self):
        base = self.queryset if self.queryset is not None else self.model.objects.all()
        return base.visible_to(self.request.user)


class VisibleDetailView(VisibleQuerysetMixin, DetailView):
    """A record by uuid; missing, malformed and invisible are the same 404. Unless the view
    names them, the template is Django's ``<app>/<model>_detail.html`` and the record is
    also known by its model's name (``case``); ``record_context`` adds what else it shows."""

    slug_field = "uuid"
    slug_url_kwarg = "uuid"

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except (ValueError, ValidationError) as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.record_context(self.object, self.request.user))
        return context

    def record_context(self, record, user) -> dict:
        """What the page shows beside the record, for this user; a page adds its own."""
        return {}


class SharedRecordDetailView(VisibleDetailView):
    """The page of a shared record: whether the user may change it (``can_edit``, also an
    attribute for ``record_context``) and what the share form needs (its kind in the share
    URL is the model's name)."""

    def get_context_data(self, **kwargs):
        user, record = self.request.user, self.object
        self.can_edit = can_write(user, record)
        return super().get_context_data(
            can_edit=self.can_edit,
            **share_context(user, record, record._meta.model_name),
            **kwargs,
        )


# A kept page holds this where its forms carried the reader's CSRF token; each reader who is
# served the page gets a token of their own in its place (and the CSRF cookie, if new).
CSRF_PLACEHOLDER = b"@@ipex-csrf-token@@"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def _without_token(content: bytes) -> bytes:
    found = CSRF_INPUT.search(content)
    return content.replace(found.group(1), CSRF_PLACEHOLDER) if found else content


def _page_key(request, moment=None) -> tuple:
    """What a kept page depends on besides the records: the reader and their session, the
    language, the full address (its host too: a page may name itself in full), whether htmx
    asked for it, and ``moment`` (see :func:`validated_pages`)."""
    return (
        getattr(request.user, "pk", None),
        request.session.session_key,
        get_language(),
        request.build_absolute_uri(),
        bool(getattr(request, "htmx", False)),
        moment,
    )


def kept_page(request, respond, *, moment=None):
    """A page read (GET) answered from what the same reader, in the same session, got for the
    same address and language under this audit head (``core.freshness``), or ``respond()``;
    never while a message waits to be shown. The page's CSRF token is not kept: each reader
    gets their own."""
    if request.method != "GET" or len(messages.get_messages(request)):
        return respond()
    return _kept_page(request, respond, _page_key(request, moment))


def _kept_page(request, respond, key):
    return kept_answer(
        "page",
        key,
        respond,
        keep=_without_token,
        serve=lambda content: (
            content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            if CSRF_PLACEHOLDER in content
            else content  # a visitor's page without a form to post: no token minted
        ),
    )


def kept_pages(view):
    """:func:`kept_page` for a function view."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return kept_page(request, lambda: view(request, *args, **kwargs))

    return wrapper


def validated_pages(clock=None):
    """:func:`kept_pages` with an ``ETag``, for a function view whose page shows only what the
    audit head covers and the clock: the tag is made of what the page is kept under, so a
    conditional GET (``If-None-Match``) whose tag still holds is answered 304 before the view
    runs — no rendering, no query beyond the head's. ``clock()``, when given, is the next
    moment at which the page changes by the clock alone (a scheduled item's time, say; kept
    under the head by its caller): the page is kept, and tagged, until that moment only."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            def respond():
                return view(request, *args, **kwargs)

            if request.method not in ("GET", "HEAD") or len(messages.get_messages(request)):
                return respond()
            key = _page_key(request, clock() if clock else None)
            tag = validator(key)
            if tag is None:
                return respond()
            etag = f'"{tag}"'
            response = get_conditional_response(request, etag=etag)
            if response is None:
                response = (
                    respond() if request.method == "HEAD" else _kept_page(request, respond, key)
                )
            if response.status_code in (200, 304):
                response.headers.setdefault("ETag", etag)
            return response

        return wrapper

    return decorator


class VisibleListView(VisibleQuerysetMixin, ListView):
    paginate_by = settings.IPEX_PAGE_SIZE
    filterset_class = None
    #: answer from a kept page (``kept_page``); off where a list shows what is not audited
    keep_pages = True

    def get(self, request, *args, **kwargs):
        if not self.keep_pages:
            return super().get(request, *args, **kwargs)
        return kept_page(
            request, lambda: super(VisibleListView, self).get(request, *args, **kwargs)
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            queryset = self.filterset.qs if self.filterset.is_bound else queryset
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset_class is not None:
            context["filter"] = self.filterset
            query = self.request.GET.copy()
            query.pop("page", None)
            context["query_string"] = query.urlencode()
        return context

    def get_template_names(self):
        names = super().get_template_names()
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            return [self.partial_template_name]
        return names

    partial_template_name = None


def apply_domain_error(form, error: DomainError) -> None:
    """Show a service's refusal beside the fields it concerns, or above the form."""
    placed = False
    for field, field_messages in error.fields.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)
            placed = True
    if not placed or not error.fields:
        form.add_error(None, str(error.message))


def form_page(request, form, save, *, title, detail, success=None):
    """A page with one form that a service saves: ``save(cleaned_data)`` returns the record,
    the service's refusals go beside the fields; then the record's page (``detail``: the name
    of its URL, or a function of the record giving the address) with the ``success`` message
    (a text, or a function of the record; none when not given)."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if success:
                messages.success(request, success(record) if callable(success) else success)
            if callable(detail):
                return redirect(detail(record))
            return redirect(detail, uuid=record.uuid)
    return render(request, "directory/form.html", {"form": form, "title": title})


def form_view(
    form_class, service, *, title, detail, success=None, initial=None, members_only=False
):
    """The page with one form (files allowed) for a signed-in user: ``form_class(data, files,
    user=…)`` saved by ``service(actor=user, **cleaned_data)`` through ``form_page``;
    ``initial(request)``, when given, pre-fills the form; ``members_only``: a user of no
    organisation gets 404. Declared at import time, so the ``title`` and a text ``success``
    are lazy translations."""

    @login_required
    def view(request):
        if members_only and not request.user.organisations:
            raise Http404
        extra = {"initial": initial(request)} if initial else {}
        form = form_class(request.POST or None, request.FILES or None, user=request.user, **extra)
        return form_page(
            request,
            form,
            lambda data: service(actor=request.user, **data),
            title=title,
            detail=detail,
            success=success,
        )

    return view


def create_view(form_class, service, *, title, detail: str, success=None, initial=None):
    """The page that opens a new record of one kind for one of the user's organisations
    (a ``form_view`` for members only)."""
    return form_view(
        form_class,
        service,
        title=title,
        detail=detail,
        success=success,
        initial=initial,
        members_only=True,
    )


def record_button(records, detail: str):
    """For the view of a button on a record's page: the view gets the record, by the uuid in
    the URL, from ``records(user)`` (one the user cannot see is a 404), and the user goes back
    to the record's page (``detail``, the name of its URL) when it is done."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, uuid, **kwargs):
            record = get_object_or_404(records(request.user), uuid=uuid)
            view(request, record, **kwargs)
            return redirect(detail, uuid=record.uuid)

        return wrapper

    return decorate


def perform(request, action, success: str) -> bool:
    """Run a service call from a button; its outcome is shown as a message on the next page,
    a refusal with each field's problem."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
        for field_messages in exc.fields.values():
            for message in field_messages:
                messages.error(request, message)
        return False
    if success:
        messages.success(request, success)
    return True


def perform_form(request, form, action, success: str) -> bool:
    """``perform`` for a small inline form whose field errors become messages."""
    if form.is_valid():
        return perform(request, lambda: action(form.cleaned_data), success)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return False


class AuditListView(VisibleListView):
    model = AuditEntry
    template_name = "core/audit_list.html"
    partial_template_name = "core/_audit_rows.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_node_admin:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def filterset_class(self):
        return AuditFilter


class JobDetailView(VisibleDetailView):
    model = Job
    template_name = "core/job_detail.html"
    context_object_name = "job"

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["core/_job_status.html"]
        return [self.template_name]


class JobListView(VisibleListView):
    model = Job
    template_name = "core/job_list.html"
    keep_pages = False  # not audited: a job's progress


class AuditVerifyView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            job = job_start(actor=as_actor(request.user), kind=JobKind.AUDIT_VERIFY)
        except DomainError as exc:
            if exc.status == 403:
                raise Http404 from exc
            messages.error(request, str(exc))
            return redirect("audit")
        messages.info(request, _("Verification started; this page shows its progress."))
        return redirect("job-detail", uuid=job.uuid)


def _wants_json(request) -> bool:
    return request.path.startswith(("/api/", "/federation/"))


def error_page(request, status: int, title: str, message: str):
    """The error page (``core/error.html``), answered with its status."""
    context = {"status": status, "title": title, "message": message}
    return render(request, "core/error.html", context, status=status)


def page_not_found(request, exception=None):
    if _wants_json(request):
        return json_not_found(request, exception)
    return error_page(
        request, 404, _("Not found"), _("There is no such page, or you are not allowed to see it.")
    )


def permission_denied(request, exception=None):  # noqa: ARG001
    return error_page(request, 403, _("Not allowed"), _("You are not allowed to do this."))


def bad_request(request, exception=None):  # noqa: ARG001
    return error_page(request, 400, _("Bad request"), _("The request was not understood."))


def server_error(request):
    if _wants_json(request):
        return json_server_error(request)
    return error_page(
        request,
        500,
        _("Server error"),
        _("Something went wrong on the server; it has been logged."),
    )


def csrf_failure(request, reason=""):  # noqa: ARG001
    return error_page(
        request,
        403,
        _("Form expired"),
        _(
            "The form was open too long or came from elsewhere. Go back, reload the "
            "page and try again."
        ),
    )


def paginate(request, queryset, per_page: int | None = None):
    return Paginator(queryset, per_page or settings.IPEX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )


def next_or(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
        return candidate
    return reverse(default)


def share_context(user, record, kind: str) -> dict:
    """What the share form on a record's page needs."""
    return {
        "record": record,
        "share_kind": kind,
        "distributions": Distribution.choices,
        "share_groups": list(
            directory_model("SharingGroup").objects.visible_to(user).order_by("name")
        ),
    }


@require_POST
def share_record(request, kind, uuid):
    """Change who may see a record (the owner organisation only); 404 for what the user
    cannot see."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = share_pages.get(kind)
    if page is None:
        raise Http404
    record = get_object_or_404(page.model.objects.visible_to(request.user), uuid=uuid)
    distribution = request.POST.get("distribution", "")
    # The page's group list keeps its choice when another level is picked: it counts only
    # with the 'sharing group' level.
    group_uuid = request.POST.get("sharing_group") if distribution == Distribution.GROUP else None

    def share():
        group = (
            resolve_visible("directory.SharingGroup", request.user, group_uuid)
            if group_uuid
            else None
        )
        shared_record_share(
            actor=request.user, record=record, distribution=distribution, sharing_group=group
        )

    perform(request, share, _("Saved."))
    return redirect(page.detail, uuid=record.uuid)


# ---------------------------------------------------------------- operations
# Served by ipex.core.middleware.OperationsMiddleware ahead of every other middleware: no
# session, no CSRF, no language, no redirect to the sign-in page or to HTTPS.


def healthz(request):  # noqa: ARG001
    """Liveness: the process answers. No database, so a database outage does not get every
    web process restarted."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


def readyz(request):  # noqa: ARG001
    """Readiness: 200 when the database answers, migrations are applied and a task worker's
    heartbeat is recent; 503 naming the failed check otherwise (ipex.core.health)."""
    state = readiness()
    response = JsonResponse(state.as_dict(), status=200 if state.ready else 503)
    add_never_cache_headers(response)
    return response


def metrics(request):
    """Prometheus metrics, for a bearer of IPEX_METRICS_TOKEN only (401 otherwise)."""
    scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
    token = settings.IPEX_METRICS_TOKEN.encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token):
        # Ahead of LocaleMiddleware: the language is taken from the request here.
        with translation.override(translation.get_language_from_request(request)):
            message = _("The metrics need the bearer token set in IPEX_METRICS_TOKEN.")
        response = JsonResponse(
            {"error": {"code": "not_authenticated", "message": message, "fields": {}}},
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(metrics_text(), content_type=CONTENT_TYPE)
    add_never_cache_headers(response)
    return response
