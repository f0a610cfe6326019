"""Each snippet runs as the reader's script and prints exactly what the page shows for its listings."""

import pytest

from pages import DOCS, outputs_agree

from background import SCRIPTS


@pytest.fixture(scope="module")
def finished(script_runs):
    """{script: (stdout, stderr, returncode)}, once every script (started by conftest) has ended."""
    return script_runs.results()


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_prints_what_the_page_shows(name, finished, page_runs):
    stdout, stderr, returncode = finished[name]
    assert returncode == 0, stderr
    items, _ = page_runs[DOCS / "eager-mode.md"]
    shown = [i for i in items if i.sources[0][0] == f"snippets/{name}" and i.expected_output]
    assert shown, f"the page shows no output of {name}"
    # Split the script's stdout into the shown outputs' line counts, in page order.
    lines = stdout.splitlines(keepends=True)
    for item in shown:
        count = item.expected_output.count("\n")
        part, lines = "".join(lines[:count]), lines[count:]
        assert outputs_agree(item.expected_output, part, item.tolerance), f"{item.snippet}:\n{part}"
    assert not lines, f"{name} printed more than the page shows: {''.join(lines)}"


def test_scripts_download_nothing(finished, reader_dir):
    """The fixture satisfied torchvision: no archive was fetched next to the raw files."""
    raw = reader_dir / "data" / "FashionMNIST" / "raw"
    assert not list(raw.glob("*.gz"))
