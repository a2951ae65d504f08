# One target per job. A fresh machine needs only python3 (3.10+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# PyAirbyte has dependencies of its own: it gets its own environment, used by one test and the example.
PA_VENV := .venv-pyairbyte
PA_STAMP := $(PA_VENV)/.installed

.PHONY: demo test lint schemas docs pyairbyte bench image clean

$(STAMP): setup.py requirements-nodeps.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[tests]'
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $(STAMP)

## demo: start the Paycor sandbox, run spec → check → discover → read of every stream, print counts
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

$(PA_STAMP):
	$(PYTHON) -m venv $(PA_VENV)
	$(PA_VENV)/bin/pip install --quiet --upgrade pip
	$(PA_VENV)/bin/pip install --quiet 'airbyte==0.71.3'
	touch $(PA_STAMP)

## pyairbyte: the PyAirbyte example (examples/pyairbyte_duckdb.py) on secrets/config.json; offline: PyAirbyte
# looks up its connector registry unless AIRBYTE_OFFLINE_MODE=1; its DuckDB cache goes to .cache/ (ignored by git)
pyairbyte: $(STAMP) $(PA_STAMP)
	AIRBYTE_OFFLINE_MODE=1 $(PA_VENV)/bin/python examples/pyairbyte_duckdb.py --config secrets/config.json --executable $(BIN)/source-paycor

## test: the whole test suite (unit + integration against the sandbox + the image, when a Docker engine answers)
# -m "": the image tests too (a bare `pytest` deselects them); they skip with one line when no engine answers.
# -n 2: two workers (most tests wait on a sandbox or a subprocess); a module stays on one worker.
test:
	$(MAKE) -j2 $(STAMP) $(PA_STAMP)
	$(MAKE) lint
	$(BIN)/python -m pytest -m "" -n 2 --dist loadfile

## lint: ruff (lint + format check) and mypy on source_paycor/, configured in ruff.toml and mypy.ini
lint: $(STAMP)
	$(BIN)/ruff check source_paycor
	$(BIN)/ruff format --check source_paycor
	$(BIN)/mypy

## image: build airbyte/source-paycor:<version> from the Dockerfile (on a stand-in base where the pinned one cannot be pulled)
image:
	scripts/build_image.sh

## schemas: regenerate stream schemas from openapi/*.json
schemas: $(STAMP)
	$(BIN)/python scripts/generate_schemas.py

## docs: regenerate the tables of README.md and docs/paycor.md from the catalog (streams) and spec.yaml (config)
docs: $(STAMP)
	$(BIN)/python scripts/stream_table.py
	$(BIN)/python scripts/config_table.py

## bench: the benchmark (.venv with the tests extra: time-machine moves the connector's day in bench/honest_minimum.py)
bench: $(STAMP)
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf $(VENV) $(PA_VENV) .demo .pytest_cache
