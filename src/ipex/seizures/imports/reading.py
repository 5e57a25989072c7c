"""Reading an uploaded file: its size and hash, what kind of file it is, a ZIP bomb refused
before anything unpacks it, the encoding of a CSV file, and its rows one at a time."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ipex.core.errors import DomainError

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024  # bytes read at a time while hashing
SAMPLE = 64 * 1024  # bytes looked at to recognise an encoding
MAX_LINE = 1024 * 1024  # characters in one physical CSV line
MAX_COLUMNS = 64  # an XLSX sheet is read this wide at most
XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_SMALL_MEMBER = 1024 * 1024  # below this a member cannot be a bomb, whatever its ratio
XLSX_MAX_MEMBERS = 10_000
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files

# The encodings a CSV file may be declared in, and the codec that reads each. GB18030 is a
# superset of GBK and GB2312, so a file saved as either reads with it.
ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
}
SUPPORTED_ENCODINGS = "UTF-8, GBK (GB18030), CP1251"
CODEC_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GBK (GB18030)", "cp1251": "CP1251"}


@dataclass
class _Scan:
    sha256: str
    decodes: bool  # as the codec checked, if any
    first_bad: int  # offset of the first byte that does not decode
    bad_line: int  # its line number
    has_nul: bool


def _size(fileobj) -> int:
    try:
        size = fileobj.seek(0, io.SEEK_END)
        fileobj.seek(0)
    except (AttributeError, OSError, ValueError) as exc:
        raise DomainError(_("The file cannot be read."), code="bad_file") from exc
    return size


def _scan(fileobj, *, check_text: bool, codec: str | None) -> _Scan:
    """One pass over the bytes, a chunk at a time: the SHA-256 (so that a file imported
    before is recognised before any row is read) and whether the text decodes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(codec)() if codec else None
    decodes, first_bad, bad_line, has_nul, offset, lines = True, -1, 0, False, 0, 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        if check_text and not has_nul and b"\x00" in chunk:
            has_nul = True
        if decoder is not None and decodes:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                decodes, first_bad = False, offset + exc.start
                bad_line = lines + chunk.count(b"\n", 0, exc.start) + 1
            lines += chunk.count(b"\n")
        offset += len(chunk)
    if decoder is not None and decodes:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            decodes, first_bad, bad_line = False, max(0, offset - 4), lines + 1
    fileobj.seek(0)
    return _Scan(digest.hexdigest(), decodes, first_bad, bad_line, has_nul)


def _not_a_table_message() -> str:
    return _(
        "The file is neither CSV text nor an Excel workbook (.xlsx). Save it as CSV or .xlsx "
        "and import that."
    )


def _declared_codec(encoding: str | None) -> str | None:
    if not encoding:
        return None
    codec = ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if codec is None:
        raise DomainError(
            _("The encoding %(encoding)s is not supported; use one of: %(supported)s.")
            % {"encoding": encoding, "supported": SUPPORTED_ENCODINGS},
            code="bad_encoding",
            fields={"encoding": [_("Use one of: %(s)s.") % {"s": SUPPORTED_ENCODINGS}]},
        )
    return codec


def _bad_encoding() -> DomainError:
    return DomainError(
        _(
            "The file is not UTF-8 text and its encoding could not be recognised. Save it as "
            "CSV UTF-8, or choose its encoding; supported: %(supported)s."
        )
        % {"supported": SUPPORTED_ENCODINGS},
        code="bad_encoding",
    )


