# Causerie: `make run` serves the chat, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit integration e2e bench clean browser-tools

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c constraints.txt
	touch $(STAMP)

# axe-core (npm) for the accessibility check of the browser tests; only where npm exists
# (CI has it; without it that test skips, except under CI=true where it fails).
AXE := tests/e2e/node_modules/axe-core/axe.min.js

browser-tools: $(AXE)

$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error && touch $(AXE) \
			|| echo "npm ci failed: the accessibility test cannot run"; \
	else echo "npm not found: the accessibility test will skip (axe-core not installed)"; fi

run: $(STAMP)
	$(BIN)/causerie serve

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

integration: $(STAMP)
	$(BIN)/pytest tests/integration -q

e2e: $(STAMP) browser-tools
	$(BIN)/pytest tests/e2e -q

# The suite runs on every core and one more (pytest-xdist): many integration and browser tests
# wait on servers and timers, so a spare worker fills the wait; idle workers steal the queued
# tests of busy ones at the end. Each test makes its own ports, directories, PostgreSQL schema
# and Redis prefix, so workers never share state.
WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')
test: lint typecheck browser-tools
	$(BIN)/pytest -q -n $(WORKERS) --dist worksteal --durations=20 --cov --cov-report=term:skip-covered

bench: $(STAMP)
	$(BIN)/python bench/commit.py
	$(BIN)/python bench/run.py --naive

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
