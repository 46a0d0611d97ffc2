# Two commands, each working on a fresh clone:
#   make demo   set up and build the demo site (no server needed) into site/public
#   make test   set up (Python venv, Prometheus, Chromium, faketime) and run lint (ruff, mypy)
#               + the whole test suite twice: at today's date, then with the clock 400 days ahead
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RUN    := $(VENV)/.installed-run
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: demo test setup system-deps lint lock serve clean screenshots

# The demo installs only what it runs; the tests add their toolchain (Playwright, axe,
# Zensical, actionlint, ruff) on top.
$(RUN): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUN)

$(STAMP): $(RUN)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(RUN)
	$(BIN)/slacode demo

serve: $(RUN)
	$(BIN)/mkdocs serve --livereload -a 127.0.0.1:$(PORT)

# The integration tests use a real Prometheus, a real VictoriaMetrics (the same figures on a
# second Prometheus-compatible engine) and a real headless Chromium (Debian packages).
# faketime moves the clock of the suite's second run (libfaketime; Prometheus, a Go program,
# keeps the real clock, which the tests' pinned data does not depend on).
# poppler-utils (pdftotext, pdftoppm) reads the customer reports' PDFs back in the tests;
# fonts-noto-cjk lets Chromium print a Chinese report.
SYSTEM_PACKAGES := prometheus victoria-metrics chromium chromium-driver faketime poppler-utils fonts-noto-cjk
system-deps:
	@if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null || ! command -v victoria-metrics >/dev/null || [ ! -x /usr/bin/chromium ] || ! command -v faketime >/dev/null || ! command -v pdftotext >/dev/null || [ ! -d /usr/share/fonts/opentype/noto ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: $(SYSTEM_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "need Debian packages $(SYSTEM_PACKAGES) (run as root or: sudo apt-get install $(SYSTEM_PACKAGES))"; exit 1; \
	  fi; \
	fi

# ruff, then mypy over slacode/ (its settings are in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# The nightly job holds the Prometheus credentials, so it installs only what this lock
# names, each file by its hash. Run after changing dependencies in pyproject.toml (a test
# fails while the lock no longer covers them).
lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --all-build-deps --extra report \
	  --no-header --no-emit-index-url --no-emit-find-links -o requirements/nightly.txt pyproject.toml

# The second run proves the suite does not age: no test may depend on the day it runs.
# Only pytest runs under faketime (apt would see its package lists as expired). It leaves
# out what cannot read the clock and costs most: the browser checks (they look at a site
# the build tests of this run make at a pinned time) and the wheel and `init` installs.
test: $(STAMP) system-deps lint
	@# bytecode once for the hundreds of slacode processes the suite starts: where
	@# PYTHONDONTWRITEBYTECODE is set (this development machine sets it) each of them
	@# compiled slacode again (subprocess-heavy test files ran 6.0 s -> 2.8 s)
	$(BIN)/python -m compileall -q slacode
	SLACODE_REQUIRE_INTEGRATION=1 $(BIN)/pytest -q
	@echo "== the same suite with the clock 400 days ahead (faketime -f +400d) =="
	SLACODE_REQUIRE_INTEGRATION=1 faketime -f +400d $(BIN)/pytest -q -p no:cacheprovider \
	  -m "not browser" --ignore=tests/package

# PNGs of the pages a customer reads (overview, a service of each kind, a period report,
# the reports index, the change history) at 1280 and 390 px, English and Chinese, light
# and dark, for review; written to screenshots/ (not committed). Needs Chromium.
screenshots: $(STAMP) system-deps
	$(BIN)/python tools/screenshots.py screenshots

clean:
	rm -rf site/public site/internal site/customers site/generated .slacode build
