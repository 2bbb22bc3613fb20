# Two entry points: `make run` (demo app on http://127.0.0.1:8000) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# The suite runs in parallel processes (pytest-xdist), one per core by default; an idle process
# takes tests queued for a busy one (worksteal), so a long test does not end the run alone.
TEST_WORKERS ?= auto

.PHONY: install run test lint security format worker beat clean bench

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The offline checkers the accessibility test uses (axe-core, vnu-jar) and the OpenID Connect
# provider the single sign-on tests start (oidc-provider, run with node 20.19+): from npm when
# npm is here; without them those tests skip (fail under KAM_REQUIRE_SERVICES=1). --ignore-scripts:
# vnu-jar's postinstall would fetch a Java runtime; Debian's java is used instead.
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.package-lock.json: package.json package-lock.json
	$(if $(NPM),npm ci --ignore-scripts --no-audit --no-fund,@echo "npm not found: skipping node_modules (axe-core, vnu-jar, oidc-provider)")

# The translations (locale/*/LC_MESSAGES/django.po) compiled to the .mo files Django reads;
# msgfmt is gettext's (Debian: apt-get install gettext). Rebuilt when a catalogue changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
$(MO_FILES): %.mo: %.po $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

install: $(BIN)/.installed node_modules/.package-lock.json $(MO_FILES)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Security gates: bandit fails on high-severity, high-confidence findings in the project code
# (config: [tool.bandit] in pyproject.toml); pip-audit checks requirements.lock for known
# vulnerabilities (.ci/audit_dependencies.py says when PyPI's vulnerability API is unreachable).
BANDIT_PATHS := common accounts notifications strategy discovery opportunities planning delivery organisation portfolio rhythm audit kam
security: install
	$(BIN)/bandit -c pyproject.toml -r $(BANDIT_PATHS) -lll -iii -q
	$(BIN)/python .ci/audit_dependencies.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A kam worker --loglevel=INFO

beat: install
	$(BIN)/celery -A kam beat --loglevel=INFO

# Benchmarks at scale (bench/README.md): PostgreSQL on 127.0.0.1:5432; BENCH_QUICK=1 for a smoke run.
bench: install
	bench/run

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache
