# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make reproduce   reproduce the section, checking each published output
#   make test        the whole suite: unit, doctests, book, notebooks, lint
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_DIRS := d2l_conv tests $(wildcard benchmarks)

.PHONY: reproduce test lint venv clean notebooks figures bench

reproduce: $(STAMP)
	$(BIN)/python -m d2l_conv

test: $(STAMP)
	$(MAKE) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --no-cache --line-length 79 \
	    --select E,W,F,I,B --target-version py311 $(LINT_DIRS)

venv: $(STAMP)

$(STAMP): setup.cfg setup.py
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not \
	found; install Python 3.11 (MXNet 1.9.1 needs numpy<1.24, which has no \
	wheels for 3.12+), or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info figures-out

# Re-run the notebooks in place so their stored outputs (which nbval checks
# and GitHub shows) are current.
notebooks: $(STAMP)
	cd notebooks && for nb in *.ipynb; do \
	    ../$(BIN)/jupyter-execute --inplace --timeout=600 "$$nb" || exit 1; \
	done

# Draw the section's four figures (PNG and SVG) into figures-out/, which git
# ignores, and copy the two the README shows into docs/figures/.
figures: $(STAMP)
	$(BIN)/python -m d2l_conv --figures figures-out
	mkdir -p docs/figures
	cp figures-out/cross_correlation.png figures-out/edge_detection.png \
	    docs/figures/

# Time corr2d_fast against its peers; rewrites benchmarks/results.md and
# the README's bench section from the numbers it measures.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_corr2d.py
