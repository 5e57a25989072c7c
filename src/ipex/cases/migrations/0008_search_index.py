"""The full-text index behind ipex.cases.search: a GIN index over the terms on PostgreSQL,
an FTS5 table kept in step by triggers on SQLite."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE cases_search_fts USING fts5(terms, content='cases_searchdocument', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER cases_search_ai AFTER INSERT ON cases_searchdocument BEGIN "
    "INSERT INTO cases_search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER cases_search_ad AFTER DELETE ON cases_searchdocument BEGIN "
    "INSERT INTO cases_search_fts(cases_search_fts, rowid, terms) "
    "VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER cases_search_au AFTER UPDATE ON cases_searchdocument BEGIN "
    "INSERT INTO cases_search_fts(cases_search_fts, rowid, terms) "
    "VALUES ('delete', old.id, old.terms); "
    "INSERT INTO cases_search_fts(rowid, terms) VALUES (new.id, new.terms); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_search_au",
    "DROP TRIGGER IF EXISTS cases_search_ad",
    "DROP TRIGGER IF EXISTS cases_search_ai",
    "DROP TABLE IF EXISTS cases_search_fts",
]
POSTGRES_UP = [
    "CREATE INDEX cases_search_terms_gin ON cases_searchdocument "
    "USING gin (to_tsvector('simple', terms))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS cases_search_terms_gin"]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_tasks_search")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
