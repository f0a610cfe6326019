# Deep Notes: `make serve` to read the site, `make test` to prove it.
# The first use creates .venv (Python) and node_modules (MathJax for build-time math) and installs into them.

VENV := .venv
PYTHON := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-browser test-no-browser test-gpu outputs deps clean

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
