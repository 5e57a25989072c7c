"""The register's word index: each recordation's public fields as folded words, looked up
by prefix (a word typed in part finds the whole), every word of the query required. Chinese,
written without spaces, is kept as every suffix of each run of characters, so a prefix of
one of them is any part of the run."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models.expressions import RawSQL

from ipex.border.models import Recordation, RegisterTerm

WORD = re.compile(r"\w+")
# A number or a compound (GZ-2013-1, Audio-Video) is also kept whole, and a query names it so.
COMPOUND = re.compile(r"\w+(?:[-./]\w+)+")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TOP = "\U0010ffff"  # above every character: [w, w + TOP) holds the words starting with w
LONGEST = 64
NARROW = 5000


def words(text: str) -> list[str]:
    """The query's words, folded: a compound whole, a Chinese run as typed (its suffixes are
    in the index)."""
    folded = (text or "").casefold()
    whole = COMPOUND.findall(folded)
    rest = COMPOUND.sub(" ", folded)
    return [w[:LONGEST] for w in [*whole, *WORD.findall(rest)]]


def terms(text: str) -> set[str]:
    folded = (text or "").casefold()
    out = {w[:LONGEST] for w in COMPOUND.findall(folded)}
    for word in WORD.findall(folded):
        out.add(word[:LONGEST])
        if HAN.search(word):
            out.update(word[i:][:LONGEST] for i in range(1, len(word)))
    return out


def public_text(recordation: Recordation) -> str:
    owner = recordation.owner_org
    return " ".join(
        [
            recordation.number,
            recordation.work_title,
            recordation.mark,
            recordation.work_owner,
            recordation.goods,
            owner.name_en,
            owner.name_zh_hans,
            owner.name_ru,
        ]
    )


def index(recordation: Recordation) -> None:
    """(Re)write the recordation's words (inside the write that changed it)."""
    RegisterTerm.objects.filter(recordation=recordation).delete()
    RegisterTerm.objects.bulk_create(
        RegisterTerm(recordation=recordation, term=term)
        for term in sorted(terms(public_text(recordation)))
    )


def matching(rows, q: str):
    """``rows`` (recordations) narrowed to those having every word of ``q`` as a prefix of
    one of their words. Each word is one index range of the terms; the recordations of the
    narrow words (at most ``NARROW``) are read and intersected here, the broad words then
    only checked against those, so that a common word never drives the search."""
    found, broad = None, []
    for word in words(q)[:8]:
        hits = RegisterTerm.objects.filter(term__gte=word, term__lt=word + TOP)
        ids = set(hits.values_list("recordation_id", flat=True)[: NARROW + 1])
        if len(ids) > NARROW:
            broad.append(hits)
        else:
            found = ids if found is None else found & ids
    for hits in broad:
        if found is None:
            rows = rows.filter(pk__in=hits.values("recordation_id"))
        elif found:
            found &= set(
                hits.filter(recordation_id__in=_among(found)).values_list(
                    "recordation_id", flat=True
                )
            )
    return rows if found is None else rows.filter(pk__in=_among(found))


def _among(ids: set[int]):
    """Ids for an ``__in``: on PostgreSQL one array parameter (a placeholder per id costs
    more to parse and plan than the search itself), elsewhere the list."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [sorted(ids)])
    return sorted(ids)
