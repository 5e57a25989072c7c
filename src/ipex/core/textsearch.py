"""Full-text search as every app does it: text turned into terms, the database matching terms.

Text becomes terms the same way for what is indexed and for what is asked: lower case, split
at anything that is not a letter or digit, and each Chinese, Japanese or Korean character a
term of its own (so 光盘 finds 光盘生产线 without a dictionary). An app keeps its terms in a
table with a ``terms`` column; PostgreSQL matches them with ``to_tsvector('simple', …)`` over
a GIN index, SQLite with an FTS5 table kept in step by triggers (``index_statements`` gives
both). A query is a list of words, all of which must occur; a word is a phrase of its terms,
the last one matched as a prefix (``GD-2013-00`` finds ``GD-2013-0042``).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models.expressions import RawSQL

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


def joined_terms(texts) -> str:
    """The terms of several texts as one column value."""
    return " ".join(terms(" ".join(t for t in texts if t)))


def phrases(query: str) -> list[list[str]]:
    words = (query or "").split()[:MAX_QUERY_WORDS]
    return [t for t in (terms(w) for w in words) if t]


def tsquery(found: list[list[str]]) -> str:
    """PostgreSQL's ``to_tsquery('simple', …)`` text: every phrase, its last term a prefix."""
    return " & ".join("(" + " <-> ".join(p[:-1] + [p[-1] + ":*"]) + ")" for p in found)


def match_sql(vendor: str, found: list[list[str]], *, table: str, fts: str) -> tuple[str, list]:
    """The ids of the rows of ``table`` (its FTS5 twin ``fts`` on SQLite) matching every
    phrase, as SQL for the database in use; the words only ever travel as a parameter."""
    if vendor == "postgresql":
        query = tsquery(found)
        return (
            f"SELECT id FROM {table} "  # noqa: S608 - table names are the code's, never input
            "WHERE to_tsvector('simple', terms) @@ to_tsquery('simple', %s)",
            [query],
        )
    query = " AND ".join('"' + " ".join(p) + '" *' for p in found)
    return f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query]  # noqa: S608


def matching(documents, query: str, *, fts: str):
    """``documents`` (a queryset of an app's table of terms) narrowed to those matching every
    word of ``query``; none when it has no word."""
    found = phrases(query)
    if not found:
        return documents.none()
    table = documents.model._meta.db_table
    sql, params = match_sql(connection.vendor, found, table=table, fts=fts)
    # The SQL is fixed text; the user's words only ever travel as a bound parameter.
    return documents.filter(pk__in=RawSQL(sql, params))  # noqa: S611


def index_statements(table: str, fts: str) -> dict[str, tuple[list[str], list[str]]]:
    """vendor → (SQL creating the index of ``table``'s terms, SQL dropping it). The names
    are the code's own, never input."""
    sqlite_up = [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(terms, content='{table}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "  # noqa: S608
        f"INSERT INTO {fts}(rowid, terms) VALUES (new.id, new.terms); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "  # noqa: S608
        f"INSERT INTO {fts}({fts}, rowid, terms) VALUES ('delete', old.id, old.terms); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "  # noqa: S608
        f"INSERT INTO {fts}({fts}, rowid, terms) VALUES ('delete', old.id, old.terms); "
        f"INSERT INTO {fts}(rowid, terms) VALUES (new.id, new.terms); END",
    ]
    sqlite_down = [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("au", "ad", "ai")]
    sqlite_down.append(f"DROP TABLE IF EXISTS {fts}")
    postgres_up = [
        f"CREATE INDEX {table}_terms_gin ON {table} USING gin (to_tsvector('simple', terms))"
    ]
    postgres_down = [f"DROP INDEX IF EXISTS {table}_terms_gin"]
    return {"sqlite": (sqlite_up, sqlite_down), "postgresql": (postgres_up, postgres_down)}
