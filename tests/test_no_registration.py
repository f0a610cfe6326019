"""A new snippet and a new page cost only their own files, and a build never touches the developer's
data/ and .cache/: both proven on one copy of the repository, built once."""

import json
import shutil

import pytest

from tested_docs.build import build_env, copy_repository, mkdocs_build
from tested_docs.checks import listing_problem, script_problems
from tested_docs.pages import all_listings
from tested_docs.runner import run_snippets

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
NEW_PAGE = '''# A new page

<!-- run-it-yourself -->

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


@pytest.fixture(scope="module")
def extended(tmp_path_factory, run_cache, snippet_runs, reader_dir):
    """A copy of the repository with one new snippet and one new page (no other file touched), and a
    developer's data/ and .cache/ that would break or betray the build if it read them; built once."""
    tmp = tmp_path_factory.mktemp("extended")
    repo = copy_repository(tmp / "repo")
    (repo / "snippets" / "zz_new.py").write_text(NEW_SNIPPET)
    (repo / "docs" / "zz-new.md").write_text(NEW_PAGE)
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
    cache = tmp / "cache"
    shutil.copytree(run_cache, cache)
    done = mkdocs_build(repo, tmp / "site", build_env(reader_dir / "data", cache, tmp / "records"))
    return repo, tmp / "site", done, before


def test_a_new_snippet_and_page_are_covered_without_registration(extended, snippet_runs, reader_dir, tmp_path):
    repo, site, done, _ = extended
    assert done.returncode == 0, done.stderr
    items = [item for item in all_listings(repo) if item.page.name == "zz-new.md"]
    assert [item.id for item in items] == ["zz-new.md:5:zz_new.py:make", "zz-new.md:14:zz_new.py:total"]
    runs = {**snippet_runs, **run_snippets([repo / "snippets" / "zz_new.py"], reader_dir / "data", tmp_path)}
    assert [listing_problem(item, runs) for item in items] == [None, None]
    assert script_problems(runs["zz_new.py"], items, repo) == []
    # The listings' check can fail: a wrong shown output is caught.
    items[1].expected_output = "total: 16\n"
    assert listing_problem(items[1], runs)
    notebook = (site / "notebooks" / "zz_new" / "index.html").read_text(encoding="utf-8")
    assert "total: 15" in notebook
    assert 'href="notebooks/zz_new/"' in (site / "index.html").read_text(encoding="utf-8"), "the notebook is not in the nav"
    assert 'href="../notebooks/zz_new/"' in (site / "zz-new" / "index.html").read_text(encoding="utf-8"), "no run-it-yourself link"


def test_a_build_neither_reads_nor_changes_the_developers_data_and_cache(extended):
    repo, site, done, before = extended
    assert done.returncode == 0, done.stderr  # damaged data/ was not read
    for page in ("training/index.html", "notebooks/eager_model/index.html"):  # pages that show runs' output
        markup = (site / page).read_text(encoding="utf-8")
        assert "epoch 1:" in markup or "Using cpu device" in markup
        assert "POISON" not in markup
    after = {p: p.read_bytes() for folder in ("data", ".cache") for p in (repo / folder).rglob("*") if p.is_file()}
    assert after == before
