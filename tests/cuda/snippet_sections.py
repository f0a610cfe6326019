"""Sections of a snippet, for the cuda tests only: a GPU machine has torch but not pymdown-extensions,
whose parser (tested_docs.sections) is the site's one reader of `--8<--` markers. This mirror handles
the plain form the snippets use, and tests/test_cuda_needs_no_build_tools.py proves, on every snippet,
that it finds exactly what pymdownx.snippets finds."""

import re
import textwrap
from pathlib import Path

MARKED = re.compile(r"^[ \t]*# --8<-- \[start:(?P<name>[-\w]+)\]\n(?P<body>.*?)^[ \t]*# --8<-- \[end:(?P=name)\]", re.M | re.S)


def sections(path: Path) -> dict[str, str]:
    """{section name: its code, dedented}, in file order."""
    return {m["name"]: textwrap.dedent(m["body"]) for m in MARKED.finditer(Path(path).read_text(encoding="utf-8"))}
