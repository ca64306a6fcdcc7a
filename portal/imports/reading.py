"""Reading an uploaded file into rows of text by column key. The file is read in memory and
never written anywhere."""

import csv
import io
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from portal.imports.columns import REQUIRED, header_keys
from portal.imports.forms import MSG_FORMATS

MAX_ROWS = 10_000


class FileRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without ".0" (an IIN typed as a
    number keeps its leading zero: IINs have 12 digits)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _xlsx_rows(data: bytes):
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise FileRefused(
            _l("The file could not be read as a workbook (%(format)s).", format="XLSX")
        ) from error
    sheet = book.worksheets[0]
    yield from sheet.iter_rows(values_only=True)
    book.close()


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _l("Save the file in the %(encoding)s encoding and upload it again.", encoding="UTF-8")
        ) from error
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass  # one column or an unusual file: the comma, and the headers will tell
    yield from csv.reader(io.StringIO(text), dialect)


def read_rows(filename: str, data: bytes) -> list[dict[str, str]]:
    """[{column key: text}] for each non-empty row under the header row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith(".csv"):
        raw = _csv_rows(data)
    else:
        raise FileRefused(MSG_FORMATS)
    keys = header_keys()
    header = next(raw, None) or ()
    columns = [keys.get(_text(cell).casefold()) for cell in header]
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise FileRefused(
            _l(
                "The first row must hold the template's headers; missing: %(columns)s.",
                columns=", ".join(missing),
            )
        )
    rows = []
    for cells in raw:
        values = {key: _text(cell) for key, cell in zip(columns, cells, strict=False) if key}
        if any(values.values()):
            rows.append(values)
        if len(rows) > MAX_ROWS:
            raise FileRefused(_l("A file may hold %(num)d rows at most.", num=MAX_ROWS))
    return rows
