# Two commands do all the set-up on a fresh machine:
#   make reproduce   reproduce the section, checking each published output
#   make test        lint and the suite but what is marked slow, in about
#                    a minute and a half on 2 cores (make test-slow: the
#                    notebooks re-run, the real installs, fresh Pythons)
# Both install into .venv, with Python 3.11, exactly the versions pinned
# (with hashes) in requirements.lock, using uv, which make installs itself.
LOCK := requirements.lock
# setup.cfg's numpy ranges, past MXNet's numpy<2.0.0 (written by make lock)
OVERRIDE := tools/numpy-override.txt
VENV := .venv
BIN := $(VENV)/bin
UV_DIR := .uv
UV := $(UV_DIR)/bin/uv
# The Python to build .venv with: 3.11 (the default), 3.12 or 3.13, e.g.
# make reproduce PYTHON=python3.12. tools/find-python.sh looks for a 3.11
# (PATH, pyenv, uv's managed Pythons) when it is not given. Given once, it
# is kept in .venv/.python, so a later make (make lab, make test) keeps
# that Python until PYTHON= names another (PYTHON= alone: the default).
PYTHON_KEPT := $(VENV)/.python
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell cat '$(PYTHON_KEPT)' 2>/dev/null)
KEPT_NOTE := $(if $(PYTHON), (kept in $(PYTHON_KEPT) from an earlier make; PYTHON= alone gives the default))
endif
ifneq ($(PYTHON),)
PYTHON_REFUSED := $(shell sh tools/find-python.sh '$(UV)' '$(PYTHON)' 2>&1 >/dev/null)
ifneq ($(PYTHON_REFUSED),)
$(error $(PYTHON_REFUSED)$(KEPT_NOTE))
endif
endif
LINT_DIRS := d2l_conv tests _d2l_conv_mxnet_hook.py \
    _d2l_conv_tools.py setup.py \
    $(wildcard benchmarks tools e2e)
# make lab's options, e.g. make lab LAB_ARGS='--headless --port 8888'
LAB_ARGS ?=
# The MXNet build to install from the lock, each an extra of setup.cfg:
# mxnet (CPU, the default; extra cpu), mxnet-cu112 or mxnet-cu117 (GPU;
# extras cu112, cu117), e.g. make reproduce MXNET=mxnet-cu117.
MXNET ?= mxnet
MXNET_BUILDS := mxnet mxnet-cu112 mxnet-cu117
ifneq ($(words $(MXNET)) $(filter $(MXNET_BUILDS),$(MXNET)),1 $(MXNET))
$(error MXNET=$(MXNET) is not a build the lock holds: use mxnet (CPU, the default), mxnet-cu112 (CUDA 11.2) or mxnet-cu117 (CUDA 11.7))
endif
comma := ,
MXNET_EXTRA := $(if $(filter mxnet,$(MXNET)),cpu,$(patsubst mxnet-%,%,$(MXNET)))
# The lean set's stamp names the build and the Python asked for, so that
# choosing another reinstalls.
BASE := $(VENV)/.base-$(MXNET)$(if $(PYTHON),-$(subst /,_,$(PYTHON)))
# make test-matrix: the releases to run (default: all it knows).
MATRIX ?=

# The suite's areas, each a folder of tests/: make test-AREA runs one alone.
TEST_AREAS := bench book cli exercises fast figures install notebooks section

# pytest on every core, a file per worker; a plain `pytest FILE` (no -n
# in setup.cfg) runs in one process and starts no workers.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

.PHONY: reproduce test lint lab e2e lock venv clean notebooks figures bench \
    test-matrix test-docs test-slow $(addprefix test-,$(TEST_AREAS))

reproduce: $(BASE)
	$(BIN)/python -m d2l_conv

# Everything but the tests marked slow (setup.cfg's markers), which
# make test-slow runs: .ci/run runs both.
test: $(VENV)/.test
	@$(MAKE) --no-print-directory lint
	D2L_CONV_MXNET=$(MXNET) $(PYTEST) -m 'not slow and not docs_install'

