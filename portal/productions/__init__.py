"""Productions on institution land (an employer's site at an institution), the RSE branches'
workshops, and the report of the work the penitentiary system organises."""

from flask import Blueprint

bp = Blueprint("productions", __name__)
