"""The individual programme of social-legal assistance on a person's record: the assessment
of their needs, the steps each service takes, and templates of steps per status."""

from flask import Blueprint

bp = Blueprint("programmes", __name__)
