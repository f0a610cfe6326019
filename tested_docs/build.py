"""`mkdocs build --strict` of a repository (or a copy of one) into a given folder, with explicit data,
run cache and records folders, as the tests and benchmarks run it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import CACHE_ENV, DATA_ENV, RECORDS_ENV, ROOT

# What a build and the suite read; node_modules (MathJax, axe-core) is linked, not copied.
COPIED = ["docs", "snippets", "hooks", "tested_docs", "tests", "mkdocs.yml", "pyproject.toml", "package.json", "package-lock.json"]


def build_env(data: Path, cache: Path, records: Path | None = None) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", DATA_ENV: str(data), CACHE_ENV: str(cache)}
    if records is not None:
        env[RECORDS_ENV] = str(records)
    return env


def mkdocs_build(root: Path, site: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=root, capture_output=True, text=True, env=env)


def copy_repository(target: Path) -> Path:
    """A copy of the repository as a build and the tests read it (a probe page goes into a copy)."""
    for part in COPIED:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, Path(target) / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, Path(target) / part)
    (Path(target) / "node_modules").symlink_to(ROOT / "node_modules")
    return Path(target)
