"""`make test-gpu` runs on a machine that has torch, torchvision, matplotlib, numpy and pytest, and none of the site's build tools.

Simulated here: pytest runs in a child interpreter where importing markdown, mkdocs, pymdownx,
material or pytest_codeblocks fails, and no plugin is auto-loaded (pytest-codeblocks is not installed there).
"""

import os
import subprocess
import sys

from pages import ROOT

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


def test_the_cuda_tests_collect_without_build_tools():
    done = pytest_without_build_tools("tests/test_cuda.py", "-m", "cuda", "--collect-only", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    for snippet in ("eager_model", "network_components", "model_params"):
        assert f"tests/test_cuda.py::test_{snippet}_" in done.stdout, f"no cuda test for {snippet}.py:\n{done.stdout}"


def test_the_simulation_does_hide_the_build_tools():
    """The same child fails on a test module that needs markdown: the check above could fail."""
    done = pytest_without_build_tools("tests/test_listings.py", "--collect-only", "-q")
    assert done.returncode != 0 and "No module named 'markdown' (not installed on a GPU machine)" in done.stdout + done.stderr
