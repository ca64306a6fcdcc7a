"""The import pages: upload, the job's progress, the preview of each row's problems (page by
page, each page's bad rows fixable), the import's result, and the template.

The upload request only reads the file (in memory: the file itself is never stored), keeps
its rows on an import job, encrypted, and enqueues the check; the background worker checks
and imports (portal/imports/background.py) while the job's page shows its progress.
"""

import csv
import io
import json
from datetime import timedelta

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from openpyxl import Workbook

from portal import clock
from portal.auth import kept_forms
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, INSPECTOR
from portal.extensions import db, htmx
from portal.forms import ConfirmForm
from portal.imports import bp
from portal.imports.background import writing_progress
from portal.imports.columns import COLUMNS, EXAMPLE, LANGUAGES, headers
from portal.imports.fixes import FIELD, FIX_ROWS, columns_for, field_name
from portal.imports.forms import CHECK_AGAIN, ImportForm, UploadForm
from portal.imports.jobs import NotNow, cancel, check_again, send_to_import, start
from portal.imports.models import (
    CHECKED,
    IMPORTING,
    RUNNING,
    WAITING_CHECK,
    WAITING_IMPORT,
    ImportJob,
    ImportRow,
)
from portal.imports.reading import FileRefused, read_rows
from portal.imports.scope import own_job
from portal.request_guard import takes_files

STAFF = (ADMIN, INSPECTOR)
MAX_FILE_BYTES = 10 * 1024 * 1024
# A job still waiting after this long: the worker is likely not running (the page says so).
WAITING_WARNING = timedelta(seconds=30)
# A running job whose progress has not moved for this long: the worker has likely stopped.
STALLED_WARNING = timedelta(minutes=2)
REFRESH_SECONDS = 2  # the page without JavaScript reloads itself this often while running


def _upload_page(form, status=200):
    return render_template("imports/upload.html", form=form, languages=LANGUAGES), status


@bp.route("/", methods=["GET", "POST"])
@takes_files
@roles_required(*STAFF)
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400 if request.method == "POST" else 200)
    data = form.file.data.read(MAX_FILE_BYTES + 1)
    try:
        if len(data) > MAX_FILE_BYTES:
            raise FileRefused(
                _("The file is larger than %(size)s: split it into several.", size="10 MB")
            )
        raw_rows = read_rows(form.file.data.filename or "", data)
    except FileRefused as refused:
        form.file.errors.append(str(refused.message))
        return _upload_page(form, 400)
    if not raw_rows:
        form.file.errors.append(_("The file has no rows under its headers."))
        return _upload_page(form, 400)
    job = start(current_user, raw_rows)
    return redirect(url_for(".job", job_id=job.id), 303)


def _progress(job: ImportJob) -> dict:
    """What the progress bar shows: the step, rows done of how many, and a warning when the
    worker has not started the job or its progress has not moved for a while."""
    done, total, moved = job.rows_done, job.total_rows, job.updated_at
    step = "checking"
    if job.state == IMPORTING and (written := writing_progress(job.id)) is not None:
        step, (done, total, at) = "writing", written
        moved = max(moved, at)
    waited = clock.now() - moved
    waiting = job.state in (WAITING_CHECK, WAITING_IMPORT)
    return {
        "step": "waiting" if waiting else step,
        "done": done,
        "total": total,
        "since": moved,
        "warn": waited > (WAITING_WARNING if waiting else STALLED_WARNING),
    }


def _kept_fixes(job: ImportJob) -> tuple[ImportForm, dict[str, str]]:
    """Corrections typed into this preview and sent after the session ended, or from a tab
    left open (auth/kept_forms.py): back in their fields, with the mode chosen, nothing saved
    until sent again. Its fields are written by hand, so the page takes what was kept itself."""
    kept = kept_forms.kept_post()
    if kept is None or kept[0] != url_for(".confirm", job_id=job.id):
        return ImportForm(formdata=None), {}
    kept_forms.restored()
    typed = {name: value for name, value in kept[1].items() if FIELD.fullmatch(name)}
    return ImportForm(formdata=kept[1]), typed


def _preview(job: ImportJob, form: ImportForm, status=200, typed: dict | None = None):
    page = db.paginate(
        sa.select(ImportRow)
        .where(ImportRow.job_id == job.id, ImportRow.bad)
        .order_by(ImportRow.number),
        per_page=FIX_ROWS,
        error_out=False,
    )
    rows = [
        (row.number, json.loads(row.raw), [tuple(p) for p in json.loads(row.problems or "[]")])
        for row in page.items
    ]
    return render_template(
        "imports/preview.html",
        job=job,
        page=page,
        rows=rows,
        columns=columns_for(current_user),
        field_name=field_name,
        seconds=(job.updated_at - job.started_at).total_seconds() if job.started_at else 0,
        form=form,
        cancel_form=ConfirmForm(),
        labels=COLUMNS,
        typed=typed or {},
    ), status


def _page(job: ImportJob):
    """The job as it stands: its progress while the worker has it, then the preview or the
    result."""
    if job.state in RUNNING:
        template = "imports/_progress.html" if htmx else "imports/progress.html"
        return render_template(
            template,
            job=job,
            progress=_progress(job),
            refresh=REFRESH_SECONDS,
            cancel_form=ConfirmForm(),
        )
    if job.state == CHECKED:
        form, typed = _kept_fixes(job)
        return _preview(job, form, typed=typed)[0]
    return render_template(
        "imports/result.html", job=job, form=ImportForm(formdata=None), cancel_form=ConfirmForm()
    )


@bp.get("/<int:job_id>")
@roles_required(*STAFF)
def job(job_id: int):
    """With htmx the progress bar alone, polled; once the job is done, htmx is told to reload
    the whole page."""
    job = own_job(job_id)
    if htmx and job.state not in RUNNING:
        return "", 200, {"HX-Refresh": "true"}
    return _page(job)


@bp.post("/<int:job_id>/confirm")
@roles_required(*STAFF)
def confirm(job_id: int):
    """The preview's buttons: check again (the fixes typed saved first), or import."""
    job = own_job(job_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _preview(job, form, 400)
    try:
        if request.form.get("action") == CHECK_AGAIN:
            fixed = check_again(job, request.form)
            if fixed:
                flash(
                    ngettext(
                        "%(num)d row was changed here.", "%(num)d rows were changed here.", fixed
                    ),
                    "success",
                )
        elif not send_to_import(current_user, job, request.form, form.mode.data):
            return _preview(job, form, 409)  # the preview says nothing was imported
    except NotNow:
        flash(
            _("This import has moved on since the page was shown: here is where it is."), "danger"
        )
        return _page(job), 409
    return redirect(url_for(".job", job_id=job.id), 303)


@bp.post("/<int:job_id>/cancel")
@roles_required(*STAFF)
def cancel_job(job_id: int):
    job = own_job(job_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".job", job_id=job.id), 303)
    try:
        cancel(current_user, job)
    except NotNow:
        flash(
            _("The records are being written in one transaction: it cannot be stopped now."),
            "danger",
        )
        return _page(job), 409
    flash(_("The import was cancelled and the rows read from the file deleted."), "success")
    return redirect(url_for(".upload"), 303)


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
