"""Pagination beyond db.paginate: of queries that select more than one entity (rows, not
objects), and of lists ordered in Python. All give the page object the pagination macro reads."""

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination, SelectPagination

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

    def _query_count(self) -> int:
        total = self._query_args["total"]
        return super()._query_count() if total is None else total


def paginate_rows(
    select: sa.Select,
    per_page: int | None = None,
    rows: Callable[[int, int], list] | None = None,
    total: int | None = None,
) -> RowPagination:
    """`total`, when the caller has counted the select already, saves counting it again."""
    return RowPagination(
        select=select,
        session=db.session,
        error_out=False,
        rows=rows,
        total=total,
        per_page=per_page or current_app.config["PAGE_SIZE"],
    )


class ListPagination(Pagination):
    """db.paginate's page object over a list already in order (the rule that orders it runs
    in Python)."""

    def _query_items(self) -> list:
        items = self._query_args["items"]
        return items[self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def paginate_list(items: list, per_page: int | None = None) -> ListPagination:
    """The requested page (?page=) of `items`; past the last page, an empty one."""
    return ListPagination(
        items=items, per_page=per_page or current_app.config["PAGE_SIZE"], error_out=False
    )


def count_rows(select: sa.Select) -> int:
    """How many rows a select returns, counted by the database."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery()))
