"""CSV and XLSX of the dashboard's tables, with the filters written at the top."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from portal.spreadsheet import row
from portal.stats.tables import Table


def _excel_cell(value):
    """Excel set to Russian or Kazakh reads "38,9" as a number and "38.9" as text."""
    return str(value).replace(".", ",") if isinstance(value, float) else value


def to_csv(
    title: str, described: list[tuple[str, str]], tables: list[Table], *, excel: bool = False
) -> bytes:
    """Plain CSV (commas, decimal points), or with `excel` the form Excel in a Russian or
    Kazakh locale opens one value a cell: semicolons and decimal commas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",")
    writer.writerow(row([title]))
    for label, value in described:
        writer.writerow(row([label, value]))
    for table in tables:
        writer.writerow([])
        writer.writerow(row([table.title]))
        writer.writerow(row(table.headers))
        for values in table.rows:
            cells = row(values)
            writer.writerow([_excel_cell(c) for c in cells] if excel else cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Cyrillic as UTF-8


FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


SHEET_NAME_LENGTH = 31  # Excel's limit


def _sheet_name(number: int, title: str) -> str:
    """The table's number and title, shortened at a word's end (with "…") to Excel's limit."""
    name = f"{number} {FORBIDDEN_IN_SHEET_NAMES.sub(' ', title)}"
    if len(name) <= SHEET_NAME_LENGTH:
        return name
    cut = name[: SHEET_NAME_LENGTH - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut[len(str(number)) + 1 :] else cut
    return words.rstrip(" ,.;-") + "…"


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
