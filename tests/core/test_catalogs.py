"""Every user-facing string is translated: no untranslated or fuzzy entry, and the compiled
catalogs are up to date with their sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "src" / "ipex" / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "ru"])
def test_catalog_is_complete_and_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    with (po_path.with_suffix(".mo")).open("rb") as handle:
        compiled = read_mo(handle)
    source = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id
    }
    for message in compiled:
        if not message.id:
            continue
        key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
        expected, actual = source.get(key), message.string
        if isinstance(actual, list | tuple):
            expected, actual = list(expected or ()), list(actual)
        assert expected == actual, f"{language} .mo is stale for {key!r}"
    assert len([m for m in compiled if m.id]) == len(source)
