# Allmende: every command a newcomer needs. Only Python 3.11, make and git are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-postgres bench lint format setup migrate demo messages lock clean

# Make the virtualenv and install the locked dependencies (again when a lock file changes).
$(STAMP): requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Set everything up: virtualenv, database migrations, static files, demo content from Jena.
setup: $(STAMP) migrate demo
	$(BIN)/allmende collectstatic --noinput -v0

# Apply database migrations (SQLite in var/ unless DATABASE_URL is set).
migrate: $(STAMP)
	$(BIN)/allmende migrate --noinput

# Load the demo content (publishers and datasets of Jena); does nothing when already there.
demo: $(STAMP)
	$(BIN)/allmende demo load
	$(BIN)/allmende sensors demo

# Set up and serve the platform at http://127.0.0.1:8000 on the embedded default.
run: setup
	$(BIN)/allmende serve --bind $(HOST):$(PORT)

# Set up and run the whole test suite (on SQLite, or on DATABASE_URL when set).
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The same suite on the local PostgreSQL (127.0.0.1:5432, database "test").
test-postgres: $(STAMP)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest -q -p no:cacheprovider

# Run the benchmarks in benchmarks/ and print their figures as JSON.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Lint: ruff, import contracts, migrations up to date, translations complete and compiled.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/allmende makemigrations --check --dry-run
	$(BIN)/python -m allmende.core.i18n check

# Format the code with ruff.
format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# Extract translatable strings into the .po files (needs xgettext) and compile them to the
# committed .mo files (polib, no gettext needed). Then translate what is new in
# src/allmende/locale/de/LC_MESSAGES/django.po and run it again. See docs/i18n.md.
messages: $(STAMP)
	cd src/allmende && ../../$(BIN)/allmende makemessages -l de -l en --no-obsolete
	$(BIN)/python -m allmende.core.i18n compile

# Re-resolve the lock files from pyproject.toml (needs pip-tools).
lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

# Remove the virtualenv and local data (var/).
clean:
	rm -rf $(VENV) var
