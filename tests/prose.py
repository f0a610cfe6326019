"""What the prose tests of the tensors and datasets pages share: a page's text as they read it, and shapes and
counts as the prose writes them. Imported by those tests (pytest puts tests/ on sys.path); not a test file."""

from tested_docs.paths import DOCS

WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 10: "ten"}  # counts the prose spells out


def by(shape) -> str:
    """A shape as the prose writes it: 2×3."""
    return "×".join(str(n) for n in shape)


def page_text(name: str) -> tuple[str, str]:
    """(the page's Markdown source, the same with every run of whitespace one space): line breaks and a folded
    block's indentation do not matter to a sentence."""
    source = (DOCS / name).read_text(encoding="utf-8")
    return source, " ".join(source.split())
