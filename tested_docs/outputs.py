"""`make outputs`: rerun every snippet and rewrite the outputs shown on the pages.

All or nothing: every snippet runs first (the one runner, on the offline FashionMNIST stand-in, whose
compared outputs equal the real dataset's); if any fails, or a listing's output block is missing or
superfluous, nothing is written and the command exits non-zero naming the snippet and section. A shown
number within its listing's float tolerance of the new one is kept (the comparator's rule), so a second
run, or a run on a machine whose BLAS rounds differently, changes nothing.
"""

import sys
import tempfile
from pathlib import Path

from .checks import listing_problem, torch_version
from .compare import agree
from .fixture import write_fashion_mnist
from .pages import OUTPUT_MARK, Listing, listings, pages
from .paths import ROOT, cache_dir, snippet_files
from .runner import Run, SnippetRunError, run_snippets


class OutputsError(RuntimeError):
    pass


def render(source: str, items: list[Listing], runs: dict[str, Run]) -> str:
    """The page source with each output block's body replaced by what its listing printed, unless the two agree
    (exactly, or within the listing's float tolerance: then the shown text is kept as it is)."""
    lines = source.split("\n")
    result, i = [], 0
    while i < len(lines):
        result.append(lines[i])
        if lines[i].replace(" ", "") != OUTPUT_MARK:  # pytest-codeblocks allows spaces inside the comment
            i += 1
            continue
        owner = max((item for item in items if item.lineno <= i + 1), key=lambda item: item.lineno)
        fences = [line for line in lines[owner.lineno - 1 : i] if line.lstrip().startswith("```")]
        if len(fences) != 2:  # the owner's opening and closing fence, and no other block in between
            raise OutputsError(f"{owner.page.name}, line {i + 1}: an output block that does not follow a Python listing")
        i += 1
        while not lines[i].lstrip().startswith("```"):  # blank lines between mark and fence
            result.append(lines[i])
            i += 1
        fence = lines[i].lstrip()
        indent = lines[i][: len(lines[i]) - len(fence)]  # a block folded under ??? is indented
        ticks = fence[: len(fence) - len(fence.lstrip("`"))]
        result.append(lines[i])
        i += 1
        body_start = i
        while not lines[i].lstrip().startswith(ticks):
            i += 1
        shown = "\n".join(line.removeprefix(indent) for line in lines[body_start:i])
        printed = owner.printed(runs)
        # kept when it agrees, or when this torch release prints the page's marked wording of it
        keep = agree(shown, printed, owner.tolerance) or agree(owner.expected_on(torch_version()), printed, owner.tolerance)
        written = [indent + line if line else "" for line in printed.rstrip("\n").split("\n")]
        result.extend(lines[body_start:i] if keep else written)
        result.append(lines[i])
        i += 1
    return "\n".join(result)


def regenerate(root: Path, runs: dict[str, Run]) -> dict[Path, str]:
    """New text for each page whose outputs changed; raises OutputsError before anything is written."""
    for run in runs.values():
        if failure := run.failure():
            raise OutputsError(failure)
    updated = {}
    for page in pages(root):
        items = listings(page, root)
        for item in items:
            problem = listing_problem(item, runs)
            if problem and "but the code printed" not in problem:  # a changed output is what we rewrite
                raise OutputsError(problem)
        source = page.read_text(encoding="utf-8")
        text = render(source, items, runs)
        if text != source:
            updated[page] = text
    return updated


def main(root: Path = ROOT) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        write_fashion_mnist(data)
        try:
            runs = run_snippets(snippet_files(root), data, cache_dir(root))
            updated = regenerate(root, runs)
        except (OutputsError, ValueError, SnippetRunError) as error:
            print(f"make outputs: nothing was rewritten.\n{error}", file=sys.stderr)
            return 1
    for page, text in updated.items():
        staged = page.with_suffix(".md.new")
        staged.write_text(text, encoding="utf-8")
        staged.replace(page)  # atomic per file; every page's text was computed before the first write
        print(f"rewrote outputs in {page.relative_to(root)}")
    if not updated:
        print("all shown outputs already match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
