"""The verification record is written by a complete run only, says what that run found and for which code,
and the site's "Verified on" note shows it, marking a record of other code as stale."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import torch

from tested_docs.records import RecordError, load_records, make_record, render, snippets_hash
import torchvision  # noqa: F401  imported here, before pytester's in-process runs: re-importing it there fails

pytest_plugins = ["pytester"]

SUITE = {
    "tests/test_a.py": "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n",
    "tests/test_b.py": "import pytest\n\n\n@pytest.mark.skip(reason='not here')\ndef test_skipped():\n    pass\n",
}
FAILING = {"tests/test_0.py": "def test_fails():\n    assert False\n"}


@pytest.fixture
def project(pytester):
    """A small suite laid out like this repository's: testpaths = tests."""
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    write(pytester, SUITE)
    return pytester


def write(pytester, files):
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(pytester, kind, *args):
    # importlib mode: the small suite's test_cuda.py must not collide with this suite's, already imported
    return pytester.runpytest_inprocess("--import-mode=importlib", "-p", "tested_docs.record_plugin", f"--verified-record={kind}", *args)


def record_file(pytester, kind="cpu", name=None):
    return pytester.path / (".verified" if kind == "cpu" else "docs/verified") / f"{name or kind}.json"  # gpu, torch: committed


def record(pytester, kind="cpu", name=None):
    path = record_file(pytester, kind, name)
    return json.loads(path.read_text()) if path.exists() else None


def test_a_full_run_writes_what_it_found(project):
    result = run(project, "cpu")
    result.assert_outcomes(passed=2, skipped=1)
    written = record(project)
    assert written["tests"] == {"passed": 2, "skipped": 1, "failed": 0}
    assert written["kind"] == "cpu" and written["cuda"] is None
    assert written["torch"] == torch.__version__
    today = datetime.now(timezone.utc).date()
    assert written["date"] in {today.isoformat(), (today - timedelta(days=1)).isoformat()}  # a run may cross midnight
    assert written["snippets_sha256"] == snippets_hash(project.path)
    result.stdout.fnmatch_lines(["*wrote .verified/cpu.json (2 passed, 1 skipped, 0 failed)*"])


def test_a_second_run_the_same_day_changes_nothing(project):
    run(project, "cpu")
    first = record_file(project).read_bytes()
    run(project, "cpu").stdout.fnmatch_lines(["*unchanged: .verified/cpu.json*"])
    assert record_file(project).read_bytes() == first


def test_a_full_run_with_a_failure_records_the_failure(project):
    write(project, FAILING)
    run(project, "cpu").assert_outcomes(passed=2, skipped=1, failed=1)
    assert record(project)["tests"] == {"passed": 2, "skipped": 1, "failed": 1}


@pytest.mark.parametrize(
    "args, reason",
    [
        (["-k", "one"], "-k left tests out"),
        (["-m", "slow"], "-m 'slow' is not a half of the suite"),
        (["--deselect", "tests/test_a.py::test_one"], "tests were deselected"),
        (["tests/test_a.py"], "needs exactly `pytest tests`"),
        (["tests/test_a.py::test_one"], "needs exactly `pytest tests`"),
        (["-x"], "collected tests did not run"),
        (["--collect-only"], "4 collected tests did not run"),
        (["--ignore", "tests/test_b.py"], "--ignore left tests out"),
    ],
)
def test_a_partial_run_writes_nothing(project, args, reason):
    write(project, FAILING)  # sorts first, so -x stops after it
    result = run(project, "cpu", *args)
    assert record(project) is None
    result.stdout.fnmatch_lines([f"*no cpu record written: *{reason}*"])


BROWSER = {"tests/test_c.py": "import pytest\n\n\n@pytest.mark.browser\ndef test_in_a_browser():\n    pass\n"}


