"""The import pages: upload, the preview of each row's problems, the import, the template.

The file is read in memory and never stored: the preview carries the rows it read, signed
and compressed, to the confirmation (valid for an hour, for the user who uploaded), and the
import checks them all again before it writes.
"""

import csv
import io
import time

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from openpyxl import Workbook

from portal.auth.access import roles_required
from portal.auth.audit import record_refusal
from portal.auth.models import ADMIN, INSPECTOR
from portal.imports import bp
from portal.imports.checking import Checker
from portal.imports.columns import COLUMNS, EXAMPLE, LANGUAGES, headers
from portal.imports.fixes import apply_fixes, columns_for, field_name, offered
from portal.imports.forms import ALL_OR_NONE, CHECK_AGAIN, ImportForm, UploadForm
from portal.imports.importing import import_rows
from portal.imports.reading import FileRefused, read_rows
from portal.request_guard import takes_files

STAFF = (ADMIN, INSPECTOR)
MAX_FILE_BYTES = 10 * 1024 * 1024
# The signed rows of a 10,000-row file: more than Werkzeug's default form field limit.
MAX_ROWS_FIELD_BYTES = 16 * 1024 * 1024
SIGNED_FOR_SECONDS = 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"candidate-import:{current_user.id}"
    )


def _checked(raw_rows: list[dict]):
    """(the checker, each row checked, the seconds it took). The check runs in the request
    (5,000 rows take a few seconds; the page says how many were checked and how long it
    took): a background task would have to keep the file somewhere until it ran."""
    started = time.perf_counter()
    checker = Checker(current_user)
    rows = [checker.check(number, raw) for number, raw in enumerate(raw_rows, start=2)]
    return checker, rows, time.perf_counter() - started


def _preview(raw_rows: list[dict], form: ImportForm, checked, status=200, fixed=0):
    """The check's result, with a form for each bad row; the form carries the rows as now
    checked, signed again."""
    checker, rows, seconds = checked
    form.rows.data = _signer().dumps(raw_rows)
    return render_template(
        "imports/preview.html",
        rows=rows,
        bad=[row for row in rows if row.problems],
        fixable=offered(rows),
        raw_rows=raw_rows,
        columns=columns_for(checker),
        field_name=field_name,
        seconds=seconds,
        fixed=fixed,
        form=form,
        labels=COLUMNS,
    ), status


@bp.url_value_preprocessor
def _allow_large_rows(endpoint, _values):
    """Set before the CSRF check reads the form (url value preprocessors run first)."""
    if endpoint == "imports.confirm":
        request.max_form_memory_size = MAX_ROWS_FIELD_BYTES


@bp.route("/", methods=["GET", "POST"])
@takes_files
@roles_required(*STAFF)
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("imports/upload.html", form=form, languages=LANGUAGES), status
    data = form.file.data.read(MAX_FILE_BYTES + 1)
    try:
        if len(data) > MAX_FILE_BYTES:
            raise FileRefused(
                _("The file is larger than %(size)s: split it into several.", size="10 MB")
            )
        raw_rows = read_rows(form.file.data.filename or "", data)
    except FileRefused as refused:
        form.file.errors.append(str(refused.message))
        return render_template("imports/upload.html", form=form, languages=LANGUAGES), 400
    return _preview(raw_rows, ImportForm(formdata=None), _checked(raw_rows))


@bp.post("/confirm")
@roles_required(*STAFF)
def confirm():
    form = ImportForm()
    try:
        raw_rows = _signer().loads(form.rows.data or "", max_age=SIGNED_FOR_SECONDS)
    except BadSignature:
        flash(_("The preview has expired or was changed. Upload the file again."), "danger")
        return redirect(url_for(".upload"), 303)
    if not form.validate_on_submit():
        return redirect(url_for(".upload"), 303)
    fixed = apply_fixes(raw_rows, request.form)
    checked = _checked(raw_rows)  # again: records may have been added since the preview
    if request.form.get("action") == CHECK_AGAIN:
        return _preview(raw_rows, form, checked, fixed=fixed)
    rows = checked[1]
    bad = [row for row in rows if row.problems]
    if bad and form.mode.data == ALL_OR_NONE:
        record_refusal(
            "candidates_import_refused", file_rows=len(rows), rows_with_problems=len(bad)
        )
        flash(
            ngettext(
                "Nothing was imported: %(num)d row has problems.",
                "Nothing was imported: %(num)d rows have problems.",
                len(bad),
            ),
            "danger",
        )
        return _preview(raw_rows, form, checked, 409, fixed)
    created = import_rows(current_user, [row for row in rows if not row.problems], len(rows))
    flash(
        ngettext(
            "%(num)d record has been imported.", "%(num)d records have been imported.", len(created)
        ),
        "success",
    )
    return redirect(url_for("candidates.index"), 303)


@bp.get("/template.<kind>")
@roles_required(*STAFF)
def template(kind: str):
    language = request.args.get("lang") if request.args.get("lang") in LANGUAGES else "kk"
    example = [EXAMPLE[key] for key in COLUMNS]
    name = f"candidates-template-{language}.{kind}"
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerows([headers(language), example])
        body, mimetype = ("\ufeff" + out.getvalue()).encode(), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        book = Workbook()
        book.active.append(headers(language))
        book.active.append(example)
        out = io.BytesIO()
        book.save(out)
        body = out.getvalue()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        return redirect(url_for(".upload"))
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
