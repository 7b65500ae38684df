# Two commands for a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

demo: install
	SINERGI_DEMO=1 $(BIN)/sinergi demo

test: install-test
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check sinergi benchmarks
	$(BIN)/mypy sinergi
	$(BIN)/lint-imports
