"""Open-data pages and downloads (no sign-in): the catalogue, each version of a dataset's
year, its files at stable addresses, the DCAT-AP catalogue. Downloads answer conditional
requests (``ETag``/``Last-Modified``) with 304 before anything is rendered, and carry
``Access-Control-Allow-Origin: *`` so any web page may fetch them."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_safe

from ipex.core.freshness import kept, kept_answer
from ipex.core.registry import open_datasets
from ipex.portal import data_formats
from ipex.portal.models import DatasetVersion


def public_cors(view):
    """Any origin may read the answer (GET and HEAD only: nothing here writes)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition"
        return response

    return require_safe(wrapped)


def _versions(dataset: str, year: int) -> list[DatasetVersion]:
    """The year's versions of ``dataset``, newest first, without their rows."""
    return list(
        DatasetVersion.objects.filter(dataset=dataset, year=year)
        .order_by("-number")
        .only("dataset", "year", "number", "digest", "published_at", "superseded_at")
    )


def _found(request, dataset: str, year: int, number: int | None = None, file: str | None = None):
    """(spec, version, newer version or None) of the address, looked up once per request
    and kept under the audit head (each publication of a version is audited): a conditional
    request costs the head's query only. An unknown dataset, year, version or file is a
    404."""
    key = (dataset, year, number, file)
    cached = getattr(request, "_open_data", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    spec = open_datasets.get(dataset)
    if spec is None or (file is not None and file not in data_formats.FILES):
        raise Http404
    versions = kept("open-data-versions", (dataset, year), lambda: _versions(dataset, year))
    if number is None:
        chosen = next((v for v in versions if v.superseded_at is None), None)
    else:
        chosen = next((v for v in versions if v.number == number), None)
    if chosen is None:
        raise Http404
    newer = versions[0] if versions[0].number != chosen.number else None
    found = (spec, chosen, newer)
    request._open_data = (key, found)
    return found


def _etag(request, dataset, year, file, number=None):
    _spec, version, _newer = _found(request, dataset, year, number, file)
    state = "s" if version.superseded_at else "c"
    return f"{version.digest[:20]}-{version.number}{state}-{file}"


def _modified(request, dataset, year, file, number=None):
    return _found(request, dataset, year, number, file)[1].changed_at


@public_cors
@condition(etag_func=_etag, last_modified_func=_modified)
def data_file(request, dataset, year, file, number=None):
    """One file of a version (``number``), or of the year's current version (no number): made
    once under each audit head, then kept (``core.freshness.kept_answer``)."""
    return kept_answer(
        "open-data",
        request.build_absolute_uri(),
        lambda: _data_file(request, dataset, year, file, number),
    )


def _data_file(request, dataset, year, file, number):
    spec, version, newer = _found(request, dataset, year, number, file)
    version = DatasetVersion.objects.get(pk=version.pk)  # now with its rows
    body = data_formats.render(request, file, spec, version, newer)
    media = data_formats.FILES[file][0]
    response = HttpResponse(body, content_type=media)
    disposition = "attachment" if file.endswith((".csv", ".xlsx")) else "inline"
    filename = f"{dataset}-{year}-v{version.number}-{file}"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _catalogue_entries():
    """Each declared dataset with its versions, newest year and version first."""
    versions: dict[str, list[DatasetVersion]] = {}
    for version in DatasetVersion.objects.defer("rows").order_by("-year", "-number"):
        versions.setdefault(version.dataset, []).append(version)
    return [(name, spec, versions.get(name, [])) for name, spec in open_datasets.items()]


def catalogue(request):
    return render(
        request,
        "portal/open_data.html",
        {"entries": _catalogue_entries(), "files": list(data_formats.FILES)},
    )


def version_page(request, dataset, year, number):
    spec, version, newer = _found(request, dataset, year, number)
    version = DatasetVersion.objects.get(pk=version.pk)
    return render(
        request,
        "portal/open_data_version.html",
        {
            "spec": spec,
            "version": version,
            "newer": newer,
            "files": list(data_formats.FILES),
            "columns": data_formats.columns(spec),
            "preview": [list(row.values()) for row in version.rows[:50]],
        },
    )


@public_cors
def dcat_catalogue(request):
    """The DCAT-AP catalogue (JSON-LD) of every dataset version, current or superseded."""
    datasets = []
    for _name, spec, versions in _catalogue_entries():
        newest: dict[int, DatasetVersion] = {}
        for version in versions:
            newest.setdefault(version.year, version)
            newer = newest[version.year] if newest[version.year] is not version else None
            datasets.append(data_formats.dcat_dataset(request, spec, version, newer=newer))
    graph = {
        "@id": request.build_absolute_uri(),
        "@type": "dcat:Catalog",
        "dct:title": data_formats.texts(data_formats.CATALOGUE_TITLE),
        "dcat:dataset": datasets,
    }
    return HttpResponse(
        data_formats.dcat_document(graph), content_type=data_formats.FILES["dcat.jsonld"][0]
    )