def _detect_encoding(fileobj, first_bad: int) -> str:
    """GB18030 or CP1251 for a file that is not UTF-8, from a sample taken where the first
    non-UTF-8 byte is (from the start of its line, as no multi-byte character spans one)."""
    start = max(0, first_bad - SAMPLE // 2)
    fileobj.seek(start)
    sample = fileobj.read(SAMPLE)
    fileobj.seek(0)
    if start:
        newline = sample.find(b"\n", 0, first_bad - start)
        sample = sample[newline + 1 :] if newline >= 0 else sample
    if not any(b >= 0x80 for b in sample):
        raise _bad_encoding()
    chinese = common = russian = lower = 0.0
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        wide = [c for c in text if ord(c) >= 0x80]
        cjk = [c for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\uffef"]
        chinese = len(cjk) / len(wide) if wide else 0.0
        # most characters of real Chinese text are in GB2312's first level, 0xB0-0xD7
        common = sum(1 for c in cjk if 0xB0 <= c.encode("gb18030")[0] <= 0xD7) / max(1, len(cjk))
    try:
        text = sample.decode("cp1251")
    except UnicodeDecodeError:
        pass
    else:
        wide = [c for c in text if ord(c) >= 0x80]
        cyrillic = [c for c in wide if "\u0410" <= c <= "\u044f" or c in "\u0401\u0451"]
        russian = len(cyrillic) / len(wide) if wide else 0.0
        # most letters of real Russian text are lower case
        lower = sum(1 for c in cyrillic if c >= "\u0430") / max(1, len(cyrillic))
    looks_chinese, looks_russian = chinese >= 0.8, russian >= 0.8
    if looks_chinese and looks_russian:  # short samples can read as both
        return "gb18030" if common > lower else "cp1251"
    if looks_chinese:
        return "gb18030"
    if looks_russian:
        return "cp1251"
    raise _bad_encoding()


def _csv_rows(fileobj, codec: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV file, decoded as it is read."""
    text = io.TextIOWrapper(fileobj, encoding=codec, errors="strict", newline="")
    number = 0
    try:
        lines = _lines(text)
        first = next(lines, "")
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        for number, cells in enumerate(reader, start=1):  # noqa: B007 - read in except
            yield number, cells
    except UnicodeDecodeError as exc:
        raise DomainError(
            _(
                "The file is not valid %(encoding)s text (after row %(row)s). Choose its "
                "encoding; supported: %(supported)s."
            )
            % {
                "encoding": CODEC_NAMES.get(codec, codec),
                "row": number,
                "supported": SUPPORTED_ENCODINGS,
            },
            code="bad_encoding",
        ) from exc
    except csv.Error as exc:
        raise DomainError(
            _("The CSV file cannot be read at row %(row)s: %(error)s.")
            % {"row": number + 1, "error": exc},
            code="bad_csv",
        ) from exc
    finally:
        text.detach()  # the caller's file stays open


def _lines(text: io.TextIOWrapper) -> Iterator[str]:
    readline = text.readline
    while line := readline(MAX_LINE):
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            raise DomainError(
                _("A line of the file is longer than %(n)s characters.") % {"n": MAX_LINE},
                code="bad_csv",
            )
        yield line


def _check_xlsx_container(fileobj, size: int) -> None:
    """Refuse a ZIP bomb before anything decompresses it: too many members, too much
    uncompressed data, or a member compressed more than real spreadsheets are."""
    bomb = DomainError(
        _(
            "The workbook is refused: it would unpack to more than %(limit)s or is compressed "
            "suspiciously well. Save the sheet as CSV and import that."
        )
        % {"limit": filesizeformat(XLSX_MAX_UNCOMPRESSED)},
        code="xlsx_bomb",
    )
    entries, directory_size = _zip_directory(fileobj, size)
    if entries > XLSX_MAX_MEMBERS or directory_size > XLSX_MAX_MEMBERS * 1024:
        raise bomb
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise _bad_xlsx() from exc
    finally:
        fileobj.seek(0)
    if len(members) > XLSX_MAX_MEMBERS:
        raise bomb
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > XLSX_SMALL_MEMBER and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise bomb
    if total > XLSX_MAX_UNCOMPRESSED:
        raise bomb
    if "xl/workbook.xml" not in names:
        raise _bad_xlsx()


def _zip_directory(fileobj, size: int) -> tuple[int, int]:
    """(members, central directory size) from the end records, read before zipfile builds
    one object per member."""
    tail_size = min(size, 22 + 65_535)
    fileobj.seek(size - tail_size)
    tail = fileobj.read(tail_size)
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise _bad_xlsx()
    entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # ZIP64: the real counts are before
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            raise _bad_xlsx()
        (offset,) = struct.unpack("<Q", locator[8:16])
        fileobj.seek(offset)
        record = fileobj.read(56)
        fileobj.seek(0)
        if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
            raise _bad_xlsx()
        entries, directory_size = struct.unpack("<QQ", record[32:48])
    return entries, directory_size


def _bad_xlsx() -> DomainError:
    return DomainError(
        _("The file looks like an Excel workbook (.xlsx) but cannot be read."),
        code="bad_xlsx",
    )


def _xlsx_rows(fileobj) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet, read-only (streamed)."""
    # openpyxl is large: loaded only when an XLSX file is read or written.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _bad_xlsx() from exc
    try:
        if not workbook.worksheets:
            raise _bad_xlsx()
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                log.info("unreadable workbook row %s: %s", number + 1, exc)
                raise _bad_xlsx() from exc
            number += 1
            yield number, [_text(v) for v in values]
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)
