"""Matching: the eligibility rules (pure and in SQL), ranking, and the inspector's pages."""

from flask import Blueprint

bp = Blueprint("matching", __name__)
