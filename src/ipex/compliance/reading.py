"""Reading uploaded files: size, SHA-256, CSV rows one at a time (UTF-8, with or without a
byte-order mark), each with its line number."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ipex.core.errors import DomainError

CHUNK = 1024 * 1024
MAX_BYTES = 200 * 1024 * 1024
MAX_ERRORS = 50  # row errors kept before a file is given up


def file_refused(message, *, code: str) -> DomainError:
    """A file refused as a whole: the reason is also the file's field error, so that a page
    shows it beside the upload."""
    return DomainError(message, fields={"file": [message]}, code=code)


def size_and_hash(fileobj, *, limit: int = MAX_BYTES) -> tuple[int, str]:
    """The file's size and SHA-256, read in chunks; a file over ``limit`` is refused."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := fileobj.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise file_refused(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                code="too_large",
            )
        digest.update(chunk)
    fileobj.seek(0)
    if size == 0:
        raise file_refused(_("The file is empty."), code="empty")
    return size, digest.hexdigest()


class RowErrors(DomainError):
    """A file refused as a whole: the problems of its rows (or devices), the first ones kept."""

    default_code = "bad_rows"

    def __init__(self, problems: list[str]):
        self.problems = problems[:MAX_ERRORS]
        shown = "; ".join(self.problems[:10])
        more = len(problems) - 10
        message = _("Nothing was imported: %(problems)s") % {"problems": shown}
        if more > 0:
            message += " " + _("(and %(count)s more)") % {"count": more}
        super().__init__(message, fields={"file": self.problems})


class Problems:
    """Collects row problems; ``check()`` raises them all at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def full(self) -> bool:
        return len(self.items) >= MAX_ERRORS

    def check(self) -> None:
        if self.items:
            raise RowErrors(self.items)


def csv_rows(fileobj, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: value}) for every non-empty row, streamed. The header names the
    columns (any case, any order); a missing required column, or a file that is not UTF-8
    text, is refused before any row."""
    fileobj.seek(0)
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise file_refused(_("The file is empty."), code="empty") from None
        missing = [c for c in required if c not in header]
        if missing:
            raise file_refused(
                _("The header lacks the column(s) %(columns)s.") % {"columns": ", ".join(missing)},
                code="bad_header",
            )
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            values = {
                name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)
            }
            yield reader.line_num, values
    except UnicodeDecodeError as exc:
        raise file_refused(_("The file is not UTF-8 text."), code="encoding") from exc
    except csv.Error as exc:
        raise file_refused(
            _("The file is not a readable CSV file: %(why)s.") % {"why": exc}, code="bad_csv"
        ) from exc
    finally:
        text.detach()
