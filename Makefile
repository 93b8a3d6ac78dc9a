# Two commands: `make run` and `make test` (`make lint` before a commit: ruff, then mypy). Both bootstrap .venv from pyproject.toml first.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test shell bench lint clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "advocacy-bot needs Python 3.11 or newer on PATH"; exit 1; }
	@echo "Setting up $(VENV) with $(PYTHON)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/advocacy serve

test: $(STAMP)
	$(BIN)/python -m pytest

shell: $(STAMP)
	$(BIN)/advocacy shell

lint: $(STAMP)
	$(BIN)/ruff check --select F,E,W,B --ignore E501 bot storage scheduler handlers entry tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/policy_eval.py

clean:
	rm -rf $(VENV) advocacy.db advocacy.db-wal advocacy.db-shm .pytest_cache .mypy_cache
