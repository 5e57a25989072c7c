"""Full-text search over cases, subjects and actions, filtered by visibility.

Text is turned into terms here, the same way for what is indexed and for what is asked:
lower case, split at anything that is not a letter or digit, and each Chinese, Japanese or
Korean character a term of its own (so 光盘 finds 光盘生产线 without a dictionary). The
database only matches terms: PostgreSQL with ``to_tsvector('simple', …)`` over a GIN index,
SQLite with FTS5 (migration 0008). A query is a list of words, all of which must occur; a
word is a phrase of its terms, the last one matched as a prefix (``GD-2013-00`` finds
``GD-2013-0042``). Results, and their count, only ever include what the user can see.

Note for later migrations: SQLite rebuilds a table on most ALTERs and drops its triggers;
a migration that alters ``cases_searchdocument`` must recreate them (see 0008).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from ipex.cases.models import Case, CaseAction, SearchDocument, Subject

MAX_QUERY_WORDS = 12
_WORD = re.compile(r"[^\W_]+")


def _is_cjk(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK ", "HIRAGANA", "KATAKANA", "HANGUL"))


def terms(text: str) -> list[str]:
    """'GD-2013-0042 光盘线' → ['gd', '2013', '0042', '光', '盘', '线']."""
    out: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text or "").lower()):
        run = ""
        for char in word:
            if _is_cjk(char):
                if run:
                    out.append(run)
                    run = ""
                out.append(char)
            else:
                run += char
        if run:
            out.append(run)
    return out


def query_phrases(query: str) -> list[list[str]]:
    """A query's words, each as the phrase of its terms (at most ``MAX_QUERY_WORDS``)."""
    words = (query or "").split()[:MAX_QUERY_WORDS]
    return [t for t in (terms(w) for w in words) if t]


def tsquery(phrases: list[list[str]]) -> str:
    """PostgreSQL's ``to_tsquery('simple', …)`` text: every phrase, its last term a prefix."""
    return " & ".join("(" + " <-> ".join(p[:-1] + [p[-1] + ":*"]) + ")" for p in phrases)


def _match_sql(phrases: list[list[str]]) -> tuple[str, list[str]]:
    """The ids of matching documents, as SQL for the database in use."""
    if connection.vendor == "postgresql":
        query = tsquery(phrases)
        return (
            "SELECT id FROM cases_searchdocument "
            "WHERE to_tsvector('simple', terms) @@ to_tsquery('simple', %s)",
            [query],
        )
    query = " AND ".join('"' + " ".join(p) + '" *' for p in phrases)
    return "SELECT rowid FROM cases_search_fts WHERE cases_search_fts MATCH %s", [query]


# ---------------------------------------------------------------- indexing (by the services)


def _store(field: str, obj, texts: list[str]) -> None:
    text = " ".join(terms(" ".join(t for t in texts if t)))
    SearchDocument.objects.update_or_create(**{field: obj}, defaults={"terms": text})


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
    phrases = query_phrases(query)
    if not phrases:
        return SearchDocument.objects.none()
    sql, params = _match_sql(phrases)
    cases = Case.objects.visible_to(user)
    visible = (
        Q(case__in=cases)
        | Q(action__case__in=cases)
        | Q(subject__in=Subject.objects.visible_to(user).values("pk"))
    )
    return (
        # The SQL is fixed text; the user's words only ever travel as a bound parameter.
        SearchDocument.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611
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
