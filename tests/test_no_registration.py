"""A new snippet and a new page cost only their own files (the page, the script, the nav entry), and the suite
never touches the developer's data/ and .cache/: both proven by running the suite itself on one copy of the
repository, on what the probe changes."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tested_docs.build import copy_repository

NEW_SNIPPET = '''"""A snippet added to the site: two sections, each printing.

Run it:  python snippets/zz_new.py
"""

# --8<-- [start:make]
import torch

x = torch.arange(6).reshape(2, 3)
print(f"x: shape {tuple(x.shape)}")
# --8<-- [end:make]

# --8<-- [start:total]
print(f"total: {x.sum().item()}")
# --8<-- [end:total]
'''
NEW_PAGE = '''---
description: "A probe page: one snippet, two listings."
---

# A new page

What this page shows.

```python title="snippets/zz_new.py"
--8<-- "snippets/zz_new.py:make"
```

<!--pytest-codeblocks:expected-output-->
```text title="Output"
x: shape (2, 3)
```

```python title="snippets/zz_new.py"
--8<-- "snippets/zz_new.py:total"
```

<!--pytest-codeblocks:expected-output-->
```text title="Output"
total: 15
```
'''


NAV_ENTRY = "  - A new page: zz-new.md\n"


def add_probe(repo, rename=lambda text: text):
    """The probe page, its snippet and its nav entry, in a copy of the repository; nothing else is touched.
    `rename` gives the probe another name (the benchmark adds one beside this test's own)."""
    (repo / "snippets" / rename("zz_new.py")).write_text(rename(NEW_SNIPPET))
    (repo / "docs" / rename("zz-new.md")).write_text(rename(NEW_PAGE))
    config = (repo / "mkdocs.yml").read_text()
    nav_end = config.index("\n\n", config.index("nav:"))
    (repo / "mkdocs.yml").write_text(config[:nav_end + 1] + rename(NAV_ENTRY) + config[nav_end + 1:])
    return repo

# The inner run: every check on the probe, and the ones that read the whole site (nav, sitemap, path), and one
# page's static listing check (it would show POISON if the build read the developer's .cache/).
SELECTED = "zz or sitemap or learning_path or cover_every_section or (each_listing and eager)"


@pytest.fixture(scope="module")
def extended(request, tmp_path_factory, run_cache, snippet_runs):
    """A copy of the repository with one new snippet, one new page and its nav entry (no other file touched),
    and a developer's data/ and .cache/ that would break or betray the build if it read them; then the
    copy's own suite, run on the probe (SELECTED), handed a copy of this session's run cache."""
    tmp = tmp_path_factory.mktemp("extended")
    repo = add_probe(copy_repository(tmp / "repo"))
    # The developer's own folders: damaged data, and a cache whose every run printed POISON.
    (repo / "data" / "FashionMNIST" / "raw").mkdir(parents=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        (repo / "data" / "FashionMNIST" / "raw" / name).write_bytes(b"not IDX")
    shutil.copytree(run_cache, repo / ".cache")
    for run in (repo / ".cache" / "runs").glob("*/run.json"):
        result = json.loads(run.read_text())
        result["chunks"] = [[section, "POISON\n"] for section, _ in result["chunks"]]
        run.write_text(json.dumps(result))
    before = {p: p.read_bytes() for folder in ("data", ".cache") for p in (repo / folder).rglob("*") if p.is_file()}
    shutil.copytree(run_cache, tmp / "cache")
    env = {**os.environ, "DEEP_NOTES_TEST_CACHE": str(tmp / "cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DEEP_NOTES_CACHE", None)
    half = request.config.getoption("markexpr", "")  # the copy runs the half this run runs (CI: no browser there)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", "-k", SELECTED,
                           *(["-m", half] if half else []), "tests"],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    return repo, done, before, half


def test_the_copys_suite_covers_the_new_page_with_no_other_file(extended):
    """Static checks, the browser's layout on both screens, the listings, the script, the notebook, the
    copied page, the home page's list and the GPU parity test (its coverage test finds a parity item for each of
    the probe's sections; the parity test itself skips without a GPU) all reach the probe."""
    _, done, _, half = extended
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    report = done.stdout
    for item in [
        "test_listings.py::test_listing_shows_what_it_prints[zz-new.md:9:zz_new.py:make]",
        "test_listings.py::test_snippet_runs_as_a_script_and_every_output_is_shown[zz_new.py]",
        "test_site_pages.py::test_each_listing_is_its_snippets_code_and_each_output_is_shown[zz-new]",
        "test_site_pages.py::test_loads_nothing_from_outside_the_site[zz-new]",
        "test_site_pages.py::test_every_formula_is_typeset_as_svg[notebooks/zz_new]",
        "test_site_pages.py::test_the_sitemap_lists_the_pages_the_checks_read",
        "test_browser.py::test_page_fits_the_screen[zz-new-desktop-light]",
        "test_browser.py::test_page_fits_the_screen[zz-new-phone-light]",
        "test_copied_pages.py::test_page_as_copied_runs_and_prints_what_it_shows[zz-new.md]",
        "test_notebooks.py::test_notebook_cells_are_the_pages_listings_with_their_outputs[zz_new.py]",
        "test_learning_path.py::test_the_built_home_page_lists_the_path_and_every_page_links_the_next",
        "test_cuda_needs_no_build_tools.py::test_the_cuda_tests_collect_without_build_tools_and_cover_every_section",
    ]:
        if half == "not browser" and item.startswith("test_browser.py"):
            continue  # the browser half's own run covers these (make test-browser)
        assert f"PASSED tests/{item}" in report, f"{item} did not pass on the copy:\n{report[-4000:]}"


def test_the_copys_suite_neither_reads_nor_changes_the_developers_data_and_cache(extended):
    repo, done, before, _ = extended
    assert done.returncode == 0, done.stdout[-3000:]  # damaged data/ was not read; POISON never shown
    after = {p: p.read_bytes() for folder in ("data", ".cache") for p in (repo / folder).rglob("*") if p.is_file()}
    assert after == before
