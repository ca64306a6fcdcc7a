"""Candidate records kept by inspectors: the person, offences, court bans, supervision, limits."""

from flask import Blueprint

bp = Blueprint("candidates", __name__)
