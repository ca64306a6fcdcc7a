"""Date arithmetic that SQLite and PostgreSQL spell differently, as SQL expressions."""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class add_months(FunctionElement):  # noqa: N801 - reads like the SQL it becomes
    """`day` plus a whole number of months, as a date: add_months(column, 3). The months are
    written into the SQL (a literal column, so the statement cache tells 3 from 6)."""

    def __init__(self, day, months: int):
        super().__init__(day, sa.literal_column(str(int(months))))

    type = sa.Date()
    inherit_cache = True
    name = "add_months"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    # date(d, '+1 months') overflows (31 Jan → 3 Mar); clamp to the month's last day, as
    # PostgreSQL does (31 Jan → 28 Feb).
    day, months = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"min(date({day}, '+' || {months} || ' months'), "
        f"date({day}, 'start of month', '+' || ({months} + 1) || ' months', '-1 day'))"
    )


@compiles(add_months, "postgresql")
def _add_months_postgresql(element, compiler, **kw):
    day, months = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST({day} + {months} * INTERVAL '1 month' AS DATE)"


class days_between(FunctionElement):  # noqa: N801
    """Whole days from the date of a timestamp (UTC) to a date."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    moment, day = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({day}) - julianday(date({moment})) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    moment, day = (compiler.process(c, **kw) for c in element.clauses)
    return f"({day} - CAST(({moment} AT TIME ZONE 'UTC') AS DATE))"
