"""The oldest torch and torchvision the snippets support, named once: pyproject.toml's lower bounds
(`torch>=2.6.0`, `torchvision>=0.21.0`). `make test-torch` reads them from here, and a test proves that
README.md and the home page say the same.

    python -m tested_docs.releases      prints "2.6.0 0.21.0"
"""

import re
from pathlib import Path

from .paths import ROOT

LOWER_BOUND = re.compile(r'^\s*"(?P<name>torch|torchvision)>=(?P<version>\d+\.\d+\.\d+)[",]', re.M)


def oldest(root: Path = ROOT) -> dict[str, str]:
    """{"torch": "2.6.0", "torchvision": "0.21.0"}: the lower bounds of pyproject.toml's dependencies."""
    found = {m["name"]: m["version"] for m in LOWER_BOUND.finditer((Path(root) / "pyproject.toml").read_text(encoding="utf-8"))}
    missing = {"torch", "torchvision"} - set(found)
    if missing:
        raise ValueError(f"pyproject.toml names no lower bound `>=X.Y.Z` for {', '.join(sorted(missing))} in its dependencies")
    return found


if __name__ == "__main__":
    pair = oldest()
    print(pair["torch"], pair["torchvision"])
