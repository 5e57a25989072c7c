"""The full-text index behind ipex.legislation.search: a GIN index over the terms on
PostgreSQL, an FTS5 table kept in step by triggers on SQLite."""

from django.db import migrations

from ipex.core.textsearch import index_statements

STATEMENTS = index_statements("legislation_searchdocument", "legislation_search_fts")


def run(step: int):
    def apply(apps, schema_editor):
        for sql in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[step]:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("legislation", "0001_library")]

    operations = [migrations.RunPython(run(0), run(1))]
