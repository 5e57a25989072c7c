"""Customs register search and answer deadlines.

    .venv/bin/python bench/border.py --recordations 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipex_bench_border \\
        .venv/bin/python bench/border.py --recordations 100000

Register: synthetic recordations (work titles, marks, owners and goods in English, Chinese
and Russian; holders named in the three languages) loaded in bulk with their register words
(``border.register``), then queries of one or two words taken from random recordations
(English and Russian words typed in part, Chinese parts of titles, numbers, holders), each
answered as the API answers it (the count and the first page). Baseline, in the same run: a
linear scan in Python of the same records' public text (already folded and in memory) for
the same queries. Both sides must find the same recordations before anything is timed.

Deadlines: answer deadlines on China's and Russia's calendars from random days of 2013-2016,
against the ``holidays`` package's own ``get_nth_working_day`` in the same run.

Targets: register p95 <= 20 ms and >= 10x faster than the scan; >= 100,000 deadlines/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time

EN = [
    "pe",
    "ar",
    "ri",
    "ver",
    "dra",
    "gon",
    "har",
    "bour",
    "silk",
    "jade",
    "lo",
    "tus",
    "thun",
    "der",
    "cra",
    "ne",
    "bam",
    "boo",
    "mo",
    "on",
    "sun",
]
RU = [
    "пес",
    "ни",
    "ре",
    "ка",
    "дра",
    "кон",
    "га",
    "вань",
    "шёлк",
    "неф",
    "рит",
    "ло",
    "тос",
    "гром",
    "жу",
    "равль",
    "бам",
    "бук",
    "лу",
    "на",
]
ZH = "珠江龙港丝玉莲雷鹤竹山海风云星月花春秋光明天水火金木土石田"
GOODS = ["DVD discs", "VCD discs", "Blu-ray discs", "books", "software discs", "music CDs"]


def setup() -> None:
    os.environ.setdefault("IPEX_DEBUG", "true")
    os.environ.setdefault("IPEX_DATA_DIR", tempfile.mkdtemp(prefix="ipex-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipex.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def vocabulary(rng: random.Random, size: int) -> tuple[list[str], list[str], list[str]]:
    """Words made of syllables (several thousand of each language, so that a word is shared
    by a few dozen recordations, as titles are)."""

    def word(syllables):
        return "".join(rng.choice(syllables) for _ in range(rng.randrange(3, 5)))

    en = [word(EN) for _ in range(size)]
    ru = [word(RU) for _ in range(size)]
    zh = ["".join(rng.choice(ZH) for _ in range(4)) for _ in range(size)]
    return en, ru, zh


def load(n: int, rng: random.Random) -> list[tuple[int, str, str]]:
    """``n`` recorded recordations and their register words; returns (pk, number, folded
    public text) of each for the baseline."""
    from django.db import connection, transaction

    from ipex.border import register
    from ipex.border.models import Recordation, RegisterTerm
    from ipex.core.audit import Actor
    from ipex.directory import services as directory
    from ipex.directory.models import JurisdictionLevel, Node, OrgKind

    actor = Actor.system("bench")
    directory.node_init(name="Bench node", base_url="http://127.0.0.1:8000")
    cn = directory.jurisdiction_add(
        actor=actor, code="CN", level=JurisdictionLevel.COUNTRY, name_en="China"
    )
    en, ru, zh = vocabulary(rng, max(200, n // 20))
    holders = [
        directory.organisation_create(
            actor=actor,
            code=f"BH-{h}",
            kind=OrgKind.RIGHTS_HOLDER,
            name_en=f"{en[h].title()} Media {h}",
            name_zh_hans=f"{zh[h]}音像{h}",
            name_ru=f"Медиа {ru[h]} {h}",
            jurisdiction=cn,
        )
        for h in range(50)
    ]
    node = Node.local()
    kept = []
    batch = 2000
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            title = f"{rng.choice(en)} {rng.choice(ru)} {rng.choice(zh)}"
            rows.append(
                Recordation(
                    origin_node=node,
                    owner_org=rng.choice(holders),
                    right_kind="copyright",
                    work_title=title,
                    work_type="audiovisual",
                    work_owner=f"{rng.choice(en).title()} Rights {i % 997}",
                    mark="",
                    goods=rng.choice(GOODS),
                    countries=["CN", "RU"],
                    status="recorded",
                    number=f"BN-{i:06d}",
                    valid_from=dt.date(2013, 1, 1),
                    valid_until=dt.date(2099, 12, 31),
                    right_key=f"bench-{i}",
                )
            )
        with transaction.atomic():
            Recordation.objects.bulk_create(rows)
            made = Recordation.objects.filter(number__in=[r.number for r in rows]).select_related(
                "owner_org"
            )
            terms = []
            for r in made:
                words = register.terms(register.public_text(r))
                terms += [RegisterTerm(recordation=r, term=t) for t in words]
                kept.append((r.pk, r.number, tuple(sorted(words)), register.public_text(r)))
            RegisterTerm.objects.bulk_create(terms, batch_size=5000)
    if connection.vendor == "postgresql":  # what autovacuum does after a load like this
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE border_recordation, border_registerterm")
    return kept


def queries(rng: random.Random, kept, count: int) -> list[str]:
    out = []
    for _ in range(count):
        _pk, number, _terms, text = rng.choice(kept)
        words = text.split()
        kind = rng.randrange(5)
        if kind == 0:
            out.append(number)
        elif kind == 1:  # an English or Russian word typed in part, with the goods
            word = rng.choice(words[1:3])
            out.append(word[: max(5, len(word) - 2)])
        elif kind == 2:  # three Chinese characters from a title
            han = words[3]
            at = rng.randrange(len(han) - 2)
            out.append(han[at : at + 3])
        elif kind == 3:  # the holder's Russian name and a title word
            out.append(f"{words[-2]} {words[1]}")
        else:  # two title words
            out.append(" ".join(words[1:3]))
    return out


def scan(kept, q: str) -> list[int]:
    """The baseline: every record's words (split and folded beforehand, in memory), every
    word of the query the start of one of them, in number order."""
    from ipex.border import register

    wanted = register.words(q)
    hits = []
    for pk, number, tokens, _text in kept:
        if all(any(t.startswith(w) for t in tokens) for w in wanted):
            hits.append((number, pk))
    hits.sort()
    return [pk for _n, pk in hits]


def search(q: str) -> tuple[int, list[int]]:
    from ipex.border.queries import register_search

    rows = register_search(q)
    return rows.count(), list(rows.values_list("pk", flat=True)[:20])


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def bench_register(n: int, count: int, rng: random.Random) -> bool:
    from django.db import connection

    start = time.perf_counter()
    kept = load(n, rng)
    print(
        f"database: {connection.vendor}; {n:,} recordations loaded in "
        f"{time.perf_counter() - start:.0f} s"
    )
    asked = queries(rng, kept, count)
    for q in asked[:50]:  # both sides agree before anything is timed
        expected = scan(kept, q)
        total, first = search(q)
        assert (total, first) == (len(expected), expected[:20]), q
    timed, scanned = [], []
    for q in asked:
        t0 = time.perf_counter()
        search(q)
        timed.append((time.perf_counter() - t0) * 1000)
    for q in asked[: max(10, count // 10)]:
        t0 = time.perf_counter()
        scan(kept, q)
        scanned.append((time.perf_counter() - t0) * 1000)
    ours, theirs = p95(timed), statistics.median(scanned)
    ratio = statistics.median(scanned) / statistics.median(timed)
    print(
        f"register search: p50 {statistics.median(timed):.1f} ms, p95 {ours:.1f} ms "
        f"({count} queries; target p95 <= 20 ms)"
    )
    print(f"linear scan in Python (baseline): p50 {theirs:.1f} ms, p95 {p95(scanned):.1f} ms")
    print(f"ratio (scan p50 / search p50): {ratio:.0f}x (target >= 10x)")
    return ours <= 20 and ratio >= 10


def bench_deadlines(count: int, rng: random.Random) -> bool:
    from ipex.border import deadlines

    days = [dt.date(2013, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365)) for _ in range(count)]
    codes = [rng.choice(("CN", "RU")) for _ in range(count)]
    spans = [3 if c == "CN" else 10 for c in codes]
    for code, day, span in zip(codes[:2000], days, spans, strict=False):
        assert deadlines.add_working_days(code, day, span) == deadlines.calendar(
            code
        ).get_nth_working_day(day, span)
    start = time.perf_counter()
    for code, day, span in zip(codes, days, spans, strict=True):
        deadlines.add_working_days(code, day, span)
    rate = count / (time.perf_counter() - start)
    sample = max(1000, count // 20)
    start = time.perf_counter()
    for code, day, span in zip(codes[:sample], days, spans, strict=False):
        deadlines.calendar(code).get_nth_working_day(day, span)
    base = sample / (time.perf_counter() - start)
    print(
        f"deadlines: {rate:,.0f}/s over {count:,} (target >= 100,000/s); holidays' "
        f"get_nth_working_day (baseline): {base:,.0f}/s; ratio {rate / base:.0f}x"
    )
    return rate >= 100_000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recordations", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2013)
    args = parser.parse_args()
    setup()
    rng = random.Random(args.seed)
    ok = bench_deadlines(args.deadlines, rng)
    ok = bench_register(args.recordations, args.queries, rng) and ok
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
