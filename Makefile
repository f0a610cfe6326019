# Deep Notes: `make serve` to read the site, `make test` to prove it.
# The first use creates .venv (Python) and node_modules (MathJax for build-time math) and installs into them.

VENV := .venv
PYTHON := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-browser test-no-browser test-gpu test-torch outputs deps clean

serve: $(VENV)/.installed node_modules/.installed  ## build and serve the site at http://127.0.0.1:8000
	$(PYTHON) -m mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.installed node_modules/.installed  ## build the site into site/
	$(PYTHON) -m mkdocs build --strict

test: $(VENV)/.installed node_modules/.installed  ## run the whole suite; records it in .verified/cpu.json (untracked)
	$(PYTHON) -m pytest --verified-record=cpu

# The suite's two halves, for CI's two jobs: each writes its own record (.verified/cpu-browser.json,
# .verified/cpu-not-browser.json) and the pages show both.
test-browser: $(VENV)/.installed node_modules/.installed  ## only the browser tests (headless Chromium)
	$(PYTHON) -m pytest -m browser --verified-record=cpu

test-no-browser: $(VENV)/.installed node_modules/.installed  ## everything but the browser tests
	$(PYTHON) -m pytest -m "not browser" --verified-record=cpu

# The venv is a prerequisite only while PYTHON is the venv's own: `make test-gpu PYTHON=python3`
# uses an interpreter that already has torch, torchvision, matplotlib, numpy and pytest, and installs nothing.
test-gpu: $(if $(filter $(VENV)/bin/python,$(PYTHON)),$(VENV)/.installed)  ## run the cuda tests on this machine's GPU (fails without one); records it in docs/verified/gpu.json
	@$(PYTHON) tests/cuda/require_cuda.py
	$(PYTHON) -m pytest -p no:cacheprovider tests/cuda --verified-record=gpu

deps: $(VENV)/.installed node_modules/.installed  ## install everything the build and the tests need

# Another torch release, by default the oldest the site supports (pyproject.toml's lower bounds, read by
# tested_docs/releases.py), in its own venv: the listing and script checks against the pages as they are,
# writing docs/verified/torch-<release>.json (commit it). TORCH_INDEX=https://download.pytorch.org/whl/cpu
# takes the CPU build (CI); without it pip takes PyPI's, a CUDA build of about 3 GB. The rest comes from
# .ci/constraints.txt but for the pair's own pins (torch 2.6.0 needs sympy 1.13.1), which the pair decides.
OLDEST := $(shell python3 -m tested_docs.releases 2>/dev/null)
TORCH ?= $(word 1,$(OLDEST))
TORCHVISION ?= $(word 2,$(OLDEST))
TORCH_INDEX ?=
TORCH_VENV = .venv-torch-$(TORCH)
test-torch:  ## the listing and script checks on another torch (default: the oldest supported); records it in docs/verified/
	@test -n "$(TORCH)" && test -n "$(TORCHVISION)" || { echo "make test-torch: name the pair, e.g. TORCH=2.6.0 TORCHVISION=0.21.0 (pyproject.toml's lower bounds could not be read)"; exit 2; }
	test -x $(TORCH_VENV)/bin/python || python3 -m venv $(TORCH_VENV)
	$(TORCH_VENV)/bin/python -m pip install --quiet torch==$(TORCH) torchvision==$(TORCHVISION) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	{ grep -vE '^(torch|torchvision|triton|nvidia-|cuda-|sympy|mpmath)' .ci/constraints.txt; echo torch==$(TORCH); echo torchvision==$(TORCHVISION); } > $(TORCH_VENV)/constraints.txt
	$(TORCH_VENV)/bin/python -m pip install --quiet -c $(TORCH_VENV)/constraints.txt -e '.[docs,test]'
	@$(TORCH_VENV)/bin/python -c "import sys, torch, torchvision; v = (torch.__version__.split('+')[0], torchvision.__version__.split('+')[0]); sys.exit(None if v == ('$(TORCH)', '$(TORCHVISION)') else f'make test-torch: $(TORCH_VENV) has torch {v[0]}, torchvision {v[1]}, not $(TORCH), $(TORCHVISION)')"
	CUDA_VISIBLE_DEVICES= $(TORCH_VENV)/bin/python -m pytest -p no:cacheprovider tests/test_listings.py --verified-record=torch  # the pages show CPU runs

.PHONY: bench bench-page
bench: $(VENV)/.installed node_modules/.installed  ## time the suite, its stages and the build (median of 3), then the page benchmark
	$(PYTHON) benchmarks/suite.py

bench-page: $(VENV)/.installed node_modules/.installed  ## bytes a reader's browser receives for the tutorial and the heaviest notebook page, and when the math is typeset
	$(PYTHON) benchmarks/page.py

outputs: $(VENV)/.installed  ## rerun every listing and rewrite the outputs shown on the pages
	$(PYTHON) -m tested_docs.outputs

$(VENV)/.installed: pyproject.toml .ci/constraints.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -c .ci/constraints.txt -e '.[docs,test]'
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site .pytest_cache
