# The README's two commands: `make run` and `make test`. Everything else is a step they share.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask
PYBABEL := $(VENV)/bin/pybabel
STAMP   := $(VENV)/.installed-stamp
export FLASK_APP := wsgi:app

.PHONY: run test lint setup install translations i18n bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Compiled catalogues (.mo) are build products, not committed.
translations: install
	$(PYBABEL) compile -d portal/translations 2>/dev/null

# Migrate, load reference data, and load the demo data into an empty database.
setup: translations
	$(FLASK) db upgrade
	$(FLASK) reference load
	$(FLASK) demo load --if-empty
	$(FLASK) search sync

# The web server and the background worker together; Ctrl-C stops both.
run: setup
	$(FLASK) demo logins
	$(VENV)/bin/huey_consumer portal.tasks.huey --workers 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $${PORT:-5000}

# pytest-xdist: one worker per core, the browser tests kept together in one (tests/e2e).
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The rules in pyproject.toml; migrations/ are excluded there.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Extract every translatable string and merge it into both catalogues.
i18n: install
	$(PYBABEL) extract -F babel.cfg -k _l -k N_ -k lazy_ngettext:1,2 --no-location -o messages.pot portal
	$(PYBABEL) update --no-fuzzy-matching --ignore-obsolete -i messages.pot -d portal/translations
	rm -f messages.pot

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) instance/*.db
