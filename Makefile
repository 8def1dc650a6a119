# The README's commands. Everything runs from the project's own .venv, created on first use.
PYTHON ?= python3
ARCHIVE ?= ./archive
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/nianbao demo --archive $(ARCHIVE)

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) archive .seaweed .pytest_cache .ruff_cache
