# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-test migrate demo messages lint bench clean

$(VENV)/.installed-run: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed-run
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py evidence_key create

setup-test: $(VENV)/.installed-test
	$(PY) manage.py compile_translations

# Links that leave the site (invitations) point at this server unless PORTAL_BASE_URL says otherwise.
run: export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py demo
	@# The background-job worker runs beside the web server; when one stops, so does the other.
	$(PY) manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-test
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		echo "Chromium found: browser tests will run."; \
	else \
		echo "*** Chromium not found: browser tests will be SKIPPED (apt-get install -y chromium) ***"; \
	fi
	$(PY) -m pytest -n 2 -rs $(PYTEST_ARGS)

# Regenerate the Czech catalogue after changing user-facing strings (needs GNU gettext).
messages: $(VENV)/.installed-run
	$(PY) manage.py makemessages -l cs --no-location --no-obsolete -i '.venv/*' -i 'media/*' -i 'staticfiles/*'
	$(PY) manage.py makemessages -d djangojs -l cs --no-location --no-obsolete -i '.venv/*' -i 'staticfiles/*' -i 'static/vendor/*'

# ruff; the layers contract (imports only point down: pyproject's [tool.importlinter]);
# mypy over every app, strict (every function typed) on the services, selectors and predicates.
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Issue 11's benchmark (not part of `make test`): builds N synthetic customers (default a million)
# on the PostgreSQL database DATABASE_URL names, serves the portal with gunicorn and prints each
# operation against its anchor. It refuses SQLite and any database holding data it didn't make:
#   createdb -h 127.0.0.1 -U postgres bench
#   make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench BENCH_ARGS="--customers 20000"
bench: export DATABASE_URL := $(DATABASE_URL)
bench:
	@case "$(DATABASE_URL)" in \
		postgres://*|postgresql://*) ;; \
		*) echo "make bench needs DATABASE_URL=postgres://… naming an empty PostgreSQL database (or one the benchmark made), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench; never SQLite." >&2; exit 2 ;; \
	esac
	@$(MAKE) --no-print-directory $(VENV)/.installed-run
	$(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
