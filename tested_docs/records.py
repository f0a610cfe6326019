"""Verification records: where and when the tests last passed, for which code. Also a pytest plugin.

`make test` passes `--verified-record=cpu` and `make test-gpu` passes `--verified-record=gpu`. A CPU
record goes to .verified/cpu.json (untracked: a local run changes no tracked file; CI's run writes the one
its published build shows); a GPU record, which only a GPU runner can make, to docs/verified/gpu.json,
committed. A record holds the commit and a hash of snippets/, so the site can tell a record of the
current code from a stale one. It is written only when the run was its kind's whole scope, run to the end:

- cpu: `pytest` over the configured testpaths; gpu: `pytest tests/cuda` (make test-gpu);
- nothing was deselected or left out (-k, -m, --deselect, --ignore, --lf; a file that fails to collect);
- every collected test reached an outcome (-x, an interrupt or a collection error stop short);
- for gpu, torch sees a CUDA device (a record only ever describes a real GPU run).

A run with failures still writes its record: it says how many failed, and the site shows that. The
file is rewritten only when its text changes.
"""

import hashlib
import json
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

KINDS = {"cpu": "CPU", "gpu": "GPU"}
GPU_SCOPE = "tests/cuda"  # the Makefile's test-gpu target runs exactly this folder
FIELDS = ("kind", "date", "device", "torch", "python", "tests", "commit", "snippets_sha256")


def snippets_hash(root: Path) -> str:
    """sha256 over every snippets/*.py (name and bytes): what the record's tests ran."""
    digest = hashlib.sha256()
    for path in sorted((Path(root) / "snippets").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def commit(root: Path) -> str | None:
    """The checked-out commit, with "+changes" when tracked files differ from it; None outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty else "")


def record_path(kind: str, root: Path) -> Path:
    from .paths import committed_records_dir, local_records_dir

    return (local_records_dir(root) if kind == "cpu" else committed_records_dir(root)) / f"{kind}.json"


def pytest_addoption(parser):
    parser.addoption("--verified-record", choices=list(KINDS), default=None,
                     help="after a complete run, write the record (make test: cpu → .verified/cpu.json, make test-gpu: gpu → docs/verified/gpu.json)")


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
        self.outcomes: dict[str, str] = {}
        self.collection_errors = 0
        self.message = ""

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors += 1

    def pytest_deselected(self, items):
        self.deselected += len(items)

    def pytest_collection_finish(self, session):
        self.collected = [item.nodeid for item in session.items]

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcomes[report.nodeid] = "failed"  # a failing teardown fails a passed test too
        elif report.skipped and report.when in ("setup", "call"):
            self.outcomes[report.nodeid] = "skipped"
        elif report.passed and report.when == "call":
            self.outcomes.setdefault(report.nodeid, "passed")

    def why_partial(self, exitstatus) -> str | None:
        config = self.config
        scope = config.getini("testpaths") if self.kind == "cpu" else [GPU_SCOPE]
        given = {(config.invocation_params.dir / arg).resolve() for arg in config.args}
        if given != {(config.rootpath / path).resolve() for path in scope}:
            return f"a {self.kind} record needs exactly `pytest {' '.join(scope)}`, not `{' '.join(config.args)}`"
        if self.deselected:
            return f"{self.deselected} tests were deselected"
        left_out = [f"--{name.replace('_', '-')}" for name in ("ignore", "ignore_glob", "deselect")
                    if config.getoption(name, None)]
        if config.getoption("lf", False):  # --last-failed may skip whole files without deselecting them
            left_out.append("--lf")
        if left_out:
            return f"{' and '.join(left_out)} left tests out"
        if self.collection_errors:
            return f"{self.collection_errors} test files could not be collected"
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
        counts = {o: sum(1 for v in self.outcomes.values() if v == o) for o in ("passed", "skipped", "failed")}
        root = self.config.rootpath
        path = record_path(self.kind, root)
        try:
            changed = write_if_changed(path, make_record(self.kind, counts, root))
        except OSError as error:
            self.message = f"could not write the {self.kind} record: {error}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
            return
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        self.message = f"{'wrote' if changed else 'unchanged:'} {shown} ({counts['passed']} passed, {counts['skipped']} skipped, {counts['failed']} failed)"

    def pytest_terminal_summary(self, terminalreporter):
        if self.message:
            terminalreporter.write_sep("-", "verified record")
            terminalreporter.write_line(self.message)


def make_record(kind: str, counts: dict[str, int], root: Path) -> dict:
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
        "commit": commit(root),
        "snippets_sha256": snippets_hash(root),
    }


def cpu_name() -> str:
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


# ---------------------------------------------------------------- reading records, for the site's note
class RecordError(ValueError):
    pass


def load_records(root: Path) -> dict[str, dict | None]:
    """{kind: the record, or None where that kind has no record}."""
    records = {}
    for kind in KINDS:
        path = record_path(kind, root)
        if not path.exists():
            records[kind] = None
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            missing = [f for f in FIELDS if f not in record]
            if missing or record.get("kind") != kind:
                raise ValueError(f"kind {record.get('kind')!r}, missing {missing}")
        except ValueError as error:
            raise RecordError(
                f"{path} is not a record the tests wrote ({error}). Delete it or restore it with git, "
                f"or write a new one with `make {'test' if kind == 'cpu' else 'test-gpu'}`."
            ) from None
        records[kind] = record
    return records


def render(records: dict[str, dict | None], current_hash: str, links: dict[str, str]) -> str:
    """The "Verified on" note as Markdown; a record of other snippets than today's is marked stale."""
    failed = any(r and r["tests"]["failed"] for r in records.values())
    current = [r for r in records.values() if r and r["snippets_sha256"] == current_hash]
    kind = "failure" if failed else ("success" if current else "warning")
    lines = [f'!!! {kind} "Verified on"', "", "    The code on this site was tested on:", ""]
    for name, label in KINDS.items():
        record = records[name]
        if record is None:
            lines.append(f"    - **{label}:** no {label} run has been recorded yet.")
            continue
        tests = record["tests"]
        cuda = f", CUDA {record['cuda']}" if record.get("cuda") else ""
        commit_note = f", commit `{record['commit'][:12]}`" if record.get("commit") else ""
        stale = "" if record["snippets_sha256"] == current_hash else " **Stale: verified on an earlier version of this code.**"
        import html

        lines.append(
            f"    - **{label}:** {record['date']}, {html.escape(record['device'])}{cuda}, torch {record['torch']}, "
            f"Python {record['python']}{commit_note}: {tests['passed']} passed, {tests['skipped']} skipped, "
            f"{tests['failed']} failed ([record]({links[name]})).{stale}"
        )
    return "\n".join(lines)
