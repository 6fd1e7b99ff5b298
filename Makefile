PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

STACK_ENV := DATABASE_URL=postgres://archwise:archwise@127.0.0.1:5432/archwise REDIS_URL=redis://127.0.0.1:6379/0

.PHONY: run serve test test-stack install system lint services bench audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# From the system's packages: Chromium for the browser tests, redis-server for the fault tests.
system:
	@need=""; \
	command -v chromium >/dev/null || need="$$need chromium"; \
	command -v redis-server >/dev/null || need="$$need redis-server"; \
	if [ -n "$$need" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	fi

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

test: install system lint
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n 2

# Again on the production parts, PostgreSQL and Redis: every test that touches the database or the
# cache (the pure engine, reading layer and outputs gave their answer in `make test`).
test-stack: install system services
	$(STACK_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(STACK_ENV) ARCHWISE_STACK_ONLY=1 $(BIN)/python -m pytest -n 2

services:
	bash scripts/services.sh

# Production: gunicorn, production settings from the environment (see .env.example).
serve: install
	ARCHWISE_ENV=production $(BIN)/python manage.py migrate --noinput
	ARCHWISE_ENV=production $(BIN)/python manage.py collectstatic --noinput -v 0
	ARCHWISE_ENV=production $(BIN)/gunicorn advisor.wsgi -c gunicorn.conf.py

bench: install services
	$(BIN)/python bench/run.py --write \
		--database-url postgres://archwise:archwise@127.0.0.1:5432/archwise \
		--redis-url redis://127.0.0.1:6379/0

# Known vulnerabilities in the pinned dependencies, from PyPI's advisory data (needs pypi.org's
# JSON API; --strict fails when a package cannot be checked instead of passing it).
audit:
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/pip install --quiet pip-audit==2.10.1
	.venv-audit/bin/pip-audit --requirement requirements.txt --no-deps --disable-pip --strict
