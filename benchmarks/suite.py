"""`make bench`: the warm suite as a multiple of a cold `python -c "import torch"` measured in the same run,
the browser stage and the other stages, what one more page costs, and the site build cold and warm; median
(min–max) of N runs. Then `make bench-page`.

A benchmark, not a test: it prints numbers and asserts nothing. These machines differ by 1.5× and are
noisy, so every figure is also given as a ratio to the torch import timed beside it.
  python benchmarks/suite.py [--runs N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from test_no_registration import add_probe  # noqa: E402  the probe the suite itself adds

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TORCH = "import torch"  # the reference: what every reader's first line costs
TARGETS = {"suite": 30, "browser": 10, "page": 3}  # issue 18, as multiples of a cold torch import


def timed(command: list[str], cwd: Path = ROOT, **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env={**ENV, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def torch_import() -> float:
    """A cold interpreter importing torch (the files are in the page cache after the first run)."""
    return timed([sys.executable, "-c", TORCH])


def suite(repo: Path, stages_file: Path) -> tuple[float, dict]:
    """The whole suite as `make test` runs it (no record: a benchmark writes none), and its stages."""
    wall = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "benchmarks.stage_timer"],
                 cwd=repo, DEEP_NOTES_STAGES=str(stages_file), PYTHONPATH=str(ROOT))
    return wall, json.loads(stages_file.read_text())


def clone(target: Path) -> Path:
    """A clone of this repository's commit (git history and all, as the suite expects), with its venv and
    node_modules linked."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    for linked in (".venv", "node_modules"):
        (target / linked).symlink_to((ROOT / linked).resolve(), target_is_directory=True)
    return target


def renamed(text: str) -> str:
    """The no-registration test's probe under another name: that test adds its own on top, in the copy too."""
    return text.replace("zz_new", "zz_bench").replace("zz-new", "zz-bench").replace("A new page", "A benchmark page")


def with_probe(repo: Path) -> Path:
    """The copy with one more page, its script and its nav entry: what adding a page costs."""
    return add_probe(repo, renamed)


def spread(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):6.2f} {unit}  (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {runs} runs each\n")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp / "site")]
        cold, warm = [], []
        for k in range(runs):
            cache = {"DEEP_NOTES_CACHE": str(tmp / f"cache-{k}")}
            cold.append(timed(build, **cache))  # every snippet runs, MathJax and mkdocs-jupyter work from scratch
            warm.append(timed(build, **cache))  # unchanged snippets: every run, formula and notebook from the cache
        plain = clone(tmp / "plain")
        probed = with_probe(clone(tmp / "probed"))
        suite(ROOT, tmp / "warm-up.json")  # warm-up: bytecode, page cache
        imports, walls, ratios, stage_runs, page_costs = [], [], [], defaultdict(list), []
        for k in range(runs):
            imports.append(torch_import())
            wall, stages = suite(ROOT, tmp / f"stages-{k}.json")
            walls.append(wall)
            ratios.append(wall / imports[-1])
            for name, seconds in stages.items():
                stage_runs[name].append(seconds)
            # the marginal page: the same suite on two copies, with and without the probe, side by side
            before, _ = suite(plain, tmp / f"plain-{k}.json")
            after, _ = suite(probed, tmp / f"probed-{k}.json")
            page_costs.append((after - before) / imports[-1])

    torch_s = statistics.median(imports)
    browser = stage_runs["tests/test_browser.py"]
    print(f'python -c "import torch", cold:            {spread(imports)}')
    print(f"make test, warm:                          {spread(walls)}")
    print(f"  ratio, suite / torch import (same run):  {spread(ratios, '×')}   target ≤ {TARGETS['suite']}×")
    print(f"  browser stage (tests/test_browser.py):   {spread(browser)} = {statistics.median(browser) / torch_s:.1f}×   target ≤ {TARGETS['browser']}×")
    print(f"  one more page and script (probe copy):   {spread(page_costs, '×')}   target ≤ {TARGETS['page']}×")
    print("  stages, each file's own seconds (shared fixtures apart):")
    for name, values in sorted(stage_runs.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"    {name:<44} {spread(values)}")
    print(f"mkdocs build, cold (every snippet runs):  {spread(cold)}")
    print(f"mkdocs build, warm (runs from the cache): {spread(warm)}   target ≤ 3 s")
    page = ROOT / "benchmarks" / "page.py"
    if page.exists():
        print()
        subprocess.run([sys.executable, str(page)], cwd=ROOT, env=ENV, check=True)
    print(
        f"\nsummary: make test {statistics.median(walls):.1f} s warm = {statistics.median(ratios):.1f}× a cold torch import "
        f"(target ≤ {TARGETS['suite']}×); browser {statistics.median(browser) / torch_s:.1f}× (≤ {TARGETS['browser']}×); "
        f"one more page {statistics.median(page_costs):.1f}× (≤ {TARGETS['page']}×); build {statistics.median(warm):.1f} s warm "
        f"(target 3 s) / {statistics.median(cold):.1f} s cold"
    )


if __name__ == "__main__":
    main()
