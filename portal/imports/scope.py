"""An import job is its uploader's alone: anyone else (an administrator too) gets a 404."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from portal.extensions import db
from portal.imports.models import ImportJob


def own_job(job_id: int) -> ImportJob:
    job = db.session.scalar(
        sa.select(ImportJob).where(ImportJob.id == job_id, ImportJob.user_id == current_user.id)
    )
    if job is None:
        abort(404)
    return job
