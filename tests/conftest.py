import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "support"))

from fashion_fixture import write_fashion_mnist  # noqa: E402

# `pages` (markdown, pytest-codeblocks, mkdocs) is imported inside the fixtures that need it, so the
# cuda tests (`make test-gpu`) run where only torch, torchvision, numpy and pytest are installed.

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
    """Start the scripts and the notebook reruns before the first test, when this run uses them."""
    used = {name for item in request.session.items for name in item.fixturenames}
    for slow in ("script_runs", "notebook_reruns"):
        if slow in used:
            request.getfixturevalue(slow)
