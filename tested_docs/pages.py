"""The pages' Python listings as a reader sees them, each with the output the page shows under it.

Includes are expanded by pymdownx.snippets itself (configured as in mkdocs.yml), so the listing's code
is exactly what the built page shows; the Markdown is parsed by pytest-codeblocks' own parser. A
listing's printed output is the output its sections gave in their snippet's run (tested_docs.runner);
the page shows it either in a `text` block marked `<!--pytest-codeblocks:expected-output-->`, compared
exactly (or within the listing's float tolerance), or, for what only the real run can show (a training
log), as the build's own run where the line `<!-- build-output -->` follows the listing.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT
from .sections import BUILD_OUTPUT_MARK, Include, includes, preprocessor

OUTPUT_MARK = "<!--pytest-codeblocks:expected-output-->"
BUILD_FIGURE = re.compile(r"^<!-- build-figure: (?P<file>[\w.-]+\.png) \| (?P<alt>[^>]+?) -->$", re.M)
FENCE_INFO = re.compile(r"^(?P<fence>[ \t]*`{3,})[ \t]*(?P<lang>[\w+-]+)\b.*$", re.MULTILINE)
TOLERANCE = re.compile(r"pytest\.mark\.float_tolerance\((?P<abs>[^)]+)\)")
# <!--pytest.mark.torch_output("2.6", "shown text", "what that release prints")--> before a listing: on that
# torch release (major.minor) the listing prints its shown output with that one text replaced, as the page
# says in words (an error's wording). Every other difference is still a failure.
RELEASE_OUTPUT = re.compile(r'pytest\.mark\.torch_output\("(?P<release>\d+\.\d+)", "(?P<shown>[^"]+)", "(?P<printed>[^"]+)"\)')


@dataclass
class Listing:
    page: Path
    lineno: int  # of the fence in the page's source
    code: str  # as the reader sees it, includes expanded
    expected_output: str | None  # the output block shown under it, if any
    sources: list[Include]  # what it includes
    tolerance: float = 0.0  # from <!--pytest.mark.float_tolerance(x)-->
    build_output: bool = False  # its output is shown as the build's own run, not compared
    release_outputs: tuple = ()  # ((release, shown, printed), ...) from <!--pytest.mark.torch_output(...)-->

    @property
    def snippets(self) -> list[str]:
        """The snippet file names it includes (e.g. eager_model.py)."""
        return sorted({Path(s.file).name for s in self.sources})

    @property
    def id(self) -> str:
        """page:line:snippet:section, e.g. eager-mode.md:107:eager_model.py:input."""
        parts = "+".join(f"{Path(s.file).name}:{s.section}" for s in self.sources) or "pasted"
        return f"{self.page.name}:{self.lineno}:{parts}"

    def expected_on(self, torch_version: str) -> str | None:
        """The output this listing prints on a torch release: the shown one, with a marked release's own
        wording put in. A mark whose shown text is not in the output raises ValueError (a stale mark)."""
        expected = self.expected_output
        release = ".".join(torch_version.split("+")[0].split(".")[:2])
        for marked, shown, printed in self.release_outputs:
            if expected is None or shown not in expected:
                raise ValueError(f"{self.page.name}, listing at line {self.lineno}: its torch_output mark names "
                                 f"{shown!r}, which its output block does not show; fix or remove the mark")
            if marked == release:
                expected = expected.replace(shown, printed)
        return expected

    def printed(self, runs: dict) -> str:
        """What its sections printed in their snippets' runs ({snippet file name: Run})."""
        return "".join(runs[Path(s.file).name].output(s.section) for s in self.sources)


def pages(root: Path = ROOT) -> list[Path]:
    """Every Markdown page under docs/."""
    return sorted((Path(root) / "docs").rglob("*.md"))


def expand(text: str, root: Path = ROOT) -> str:
    """The page text with its includes expanded by pymdownx.snippets."""
    return "\n".join(preprocessor(root).run(text.split("\n")))


def _blocks(text: str):
    from pytest_codeblocks import extract_from_buffer

    # pytest-codeblocks keeps a block's language only when the info string is exactly `python`:
    # reduce ```python title="x.py" to ```python so that no titled listing escapes.
    return extract_from_buffer(io.StringIO(FENCE_INFO.sub(r"\g<fence>\g<lang>", text)))


def listings(page: Path, root: Path = ROOT) -> list[Listing]:
    """The page's Python listings in order. A broken include raises ValueError naming page, line, file and section."""
    from .sections import check_include

    source = Path(page).read_text(encoding="utf-8")
    for include in includes(source, root):
        if problem := check_include(include, root):
            raise ValueError(f"{Path(page).name}, line {include.lineno}: {problem}")
    raw = [b for b in _blocks(source) if b.syntax == "python"]
    every = _blocks(expand(source, root))
    shown = [b for b in every if b.syntax == "python"]
    if len(raw) != len(shown):
        raise ValueError(f"{Path(page).name}: expanding includes changed the number of listings")
    for block in every:
        if block.expected_output_ignore_whitespace or (block.expected_output is not None and block.syntax != "python"):
            raise ValueError(
                f"{Path(page).name}, line {block.lineno}: an output block must follow a Python listing and be marked "
                f"exactly {OUTPUT_MARK} (the site compares outputs exactly, or within a float tolerance)")
    lines = source.split("\n")
    build_marks = [n for n, line in enumerate(lines, start=1) if line.strip() == BUILD_OUTPUT_MARK]
    found = []
    for k, (r, s) in enumerate(zip(raw, shown)):
        following = raw[k + 1].lineno if k + 1 < len(raw) else len(lines) + 1
        found.append(Listing(
            Path(page), r.lineno, s.code, s.expected_output, includes(r.code, root), _tolerance(s.marks),
            any(r.lineno < n < following for n in build_marks),
            _release_outputs(page, r.lineno, s.marks),
        ))
    return found


def _release_outputs(page: Path, lineno: int, marks: list[str]) -> tuple:
    found = []
    for mark in marks:
        if "torch_output" not in mark:
            continue
        m = RELEASE_OUTPUT.fullmatch(mark.strip())
        if not m:
            raise ValueError(f"{Path(page).name}, listing at line {lineno}: write the mark as "
                             '<!--pytest.mark.torch_output("2.6", "shown text", "what torch 2.6 prints")--> '
                             f"(a release as major.minor, double quotes), not {mark.strip()!r}")
        found.append((m["release"], m["shown"], m["printed"]))
    return tuple(found)


def _tolerance(marks: list[str]) -> float:
    found = [float(m["abs"]) for mark in marks if (m := TOLERANCE.fullmatch(mark.strip()))]
    return found[0] if found else 0.0


def all_listings(root: Path = ROOT) -> list[Listing]:
    return [item for page in pages(root) for item in listings(page, root)]
