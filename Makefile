# Quick start: `make brief` writes briefs/council.pdf; `make test` runs the tests (`make test-fast`: all but
# the slow ones, for the editing loop).
# Both create the virtual environment and install the dependencies on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: brief briefs test test-fast check bench clean

$(STAMP): pyproject.toml
	@# WeasyPrint needs Pango, and subsets fonts much faster with HarfBuzz's subsetter: install
	@# them from Debian's packages where they are missing and apt is available.
	@{ ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; } || \
	  { command -v apt-get >/dev/null && apt-get update -qq && \
	    apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; } || \
	  echo "warning: install Pango and HarfBuzz-subset (libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

brief: $(STAMP)
	$(VENV)/bin/python generate.py --audience council

briefs: $(STAMP)
	$(VENV)/bin/python generate.py --audience all

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest -q -m "not slow"

check: $(STAMP)
	$(VENV)/bin/python generate.py --check

bench: $(STAMP)
	$(VENV)/bin/python bench/benchmark.py

clean:
	rm -rf briefs .cache
