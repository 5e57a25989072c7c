"""The inventory formats IT departments already export, read into one shape: chunks of
(device, where, [(name, publisher, version), …]).

- glpi-agent JSON: one inventory document (``content.hardware.name``, ``content.softwares``),
  or a JSON array of them; read whole (the size is capped), a device per document.
- OCS Inventory NG XML: one ``<REQUEST>`` per device (``HARDWARE/NAME``, ``SOFTWARES``),
  alone or several under one root; streamed with defusedxml's ``iterparse``, which refuses a
  DTD, entity declarations (billion laughs) and external entities.
- osquery JSON results: the filesystem logger's lines (one JSON object per line, streamed) or
  a JSON array, with ``hostIdentifier`` and ``snapshot`` rows (or ``columns`` for an event) of
  the ``programs``, ``deb_packages``, ``rpm_packages`` or ``apps`` table, named by the query.
- CSV: columns ``device``, ``name``, ``publisher``, ``version``; streamed row by row.

Each chunk says whether it is a whole device (``whole``): a whole device seen twice in one
file is refused; CSV rows of a device may be spread over the file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ipex.compliance.models import InventoryFormat
from ipex.compliance.reading import csv_rows, file_refused
from ipex.core.errors import DomainError

MAX_JSON_BYTES = 64 * 1024 * 1024  # a JSON document is read whole
OSQUERY_TABLES = ("programs", "deb_packages", "rpm_packages", "apps")


@dataclass
class Chunk:
    device: str
    place: str  # "row %(n)s" (marked with gettext_noop): translated only for a message
    number: int
    installs: list[tuple[str, str, str]] = field(default_factory=list)
    whole: bool = True
    key: str = ""  # what makes a whole chunk unique in its file (the device, or device+table)
    lines: list[int] = field(default_factory=list)  # CSV: each install's own row

    @property
    def where(self) -> str:
        """Where in the file, in the reader's language: "row 12", "document 3"."""
        return _(self.place) % {"n": self.number}

    def where_of(self, index: int) -> str:
        """Where the chunk's install ``index`` is: its own row in a CSV file."""
        return _(self.place) % {"n": self.lines[index] if self.lines else self.number}


def detect(fileobj) -> str:
    """The format by content: XML, JSON (a glpi-agent document or osquery results) or CSV."""
    fileobj.seek(0)
    head = fileobj.read(4096)
    fileobj.seek(0)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return InventoryFormat.OCS
    if text.startswith((b"{", b"[")):
        if b"hostIdentifier" in head or b'"snapshot"' in head or b'"columns"' in head:
            return InventoryFormat.OSQUERY
        if b'"content"' in head or b'"softwares"' in head or b'"deviceid"' in head:
            return InventoryFormat.GLPI
        raise unknown_format()
    first_line = text.split(b"\n", 1)[0].lower()
    if b"device" in first_line and b"name" in first_line:
        return InventoryFormat.CSV
    raise unknown_format()


def unknown_format() -> DomainError:
    return file_refused(
        _(
            "This is not an inventory IPEX can read: give a glpi-agent JSON inventory, an OCS "
            "Inventory NG XML file, osquery JSON results or a CSV file (device, name, "
            "publisher, version)."
        ),
        code="unknown_format",
    )


def broken(fmt: str, why) -> DomainError:
    return file_refused(
        _("The %(format)s file cannot be read (truncated or malformed?): %(why)s.")
        % {"format": InventoryFormat(fmt).label, "why": why},
        code="malformed",
    )


