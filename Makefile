# Sistem Informasi TKSK: developer commands. `make` alone lists them.
# Without DATABASE_URL everything uses a project-local PostgreSQL under var/ (see tksk/localdb.py).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Stamps: pip runs again only when a requirements file is newer than its stamp.
RUNTIME := $(VENV)/.installed-requirements.txt
DEV := $(VENV)/.installed-requirements-dev.txt

PORT ?= 8000
DEMO_HOUSEHOLDS ?=
BENCH_HOUSEHOLDS ?= 250000
BENCH_ARGS ?=
PYTEST_ARGS ?=
AUDIT_ARGS ?=
FILE ?=

.PHONY: help venv run stop test test-fast check lint format audit backup restore clean-db bench \
	replica-demo workers-demo

help: ## List the targets
	@echo "Usage: make TARGET [VARIABLE=value]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PORT=8000, DEMO_HOUSEHOLDS=N (run), PYTEST_ARGS='-k x' (test),"
	@echo "  FILE=... (restore), BENCH_HOUSEHOLDS=250000 and BENCH_ARGS='--only x' (bench);"
	@echo "  DATABASE_URL=postgres://... uses that database instead of"
	@echo "  the local one under var/, whose port can be fixed with TKSK_DB_PORT."

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed; $(PYTHON) is older." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "On Debian: apt-get install python3-venv" >&2; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# requirements-dev.txt includes requirements.txt, so this also satisfies the runtime stamp.
$(DEV): requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(RUNTIME)

venv: $(DEV) ## Create .venv with runtime and dev dependencies

run: $(RUNTIME) ## Migrate, load demo data, start worker + server (PORT, default 8000)
	@PORT="$(PORT)" DEMO_HOUSEHOLDS="$(DEMO_HOUSEHOLDS)" scripts/run.sh

stop: ## Stop the local PostgreSQL (the server itself stops with Ctrl-C)
	@$(PYTHON) -m tksk.localdb stop

test: $(DEV) ## Run the tests (on a throwaway PostgreSQL unless DATABASE_URL is set)
	@NEED_POSTGRES=$(if $(DATABASE_URL),0,1) scripts/ensure_system_packages.sh
	@export DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	if [ -n "$${DATABASE_URL:-}" ]; then \
		$(VENV)/bin/pytest $(PYTEST_ARGS); \
	else \
		$(PY) -m tksk.localdb run-throwaway -- $(VENV)/bin/pytest $(PYTEST_ARGS); \
	fi

test-fast: $(DEV) ## The suite without the browser tests (tests/e2e)
	@NEED_POSTGRES=$(if $(DATABASE_URL),0,1) NEED_BROWSER=0 scripts/ensure_system_packages.sh
	@export DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	if [ -n "$${DATABASE_URL:-}" ]; then \
		$(VENV)/bin/pytest --ignore=tests/e2e -m "not e2e" $(PYTEST_ARGS); \
	else \
		$(PY) -m tksk.localdb run-throwaway -- $(VENV)/bin/pytest --ignore=tests/e2e -m "not e2e" $(PYTEST_ARGS); \
	fi

check: $(DEV) ## ruff, format, makemigrations --check, check --deploy, mypy on tksk/ (baseline)
	@scripts/check.sh

lint: $(DEV) ## Check style with ruff (no changes)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV) ## Reformat and apply safe ruff fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs PyPI's JSON API (or OSV with AUDIT_ARGS="--vulnerability-service osv"): a machine that
# cannot reach them gets "not found on PyPI" for every package, and the target fails.
audit: $(DEV) ## Known vulnerabilities in the pinned requirements (pip-audit), and bandit
	$(VENV)/bin/pip-audit --strict --requirement requirements.txt $(AUDIT_ARGS)
	$(VENV)/bin/bandit -q -ll -r tksk pendataan koordinasi laporan demo -x "*/migrations/*"

backup: ## Dump the database to var/backups/tksk-YYYYmmdd-HHMMSS.dump
	@PYTHON="$(PYTHON)" scripts/backup.sh

restore: ## Replace the database's contents with a dump: make restore FILE=var/backups/...
	@PYTHON="$(PYTHON)" scripts/restore.sh "$(FILE)"

# Without DATABASE_URL: database tksk_bench in the project-local PostgreSQL, so that the 250,000
# households stay out of the `make run` database. The data is reused by the next run.
bench: $(RUNTIME) ## Measure every performance target → var/bench/ (BENCH_HOUSEHOLDS=250000)
	@NEED_TEST_TOOLS=0 NEED_POSTGRES=$(if $(DATABASE_URL),0,1) scripts/ensure_system_packages.sh
	@set -euo pipefail; export DEBUG="$${DEBUG:-1}"; \
	if [ -z "$${DATABASE_URL:-}" ]; then \
		url="$$($(PY) -m tksk.localdb url)"; \
		$(PY) -c 'import sys, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True); \
			c.execute("SELECT 1 FROM pg_database WHERE datname = %s", ["tksk_bench"]).fetchone() \
			or c.execute("CREATE DATABASE tksk_bench")' "$$url"; \
		export DATABASE_URL="$${url%/*}/tksk_bench"; \
	fi; \
	$(PY) manage.py migrate --noinput -v0; \
	$(PY) manage.py load_wilayah; \
	$(PY) scripts/bench.py --households "$(BENCH_HOUSEHOLDS)" $(BENCH_ARGS)

replica-demo: $(RUNTIME) ## Primary + streaming replica on loopback; dashboards read from the replica
	@NEED_POSTGRES=1 scripts/ensure_system_packages.sh
	@$(PY) scripts/replica_demo.py

workers-demo: $(RUNTIME) ## Two db_worker processes share 20 jobs; each job runs exactly once
	@NEED_POSTGRES=$(if $(DATABASE_URL),0,1) scripts/ensure_system_packages.sh
	@DEBUG="$${DEBUG:-1}" $(PY) scripts/workers_demo.py

clean-db: ## DESTRUCTIVE: stop the local PostgreSQL and delete all its data
	@$(PYTHON) -m tksk.localdb destroy

.PHONY: loadtest
loadtest: $(RUNTIME) ## 100 TKSK + 10 dashboard readers on gunicorn for LOAD_SECONDS (300)
	@NEED_POSTGRES=$(if $(DATABASE_URL),0,1) scripts/ensure_system_packages.sh
	@$(PY) scripts/loadtest.py
