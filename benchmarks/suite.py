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
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Each stage timed alone (`pytest <its files>`, with the fixtures it needs): in `make test` the stages
# share fixtures and run side by side (tests/conftest.py's head_start), so their sum exceeds the total.
STAGES = {
    "listing execution": ["tests/test_listings.py"],
    "snippet scripts": ["tests/test_snippet_scripts.py"],
    "notebooks": ["tests/test_notebooks.py"],
    "site build": ["tests/test_site_build.py"],
    "browser test": ["tests/test_browser.py"],
}


def timed(command: list[str], **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env={**ENV, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def suite_run() -> tuple[float, dict[str, float]]:
    """One warm `make test`, then each stage alone: wall times in seconds."""
    wall = timed(["make", "--no-print-directory", "test"])
    stages = {stage: timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files]) for stage, files in STAGES.items()}
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
        for _ in range(runs):
            wall, parts = suite_run()
            walls.append(wall)
            for stage, seconds in parts.items():
                stages[stage].append(seconds)

    print(f"mkdocs build, cold (notebooks executed): {spread(cold)}")
    print(f"mkdocs build, warm (notebooks cached):   {spread(warm)}")
    print(f"make test, warm:                         {spread(walls)}")
    for stage in STAGES:
        print(f"  {stage:<22} alone:          {spread(stages[stage])}")
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