def chunks(fmt: str, fileobj) -> Iterator[Chunk]:
    return {
        InventoryFormat.GLPI: _glpi,
        InventoryFormat.OCS: _ocs,
        InventoryFormat.OSQUERY: _osquery,
        InventoryFormat.CSV: _csv,
    }[fmt](fileobj)


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _load_json(fmt: str, fileobj):
    fileobj.seek(0)
    raw = fileobj.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise file_refused(
            _("A JSON inventory is limited to %(mb)s MB; split it by device.")
            % {"mb": MAX_JSON_BYTES // (1024 * 1024)},
            code="too_large",
        )
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise broken(fmt, exc) from exc


# ---------------------------------------------------------------- glpi-agent


def _glpi(fileobj) -> Iterator[Chunk]:
    data = _load_json(InventoryFormat.GLPI, fileobj)
    documents = data if isinstance(data, list) else [data]
    for number, document in enumerate(documents, start=1):
        content = document.get("content") if isinstance(document, dict) else None
        if not isinstance(content, dict):
            raise broken(
                InventoryFormat.GLPI,
                _('document %(n)s has no "content"') % {"n": number},
            )
        hardware = content.get("hardware") or {}
        name = _text(hardware.get("name") if isinstance(hardware, dict) else "")
        name = name or _text(document.get("deviceid"))
        softwares = content.get("softwares") or []
        if not isinstance(softwares, list):
            raise broken(InventoryFormat.GLPI, _('"softwares" is not a list'))
        chunk = Chunk(device=name, place=gettext_noop("document %(n)s"), number=number, key=name)
        for software in softwares:
            if isinstance(software, dict):
                chunk.installs.append(
                    (
                        _text(software.get("name")),
                        _text(software.get("publisher")),
                        _text(software.get("version")),
                    )
                )
        yield chunk


# ---------------------------------------------------------------- OCS Inventory NG


def _child(element, tag: str) -> str:
    found = element.find(tag)
    return _text(found.text) if found is not None else ""


def _ocs(fileobj) -> Iterator[Chunk]:
    fileobj.seek(0)
    number = 0
    try:
        for _event, element in iterparse(fileobj, events=("end",), forbid_dtd=True):
            if element.tag.upper() != "REQUEST":
                continue
            number += 1
            content = element.find("CONTENT")
            if content is None:
                raise broken(InventoryFormat.OCS, _("request %(n)s has no CONTENT") % {"n": number})
            hardware = content.find("HARDWARE")
            name = _child(hardware, "NAME") if hardware is not None else ""
            name = name or _child(element, "DEVICEID")
            chunk = Chunk(device=name, place=gettext_noop("request %(n)s"), number=number, key=name)
            for software in content.findall("SOFTWARES"):
                chunk.installs.append(
                    (
                        _child(software, "NAME"),
                        _child(software, "PUBLISHER"),
                        _child(software, "VERSION"),
                    )
                )
            element.clear()
            yield chunk
    except DefusedXmlException as exc:
        raise file_refused(
            _(
                "The XML file declares a DTD or entities, which IPEX refuses (they can expand "
                "without end or read other files); export it without them."
            ),
            code="xml_entities",
        ) from exc
    except ParseError as exc:
        raise broken(InventoryFormat.OCS, exc) from exc
    if number == 0:
        raise broken(InventoryFormat.OCS, _("no REQUEST element"))


# ---------------------------------------------------------------- osquery


def _osquery_records(fileobj) -> Iterator[tuple[int, dict]]:
    fileobj.seek(0)
    head = fileobj.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    fileobj.seek(0)
    if head.startswith(b"["):
        data = _load_json(InventoryFormat.OSQUERY, fileobj)
        for number, record in enumerate(data, start=1):
            yield number, record
        return
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig")
    try:
        for number, line in enumerate(text, start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except ValueError as exc:
                    raise broken(
                        InventoryFormat.OSQUERY,
                        _("line %(n)s: %(why)s") % {"n": number, "why": exc},
                    ) from exc
    except UnicodeDecodeError as exc:
        raise broken(InventoryFormat.OSQUERY, exc) from exc
    finally:
        text.detach()


def _osquery_row(table: str, row: dict) -> tuple[str, str, str]:
    if table == "deb_packages":
        return _text(row.get("name")), _text(row.get("maintainer")), _text(row.get("version"))
    if table == "rpm_packages":
        return _text(row.get("name")), _text(row.get("vendor")), _text(row.get("version"))
    if table == "apps":
        name = _text(row.get("display_name")) or _text(row.get("name")).removesuffix(".app")
        return name, "", _text(row.get("bundle_short_version") or row.get("bundle_version"))
    return _text(row.get("name")), _text(row.get("publisher")), _text(row.get("version"))


def _osquery(fileobj) -> Iterator[Chunk]:
    for number, record in _osquery_records(fileobj):
        if not isinstance(record, dict):
            raise broken(InventoryFormat.OSQUERY, _("entry %(n)s is not an object") % {"n": number})
        query = _text(record.get("name"))
        table = next((t for t in OSQUERY_TABLES if t in query), None)
        if table is None:
            raise file_refused(
                _(
                    "Entry %(n)s is the result of the query “%(query)s”; IPEX reads the "
                    "programs, deb_packages, rpm_packages and apps tables."
                )
                % {"n": number, "query": query},
                code="unknown_format",
            )
        host = _text(record.get("hostIdentifier") or record.get("host_identifier"))
        if "snapshot" in record:
            rows, whole = record["snapshot"], True
        else:
            rows, whole = [record.get("columns") or {}], False
        if not isinstance(rows, list):
            raise broken(InventoryFormat.OSQUERY, _("entry %(n)s") % {"n": number})
        chunk = Chunk(
            device=host,
            place=gettext_noop("entry %(n)s"),
            number=number,
            whole=whole,
            key=f"{host}\n{query}",
        )
        chunk.installs = [_osquery_row(table, row) for row in rows if isinstance(row, dict)]
        yield chunk


# ---------------------------------------------------------------- CSV


def _csv(fileobj) -> Iterator[Chunk]:
    """A chunk for each run of rows of one device; a row with no device or no program name
    is a chunk of its own, so that its message names its row."""
    chunk = None
    for line, row in csv_rows(fileobj, ("device", "name")):
        device, name = row["device"], row["name"]
        if chunk is not None and (device != chunk.device or not device or not name):
            yield chunk
            chunk = None
        if chunk is None:
            chunk = Chunk(device=device, place=gettext_noop("row %(n)s"), number=line, whole=False)
        chunk.installs.append((name, row.get("publisher", ""), row.get("version", "")))
        chunk.lines.append(line)
        if not device or not name:
            yield chunk
            chunk = None
    if chunk is not None:
        yield chunk
