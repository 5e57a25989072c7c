"""The columns of an import file, declared once (name, whether it is required, its longest
text, its example cells in the template, its cell in an export), and every message a row can
get: the checks in ``rows``, the template in ``template``, the job's row report in ``jobs``
and the seizure export all read them from here. One row is one seized item; the rules shared
with the seizure services (dates, quantities, values, vocabularies) live in
``ipex.seizures.services.parsing``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ipex.seizures.services.parsing import ValueProblem


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    max_length: int | None = None  # of a free-text cell
    examples: tuple[str, str] = ("", "")  # the cells of the template's two rows
    # the cell of a recorded item in an export: value(seizure, item)
    value: Callable = lambda seizure, item: ""


# In the order of the template's header; a file may give them in any order.
ITEM_COLUMNS = (
    Column(
        "reference",
        max_length=60,
        examples=("BA-2012-0100", "BA-2012-0100"),
        value=lambda s, i: s.reference,
    ),
    Column(
        "date",
        required=True,
        examples=("2012-05-04", "2012-05-04"),
        value=lambda s, i: s.seized_on.isoformat(),
    ),
    Column(
        "jurisdiction",
        required=True,
        examples=("CN-GD-SZ-BA", "CN-GD-SZ-BA"),
        value=lambda s, i: s.jurisdiction.code,
    ),
    Column(
        "place",
        max_length=200,
        examples=("Xixiang market", "Xixiang market"),
        value=lambda s, i: s.place,
    ),
    Column("method", required=True, examples=("raid", "raid"), value=lambda s, i: s.method),
    Column(
        "category",
        required=True,
        examples=("audiovisual.dvd", "books"),
        value=lambda s, i: i.category.code,
    ),
    Column("quantity", required=True, examples=("1200", "300"), value=lambda s, i: i.quantity),
    Column("unit", examples=("discs", "copies"), value=lambda s, i: i.unit),
    Column(
        "description",
        max_length=300,
        examples=("DVD-9 discs, unlicensed film titles", "Pirated textbooks"),
        value=lambda s, i: i.description,
    ),
    Column(
        "value_amount",
        examples=("6000.00", ""),
        value=lambda s, i: "" if i.value_amount is None else str(i.value_amount),
    ),
    Column("value_currency", examples=("CNY", ""), value=lambda s, i: i.value_currency),
    Column("disposition", examples=("confiscated", "destroyed"), value=lambda s, i: i.disposition),
)
COLUMNS = [column.name for column in ITEM_COLUMNS]
REQUIRED = tuple(column.name for column in ITEM_COLUMNS if column.required)
MAX_LENGTH = {column.name: column.max_length for column in ITEM_COLUMNS if column.max_length}
TEMPLATE_ROWS = [[column.examples[n] for column in ITEM_COLUMNS] for n in range(2)]

# the columns that say something of the seizure rather than of the item
SEIZURE_COLUMNS = ("date", "jurisdiction", "place", "method")

# An export has the import's columns, the seizure's uuid first and, after the seizure's
# columns, its organisation and the item's line.
EXPORT = (
    Column("uuid", value=lambda s, i: str(s.uuid)),
    *ITEM_COLUMNS[:5],
    Column("organisation", value=lambda s, i: s.owner_org.code),
    Column("line", value=lambda s, i: i.line_no),
    *ITEM_COLUMNS[5:],
)
EXPORT_COLUMNS = [column.name for column in EXPORT]


def export_rows(seizures):
    """One row per item of the seizures (with their jurisdiction, organisation and items'
    categories fetched), in the order of ``EXPORT_COLUMNS``."""
    for seizure in seizures.iterator(chunk_size=500):
        for item in seizure.items.all():
            yield [column.value(seizure, item) for column in EXPORT]


# -- the header


def column_unnamed(position: int) -> str:
    return _("column %(n)s has no name; name it or remove it.") % {"n": position}


def column_unknown(name: str) -> str:
    return _("unknown column '%(name)s'; the columns are: %(columns)s.") % {
        "name": name,
        "columns": ", ".join(COLUMNS),
    }


def column_twice(name: str) -> str:
    return _("the column '%(name)s' appears twice.") % {"name": name}


def columns_missing(names: list[str]) -> str:
    return _("missing columns: %(columns)s.") % {"columns": ", ".join(names)}


# -- a row


def row_too_wide() -> str:
    return _("This row has more cells than the header.")


def too_long(column: str, limit: int) -> str:
    return _("%(column)s: longer than %(limit)s characters.") % {"column": column, "limit": limit}


def choice(column: str, value: str, allowed) -> str:
    return _("%(column)s: unknown value '%(value)s'; use one of: %(allowed)s.") % {
        "column": column,
        "value": value,
        "allowed": ", ".join(allowed),
    }


def date_required() -> str:
    return _("date: a date is required (YYYY-MM-DD).")


def jurisdiction_required() -> str:
    return _("jurisdiction: say where the seizure took place (a code).")


def jurisdiction_unknown(code: str) -> str:
    return _("jurisdiction: unknown jurisdiction '%(code)s'.") % {"code": code}


def jurisdiction_outside(place: str, org: str) -> str:
    return _("jurisdiction: %(place)s is outside the jurisdiction of %(org)s.") % {
        "place": place,
        "org": org,
    }


def too_many_items(limit: int) -> str:
    return _("reference: a seizure can have at most %(n)s items.") % {"n": limit}


def repeats_row(row: int) -> str:
    return _(
        "This row repeats row %(row)s: the same reference, category, description and quantity."
    ) % {"row": row}


def differs(column: str, value, first, row: int, reference: str) -> str:
    return _(
        "%(column)s: '%(value)s' differs from '%(first)s' given on row %(row)s for seizure "
        "%(reference)s; the rows of one seizure must agree on date, jurisdiction, place and "
        "method."
    ) % {"column": column, "value": value, "first": first, "row": row, "reference": reference}


def value_errors(problems: list[ValueProblem], text: str, currency: str, errors: list) -> None:
    """The value's problems (``parse_value``), one for the amount at most, as (column,
    message)."""
    if ValueProblem.AMOUNT_NOT_A_NUMBER in problems or ValueProblem.AMOUNT_NOT_FINITE in problems:
        errors.append(
            ("value_amount", _("value_amount: '%(value)s' is not a number.") % {"value": text})
        )
    elif ValueProblem.AMOUNT_NEGATIVE in problems:
        errors.append(("value_amount", _("value_amount: a value cannot be negative.")))
    elif ValueProblem.AMOUNT_TOO_LARGE in problems or ValueProblem.AMOUNT_DECIMALS in problems:
        errors.append(
            (
                "value_amount",
                _("value_amount: '%(value)s' has more than two decimals or is too large.")
                % {"value": text},
            )
        )
    elif ValueProblem.CURRENCY_MISSING in problems:
        errors.append(
            ("value_currency", _("value_currency: give the currency of the value, e.g. CNY."))
        )
    if ValueProblem.CURRENCY_INVALID in problems:
        errors.append(
            (
                "value_currency",
                _("value_currency: '%(value)s' is not a currency; use three letters, e.g. CNY.")
                % {"value": currency},
            )
        )


# -- the report of a failed file


def row_line(row: int, message: str) -> str:
    """One line of the row report a background job keeps in its message."""
    return _("Row %(row)s: %(message)s") % {"row": row, "message": message}
