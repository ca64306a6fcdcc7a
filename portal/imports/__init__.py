"""Bulk import of candidate records from an institution's spreadsheet (XLSX or CSV)."""

from flask import Blueprint

bp = Blueprint("imports", __name__)
