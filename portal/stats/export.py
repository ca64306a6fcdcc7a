"""CSV and XLSX of the dashboard's tables, with the filters written at the top."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from portal.stats.tables import Table


def _cell(value):
    """Numbers stay numbers; lazy strings ("fewer than 5") become text; None an empty cell."""
    if value is None or isinstance(value, int | float):
        return value
    return str(value)


def to_csv(title: str, described: list[tuple[str, str]], tables: list[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title])
    for label, value in described:
        writer.writerow([label, value])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow(["" if c is None else _cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Cyrillic as UTF-8


FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(number: int, title: str) -> str:
    return f"{number} {FORBIDDEN_IN_SHEET_NAMES.sub(' ', title)}"[:31]


def to_xlsx(title: str, described: list[tuple[str, str]], tables: list[Table]) -> bytes:
    """One sheet per table; each begins with the title and the filters."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(_sheet_name(number, table.title))
        sheet.append([title])
        sheet.append([table.title])
        sheet["A1"].font = sheet["A2"].font = bold
        for label, value in described:
            sheet.append([label, value])
        sheet.append([])
        sheet.append(table.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_cell(c) for c in row])
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
