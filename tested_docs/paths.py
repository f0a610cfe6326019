"""Where things are: the repository's folders, the snippets (found by glob, never listed), and the
data and cache folders a build or a test run uses (explicit through the environment, so the tests
never read or change the developer's own data/ and .cache/)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
DATA_ENV = "DEEP_NOTES_DATA"  # a folder holding FashionMNIST/raw/ (the build uses it instead of ./data)
CACHE_ENV = "DEEP_NOTES_CACHE"  # where snippet runs are cached (instead of ./.cache)
RECORDS_ENV = "DEEP_NOTES_RECORDS"  # where `make test` writes its CPU record (instead of ./.verified)


def snippet_files(root: Path = ROOT) -> list[Path]:
    """Every snippet: snippets/*.py, sorted by name."""
    return sorted((Path(root) / "snippets").glob("*.py"))


def cache_dir(root: Path = ROOT) -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path(root) / ".cache")


def local_records_dir(root: Path = ROOT) -> Path:
    """Untracked records of local runs (`make test`): never a tracked file."""
    return Path(os.environ.get(RECORDS_ENV) or Path(root) / ".verified")


def committed_records_dir(root: Path = ROOT) -> Path:
    """Records only a GPU runner can make, committed: docs/verified/."""
    return Path(root) / "docs" / "verified"
