"""`make test-gpu` runs on a machine that has torch, torchvision, matplotlib, numpy and pytest, and none of the site's build tools.

Simulated here: pytest runs in a child interpreter where importing markdown, mkdocs, pymdownx,
material or pytest_codeblocks fails, and no plugin is auto-loaded (pytest-codeblocks is not installed there).
"""

import os
import subprocess
import sys

from tested_docs.paths import ROOT, snippet_files

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
    done = pytest_without_build_tools("tests/cuda", "--collect-only", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    # Every snippet that builds or computes (all but the *_mistakes scripts) has cuda tests: in its own
    # file tests/cuda/test_cuda_<snippet>.py, or named test_<snippet>_... in tests/cuda/test_cuda.py.
    for snippet in (p.stem for p in snippet_files() if not p.stem.endswith("_mistakes")):
        assert f"test_cuda_{snippet}.py::" in done.stdout or f"::test_{snippet}_" in done.stdout, f"no cuda test for {snippet}.py:\n{done.stdout}"


def test_the_simulation_does_hide_the_build_tools():
    """The same child fails on a test module that needs markdown: the check above could fail."""
    done = pytest_without_build_tools("tests/test_site_build.py", "--collect-only", "-q")
    assert done.returncode != 0 and "(not installed on a GPU machine)" in done.stdout + done.stderr


def test_the_cuda_tests_section_reader_agrees_with_pymdownx():
    """tests/cuda/snippet_sections.py (for machines without pymdownx) finds, on every snippet, exactly the
    sections and code that pymdownx.snippets finds."""
    import importlib.util

    from tested_docs.sections import sections

    spec = importlib.util.spec_from_file_location("snippet_sections", ROOT / "tests" / "cuda" / "snippet_sections.py")
    mirror = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mirror)
    for path in snippet_files():
        found = {name: code.strip("\n") for name, code in mirror.sections(path).items()}
        assert found == {s.name: s.code for s in sections(path)}, path.name
