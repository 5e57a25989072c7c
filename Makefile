# IPEX — two commands set everything up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
IPEX := $(BIN)/ipex
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo-federation demo-production test test-sqlite test-postgres test-browser lint bench messages install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# xstatic-bootstrap ships only an sdist whose build needs pkg_resources.
	$(BIN)/pip install --quiet "setuptools>=77,<81" wheel
	$(BIN)/pip install --quiet --no-build-isolation "xstatic-bootstrap>=5.3"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	IPEX_DEBUG=true $(IPEX) migrate --noinput
	IPEX_DEBUG=true $(IPEX) node init --name "China national node (demo)"
	IPEX_DEBUG=true $(IPEX) demo
	@echo
	@echo "IPEX is starting at http://$(HOST):$(PORT)/  (demo logins: README.md, 'Demo logins')"
	@echo
	IPEX_DEBUG=true $(IPEX) serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite, then on PostgreSQL when DATABASE_URL points at one.
demo-federation: $(STAMP)
	IPEX=$(IPEX) bash scripts/demo-federation.sh

# The production profile on 127.0.0.1: PostgreSQL, gunicorn, two task workers (README).
demo-production: $(STAMP)
	IPEX=$(IPEX) bash scripts/demo-production.sh

test: $(STAMP)
	$(MAKE) test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) test-postgres; else echo "DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider

test-postgres: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider

test-browser: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint src/ipex/templates
	IPEX_DEBUG=true $(IPEX) makemigrations --check --dry-run
	IPEX_SECRET_KEY=lint-only-$$(printf 'x%.0s' {1..40}) IPEX_ALLOWED_HOSTS=ipex.example.org $(IPEX) check --deploy --fail-level WARNING

messages: $(STAMP)
	cd src/ipex && ../../$(IPEX) makemessages -l zh_Hans -l ru --no-obsolete --no-location
	cd src/ipex && ../../$(IPEX) compilemessages

bench: $(STAMP)
	@for b in $$(ls bench/*.py | grep -v /common.py); do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var