def test_each_half_of_a_split_run_writes_its_own_record_and_the_note_names_it(project):
    """CI may run the browser tests as their own job: `-m browser` and `-m "not browser"` each write a record
    that says which half it is, and the note shows both, each for what it ran."""
    project.makeini("[pytest]\ntestpaths = tests\nmarkers =\n    browser: in a browser\n")
    write(project, BROWSER)
    run(project, "cpu", "-m", "browser").assert_outcomes(passed=1)
    run(project, "cpu", "-m", "not browser").assert_outcomes(passed=2, skipped=1)
    assert record(project) is None  # neither half is the whole suite
    browser, rest = record(project, name="cpu-browser"), record(project, name="cpu-not-browser")
    assert browser["part"] == "browser" and browser["tests"] == {"passed": 1, "skipped": 0, "failed": 0}
    assert rest["part"] == "not browser" and rest["tests"] == {"passed": 2, "skipped": 1, "failed": 0}
    note = render({"cpu": None, "cpu-browser": browser, "cpu-not-browser": rest, "gpu": None}, rest["snippets_sha256"], LINKS)
    assert "**CPU, the browser tests:**" in note and "1 passed, 0 skipped, 0 failed ([record](verified/cpu-browser.json))" in note
    assert "**CPU, all but the browser tests:**" in note and "2 passed, 1 skipped" in note


def test_a_release_record_is_named_for_its_torch_and_needs_the_listing_checks_alone(project):
    """make test-torch: `pytest tests/test_listings.py --verified-record=torch` in a venv with another torch
    writes docs/verified/torch-<release>.json; any other scope writes nothing; the note shows it."""
    write(project, {"tests/test_listings.py": "def test_listing():\n    pass\n"})
    result = run(project, "torch")
    result.stdout.fnmatch_lines(["*no torch record written: *needs exactly `pytest tests/test_listings.py`*"])
    run(project, "torch", "tests/test_listings.py").assert_outcomes(passed=1)
    name = f"torch-{torch.__version__.split('+')[0]}"
    written = record(project, "torch", name)
    assert written["kind"] == "torch" and written["part"] == torch.__version__.split("+")[0]
    note = render({"cpu": None, "gpu": None, name: written}, written["snippets_sha256"], {name: f"verified/{name}.json"})
    assert f"**CPU, torch {written['part']}, the listings and scripts:**" in note and "1 passed, 0 skipped, 0 failed" in note
    assert load_records(project.path)[name] == written


def test_a_gpu_record_needs_a_gpu(project):
    write(project, {"tests/cuda/test_on_gpu.py": "def test_on_gpu():\n    pass\n"})
    result = run(project, "gpu", "tests/cuda")
    if torch.cuda.is_available():
        assert record(project, "gpu")["device"] == torch.cuda.get_device_name()
    else:
        assert record(project, "gpu") is None
        result.stdout.fnmatch_lines(["*no gpu record written: torch sees no CUDA device*"])


def test_without_the_option_nothing_is_written(project):
    project.runpytest_inprocess("-p", "tested_docs.record_plugin").assert_outcomes(passed=2, skipped=1)
    assert not (project.path / "docs").exists() and not (project.path / ".verified").exists()


def gpu_record(failed=0, snippets="0" * 64):
    return {
        "kind": "gpu", "date": "2030-01-02", "device": "NVIDIA Example 9000", "cuda": "13.0", "torch": "9.9.9+cu130",
        "torchvision": "0.99.0", "python": "3.12.1", "tests": {"passed": 5 - failed, "skipped": 0, "failed": failed},
        "commit": "0123456789abcdef0123", "snippets_sha256": snippets,
    }


LINKS = {name: f"verified/{name}.json" for name in ("cpu", "cpu-browser", "cpu-not-browser", "gpu")}


def test_a_record_holds_the_commit_and_the_snippets_hash(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "a.py").write_text("print(1)\n")
    before = make_record("cpu", {"passed": 1, "skipped": 0, "failed": 0}, tmp_path)
    assert before["commit"] is None  # not a git repository: said, not invented
    (tmp_path / "snippets" / "a.py").write_text("print(2)\n")
    assert snippets_hash(tmp_path) != before["snippets_sha256"]
    assert make_record("cpu", {"passed": 1, "skipped": 0, "failed": 0}, Path(__file__).parents[1])["commit"]


