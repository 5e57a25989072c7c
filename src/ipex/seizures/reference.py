"""The published figures the project carries with it (``seizures/data/``, package data): the
2012 national seizure statistics of China as the NCAC published them, which the demo, the
bulletin and the tests must agree with. See ``data/README.md`` for the source and the other
published facts (233 production lines, 8 enterprises, the 300,000 CNY reward)."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path


def data_file(name: str) -> Path:
    """A file of the reference data, wherever the package is installed."""
    return Path(str(resources.files("ipex.seizures") / "data" / name))


def national_csv(year: int = 2012, country: str = "CN") -> Path:
    return data_file(f"national-seizures-{year}-{country}.csv")


def national_figures(year: int = 2012, country: str = "CN") -> dict[str, int]:
    """Category code → quantity seized, as published."""
    with national_csv(year, country).open(encoding="utf-8") as handle:
        return {row["category"]: int(row["quantity"]) for row in csv.DictReader(handle)}


def published_as(year: int = 2012, country: str = "CN") -> dict[str, str]:
    """Category code → the figure as printed ("19.08 million")."""
    with national_csv(year, country).open(encoding="utf-8") as handle:
        return {row["category"]: row["published_as"] for row in csv.DictReader(handle)}
