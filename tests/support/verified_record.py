"""pytest plugin: after a complete run, write a small record of where and when the tests passed.

`make test` passes `--verified-record=cpu` and `make test-gpu` passes `--verified-record=gpu`; the
record goes to docs/verified/<kind>.json, and the site's "Verified on" note is built from it
(hooks/verified_on.py). A record is written only when the run was the whole of its kind's scope,
run to the end:

- the paths given to pytest are exactly the kind's scope (cpu: the configured testpaths, i.e. the
  whole suite; gpu: tests/test_cuda.py) - no single file, no node id;
- nothing was deselected (-k, -m, --deselect, --lf leave tests out: the record would overstate);
- every collected test reached an outcome (-x, an interrupt or a collection error stop short);
- for gpu, torch sees a CUDA device (a record only ever describes a real GPU run).

A run with failures still writes its record: it says how many failed, and the site shows that.
The record holds the date (UTC, no time: a second run on the same day and machine rewrites the
same bytes, so git stays clean), the versions and the device, and the counts.
"""

import json
import platform
from datetime import datetime, timezone
from pathlib import Path

import pytest

KINDS = ("cpu", "gpu")
GPU_SCOPE = "tests/test_cuda.py"  # the Makefile's test-gpu target runs exactly this file
RECORD_DIR = "docs/verified"


def pytest_addoption(parser):
    parser.addoption(
        "--verified-record",
        choices=KINDS,
        default=None,
        help=f"after a complete run, write {RECORD_DIR}/<kind>.json (make test: cpu, make test-gpu: gpu)",
    )


def pytest_configure(config):
    kind = config.getoption("verified_record")
    if kind:
        config.pluginmanager.register(RecordKeeper(config, kind), "verified-record-keeper")


class RecordKeeper:
    def __init__(self, config, kind: str):
        self.config = config
        self.kind = kind
        self.collected: list[str] = []
        self.deselected = 0
        self.outcomes: dict[str, str] = {}  # nodeid -> passed / skipped / failed
        self.message = ""

    def pytest_deselected(self, items):
        self.deselected += len(items)

    def pytest_collection_finish(self, session):
        self.collected = [item.nodeid for item in session.items]

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcomes[report.nodeid] = "failed"  # a failing teardown fails a passed test too
        elif report.skipped and report.when in ("setup", "call"):
            self.outcomes[report.nodeid] = "skipped"  # an xfail counts as skipped
        elif report.passed and report.when == "call":
            self.outcomes.setdefault(report.nodeid, "passed")

    def why_partial(self, exitstatus) -> str | None:
        """Why this run does not stand for its whole scope; None when it does."""
        config = self.config
        scope = config.getini("testpaths") if self.kind == "cpu" else [GPU_SCOPE]
        given = {(config.invocation_params.dir / arg).resolve() for arg in config.args}
        if given != {(config.rootpath / path).resolve() for path in scope}:
            return f"a {self.kind} record needs exactly `pytest {' '.join(scope)}`, not `{' '.join(config.args)}`"
        if self.deselected:
            return f"{self.deselected} tests were deselected"
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return f"the run ended with {pytest.ExitCode(exitstatus).name}"
        if not self.collected:
            return "no tests were collected"
        missing = [nodeid for nodeid in self.collected if nodeid not in self.outcomes]
        if missing:
            return f"{len(missing)} collected tests did not run (first: {missing[0]})"
        return None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        reason = self.why_partial(exitstatus)
        if reason is None and self.kind == "gpu":
            import torch

            if not torch.cuda.is_available():
                reason = "torch sees no CUDA device, and a gpu record only describes a GPU run"
        if reason:
            self.message = f"no {self.kind} record written: {reason}"
            return
        counts = {outcome: sum(1 for o in self.outcomes.values() if o == outcome) for outcome in ("passed", "skipped", "failed")}
        path = self.config.rootpath / RECORD_DIR / f"{self.kind}.json"
        try:
            changed = write_if_changed(path, make_record(self.kind, counts))
        except OSError as error:
            self.message = f"could not write the {self.kind} record: {error}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
            return
        shown = path.relative_to(self.config.rootpath)
        self.message = f"{'wrote' if changed else 'unchanged:'} {shown} ({counts['passed']} passed, {counts['skipped']} skipped, {counts['failed']} failed)"

    def pytest_terminal_summary(self, terminalreporter):
        if self.message:
            terminalreporter.write_sep("-", "verified record")
            terminalreporter.write_line(self.message)


def make_record(kind: str, counts: dict[str, int]) -> dict:
    """What a record says: when, on what, with which versions, and how the tests came out."""
    import torch

    try:
        import torchvision

        torchvision_version = torchvision.__version__
    except ImportError:
        torchvision_version = None
    gpu = kind == "gpu"
    return {
        "kind": kind,
        "date": datetime.now(timezone.utc).date().isoformat(),
        "device": torch.cuda.get_device_name() if gpu else cpu_name(),
        "cuda": torch.version.cuda if gpu else None,
        "torch": torch.__version__,
        "torchvision": torchvision_version,
        "python": platform.python_version(),
        "tests": counts,
    }


def cpu_name() -> str:
    """The processor's model name where Linux tells it, else its architecture."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or f"{platform.machine()} CPU"


def write_if_changed(path: Path, record: dict) -> bool:
    text = json.dumps(record, indent=2) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