# The slow but precious tests: each notebook re-run by nbval and three
# ways in a kernel, the real installs (tests/install/test_install.py),
# the fresh Pythons that check how a process starts.
test-slow: $(VENV)/.test
	D2L_CONV_MXNET=$(MXNET) $(PYTEST) -m 'slow and not docs_install'

# Every install block of README.md and docs/*.md, run as written with
# real pip in a fresh copy of the tree, on each Python it names, then the
# book's nine blocks there; and the Colab recipe in a Colab-like venv
# (tests/install/test_docs_blocks.py). Minutes of pip installs (1.3 min
# two at a time on 2 cores, 13 one at a time on a busy machine), so
# `make test` leaves them out.
test-docs: $(VENV)/.test
	D2L_CONV_MXNET=$(MXNET) $(BIN)/python -m pytest -m docs_install \
	    -n auto --dist load tests/install/test_docs_blocks.py

# One area alone, slow tests included, e.g. make test-install (real
# installs with uv and pip), make test-notebooks (tests/notebooks/ and the
# notebooks re-run by nbval) or make test-fast (corr2d_fast's engines).
$(addprefix test-,$(TEST_AREAS)): test-%: $(VENV)/.test
	D2L_CONV_MXNET=$(MXNET) $(PYTEST) tests/$* \
	    $(if $(filter notebooks,$*),notebooks)

# What can differ between releases (the book's 6/6, the engines, the
# import hook, the version gate, the installs, the notebooks: ROW_TESTS in
# tools/matrix.py) on each MXNet release supported (1.7.0.post2 to 1.9.1,
# CPU) on Python 3.11, and on 1.9.1 on Python 3.12 (with the lock's numpy
# 1.26 and with numpy 2.4) and 3.13, each in its own venv under
# .venv-matrix/, all else from the lock, two rows at a time (never two of
# one Python); checks that 1.6.0 is refused and the C engine is used;
# rewrites the table in docs/development.md.
# MATRIX=1.9.0 runs one row (on 3.11), MATRIX=3.13:1.9.1 another,
# MATRIX=3.12:1.9.1:2.4.6 the numpy 2 row.
test-matrix: $(UV)
	@python=$$(sh tools/find-python.sh $(UV) "$(PYTHON)") || exit 1; \
	"$$python" tools/lockfile.py check $(LOCK) || exit 1; \
	"$$python" tools/matrix.py run $(UV) "$$python" $(MATRIX)

# ruff's settings are pyproject.toml's, where editors find them too.
lint: $(VENV)/.test
	$(BIN)/ruff check --no-cache $(LINT_DIRS)

# JupyterLab on notebooks/, its kernel this environment (docs/notebooks.md).
lab: $(VENV)/.lab
	$(BIN)/python tools/lab.py $(LAB_ARGS)

# The learner's path in a real browser: every notebook run in JupyterLab,
# driven by headless Chromium (installed first, where it is missing, with
# apt-get: needs root); screenshots in e2e-out/.
e2e: $(VENV)/.e2e
	sh tools/install-chromium.sh
	$(BIN)/python e2e/run.py --out e2e-out

venv: $(BASE)

# Re-resolve every pin (all extras, every platform) from setup.cfg.
# 3.11 and 3.12 as pip would resolve them, MXNet's metadata obeyed; 3.13
# past MXNet's numpy<2.0.0, with the override (see tools/lockfile.py).
lock: $(UV)
	python3 tools/lockfile.py override $(OVERRIDE)
	@for v in 3.11 3.12; do \
	    $(UV) pip compile --quiet setup.cfg --all-extras --no-header \
	        --no-annotate --python-version $$v | \
	        python3 tools/lockfile.py pins $$v || exit 1; \
	done > $(VENV)-lock-constraints.txt
	$(UV) pip compile --quiet setup.cfg --all-extras --universal \
	    --generate-hashes --python-version 3.11 --override $(OVERRIDE) \
	    --constraint $(VENV)-lock-constraints.txt \
	    --custom-compile-command 'make lock' --output-file $(LOCK)
	rm -f $(VENV)-lock-constraints.txt
	python3 tools/lockfile.py stamp $(LOCK)
	python3 tools/matrix.py lock $(UV)

