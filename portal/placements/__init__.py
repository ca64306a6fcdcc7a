"""Placement pages: the employer's proposals, the inspector's pipeline and follow-up, quotas."""
from flask import Blueprint

bp = Blueprint("placements", __name__)

from portal.placements import (  # noqa: E402,F401
    display,
    employer_views,
    followup_views,
    inspector_views,
    quota_views,
    step_views,
)
