"""Bilingual search of vacancies, candidates and employers (Whoosh behind a small interface).

analysis.py (folding, names, analysers) and kazakh_stemmer.py turn text into terms; schema.py
says what each index holds; index.py keeps the indexes on disk in step with the outbox that
outbox.py fills; service.py answers the pages, checking every hit against the database.
"""

from flask import Blueprint

bp = Blueprint("search", __name__)
