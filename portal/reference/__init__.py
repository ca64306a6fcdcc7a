from flask import Blueprint

bp = Blueprint("reference", __name__)
