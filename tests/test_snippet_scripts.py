"""Each snippet runs as the reader's script and prints exactly what the page shows for its listings."""

import subprocess
import sys

import pytest

from pages import DOCS, SNIPPETS

SCRIPTS = ["eager_model.py", "network_components.py", "model_params.py"]


@pytest.fixture(scope="module")
def script_runs(reader_dir):
    """All scripts started at once (each pays for its own torch import; two cores share them)."""
    procs = {
        name: subprocess.Popen(
            [sys.executable, str(SNIPPETS / name)], cwd=reader_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name in SCRIPTS
    }
    return {name: (*proc.communicate(timeout=300), proc.returncode) for name, proc in procs.items()}


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_prints_what_the_page_shows(name, script_runs, page_runs):
    stdout, stderr, returncode = script_runs[name]
    assert returncode == 0, stderr
    items, _ = page_runs[DOCS / "eager-mode.md"]
    shown = [i.expected_output for i in items if i.sources[0][0] == f"snippets/{name}" and i.expected_output]
    assert shown, f"the page shows no output of {name}"
    assert stdout == "".join(shown)


def test_scripts_download_nothing(script_runs, reader_dir):
    """The fixture satisfied torchvision: no archive was fetched next to the raw files."""
    raw = reader_dir / "data" / "FashionMNIST" / "raw"
    assert not list(raw.glob("*.gz"))
