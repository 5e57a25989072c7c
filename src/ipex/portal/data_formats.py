"""What a dataset version is downloaded as: CSV, JSON, XLSX, a Frictionless Data Package
(``datapackage.json`` with a Table Schema, its resource the CSV beside it) and DCAT-AP
metadata in JSON-LD, for national open-data portals to harvest."""

from __future__ import annotations

import csv
import io
import json

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from openpyxl import Workbook

from ipex.core.registry import OpenDataset
from ipex.portal.models import ContentLanguage, DatasetVersion

# file name in the URL → (media type, IANA/EU file type of DCAT-AP)
FILES = {
    "data.csv": ("text/csv; charset=utf-8", "CSV"),
    "data.json": ("application/json", "JSON"),
    "data.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "datapackage.json": ("application/json", "JSON"),
    "dcat.jsonld": ("application/ld+json", "JSON_LD"),
}
CATALOGUE_TITLE = _("Open data")
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def columns(spec: OpenDataset) -> list[str]:
    return [name for name, _type, _title in spec.fields]


def as_csv(spec: OpenDataset, version: DatasetVersion) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(spec), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(version.rows)
    return out.getvalue().encode("utf-8")


def as_json(spec: OpenDataset, version: DatasetVersion) -> bytes:
    body = {
        "dataset": spec.name,
        "year": version.year,
        "version": version.number,
        "published": version.published_at.isoformat(),
        "superseded": version.superseded_at.isoformat() if version.superseded_at else None,
        "fields": columns(spec),
        "rows": version.rows,
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def as_xlsx(spec: OpenDataset, version: DatasetVersion) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{spec.name}-{version.year}"[:31])
    names = columns(spec)
    sheet.append(names)
    for row in version.rows:
        sheet.append([row.get(name) for name in names])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _name(spec: OpenDataset, version: DatasetVersion) -> str:
    return f"{spec.name}-{version.year}-v{version.number}"


def _english(text) -> str:
    with override("en"):
        return str(text)


def datapackage(spec: OpenDataset, version: DatasetVersion) -> bytes:
    """A Data Package (Frictionless v1) whose one resource is ``data.csv`` at the same address."""
    schema = {
        "fields": [
            {"name": name, "type": kind, "title": _english(title)}
            for name, kind, title in spec.fields
        ],
    }
    if spec.primary_key:
        schema["primaryKey"] = list(spec.primary_key)
    package = {
        "name": _name(spec, version),
        "title": f"{_english(spec.title)} {version.year}",
        "description": _english(spec.description),
        "version": str(version.number),
        "created": version.published_at.isoformat(),
        "keywords": list(spec.keywords),
        "resources": [
            {
                "name": spec.name,
                "path": "data.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")


def version_url(request, version: DatasetVersion, file: str | None = None) -> str:
    args = [version.dataset, version.year, version.number]
    if file is None:
        return request.build_absolute_uri(reverse("open-data-version", args=args))
    return request.build_absolute_uri(reverse("open-data-file", args=[*args, file]))


def texts(text) -> list[dict]:
    """A text in every language of the node, as JSON-LD language-tagged values."""
    out = []
    for code in ContentLanguage.values:
        with override(code):
            out.append({"@value": str(text), "@language": code})
    return out


def _date(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def dcat_dataset(
    request, spec: OpenDataset, version: DatasetVersion, *, newer: DatasetVersion | None = None
) -> dict:
    """The DCAT-AP description of one version of a year of a dataset, its distributions the
    files above (without the JSON-LD ``@context``: ``dcat_document`` adds it)."""
    here = version_url(request, version)
    described = {
        "@id": here,
        "@type": "dcat:Dataset",
        "dct:identifier": _name(spec, version),
        "dct:title": texts(spec.title),
        "dct:description": texts(spec.description),
        "dcat:keyword": list(spec.keywords),
        "dct:issued": _date(version.published_at),
        "dct:modified": _date(version.changed_at),
        "owl:versionInfo": str(version.number),
        "dcat:landingPage": {"@id": here},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{version.year}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{version.year}-12-31", "@type": "xsd:date"},
        },
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dcat:accessURL": {"@id": here},
                "dcat:downloadURL": {"@id": version_url(request, version, file)},
                "dcat:mediaType": media.split(";")[0],
                "dct:format": {"@id": FILE_TYPES + kind},
            }
            for file, (media, kind) in FILES.items()
            if file != "dcat.jsonld"
        ],
    }
    if newer is not None:
        described["dct:isReplacedBy"] = {"@id": version_url(request, newer)}
    return described


def dcat_document(graph: dict) -> bytes:
    return json.dumps({"@context": DCAT_CONTEXT, **graph}, ensure_ascii=False).encode("utf-8")


def render(request, file: str, spec: OpenDataset, version: DatasetVersion, newer=None) -> bytes:
    if file == "data.csv":
        return as_csv(spec, version)
    if file == "data.json":
        return as_json(spec, version)
    if file == "data.xlsx":
        return as_xlsx(spec, version)
    if file == "datapackage.json":
        return datapackage(spec, version)
    return dcat_document(dcat_dataset(request, spec, version, newer=newer))
