"""What a maintainer sees when something breaks: named build errors, all-or-nothing `make outputs`,
and a loader that rejects a damaged dataset file instead of returning garbage."""

import os
import shutil
import subprocess
import sys

import pytest

from fashion_fixture import write_fashion_mnist
from outputs import render
from pages import ROOT


@pytest.fixture
def repo_copy(tmp_path, built_site):
    """What a build reads, copied; with the notebook cache that built_site filled, so nothing re-executes."""
    for part in ["docs", "snippets", "hooks", "overrides", "tests", "mkdocs.yml", ".cache/notebooks"]:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / part, **({"symlinks": True} if src.is_dir() else {}))
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


def build(repo):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(repo / "site")],
        cwd=repo, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.mark.parametrize(
    "include, named",
    [
        ("snippets/eager_model.py:no-such-section", ["eager-mode.md", "section 'no-such-section'", "snippets/eager_model.py"]),
        ("snippets/no_such_file.py:model", ["eager-mode.md", "'snippets/no_such_file.py'", "no such file"]),
    ],
)
def test_broken_include_fails_the_build_naming_file_and_section(repo_copy, include, named):
    repo = repo_copy
    page = repo / "docs" / "eager-mode.md"
    text = page.read_text()
    page.write_text(text.replace('"snippets/eager_model.py:model"', f'"{include}"', 1))
    done = build(repo)
    assert done.returncode != 0
    for words in named:
        assert words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr  # a message, not a stack dump


def test_outputs_rewrite_is_idempotent(page_runs):
    for page, (items, printed) in page_runs.items():
        source = page.read_text(encoding="utf-8")
        assert render(source, items, printed) == source, f"`make outputs` would change {page.name}"


def test_failing_snippet_makes_outputs_fail_and_write_nothing(repo_copy):
    repo = repo_copy
    # One deliberate change that would rewrite an output, and one snippet that now fails.
    model = repo / "snippets" / "eager_model.py"
    model.write_text(model.read_text().replace("nn.Linear(512, 10)", "nn.Linear(512, 7)"))
    parts = repo / "snippets" / "network_components.py"
    parts.write_text(parts.read_text().replace("flat_images = flatten(images)", "flat_images = flatten(imagez)"))
    before = {p: p.read_bytes() for p in (repo / "docs").rglob("*") if p.is_file()}

    done = subprocess.run([sys.executable, "tests/support/outputs.py"], cwd=repo, capture_output=True, text=True)

    assert done.returncode != 0
    assert "snippets/network_components.py:flatten" in done.stderr
    assert "NameError" in done.stderr and "nothing was rewritten" in done.stderr
    assert {p: p.read_bytes() for p in (repo / "docs").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("keep", [10, -100])
def test_truncated_dataset_file_is_rejected(tmp_path, keep):
    from torchvision import datasets

    raw = write_fashion_mnist(tmp_path / "data")
    images = raw / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:keep])
    with pytest.raises((RuntimeError, ValueError)):
        datasets.FashionMNIST(root=tmp_path / "data", train=True, download=True)
