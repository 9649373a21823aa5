# Two commands on a fresh machine: `make site` installs everything and builds the sample
# site; `make test` runs the whole test suite (lint, types, tests). CI runs `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
AS_OF ?=

.PHONY: install site serve test goldens clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

site: install
	$(BIN)/hindsight build

test: install
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/pytest -q

goldens: install
	$(BIN)/hindsight schema > docs/record.schema.json
	$(BIN)/pytest -q --update-goldens

serve: install
	$(BIN)/hindsight serve

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
