# OTP Lab developer commands.  `make lab` to learn, `make test` to check.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
LAB    ?=

# Test paths that exist (pytest errors on a missing path given on the command line).
TEST_PATHS := $(wildcard tests notebooks)

.PHONY: venv lab test grade bench mutation clean

# The venv is (re)installed only when pyproject.toml changes.  Until
# otp_lite/__init__.py exists the stamp is .stamp-nopkg, so the first `make`
# after the package appears reinstalls (an editable install maps only the
# packages it found at install time).
STAMP := $(VENV)/.stamp$(if $(wildcard otp_lite/__init__.py),,-nopkg)

venv: $(STAMP)

$(VENV)/.stamp $(VENV)/.stamp-nopkg: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[lab,test]'
	touch $@

# bench extra (pykka) on top of the dev install.
$(VENV)/.stamp-bench: $(STAMP)
	$(BIN)/pip install -q -e '.[lab,test,bench]'
	touch $@

# mutation extra (mutmut) on top of the dev install.
$(VENV)/.stamp-mutation: $(STAMP)
	$(BIN)/pip install -q -e '.[lab,test,mutation]'
	touch $@

# Serve the whole repository (notebooks link to ../labs) and open the first notebook.
# JupyterLab refuses to run as root unless told to (containers, CI boxes).
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: venv
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir="$(CURDIR)" \
	    --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

# pytest collects tests/*.py as usual; --nbval adds strict output checks for
# every .ipynb under the given paths, run in this venv's kernel
# (--nbval-current-env).  pytest's exit code is passed through.
test: export MPLBACKEND := Agg
test: export PYTHONHASHSEED := 0
test: venv
	-bash tools/install_browser.sh
	-bash tools/install_erlang.sh
	$(BIN)/python -m pytest --nbval --nbval-current-env $(TEST_PATHS)

grade: venv
	@test -n "$(LAB)" || { echo "usage: make grade LAB=03_generic_server"; exit 2; }
	$(BIN)/python -m otp_lite.grade labs/$(LAB)

bench: $(VENV)/.stamp-bench
	$(BIN)/python bench/kernel.py
	$(BIN)/python bench/scaling.py

# Mutation testing of every lab's checks: mutmut's mutants of each solution/, graded by the
# real grader -> labs/MUTATION.md (+ .json).  All of them: about 40 min on 2 cores (~930
# mutants); `make mutation MUTATION_ARGS="--sample 40"` grades every k-th, at most 40 a lab,
# `MUTATION_ARGS="--lab 02_hlr"` one lab (the other labs' figures are kept).
MUTATION_ARGS ?=
mutation: export MPLBACKEND := Agg
mutation: export PYTHONHASHSEED := 0
mutation: $(VENV)/.stamp-mutation
	$(BIN)/python tools/lab_mutation.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
