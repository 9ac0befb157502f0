# Two commands set up a fresh machine and run everything (see README):
#   make build   -> install, then `sdkgen build` over specs/ into generated/
#   make test    -> install, then lint, type-check and every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/sdkgen build

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy --strict generator/sdkgen

test: lint
	$(BIN)/sdkgen build --check
	$(BIN)/pytest -q
