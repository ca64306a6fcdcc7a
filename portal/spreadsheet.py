"""The one rule every CSV and XLSX export writes its cells by (OWASP "CSV injection").

A spreadsheet reads a cell beginning with = + - @ (or a tab or carriage return, which some
programs skip before looking) as a formula: a name typed into the portal as `=HYPERLINK(…)`
would become a live link or command in the akimat's file. Such text is written with a leading
apostrophe, which Excel, LibreOffice and Google Sheets show as plain text. Numbers stay numbers.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value as it is safe to write to a CSV or XLSX cell: numbers as they are, None as an
    empty cell, anything else (lazy translated strings included) as text that is never a formula."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(values) -> list:
    return [cell(value) for value in values]
