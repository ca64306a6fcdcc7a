"""Pagination of queries that select more than one entity (rows, not objects)."""

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import SelectPagination

from portal.extensions import db


class RowPagination(SelectPagination):
    """Like db.paginate, but each item is a Row (e.g. a candidate with its score columns).
    `rows(limit, offset)`, when given, reads the page instead of the select (which still
    counts), for lists that have a faster way to a page."""

    def _query_items(self) -> list:
        if self._query_args["rows"] is not None:
            return self._query_args["rows"](self.per_page, self._query_offset)
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(
    select: sa.Select, per_page: int | None = None, rows: Callable[[int, int], list] | None = None
) -> RowPagination:
    return RowPagination(
        select=select,
        session=db.session,
        error_out=False,
        rows=rows,
        per_page=per_page or current_app.config["PAGE_SIZE"],
    )


def count_rows(select: sa.Select) -> int:
    """How many rows a select returns, counted by the database."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery()))
