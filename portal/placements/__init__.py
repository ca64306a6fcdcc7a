"""Placement pages: the employer's proposals, the inspector's pipeline and follow-up, quotas."""

from flask import Blueprint

bp = Blueprint("placements", __name__)
