"""`make outputs`: rerun every page's listings and rewrite the outputs shown under them.

All or nothing: every page is run first, against the offline FashionMNIST fixture (the shown
outputs do not depend on pixel values); if any listing fails, nothing is written and the
command exits non-zero naming the snippet and its error. A second run changes nothing.
"""

import sys
import tempfile
from pathlib import Path

from fashion_fixture import write_fashion_mnist
from pages import OUTPUT_MARK, Listing, ListingError, listings, pages, run_listings


def render(source: str, items: list[Listing], printed: list[str]) -> str:
    """The page source with each output block's body replaced by what its listing printed."""
    lines = source.split("\n")
    result, i = [], 0
    while i < len(lines):
        result.append(lines[i])
        if lines[i].strip() != OUTPUT_MARK:
            i += 1
            continue
        owner = max(k for k, item in enumerate(items) if item.lineno <= i + 1)
        i += 1
        while not lines[i].lstrip().startswith("```"):  # blank lines between mark and fence
            result.append(lines[i])
            i += 1
        fence = lines[i].lstrip()
        ticks = fence[: len(fence) - len(fence.lstrip("`"))]
        result.append(lines[i])
        i += 1
        while not lines[i].lstrip().startswith(ticks):
            i += 1
        result.extend(printed[owner].rstrip("\n").split("\n"))
        result.append(lines[i])
        i += 1
    return "\n".join(result)


def regenerate(workdir: Path, page_paths: list[Path]) -> dict[Path, str]:
    """New text for each page whose outputs changed; raises ListingError before anything is written."""
    write_fashion_mnist(workdir / "data")
    updated = {}
    for page in page_paths:
        items = listings(page)
        if not items:
            continue
        printed = run_listings(items, workdir)
        for item, out in zip(items, printed):
            if out and item.expected_output is None:
                raise ListingError(f"{page.name}, listing at line {item.lineno} prints, but the page shows no output block under it")
            if not out and item.expected_output is not None:
                raise ListingError(f"{page.name}, listing at line {item.lineno} prints nothing, but the page shows an output block under it")
        source = page.read_text(encoding="utf-8")
        text = render(source, items, printed)
        if text != source:
            updated[page] = text
    return updated


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            updated = regenerate(Path(tmp), pages())
        except ListingError as error:
            print(f"make outputs: nothing was rewritten.\n{error}", file=sys.stderr)
            return 1
    for page, text in updated.items():
        staged = page.with_suffix(".md.new")
        staged.write_text(text, encoding="utf-8")
        staged.replace(page)  # atomic per file; every page's text was computed before the first write
        print(f"rewrote outputs in {page.relative_to(Path.cwd()) if page.is_relative_to(Path.cwd()) else page}")
    if not updated:
        print("all shown outputs already match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
