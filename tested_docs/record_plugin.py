"""The pytest plugin that writes a verification record (tested_docs.records) after a complete run.

`make test` passes `--verified-record=cpu` and `make test-gpu` passes `--verified-record=gpu`. A record is
written only when the run was its kind's whole scope, run to the end:

- cpu: `pytest` over the configured testpaths, or one of its two halves, `-m browser` / `-m "not browser"`
  (then the record is `cpu-browser` / `cpu-not-browser`, and says so on the site);
- gpu: `pytest tests/cuda` (make test-gpu), where torch sees a CUDA device (a record only ever describes a
  real GPU run);
- torch: `pytest tests/test_listings.py` (make test-torch, in a venv with another torch release): the record
  is `torch-<release>`;
- nothing else was deselected or left out (-k, another -m, --deselect, --ignore, --lf; a file that fails
  to collect), and every collected test reached an outcome (-x, an interrupt or a collection error stop short).

A run with failures still writes its record: it says how many failed, and the site shows that. The
file is rewritten only when its text changes.
"""

import pytest

from .records import GPU_SCOPE, KINDS, PARTS, RELEASE_SCOPE, make_record, record_path, release, write_if_changed


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
        self.deselected_in_part = 0
        self.outcomes: dict[str, str] = {}
        self.collection_errors = 0
        self.message = ""

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors += 1

    def pytest_deselected(self, items):
        self.deselected += len(items)
        part = self.part()
        if part in PARTS:  # -m <half> deselects the other half; anything else deselected belongs to this one
            in_browser = part == "browser"
            self.deselected_in_part += sum(1 for item in items if (item.get_closest_marker("browser") is not None) == in_browser)

    def pytest_collection_finish(self, session):
        self.collected = [item.nodeid for item in session.items]

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcomes[report.nodeid] = "failed"  # a failing teardown fails a passed test too
        elif report.skipped and report.when in ("setup", "call"):
            self.outcomes[report.nodeid] = "skipped"
        elif report.passed and report.when == "call":
            self.outcomes.setdefault(report.nodeid, "passed")

    def part(self) -> str | None:
        """The -m expression, when it names one of the suite's halves (PARTS); None without -m."""
        return self.config.getoption("markexpr", "") or None

    def why_partial(self, exitstatus) -> str | None:
        config = self.config
        scope = {"cpu": config.getini("testpaths"), "gpu": [GPU_SCOPE], "torch": [RELEASE_SCOPE]}[self.kind]
        given = {(config.invocation_params.dir / arg).resolve() for arg in config.args}
        if given != {(config.rootpath / path).resolve() for path in scope}:
            return f"a {self.kind} record needs exactly `pytest {' '.join(scope)}`, not `{' '.join(config.args)}`"
        part = self.part()
        if part is not None and (self.kind != "cpu" or part not in PARTS):
            return f"-m {part!r} is not a half of the suite a record can describe (only {', '.join(repr(p) for p in PARTS)}, on the CPU)"
        if config.getoption("keyword", ""):
            return "-k left tests out"
        if self.deselected and part is None:
            return f"{self.deselected} tests were deselected"
        if self.deselected_in_part:
            return f"{self.deselected_in_part} tests of the {part!r} half were deselected"
        left_out = [f"--{name.replace('_', '-')}" for name in ("ignore", "ignore_glob", "deselect")
                    if config.getoption(name, None)]
        if config.getoption("lf", False):  # --last-failed may skip whole files without deselecting them
            left_out.append("--lf")
        if config.getoption("stepwise", False) or config.getoption("stepwise_skip", False):
            left_out.append("--stepwise")
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
        part = self.part()
        if self.kind == "torch":
            import torch

            part = release(torch.__version__)
        path = record_path(self.kind, root, part)
        try:
            changed = write_if_changed(path, make_record(self.kind, counts, root, part))
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
