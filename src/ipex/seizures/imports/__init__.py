"""Seizure import: CSV or XLSX, streamed, every row validated, all or nothing, idempotent.

The page and the API start an import with ``start``: a small file is imported at once (the
``ImportResult``), a large one is queued (the ``Job``) and run by ``import_job``;
``ipex import-seizures`` calls ``seizures_import`` directly. One row is one seized item;
consecutive rows with the same non-empty reference make one seizure.

Memory stays flat whatever the file size: rows are read one at a time (``csv.reader`` over an
``io.TextIOWrapper``; openpyxl in read-only mode), written in batches of ``BATCH_ROWS``, and
only bounded state is kept across rows (the current seizure, look-up caches of bounded size,
the roll-up totals per month and jurisdiction, the first ``MAX_ROW_ERRORS`` errors). The
roll-up figures move once per month and jurisdiction at the end, and one audit entry records
the whole import.

The modules, in the order a file goes through them:

- ``jobs``: ``start`` (now or queued), ``import_queue`` and ``import_job``, the background job
  on a stored upload;
- ``service``: ``seizures_import`` (checks, one transaction, figures and audit);
- ``reading``: size, hash, kind of file, ZIP bomb check, encoding, rows one at a time;
- ``columns``: the columns, declared once, and the messages a row can get;
- ``rows``: the header and every row checked (the rules shared with the seizure services
  live in ``ipex.seizures.services.parsing``), grouped into seizures;
- ``writer``: the checked rows appended in batches (COPY on PostgreSQL);
- ``results``: ``ImportResult`` and ``ImportFailed``; ``template``: the file to fill in.

``reports`` imports a period report (the published national figures), a file of another kind.
"""

from ipex.seizures.imports.columns import COLUMNS, REQUIRED
from ipex.seizures.imports.jobs import (
    background_threshold,
    import_dir,
    import_job,
    import_queue,
    start,
    upload_too_large_message,
)
from ipex.seizures.imports.results import ImportFailed, ImportResult
from ipex.seizures.imports.rows import MAX_ROW_ERRORS
from ipex.seizures.imports.service import DEFAULT_MAX_BYTES, seizures_import
from ipex.seizures.imports.template import import_template
from ipex.seizures.imports.writer import BATCH_ROWS, _Writer

__all__ = [
    "BATCH_ROWS",
    "COLUMNS",
    "DEFAULT_MAX_BYTES",
    "MAX_ROW_ERRORS",
    "REQUIRED",
    "ImportFailed",
    "ImportResult",
    "_Writer",
    "background_threshold",
    "import_dir",
    "import_job",
    "import_queue",
    "import_template",
    "seizures_import",
    "start",
    "upload_too_large_message",
]