def test_a_record_of_the_current_code_renders_as_current(tmp_path):
    cpu = make_record("cpu", {"passed": 3, "skipped": 2, "failed": 0}, tmp_path)
    note = render({"cpu": cpu, "cpu-browser": None, "gpu": None}, cpu["snippets_sha256"], LINKS)
    assert note.startswith('???+ success "Test records"')
    assert "3 passed, 2 skipped, 0 failed ([record](verified/cpu.json))." in note
    assert "**GPU:** no GPU run has been recorded yet." in note and "Stale" not in note


def test_a_record_of_other_snippets_is_shown_as_stale():
    note = render({"cpu": None, "gpu": gpu_record()}, "1" * 64, LINKS)
    assert "2030-01-02, NVIDIA Example 9000, CUDA 13.0, torch 9.9.9+cu130" in note and "commit `0123456789ab`" in note
    assert "**Stale: verified on an earlier version of this code.**" in note
    assert note.startswith('???+ warning "Test records"')
    assert "Stale" not in render({"cpu": None, "gpu": gpu_record()}, "0" * 64, LINKS)


def test_a_failed_run_is_not_shown_as_a_pass():
    note = render({"cpu": None, "gpu": gpu_record(failed=1)}, "0" * 64, LINKS)
    assert note.startswith('???+ failure "Test records"') and "1 failed" in note


def test_the_line_under_the_title_says_where_the_code_passed_in_a_readers_words():
    from tested_docs.records import summary_line

    cpu = {**gpu_record(), "kind": "cpu", "part": None, "cuda": None, "device": "A CPU", "torch": "2.14.1"}
    half = {**cpu, "part": "browser", "date": "2030-01-03"}
    line = summary_line({"cpu": cpu, "cpu-browser": half, "gpu": gpu_record(failed=2)}, "0" * 64, "#verified-on")
    assert line == ("**Tested** on a CPU with torch 2.14.1 (2030-01-03) · on a GPU with torch 9.9.9 (2030-01-02, "
                    "2 tests failed) · [details](#verified-on)")
    old = summary_line({"cpu": cpu, "gpu": None}, "1" * 64, "#v")
    assert old == "**Tested** on a CPU with torch 2.14.1 (2030-01-02, an earlier version of the code) · on a GPU: not yet · [details](#v)"
    other = {**cpu, "kind": "torch", "part": "2.6.0", "torch": "2.6.0+cu124"}
    assert "with torch 2.6.0 (2030-01-02)" in summary_line({"cpu": None, "torch-2.6.0": other}, "0" * 64, "#v")
    assert summary_line({}, "0" * 64, "#v").startswith("**Tested** on a CPU: not yet")


def test_a_damaged_record_stops_the_build_with_the_fix(tmp_path):
    (tmp_path / "docs" / "verified").mkdir(parents=True)
    (tmp_path / "docs" / "verified" / "gpu.json").write_text(json.dumps({"kind": "gpu", "date": "2030-01-02"}))
    with pytest.raises(RecordError, match="make test-gpu"):
        load_records(tmp_path)


def test_the_built_page_shows_the_records(built_site, records_dir):
    """The test build reads its CPU record from a temporary folder ($DEEP_NOTES_RECORDS) holding a record made
    for the current snippets: the note shows it as current and publishes it beside the pages."""
    site, _ = built_site
    record = json.loads((records_dir / "cpu.json").read_text())
    markup = (site / "eager-mode" / "index.html").read_text(encoding="utf-8")
    assert "<!-- verified-on -->" not in markup
    title_end = markup.index("</h1>")
    line = markup[title_end:markup.index("</p>", title_end)]
    assert "<strong>Tested</strong> on a CPU with torch" in line and record["date"] in line and 'href="#verified-on"' in line
    assert markup.index('<h2 id="verified-on">') > markup.rindex("language-python")  # the full note closes the page
    note = markup.split("<summary>Test records</summary>")[1].split("</details>")[0]  # open, but a block of its own
    cpu_line = next(line for line in note.split("<li>") if line.startswith("<strong>CPU:</strong>"))
    # this run's record is current; a committed one (GPU, another torch) may be stale, and says so
    assert f"{record['date']}" in cpu_line and f"torch {record['torch']}" in cpu_line and "Stale" not in cpu_line
    assert 'href="../verified/cpu.json"' in note
    assert (site / "verified" / "cpu.json").read_text() == (records_dir / "cpu.json").read_text()
