"""`make bench`: how long the suite, its stages and the site build take, as median (min–max) of runs.

A benchmark, not a test: it prints numbers and asserts nothing. Run from the repository root.
  python benchmarks/suite.py [--runs N]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
STAGES = {  # test module -> the stage it measures (fixture setup counts towards the first test that uses it)
    "test_listings": "listing execution",
    "test_snippet_scripts": "snippet scripts",
    "test_notebooks": "notebooks",
    "test_site_build": "site build",
    "test_browser": "browser test",
}


def timed(command: list[str], **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env={**ENV, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def suite_run(report: Path) -> tuple[float, dict[str, float]]:
    """One warm `make test`: its wall time, and the seconds spent in each stage's tests."""
    wall = timed(["make", "--no-print-directory", "test"], PYTEST_ADDOPTS=f"--junitxml={report}")
    stages = defaultdict(float)
    for case in ET.parse(report).iter("testcase"):
        module = case.get("classname", "").split(".")[-1]
        stages[STAGES.get(module, "other tests")] += float(case.get("time", 0))
    return wall, stages


def spread(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):6.2f} {unit}  (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {runs} runs each\n")

    with tempfile.TemporaryDirectory() as tmp:
        site = str(Path(tmp) / "site")
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site]
        cold, warm = [], []
        for _ in range(runs):
            shutil.rmtree(ROOT / ".cache" / "notebooks", ignore_errors=True)
            cold.append(timed(build))  # executes every notebook
            warm.append(timed(build))  # unchanged snippets: every notebook from the cache
        timed(["make", "--no-print-directory", "test"])  # warm-up: caches filled, fixture data, bytecode
        walls, stages = [], defaultdict(list)
        for k in range(runs):
            wall, parts = suite_run(Path(tmp) / f"junit-{k}.xml")
            walls.append(wall)
            for stage, seconds in parts.items():
                stages[stage].append(seconds)

    print(f"mkdocs build, cold (notebooks executed): {spread(cold)}")
    print(f"mkdocs build, warm (notebooks cached):   {spread(warm)}")
    print(f"make test, warm:                         {spread(walls)}")
    for stage in [*STAGES.values(), "other tests"]:
        if stage in stages:
            print(f"  {stage:<22} (sum of test times) {spread(stages[stage])}")
    page = ROOT / "benchmarks" / "page.py"
    if page.exists():
        print()
        subprocess.run([sys.executable, str(page)], cwd=ROOT, env=ENV, check=True)
    print(
        f"\nsummary: make test {statistics.median(walls):.1f} s warm (target 30 s); "
        f"build {statistics.median(warm):.1f} s warm / {statistics.median(cold):.1f} s cold (target 3 s warm)"
    )


if __name__ == "__main__":
    main()
