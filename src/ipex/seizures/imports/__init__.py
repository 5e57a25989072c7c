"""Seizure import: CSV or XLSX, streamed, every row validated, all or nothing, idempotent.

The page upload, the API and ``ipex import-seizures`` all call ``seizures_import``; a file
uploaded for the background runs through ``import_job``. One row is one seized item;
consecutive rows with the same non-empty reference make one seizure.

Memory stays flat whatever the file size: rows are read one at a time (``csv.reader`` over an
``io.TextIOWrapper``; openpyxl in read-only mode), written in batches of ``BATCH_ROWS``, and
only bounded state is kept across rows (the current seizure, look-up caches of bounded size,
the roll-up totals per month and jurisdiction, the first ``MAX_ROW_ERRORS`` errors). The
roll-up figures move once per month and jurisdiction at the end, and one audit entry records
the whole import.

The modules, in the order a file goes through them:

- ``service``: ``seizures_import`` (checks, one transaction, figures and audit) and
  ``import_job``, which runs it in the background on a stored upload;
- ``reading``: size, hash, kind of file, ZIP bomb check, encoding, rows one at a time;
- ``rows``: the header and every row checked (the rules shared with the seizure services
  live in ``ipex.seizures.services.parsing``), grouped into seizures;
- ``writer``: the checked rows appended in batches (COPY on PostgreSQL);
- ``results``: ``ImportResult`` and ``ImportFailed``; ``template``: the file to fill in.
"""

from ipex.seizures.imports.results import ImportFailed, ImportResult
from ipex.seizures.imports.rows import COLUMNS, MAX_ROW_ERRORS, REQUIRED
from ipex.seizures.imports.service import (
    DEFAULT_MAX_BYTES,
    import_dir,
    import_job,
    seizures_import,
)
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
    "import_dir",
    "import_job",
    "import_template",
    "seizures_import",
]
