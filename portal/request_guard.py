"""What no route of the portal accepts, refused before any view runs with a 400 in the
user's language (never a 500 from deep in a driver):

- a file part: no form takes files, and WTForms fields would get a FileStorage for text;
- a NUL character anywhere: PostgreSQL cannot store it in text and refuses the statement;
- an integer in the path (an id) or a page number past what an INTEGER column holds: the
  databases raise on it instead of finding nothing. Other numbers are checked where they are
  read (portal.forms.IntegerField, portal.forms.database_int): an IIN or a BIN typed in a
  search box is a number larger than any id, and must be found.
"""

import re

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from portal.errors import render_error
from portal.forms import LARGEST_INTEGER

INTEGER = re.compile(r"[+-]?\d+")

NO_FILES = _l("This form does not take files. Send it again without attachments.")
NO_NUL = _l("The request contains a character that cannot be stored. Remove it and try again.")
TOO_LARGE = _l("A number in the address is too large. Check it and try again.")


def too_large(value: str) -> bool:
    return bool(INTEGER.fullmatch(value)) and abs(int(value)) > LARGEST_INTEGER


def refusal(path: str, query: list[str], pages: list[str], form: list[str], has_files: bool):
    """The message for a request the portal refuses, or None."""
    if has_files:
        return NO_FILES
    if any("\x00" in value for value in (path, *query, *form)):
        return NO_NUL
    if any(too_large(part) for part in (*path.split("/"), *pages)):
        return TOO_LARGE
    return None


def register(app: Flask) -> None:
    @app.before_request
    def refuse_what_no_route_accepts():
        if request.endpoint == "static":
            return None
        keys_and_values = [item for pair in request.args.items(multi=True) for item in pair]
        form = [item for pair in request.form.items(multi=True) for item in pair]
        pages = request.args.getlist("page")
        message = refusal(request.path, keys_and_values, pages, form, bool(request.files))
        return render_error(400, message) if message else None
