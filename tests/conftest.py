"""Shared fixtures: a reader's folder with the offline FashionMNIST, every snippet's one run, the built site,
and the browser. Everything a test writes goes to pytest's temporary folders, but the browser test's
screenshots (test-artifacts/, ignored by git): the developer's data/ and .cache/ are neither read nor changed
(tests/test_no_registration.py proves it), and no tracked file changes.

Only torch, numpy and pillow are imported at module level: `make test-gpu` runs tests/cuda on machines
without the site's build tools (tests/test_cuda_needs_no_build_tools.py checks this).
"""

from pathlib import Path

import pytest

from tested_docs.build import build_env, mkdocs_build
from tested_docs.fixture import write_fashion_mnist
from tested_docs.paths import ROOT


@pytest.fixture(scope="session", autouse=True)
def warm_runner():
    """One runner process for the session's snippet runs: torch and friends imported once, every run forked
    from it (tested_docs.runner.Warm)."""
    from tested_docs.runner import Warm

    with Warm():
        yield


@pytest.fixture(scope="session")
def reader_dir(tmp_path_factory) -> Path:
    """A working folder like a reader's: FashionMNIST (the offline stand-in) in ./data."""
    workdir = tmp_path_factory.mktemp("reader")
    write_fashion_mnist(workdir / "data")
    return workdir


@pytest.fixture(scope="session")
def run_cache(tmp_path_factory) -> Path:
    """The session's cache of snippet runs: the tests and the build read the same runs. A suite run on a
    copy of the repository (tests/test_no_registration.py) is handed a copy of its caller's, in
    $DEEP_NOTES_TEST_CACHE, so that only what the copy changed runs again."""
    import os

    given = os.environ.get("DEEP_NOTES_TEST_CACHE")
    return Path(given) if given else tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def snippet_runs(reader_dir, run_cache):
    """{snippet file name: Run}: every snippet run once, as a script, on the stand-in."""
    from tested_docs.paths import snippet_files
    from tested_docs.runner import run_snippets

    return run_snippets(snippet_files(), reader_dir / "data", run_cache)


@pytest.fixture(scope="session")
def records_dir(tmp_path_factory) -> Path:
    """Where the test build reads its CPU record: a record made here for the current snippets (this build
    is never published; the developer's own .verified/ is left out of it)."""
    from tested_docs.records import make_record, write_if_changed

    folder = tmp_path_factory.mktemp("records")
    write_if_changed(folder / "cpu.json", make_record("cpu", {"passed": 1, "skipped": 0, "failed": 0}, ROOT))
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, snippet_runs, reader_dir, run_cache, records_dir):
    """`mkdocs build --strict` of the real site into a temporary folder, reading the session's runs: (site, log)."""
    site = tmp_path_factory.mktemp("site")
    done = mkdocs_build(ROOT, site, build_env(reader_dir / "data", run_cache, records_dir))
    assert done.returncode == 0, done.stderr
    return site, done.stderr


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (starting it costs about a second)."""
    from tested_docs.browser import BrowserUnavailable, launch, start_playwright

    playwright = chromium = problem = None
    try:
        playwright = start_playwright()
        chromium = launch(playwright)
    except BrowserUnavailable as error:
        problem = str(error)
    if problem:  # failed outside the except block, so the report is the message alone
        if playwright:
            playwright.stop()
        pytest.fail(problem, pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site, served on 127.0.0.1 at a free port."""
    from tested_docs.browser import serve

    with serve(built_site[0]) as url:
        yield url
