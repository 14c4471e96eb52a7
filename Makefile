# Every target calls the `peacetalks` CLI; `make setup` makes the environment from uv.lock.
.DEFAULT_GOAL := help
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
VENV := .venv
UV := $(TOOLS)/bin/uv
PT := $(VENV)/bin/peacetalks
HOST ?= 127.0.0.1
PORT ?= 8001
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help setup validate format build serve test lint bench charts clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced  ## create .venv from the lock file (needs only the package registry)

validate: setup  ## check every CSV against its schema and the rules
	$(PT) validate

format: setup  ## rewrite the CSVs in canonical form
	$(PT) format

build: setup  ## validate, then build DuckDB, Parquet and SQLite under build/
	$(PT) build

serve: build  ## serve the data read-only with Datasette on http://$(HOST):$(PORT)/
	$(PT) serve --host $(HOST) --port $(PORT)

test: setup  ## lint, then run the whole test suite
	$(VENV)/bin/ruff check scripts tests benchmarks
	$(VENV)/bin/pytest

lint: setup  ## ruff
	$(VENV)/bin/ruff check scripts tests benchmarks

bench: setup  ## speed figures beside frictionless and bare Datasette (BENCH=--quick: shorter)
	$(VENV)/bin/python -m peacetalks.bench $(BENCH)

charts: setup  ## draw the dashboard charts into docs/img/ in headless Chromium (builds first)
	$(PT) charts

.PHONY: release
release: setup  ## cut the release of the version in datapackage.json into dist/ (refuses if unsound)
	$(PT) release

clean:  ## remove generated outputs (build/, dist/)
	rm -rf build dist

.PHONY: loadtest
loadtest: build  ## 30 s of mixed load on a private server on 127.0.0.1: 5xx, p99, peak memory
	$(PT) loadtest --seconds 30 --connections 32 --workers 2