$(UV): tools/uv-requirements.txt tools/bootstrap-uv.sh
	@sh tools/bootstrap-uv.sh $(UV_DIR)
	@touch $@

# The lean set: what make reproduce needs. Refuses a stale lock, builds the
# venv with a Python 3.11 found where uv looks, uninstalls any other MXNet
# build (each installs the same mxnet/ package, so one must never be
# installed over another), installs from the lock with its hashes checked,
# then checks the venv equals the lock, with MXNET its one MXNet build.
$(BASE): setup.cfg setup.py $(wildcard d2l_conv/fast/*.c) $(LOCK) $(UV)
	@python=$$(sh tools/find-python.sh $(UV) "$(PYTHON)") || exit 1; \
	"$$python" tools/lockfile.py check $(LOCK) || exit 1; \
	same='import sys; v = sys.version_info[:2]; print(v)'; \
	[ "$$($(BIN)/python -c "$$same" 2>/dev/null)" = \
	    "$$("$$python" -c "$$same")" ] || \
	    $(UV) venv --quiet --clear --python "$$python" $(VENV) || exit 1
	@rm -f $(VENV)/.base-*
	@printf '%s\n' '$(PYTHON)' > $(PYTHON_KEPT)
	@others=$$($(BIN)/python tools/lockfile.py builds | grep -vx '$(MXNET)'); \
	if [ -n "$$others" ]; then \
	    echo "make: uninstalling" $$others "before installing $(MXNET)"; \
	    $(UV) pip uninstall --quiet --python $(BIN)/python $$others || exit 1; \
	fi
	$(call install,.[$(MXNET_EXTRA)])
	@touch $@

$(VENV)/.test: $(BASE)
	$(call install,.[$(MXNET_EXTRA)$(comma)test])
	@touch $@

$(VENV)/.lab: $(BASE)
	$(call install,.[$(MXNET_EXTRA)$(comma)lab])
	@touch $@

$(VENV)/.e2e: $(BASE)
	$(call install,.[$(MXNET_EXTRA)$(comma)e2e])
	@touch $@

# --reinstall-package: rebuild corr2d_fast's C engine (uv would reuse
# the build it cached, keyed on setup.py and setup.cfg, not _direct.c).
define install
	$(UV) pip install --quiet --python $(BIN)/python --verify-hashes \
	    --constraint $(LOCK) --override $(OVERRIDE) \
	    --reinstall-package d2l_conv --editable '$(1)'
	@$(BIN)/python tools/lockfile.py verify $(LOCK) $(MXNET)
endef

clean:
	rm -rf $(VENV) $(UV_DIR) .venv-matrix build *.egg-info figures-out \
	    e2e-out $(VENV)-lock-constraints.txt

# Re-run the notebooks in place so their stored outputs (which nbval checks
# and GitHub shows) are current.
notebooks: $(VENV)/.test
	cd notebooks && for nb in *.ipynb; do \
	    ../$(BIN)/jupyter-execute --inplace --timeout=600 "$$nb" || exit 1; \
	done

# Draw the five figures (PNG and SVG) into figures-out/, which git ignores,
# and copy the three docs/notebooks.md shows into docs/figures/.
figures: $(BASE)
	$(BIN)/python -m d2l_conv --figures figures-out
	mkdir -p docs/figures
	cp figures-out/cross_correlation.png figures-out/edge_detection.png \
	    figures-out/receptive_field.png docs/figures/

# Time corr2d_fast against its peers; rewrites benchmarks/results.md and
# docs/speed.md's bench section from the numbers it measures.
bench: $(VENV)/.test
	$(BIN)/python benchmarks/bench_corr2d.py
