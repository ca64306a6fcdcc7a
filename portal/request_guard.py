"""What no route of the portal accepts, refused before any view runs with a 400 in the
user's language (never a 500 from deep in a driver):

- a file part, but on a view marked `takes_files` (the import's upload): WTForms text fields
  would get a FileStorage;
- a NUL character anywhere: PostgreSQL cannot store it in text and refuses the statement;
- an integer in the path (an id) or a page number past what an INTEGER column holds: the
  databases raise on it instead of finding nothing. Other numbers are checked where they are
  read (portal.forms.IntegerField, portal.forms.database_int): an IIN or a BIN typed in a
  search box is a number larger than any id, and must be found.
"""

import re

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l

from portal.api.auth import is_api_request
from portal.api.problems import problem
from portal.errors import render_error
from portal.forms import LARGEST_INTEGER

INTEGER = re.compile(r"[+-]?\d+")

NO_FILES = _l("This form does not take files. Send it again without attachments.")
NO_NUL = _l("The request contains a character that cannot be stored. Remove it and try again.")
TOO_LARGE = _l("A number in the address is too large. Check it and try again.")


def takes_files(view):
    """Mark a view whose form has a file field: the guard lets its file parts through."""
    view.takes_files = True
    return view


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
        pages = request.args.getlist("page")
        if request.method in ("GET", "HEAD"):  # no view reads a body sent with these
            form, files = [], False
        else:
            form = [item for pair in request.form.items(multi=True) for item in pair]
            view = current_app.view_functions.get(request.endpoint)
            files = bool(request.files) and not getattr(view, "takes_files", False)
        message = refusal(request.path, keys_and_values, pages, form, files)
        if message is None:
            return None
        if is_api_request():  # a program reads problem details, not a page
            return problem(400, detail=message)
        return render_error(400, message)
