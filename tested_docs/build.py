"""`mkdocs build --strict` of a repository (or a copy of one) into a given folder, with explicit data,
run cache and records folders, as the tests and benchmarks run it."""

import os
import subprocess
import sys
from pathlib import Path

from .paths import CACHE_ENV, DATA_ENV, RECORDS_ENV


def build_env(data: Path, cache: Path, records: Path | None = None) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", DATA_ENV: str(data), CACHE_ENV: str(cache)}
    if records is not None:
        env[RECORDS_ENV] = str(records)
    return env


def mkdocs_build(root: Path, site: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=root, capture_output=True, text=True, env=env)
