# kneelog: `make run` starts the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PREFIX ?= $(HOME)/.local

.PHONY: run demo test torture torture-files torture-journal torture-writers torture-kills torture-saves bench dist icons screenshots install-desktop uninstall-desktop validate-desktop clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("kneelog needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The optional extras of pyproject.toml, each installed once: `dist` (PyInstaller), `docs`.
$(VENV)/.installed-%: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,$*]'
	touch $@

run: $(STAMP)
	$(VENV)/bin/kneelog

demo: $(STAMP)
	$(VENV)/bin/kneelog --demo

# Lint, formatting and the core's types first (settings in pyproject.toml; `ruff format .`
# rewrites), then the suite.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# Fault injection beyond what `make test` runs; each part prints its figures last.
torture: torture-files torture-journal torture-writers torture-kills torture-saves

# Thousands of mutated and hostile watch files (huge ones among them) imported in a child
# process: any crash, traceback, slow file or refused file that changed the journal fails it.
torture-files: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/hostile_files.py torture --count $(or $(COUNT),3000)

# 200 SIGKILLs each while backing up, restoring and updating a journal (seeded).
torture-journal: $(STAMP)
	KNEELOG_TORTURE_ROUNDS=200 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/test_files_kill.py $(PYTEST_ARGS)

# 10 s of two processes and two threads writing at once (`make test` runs it shorter).
torture-writers: $(STAMP)
	KNEELOG_TORTURE=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/test_store_writers.py $(PYTEST_ARGS)

# `kneelog import` and `kneelog load` killed (SIGKILL) at 200 random moments each: every file
# said imported is there whole, no file half imported; a load leaves no journal or a whole one.
# Seeded from the clock unless SEED is given; the seed is printed with the figures.
torture-kills: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/kill_commands.py torture --kills $(or $(KILLS),200) $(if $(SEED),--seed $(SEED))

# 220 SIGKILLs while saving entries and 60 while opening the journal (seeded).
torture-saves: $(STAMP)
	KNEELOG_TORTURE_REPEAT=10 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/test_store_kill.py $(PYTEST_ARGS)

# Every bench/bench_*.py, then one markdown table of the figures and the machine they ran on
# (also written to build/bench.md).
bench: $(STAMP)
	@mkdir -p build
	QT_QPA_PLATFORM=offscreen $(PY) bench/report.py --output build/bench.md

# The one-folder bundle dist/kneelog/ (dist/kneelog.app on macOS); runs without Python.
dist: $(VENV)/.installed-dist
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/kneelog.spec
	@du -sh dist/kneelog

# resources/icons/*.png from resources/kneelog.svg; run after changing the SVG, then commit.
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) packaging/make_icons.py

# docs/screenshots/*.png from the demo journal, offscreen (README and the metainfo show them).
screenshots: $(VENV)/.installed-docs
	QT_QPA_PLATFORM=offscreen $(PY) packaging/make_screenshots.py

# The launcher, AppStream metainfo and icons under $(PREFIX)/share, for the current user.
# The launcher runs dist/kneelog/kneelog if `make dist` built it, else the virtual
# environment's kneelog; choose another with `make install-desktop KNEELOG=/path/to/kneelog`.
install-desktop:
	$(PYTHON) packaging/install_desktop.py --prefix '$(PREFIX)' $(if $(KNEELOG),--exec '$(KNEELOG)')

uninstall-desktop:
	$(PYTHON) packaging/install_desktop.py --prefix '$(PREFIX)' --uninstall

# Needs desktop-file-utils and appstream (Debian: apt-get install desktop-file-utils appstream).
validate-desktop:
	desktop-file-validate packaging/io.github.kneelog.Kneelog.desktop
	appstreamcli validate --no-net packaging/io.github.kneelog.Kneelog.metainfo.xml

clean:
	rm -rf $(VENV) build dist *.egg-info
