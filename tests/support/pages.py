"""Read the site's pages as a reader sees them and run their listings.

Includes are expanded by pymdownx.snippets itself, configured from mkdocs.yml, so the tests see
exactly the code the built page shows. Listings are parsed by pytest-codeblocks' own parser and run
in page order in one namespace (its runner gives each block fresh globals), and each listing's
printed output is captured for comparison with the output the page shows under it.
"""

import contextlib
import io
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import markdown
from pytest_codeblocks import extract_from_buffer

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
OUTPUT_MARK = "<!--pytest-codeblocks:expected-output-->"
FENCE_INFO = re.compile(r"^(?P<fence>[ \t]*`{3,})[ \t]*(?P<lang>[\w+-]+)\b.*$", re.MULTILINE)
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")
TOLERANCE_MARK = re.compile(r"pytest\.mark\.float_tolerance\((?P<abs>[^)]+)\)")
INCLUDE = re.compile(r'--8<--\s+"(?P<file>[^":]+)(?::(?P<section>[-\w]+))?"')


@dataclass
class Listing:
    page: Path
    lineno: int  # of the fence in the page's source
    code: str  # as the reader sees it, includes expanded
    expected_output: str | None  # the output block shown under it, if any
    sources: list[tuple[str, str | None]]  # the (snippet file, section) pairs it includes
    tolerance: float = 0.0  # from <!--pytest.mark.float_tolerance(x)-->: printed floats may differ by x

    @property
    def snippet(self) -> str:
        return ", ".join(f"{file}:{section}" for file, section in self.sources)


@cache
def mkdocs_config():
    """mkdocs.yml, loaded and validated by mkdocs itself (once per process)."""
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))


def snippet_config() -> dict:
    """pymdownx.snippets' settings exactly as mkdocs.yml gives them."""
    return dict(mkdocs_config()["mdx_configs"]["pymdownx.snippets"])


def expand(text: str, base: Path | None = None) -> str:
    """The page text with its includes expanded; `base` replaces the repository root (tests use a copy)."""
    config = snippet_config() if base is None else {**snippet_config(), "base_path": [str(base)]}
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": config})
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def _blocks(text: str):
    # pytest-codeblocks keeps a block's language only when the info string is exactly `python`;
    # reduce ```python title="x.py" to ```python so no titled listing escapes the tests.
    return extract_from_buffer(io.StringIO(FENCE_INFO.sub(r"\g<fence>\g<lang>", text)))


def listings(page: Path, base: Path | None = None) -> list[Listing]:
    """The page's Python listings in order, each with the output the page shows under it."""
    source = page.read_text(encoding="utf-8")
    raw = [b for b in _blocks(source) if b.syntax == "python"]
    shown = [b for b in _blocks(expand(source, base)) if b.syntax == "python"]
    assert len(raw) == len(shown), f"{page.name}: expanding includes changed the number of listings"
    return [
        Listing(page, r.lineno, s.code, s.expected_output, [(m["file"], m["section"]) for m in INCLUDE.finditer(r.code)],
                _tolerance(s.marks))
        for r, s in zip(raw, shown)
    ]


def _tolerance(marks: list[str]) -> float:
    found = [float(m["abs"]) for mark in marks if (m := TOLERANCE_MARK.fullmatch(mark))]
    return found[0] if found else 0.0


def outputs_agree(shown: str, printed: str, tolerance: float = 0.0) -> bool:
    """Exact equality; where a listing is marked with a float tolerance, its printed floats may differ
    by that much (matrix products round differently across CPUs and BLAS builds) and all else is exact."""
    shown, printed = shown.rstrip("\n"), printed.rstrip("\n")
    if shown == printed or not tolerance:
        return shown == printed
    a, b = NUMBER.findall(shown), NUMBER.findall(printed)
    return (
        NUMBER.split(shown) == NUMBER.split(printed)
        and len(a) == len(b)
        and all(abs(float(x) - float(y)) <= tolerance * (1 + 1e-9) for x, y in zip(a, b))
    )


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def mismatches(items: list[Listing], printed: list[str]) -> list[str]:
    """One message per listing whose shown output differs from what it printed (exact match)."""
    problems = []
    for item, out in zip(items, printed):
        where = f"{item.page.name}, listing at line {item.lineno} ({item.snippet})"
        if item.expected_output is None:
            if out:
                problems.append(f"{where} prints, but the page shows no output under it:\n{out}")
        elif not outputs_agree(item.expected_output, out, item.tolerance):
            problems.append(f"{where}: the page shows\n{item.expected_output}\nbut the code printed\n{out}(run `make outputs` after a deliberate change)")
    return problems


class ListingError(RuntimeError):
    pass


@contextlib.contextmanager
def reader_session(workdir: Path):
    """Run as a reader who copied the page would: from workdir (where ./data is), nothing else importable."""
    old_cwd = os.getcwd()
    os.chdir(workdir)
    try:
        yield
    finally:
        os.chdir(old_cwd)


def run_listings(items: list[Listing], workdir: Path) -> list[str]:
    """Execute the listings in order in one namespace; return what each printed."""
    namespace = {"__name__": "__main__"}
    printed = []
    with reader_session(workdir):
        for item in items:
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(item.code, f"{item.page.name}:{item.lineno}", "exec"), namespace)
            except Exception as error:
                raise ListingError(
                    f"{item.page.name}, listing at line {item.lineno} ({item.snippet}) failed: {type(error).__name__}: {error}\n{item.code}"
                ) from error
            printed.append(out.getvalue())
    return printed
