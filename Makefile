# kneelog: `make run` starts the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("kneelog needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/kneelog

demo: $(STAMP)
	$(VENV)/bin/kneelog --demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@for script in bench/bench_*.py; do QT_QPA_PLATFORM=offscreen $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info
