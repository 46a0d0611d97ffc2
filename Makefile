# Two commands, each working on a fresh clone:
#   make demo   set up and build the demo site (no server needed) into site/public
#   make test   set up (Python venv, Prometheus, Chromium) and run lint + the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test setup system-deps lint serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/slacode demo

serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload -a 127.0.0.1:8000

# The integration tests use a real Prometheus and a real headless Chromium (Debian packages).
system-deps:
	@if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null || [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: prometheus chromium chromium-driver"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus chromium chromium-driver >/dev/null; \
	  else \
	    echo "need Debian packages prometheus chromium chromium-driver (run as root or: sudo apt-get install prometheus chromium chromium-driver)"; exit 1; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) system-deps lint
	SLACODE_REQUIRE_INTEGRATION=1 $(BIN)/pytest -q

clean:
	rm -rf site/public site/generated .slacode build
