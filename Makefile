# The few commands people type. `make demo` and `make test` work on a fresh machine with
# Python 3.11+ and make: each creates the virtualenv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test check lint format train eval bench worker beat serve install clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --no-article
	$(PY) manage.py check_article seeds/north-korean-troops-disappear.txt --outlet dagens.com --byline "Camilla Jessen" --published 2025-01-31T09:25:00+01:00
	@echo ""
	FACTCHECK_FETCH_ALLOW_PRIVATE=1 FACTCHECK_FETCH_HOST_INTERVAL=0 $(PY) manage.py watch_demo
	@echo ""
	@echo "Serving the admin at http://127.0.0.1:8000/admin/ and the API at http://127.0.0.1:8000/api/"
	@$(PY) manage.py seed_demo --logins-only
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The fast lane while working: lint, types, and every test not marked slow or browser.
check: lint
	$(PY) -m pytest -q -m "not slow and not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The training data (not part of a clone): ../shared/datasets, or DATA=path.
DATA ?= ../shared/datasets

# Rebuild every committed model from the training data with fixed seeds; prints the
# cross-validated dev metrics (and writes them beside each model).
train: $(STAMP)
	$(PY) -m analysis.models.train --data $(DATA)

# Extraction on the gold articles, and the models on dev splits carved from the training
# data (a dev model is trained on the rest first), in one table.
eval: $(STAMP)
	$(PY) -m analysis.models.dev_eval --data $(DATA)

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) bench/run.py

worker: $(STAMP)
	$(BIN)/celery -A factcheck worker -Q default,fetch --loglevel INFO

beat: $(STAMP)
	$(BIN)/celery -A factcheck beat --loglevel INFO

clean:
	rm -rf data/factcheck.sqlite3 data/test*.sqlite3 test-output
