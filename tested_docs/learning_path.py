"""The learning path as the nav gives it: the home page's list of pages and each page's "Next" section are
made from mkdocs.yml's nav and each page's `description:` (front matter), so adding a page touches the page,
its scripts and its nav entry, nothing else."""

import posixpath
from dataclasses import dataclass
from pathlib import Path

HOME = "index.md"
NOTEBOOKS = "Notebooks"  # the nav section hooks/snippet_runs.py generates


@dataclass(frozen=True)
class Step:
    title: str
    src: str  # relative to docs/, e.g. eager-mode.md
    description: str


def _entries(nav):
    for item in nav or []:
        if isinstance(item, dict):
            for title, value in item.items():
                if title == NOTEBOOKS:
                    continue
                if isinstance(value, list):
                    yield from _entries(value)
                elif "://" not in value:
                    yield title, value
        elif "://" not in item:
            yield None, item


def steps(nav, docs: Path) -> list[Step]:
    """The nav's pages in order, but the home page (and the generated notebooks). A page without a
    `description:` in its front matter stops the build: the home page and the previous page show it."""
    from mkdocs.utils.meta import get_data

    found = []
    for title, src in _entries(nav):
        if src == HOME:
            continue
        text, meta = get_data((Path(docs) / src).read_text(encoding="utf-8"))
        if not meta.get("description"):
            raise ValueError(f"docs/{src} has no `description:` in its front matter: add one line, e.g. "
                             "`description: Build a network as an nn.Module.` (the home page's list and the previous page's "
                             "Next section show it)")
        lines = text.split("\n")
        at = title_line(lines)
        found.append(Step(title or (lines[at][2:].strip() if at >= 0 else src), src, str(meta["description"]).strip()))
    return found


def home_list(path: list[Step]) -> str:
    return "\n".join(f"{n}. [{s.title}]({s.src}) — {s.description}" for n, s in enumerate(path, start=1))


def next_section(path: list[Step], src: str) -> str:
    """The "Next" section that ends a page of the path."""
    srcs = [s.src for s in path]
    if src not in srcs:
        return ""
    k = srcs.index(src)
    here = posixpath.dirname(src) or "."
    if k + 1 < len(path):
        nxt = path[k + 1]
        return f"## Next\n\n[{nxt.title}]({posixpath.relpath(nxt.src, here)}) — {nxt.description}\n"
    return (f"## Next\n\nThis is the last page of the learning path ({len(path)} pages). "
            f"[Start again at the beginning]({posixpath.relpath(HOME, here)}) to revisit any of them.\n")


def title_line(lines: list[str]) -> int:
    """The line of a page's title (`# ...` outside any fenced block), or -1."""
    fence = None
    for k, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence and stripped.startswith(fence) else (fence or stripped[:3])
        elif fence is None and line.startswith("# "):
            return k
    return -1


def intro_end(lines: list[str]) -> int:
    """The line where a page's introduction ends: after its title, its first section heading, listing or
    admonition; before the paragraph that introduces that listing, when one does (it ends with a colon), so
    nothing comes between the two."""
    for number in range(title_line(lines) + 1, len(lines)):
        line = lines[number]
        if line.startswith("## ") or line.lstrip().startswith("```") or line.startswith(("!!! ", "??? ")):
            before = number
            while before > 0 and not lines[before - 1].strip():
                before -= 1
            if line.lstrip().startswith("```") and before > 0 and lines[before - 1].rstrip().endswith(":"):
                while before > 0 and lines[before - 1].strip():
                    before -= 1
                return before
            return number
    return len(lines)


def insert_after_intro(markdown: str, block: str) -> str:
    lines = markdown.split("\n")
    at = intro_end(lines)
    return "\n".join([*lines[:at], block, "", *lines[at:]])


def notebook_order(nav, docs: Path, snippets: list[Path]) -> list[Path]:
    """The snippets in the order a reader meets them: page by page along the nav, each page's scripts in the
    order it first includes them; a script no page includes comes last, by name."""
    from .sections import includes

    ordered = []
    for _, src in _entries(nav):
        for include in includes((Path(docs) / src).read_text(encoding="utf-8")):
            name = Path(include.file).name
            if name not in ordered:
                ordered.append(name)
    by_name = {path.name: path for path in snippets}
    return [by_name[n] for n in ordered if n in by_name] + sorted(p for p in snippets if p.name not in ordered)
