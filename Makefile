# The README's commands. Everything runs from the project's own .venv, created on first use.
PYTHON ?= python3
ARCHIVE ?= ./archive
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo demo-distributed test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# pywb pins redis==2.10.6, which Celery's Redis client (>=6.4) cannot share an environment with:
	# the replay tests run pywb from a venv of its own.
	$(PYTHON) -m venv $(VENV)/pywb
	$(VENV)/pywb/bin/pip install --quiet 'pywb>=2.9,<3'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/nianbao demo --archive $(ARCHIVE)

# The demo as a distributed run: a Redis server and two workers on 127.0.0.1, started and stopped by it.
demo-distributed: $(STAMP)
	$(BIN)/nianbao demo --distributed --archive $(ARCHIVE)

# The Debian packages the tests need (antiword, catdoc, tesseract, chromium, LibreOffice …): installed
# when running as root, else named with the command to install them (exit 2).
system-deps:
	bash .ci/system-deps

test: system-deps $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) archive .seaweed .pytest_cache .ruff_cache
