"""Server-side SVG bar charts: no JavaScript, no CDN, readable on a phone and by a screen
reader (each chart carries a title and the figures sit in a table beside it)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ipex.seizures.bulletin import format_quantity


def bar_chart(
    rows: list[dict], *, label: str, value: str = "quantity", title: str, language: str = "en"
) -> SafeString:
    """Horizontal bars, one per row, widths proportional to the largest value."""
    bar_height, gap, label_width, width = 22, 8, 190, 640
    usable = width - label_width - 110
    top = max((int(r[value]) for r in rows), default=0) or 1
    height = len(rows) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'class="chart" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, row in enumerate(rows):
        y = gap + index * (bar_height + gap)
        amount = int(row[value])
        bar = max(1, round(usable * amount / top)) if amount else 0
        text = format_quantity(amount, language if language in {"en", "zh-hans", "ru"} else "en")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" '
            f'class="chart-label">{escape(str(row[label]))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" rx="3" '
            f'class="chart-bar"></rect>'
            f'<text x="{label_width + bar + 6}" y="{y + 16}" class="chart-value">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
