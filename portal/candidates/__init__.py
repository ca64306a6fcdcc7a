"""Candidate records kept by inspectors: the person, offences, court bans, supervision, limits."""
from flask import Blueprint

bp = Blueprint("candidates", __name__)

from portal.candidates import section_views, views  # noqa: E402,F401
