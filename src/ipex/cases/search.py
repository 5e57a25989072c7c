"""Full-text search over cases, subjects and actions, filtered by visibility.

Text is turned into terms by ``ipex.core.textsearch``, the same way for what is indexed and for
what is asked. The database only matches terms: PostgreSQL with ``to_tsvector('simple', …)``
over a GIN index, SQLite with FTS5 (migration 0008). A query is a list of words, all of which
must occur; a word is a phrase of its terms, the last one matched as a prefix (``GD-2013-00``
finds ``GD-2013-0042``). Results, and their count, only ever include what the user can see.

Note for later migrations: SQLite rebuilds a table on most ALTERs and drops its triggers;
a migration that alters ``cases_searchdocument`` must recreate them (see 0008).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from ipex.cases.models import Case, CaseAction, SearchDocument, Subject
from ipex.core.textsearch import joined_terms, matching, terms

__all__ = ["terms", "index_case", "index_subject", "index_action", "rebuild", "search_documents"]


# ---------------------------------------------------------------- indexing (by the services)


def _store(field: str, obj, texts: list[str]) -> None:
    SearchDocument.objects.update_or_create(**{field: obj}, defaults={"terms": joined_terms(texts)})


def index_case(case: Case) -> None:
    _store(
        "case",
        case,
        [case.reference, case.title, case.summary, case.get_kind_display(), case.owner_org.code],
    )


def index_subject(subject: Subject) -> None:
    _store(
        "subject",
        subject,
        [
            subject.name,
            subject.registration_number,
            subject.sid_code,
            subject.domain,
            subject.location,
        ],
    )


def index_action(action: CaseAction) -> None:
    _store(
        "action",
        action,
        [
            action.get_kind_display(),
            action.notes,
            action.provision.code if action.provision_id else "",
            action.out_of_range_reason,
        ],
    )


def rebuild() -> int:
    """Index everything again (``ipex search rebuild``); returns the number of documents."""
    SearchDocument.objects.all().delete()
    for case in Case.objects.select_related("owner_org"):
        index_case(case)
    for subject in Subject.objects.all():
        index_subject(subject)
    for action in CaseAction.objects.select_related("provision"):
        index_action(action)
    return SearchDocument.objects.count()


# ---------------------------------------------------------------- reading (through the door)


@dataclass
class Hit:
    kind: str  # "case", "subject" or "action"
    case: Case | None
    subject: Subject | None
    action: CaseAction | None

    @property
    def label(self) -> str:
        if self.subject is not None:
            return self.subject.name
        if self.action is not None:
            return f"{self.action.case.reference} · {self.action.get_kind_display()}"
        return f"{self.case.reference} · {self.case.title}"


def search_documents(user, query: str):
    """Documents matching the query that the user may see (never more, not even in a count)."""
    cases = Case.objects.visible_to(user)
    visible = (
        Q(case__in=cases)
        | Q(action__case__in=cases)
        | Q(subject__in=Subject.objects.visible_to(user).values("pk"))
    )
    return (
        matching(SearchDocument.objects.all(), query, fts="cases_search_fts")
        .filter(visible)
        .select_related("case__owner_org", "subject", "action__case", "action__provision")
        .order_by("-id")
    )


def hits(documents) -> list[Hit]:
    out = []
    for doc in documents:
        kind = "case" if doc.case_id else "subject" if doc.subject_id else "action"
        case = doc.case or (doc.action.case if doc.action_id else None)
        out.append(Hit(kind=kind, case=case, subject=doc.subject, action=doc.action))
    return out
