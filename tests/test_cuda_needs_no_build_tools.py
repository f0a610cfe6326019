"""`make test-gpu` runs on a machine that has torch, torchvision, matplotlib, numpy and pytest, and none of the site's build tools.

Simulated here: pytest runs in a child interpreter where importing markdown, mkdocs, pymdownx,
material or pytest_codeblocks fails, and no plugin is auto-loaded (pytest-codeblocks is not installed there).
"""

import os
import subprocess
import sys

from tested_docs.paths import ROOT, snippet_files
from tested_docs.sections import sections

WITHOUT_BUILD_TOOLS = """
import importlib.abc, sys
BUILD_ONLY = {"markdown", "mkdocs", "pymdownx", "material", "pytest_codeblocks"}
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BUILD_ONLY:
            raise ModuleNotFoundError(f"No module named {name!r} (not installed on a GPU machine)")
sys.meta_path.insert(0, NotInstalled())
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""


def pytest_without_build_tools(*args):
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_BUILD_TOOLS, "-p", "no:cacheprovider", *args],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )


def test_the_cuda_tests_collect_without_build_tools_and_cover_every_section():
    """On a machine with torch and pytest only, tests/cuda collects, with one parity test per section of
    every snippet (found by glob: a new snippet needs no new test file)."""
    done = pytest_without_build_tools("tests/cuda", "--collect-only", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    for path in snippet_files():
        for section in sections(path):
            item = f"tests/cuda/test_parity.py::test_section_prints_on_the_gpu_what_it_prints_on_the_cpu[{path.name}:{section.name}]"
            assert item in done.stdout, f"no parity test for {path.name}:{section.name}:\n{done.stdout}"


def test_the_simulation_does_hide_the_build_tools():
    """The same child fails on a test module that needs markdown: the check above could fail."""
    done = pytest_without_build_tools("tests/test_site_pages.py", "--collect-only", "-q")
    assert done.returncode != 0 and "(not installed on a GPU machine)" in done.stdout + done.stderr
