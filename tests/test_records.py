"""The verification record is written by a complete run only, says what that run found and for which code,
and the site's "Verified on" note shows it, marking a record of other code as stale."""

import json
from datetime import datetime, timezone

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
    return pytester.runpytest_inprocess("--import-mode=importlib", "-p", "tested_docs.records", f"--verified-record={kind}", *args)


def record_file(pytester, kind="cpu"):
    return pytester.path / (".verified" if kind == "cpu" else "docs/verified") / f"{kind}.json"


def record(pytester, kind="cpu"):
    path = record_file(pytester, kind)
    return json.loads(path.read_text()) if path.exists() else None


def test_a_full_run_writes_what_it_found(project):
    result = run(project, "cpu")
    result.assert_outcomes(passed=2, skipped=1)
    written = record(project)
    assert written["tests"] == {"passed": 2, "skipped": 1, "failed": 0}
    assert written["kind"] == "cpu" and written["cuda"] is None
    assert written["torch"] == torch.__version__
    assert written["date"] == datetime.now(timezone.utc).date().isoformat()
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
        (["-k", "one"], "3 tests were deselected"),
        (["-m", "slow"], "4 tests were deselected"),
        (["tests/test_a.py"], "needs exactly `pytest tests`"),
        (["tests/test_a.py::test_one"], "needs exactly `pytest tests`"),
        (["-x"], "collected tests did not run"),
        (["--collect-only"], "4 collected tests did not run"),
    ],
)
def test_a_partial_run_writes_nothing(project, args, reason):
    write(project, FAILING)  # sorts first, so -x stops after it
    result = run(project, "cpu", *args)
    assert record(project) is None
    result.stdout.fnmatch_lines([f"*no cpu record written: *{reason}*"])


def test_a_gpu_record_needs_a_gpu(project):
    write(project, {"tests/cuda/test_on_gpu.py": "def test_on_gpu():\n    pass\n"})
    result = run(project, "gpu", "tests/cuda")
    if torch.cuda.is_available():
        assert record(project, "gpu")["device"] == torch.cuda.get_device_name()
    else:
        assert record(project, "gpu") is None
        result.stdout.fnmatch_lines(["*no gpu record written: torch sees no CUDA device*"])


def test_without_the_option_nothing_is_written(project):
    project.runpytest_inprocess("-p", "tested_docs.records").assert_outcomes(passed=2, skipped=1)
    assert not (project.path / "docs").exists()
