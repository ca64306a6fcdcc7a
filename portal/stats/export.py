"""CSV and XLSX of the dashboard's tables, with the filters written at the top."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from portal.spreadsheet import row
from portal.stats.tables import Table


def to_csv(title: str, described: list[tuple[str, str]], tables: list[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(row([title]))
    for label, value in described:
        writer.writerow(row([label, value]))
    for table in tables:
        writer.writerow([])
        writer.writerow(row([table.title]))
        writer.writerow(row(table.headers))
        for values in table.rows:
            writer.writerow(row(values))
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
        sheet.append(row([title]))
        sheet.append(row([table.title]))
        sheet["A1"].font = sheet["A2"].font = bold
        for label, value in described:
            sheet.append(row([label, value]))
        sheet.append([])
        sheet.append(row(table.headers))
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for values in table.rows:
            sheet.append(row(values))
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
