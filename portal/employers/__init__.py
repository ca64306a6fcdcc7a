"""Employer organisations and their vacancies: registration, approval, posting, dashboards."""

from flask import Blueprint

bp = Blueprint("employers", __name__)  # its CLI group is `flask employers …`
