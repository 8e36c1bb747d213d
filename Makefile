# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_CASES ?= 20000

.PHONY: run test lint typecheck install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the project definition changes; the stamp says which extras are in.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

# Fill an empty default database with demo data (the current login becomes its admin), then start.
run: $(VENV)/.installed
	$(BIN)/kesu-desk demo --if-empty --cases $(DEMO_CASES)
	$(BIN)/kesu-desk

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# One test process per CPU (pytest-xdist): the suite is mostly CPU-bound Python.
test: lint typecheck
	$(BIN)/python -m pytest -n auto

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
