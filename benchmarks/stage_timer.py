"""A pytest plugin for `make bench`: where a run's seconds go, written as JSON to $DEEP_NOTES_STAGES.

A stage is a test file's own time: its tests' setup, call and teardown, less the session's shared fixtures
(the snippets' runs, the build, the warm runner), which are counted once, as "shared", wherever they were
first set up. The browser stage is tests/test_browser.py's.
    pytest -p benchmarks.stage_timer ...
"""

import json
import os
import time
from collections import defaultdict

import pytest

SHARED = {"warm_runner", "reader_dir", "run_cache", "snippet_runs", "records_dir", "built_site", "site_url"}
seconds = defaultdict(float)
running = {"file": ""}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    running["file"] = item.nodeid.split("::")[0]
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    start = time.perf_counter()
    yield
    if fixturedef.argname in SHARED:
        spent = time.perf_counter() - start
        seconds["shared: " + fixturedef.argname] += spent
        seconds["-" + running["file"]] += spent  # set up while this file's test started: not its own time


def pytest_runtest_logreport(report):
    seconds[report.nodeid.split("::")[0]] += report.duration


def pytest_sessionfinish(session):
    target = os.environ.get("DEEP_NOTES_STAGES")
    if not target:
        return
    stages = {name: total - seconds.get("-" + name, 0.0) for name, total in seconds.items() if not name.startswith(("-", "shared"))}
    stages.update({name: total for name, total in seconds.items() if name.startswith("shared")})
    with open(target, "w", encoding="utf-8") as out:
        json.dump(stages, out, indent=1)
