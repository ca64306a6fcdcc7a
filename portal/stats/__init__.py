"""Statistics for local executive bodies (akimats), inspectors and administrators."""

from flask import Blueprint

bp = Blueprint("stats", __name__)
