# Two commands set up a fresh machine and run everything (see README):
#   make build   -> install, then `sdkgen build` over specs/ into generated/
#   make test    -> install, then lint, type-check and every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: build test lint install

$(STAMP): pyproject.toml server/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# the reference server on its committed stub, and the platform SDK its tests drive
	$(BIN)/pip install --quiet -e generated/server -e generated/python -e generated/wrappers/consultation -e server
	touch $(STAMP)

# The pinned TypeScript compiler (package.json / package-lock.json) that checks the generated TypeScript SDKs.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $(NODE_STAMP); \
	else echo "npm not found: the TypeScript SDK tests will be skipped"; fi

install: $(STAMP) $(NODE_STAMP)

build: $(STAMP)
	$(BIN)/sdkgen build

lint: $(STAMP)
	$(BIN)/ruff check generator tests server examples
	$(BIN)/ruff format --check generator tests server examples
	$(BIN)/mypy --strict generator/sdkgen
	$(BIN)/mypy --strict server/marketplace
	$(BIN)/mypy --strict generated/python/platform_sdk

test: lint $(NODE_STAMP)
	$(BIN)/sdkgen build --check
	$(BIN)/pytest -q
