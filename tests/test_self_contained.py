"""A clone of the repository alone runs and tests: the reference data the demo, the bulletin
and the tests agree with travels inside the package, and nothing reads a directory beside the
checkout. (`.ci/run` proves the whole of it by running the suite from a fresh clone in an empty
temporary directory.)"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from ipex.seizures.reference import data_file, national_csv, national_figures, published_as

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = "../" + "shared"  # spelled apart so that this file does not find itself
BESIDE = "shared" + "/data"


def project_files():
    for top in ("src", "tests", "scripts", "bench", "docs", ".ci"):
        for path in (ROOT / top).rglob("*"):
            if (
                path.is_file()
                and path.suffix in {".py", ".sh", ".md", ".html", ".toml", ""}
                and ".egg-info" not in str(path)
                and "__pycache__" not in path.parts
            ):
                yield path
    yield ROOT / "Makefile"
    yield ROOT / "README.md"
    yield ROOT / "pyproject.toml"


def test_nothing_in_the_project_reads_a_directory_beside_the_checkout():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files()
        if OUTSIDE in path.read_text(encoding="utf-8", errors="replace")
        or BESIDE in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


def test_the_published_2012_figures_come_with_the_package():
    figures = national_figures(2012)
    assert figures == {
        "books": 19_080_000,
        "periodicals": 1_140_000,
        "audiovisual": 65_870_000,
        "electronic_publications": 13_010_000,
        "software": 7_740_000,
        "other": 90_000,
    }
    assert sum(figures.values()) == 106_930_000  # "107 million" as published
    assert published_as(2012)["books"] == "19.08 million"
    assert "233" in data_file("README.md").read_text(encoding="utf-8")


def test_the_reference_data_is_declared_as_package_data_so_a_wheel_carries_it():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    package = ROOT / "src" / "ipex" / "seizures"
    for path in (national_csv(2012), data_file("README.md")):
        relative = str(path.resolve().relative_to(package.resolve()))
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
