"""Every snippet is also a notebook page: rendered with real outputs, downloadable as .ipynb and .py,
executable top to bottom offline, and not re-executed by a build whose snippets did not change."""

import os
import subprocess
import sys

import pytest

from pages import ROOT, SNIPPETS

from background import NOTEBOOKS as NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_page_has_outputs_and_both_downloads(built_site, name):
    site, _ = built_site
    folder = site / "notebooks" / name
    markup = (folder / "index.html").read_text(encoding="utf-8")
    assert markup.count("jp-OutputArea-output") >= 3
    assert f'href="/deep-notes/notebooks/{name}/{name}.ipynb" download' in markup
    assert f'href="/deep-notes/notebooks/{name}/{name}.py" download' in markup
    assert (folder / f"{name}.py").read_bytes() == (SNIPPETS / f"{name}.py").read_bytes()
    assert "cdnjs" not in markup and '<script src="">' not in markup
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="notebooks/{name}/"' in nav


def test_first_cell_says_what_the_notebook_is(built_site):
    import nbformat

    site, _ = built_site
    for name in NAMES:
        first = nbformat.read(site / "notebooks" / name / f"{name}.ipynb", as_version=4).cells[0]
        assert first.cell_type == "markdown" and f"`{name}.py` as a notebook" in first.source
        downloads = "downloads FashionMNIST" in first.source
        assert downloads == (name == "network_components"), first.source


@pytest.mark.parametrize("name", NAMES)
def test_published_notebook_runs_offline_in_a_fresh_kernel(name, notebook_reruns):
    """Each published .ipynb, run again from scratch on the fixture, prints what its page shows."""
    shown, printed = notebook_reruns[name].result(timeout=600)
    assert shown and shown == printed


def test_unchanged_snippets_execute_no_notebook_on_rebuild(built_site, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert f"notebooks: 0 executed, {len(NAMES)} from cache" in done.stderr


def test_samples_figure_is_shown_with_its_data_source(built_site):
    site, _ = built_site
    markup = (site / "eager-mode" / "index.html").read_text(encoding="utf-8")
    assert (site / "images" / "fashion_samples.png").stat().st_size > 1000
    assert 'src="../images/fashion_samples.png"' in markup
    assert 'alt="Three 28×28 grayscale images sampled by network_components.py from' in markup
    raw = ROOT / "data" / "FashionMNIST" / "raw"
    real = all((raw / f"{split}-{kind}-ubyte").is_file() for split in ("train", "t10k") for kind in ("images-idx3", "labels-idx1"))
    expected = "from the real FashionMNIST training set" if real else "from the offline test fixture"
    assert expected in markup
