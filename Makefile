# ficshelf: the two commands in the README are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LIBRARY ?= demo-library
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck unit bench eval dialogue clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## run: set everything up, import the bundled demo works and start the web app on http://$(HOST):$(PORT)/
run: install
	$(PY) -m ficshelf demo --library $(LIBRARY)
	$(PY) -m ficshelf list --library $(LIBRARY)
	$(PY) -m ficshelf serve --library $(LIBRARY) --host $(HOST) --port $(PORT)

## test: every check (unit and integration tests, doctests, ruff, mypy)
test: install unit lint typecheck

unit: install
	$(PY) -m pytest -q --doctest-modules src/ficshelf tests

lint: install
	$(VENV)/bin/ruff check src tests

typecheck: install
	$(VENV)/bin/mypy

## bench: the benchmark command (JSON figures)
bench: install
	$(PY) -m ficshelf bench

eval: install
	$(PY) -m ficshelf eval

## dialogue: speakers and addressees against the hand-made gold in tests/data/dialogue
dialogue: install
	$(PY) -m ficshelf.evaluate.dialogue

clean:
	rm -rf $(VENV) $(LIBRARY) .pytest_cache .mypy_cache .ruff_cache
