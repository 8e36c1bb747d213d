# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_CASES ?= 20000

# The exact versions the tests passed with (pip-tools): `make lock` refreshes them after a change
# of pyproject.toml, keeping every version it can; `make lock UPGRADE=1` moves to the newest.
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test lint typecheck install lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the project definition or its lock changes; the stamp says which extras are in.
# The locked versions first, then the desk itself without resolving anything again.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) install --quiet -r $(LOCK)
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	touch $@

$(VENV)/.installed-test: pyproject.toml $(TEST_LOCK) | $(BIN)/python
	$(PIP) install --quiet -r $(TEST_LOCK)
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	touch $(VENV)/.installed $@

# pip-tools lives in its own environment, so it never changes the versions in .venv.
LOCK_TOOLS := $(VENV)-lock-tools
COMPILE := $(LOCK_TOOLS)/bin/pip-compile --quiet --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host $(if $(UPGRADE),--upgrade)

lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && \
		$(LOCK_TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check pip-tools; }
	$(COMPILE) --extra test --output-file $(TEST_LOCK) pyproject.toml
	cp $(TEST_LOCK) $(LOCK)  # the same versions: the run lock is the test lock without the test tools
	$(COMPILE) --output-file $(LOCK) pyproject.toml

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
	$(BIN)/python -m pytest -n auto --dist worksteal

clean:
	rm -rf $(VENV) $(LOCK_TOOLS) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
