import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "support"))

from fashion_fixture import write_fashion_mnist  # noqa: E402

# `pages` (markdown, pytest-codeblocks, mkdocs) is imported inside the fixtures that need it, so the
# cuda tests (`make test-gpu`) run where only torch, torchvision, matplotlib, numpy and pytest are installed.

# Writes docs/verified/<kind>.json after a complete run when asked (--verified-record); see its docstring.
pytest_plugins = ["verified_record"]


@pytest.fixture(scope="session")
def reader_dir(tmp_path_factory) -> Path:
    """A working folder like a reader's: FashionMNIST (the offline fixture) in ./data."""
    workdir = tmp_path_factory.mktemp("reader")
    write_fashion_mnist(workdir / "data")
    return workdir


@pytest.fixture(scope="session")
def page_runs(reader_dir):
    """Every page's listings, run once in page order: {page: (listings, what each printed)}."""
    from pages import listings, pages, run_listings

    runs = {}
    for page in pages():
        items = listings(page)
        if items:
            runs[page] = (items, run_listings(items, reader_dir))
    return runs


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """`mkdocs build --strict` of the real site, once per test run: (site folder, build log)."""
    import os
    import subprocess

    from pages import ROOT

    site = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )
    assert done.returncode == 0, done.stderr
    return site, done.stderr


@pytest.fixture(scope="session")
def script_runs(reader_dir, tmp_path_factory):
    """Every snippet run as a script from reader_dir, started at once (see tests/support/background.py)."""
    from background import ScriptRuns

    runs = ScriptRuns(reader_dir, tmp_path_factory.mktemp("script-output"))
    yield runs
    runs.stop()


@pytest.fixture(scope="session")
def notebook_reruns(built_site, reader_dir):
    """{notebook: Future of (shown outputs, outputs of a fresh run)} for every published notebook."""
    from concurrent.futures import ThreadPoolExecutor

    from background import start_notebooks

    with ThreadPoolExecutor(max_workers=2) as pool:
        yield start_notebooks(built_site[0], reader_dir, pool)


@pytest.fixture(scope="session", autouse=True)
def head_start(request):
    """Start the scripts, the notebook reruns and the browser's page loads before the first test, when
    this run uses them: they wait on other processes, so they overlap with the in-process tests."""
    used = {name for item in request.session.items for name in item.fixturenames}
    if "page_checks" in used:
        used.add("page_visits")
    for slow in ("script_runs", "notebook_reruns", "page_visits"):
        if slow in used:
            request.getfixturevalue(slow)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (starting it costs about a second)."""
    from browser import BrowserUnavailable, launch, start_playwright

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
    from browser import serve

    with serve(built_site[0]) as url:
        yield url


@pytest.fixture(scope="session")
def page_visits(browser, site_url):
    """Every page opened every way, loading (tests/test_browser.py checks them)."""
    from browser import open_every_page

    opened, visits = open_every_page(browser, site_url)
    yield opened, visits
    opened.close()


# Tests that read what head_start set going run last, so that work overlaps with everything else.
RUN_LAST = ["test_snippet_scripts.py", "test_notebooks.py", "test_browser.py"]


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: RUN_LAST.index(item.path.name) + 1 if item.path.name in RUN_LAST else 0)
