"""Seizure and period-report writes: one function per use case, transactional, audited,
keeping the roll-up figures current in the same transaction."""

from ipex.seizures.services.bulletins import bulletin_publish, publisher_org  # noqa: F401
from ipex.seizures.services.parsing import (  # noqa: F401
    EARLIEST,
    category_on,
    parse_date,
    parse_quantity,
)
from ipex.seizures.services.reports import (  # noqa: F401
    clean_lines,
    report_approve,
    report_can_decide,
    report_create,
    report_prefill,
    report_problems,
    report_return,
    report_revise,
    report_set_lines,
    report_submit,
)
from ipex.seizures.services.seizures import (  # noqa: F401
    CleanItem,
    clean_items,
    seizure_record,
    seizure_update,
    seizure_withdraw,
)
