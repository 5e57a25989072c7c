"""The national bulletin reaches across apps: the seizures app writes its national paragraph
from the roll-ups, and the portal adds the enforcement sentence counted from the cases
(registered in ``PortalConfig.ready`` as a section of ``seizures.registry.bulletin_sections``)."""

from __future__ import annotations

from ipex.cases.queries import national_enforcement_counts
from ipex.seizures.bulletin import enforcement_paragraph


def enforcement_section(*, country: str, year: int, language: str) -> str:
    """Production lines cracked down and licensed enterprises punished in the country's year
    ("" when there were none)."""
    lines, enterprises = national_enforcement_counts(country, year)
    return enforcement_paragraph(year=year, lines=lines, enterprises=enterprises, language=language)
