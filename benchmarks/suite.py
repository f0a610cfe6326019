"""`make bench`: the warm suite as a multiple of a cold `python -c "import torch"` measured in the same
run, its stages, and the site build cold and warm; median (min–max) of N runs. Then `make bench-page`.

A benchmark, not a test: it prints numbers and asserts nothing. These machines differ by 1.5× and are
noisy, so the headline figure is a ratio of two timings taken side by side.
  python benchmarks/suite.py [--runs N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Each stage alone (`pytest <files>`, with the fixtures it needs; in `make test` they share one snippet
# run and one build, so the stages add up to more than the total).
STAGES = {
    "listings and scripts": ["tests/test_listings.py"],
    "notebooks": ["tests/test_notebooks.py"],
    "site build": ["tests/test_site_build.py"],
    "browser": ["tests/test_browser.py"],
    "failure modes, copies": ["tests/test_failure_modes.py", "tests/test_no_registration.py"],
}
TORCH = "import torch"  # the reference: what every reader's first line costs


def timed(command: list[str], **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env={**ENV, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def torch_import() -> float:
    """A cold interpreter importing torch (the files are in the page cache after the first run)."""
    return timed([sys.executable, "-c", TORCH])


def spread(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):6.2f} {unit}  (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {runs} runs each\n")

    with tempfile.TemporaryDirectory() as tmp:
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(Path(tmp) / "site")]
        cold, warm = [], []
        for k in range(runs):
            cache = {"DEEP_NOTES_CACHE": str(Path(tmp) / f"cache-{k}")}
            cold.append(timed(build, **cache))  # every snippet runs
            warm.append(timed(build, **cache))  # unchanged snippets: every run from the cache
    timed(["make", "--no-print-directory", "test"])  # warm-up: bytecode, page cache
    imports, walls, stages = [], [], defaultdict(list)
    for _ in range(runs):
        imports.append(torch_import())
        walls.append(timed(["make", "--no-print-directory", "test"]))
        for stage, files in STAGES.items():
            stages[stage].append(timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files]))
    ratios = [wall / imp for wall, imp in zip(walls, imports)]

    print(f'python -c "import torch", cold:           {spread(imports)}')
    print(f"make test, warm:                         {spread(walls)}")
    print(f"  ratio, suite / torch import (same run): {spread(ratios, '×')}")
    for stage in STAGES:
        print(f"  {stage:<24} alone:       {spread(stages[stage])}")
    print(f"mkdocs build, cold (every snippet runs): {spread(cold)}")
    print(f"mkdocs build, warm (runs from the cache): {spread(warm)}")
    page = ROOT / "benchmarks" / "page.py"
    if page.exists():
        print()
        subprocess.run([sys.executable, str(page)], cwd=ROOT, env=ENV, check=True)
    print(
        f"\nsummary: make test {statistics.median(walls):.1f} s warm = {statistics.median(ratios):.1f}× a cold torch import "
        f"(targets: ≤ 12× for issue 10, ≤ 16× with four pages); build {statistics.median(warm):.1f} s warm "
        f"(target 3 s) / {statistics.median(cold):.1f} s cold"
    )


if __name__ == "__main__":
    main()
