"""Sections of a snippet, and the includes of a page.

`sections()` is the one reader of a snippet's `# --8<-- [start:name]` / `# --8<-- [end:name]` markers, and
`includes()` the one reader of a page's `--8<-- "file:section"` lines. They need only the standard library, so
the GPU machines (torch and pytest, no pymdown-extensions) use them too; MARKER and INCLUDE are pymdownx.snippets'
own patterns (RE_SNIPPET_SECTION, RE_ALL_SNIPPETS), and tests/test_sections.py proves, on every snippet and
page, that they find what pymdownx.snippets finds. Expanding a page is pymdownx.snippets' own work (`preprocessor`).
"""

import re
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .paths import ROOT

# pymdownx.snippets 13's RE_SNIPPET_SECTION, as it is (tests/test_sections.py compares them).
MARKER = re.compile(
    r'''(?xi)
    ^(?P<pre>.*?)
    (?<!;)(?!(?<=-)-)
    (?P<escape>;*)
    (?P<inline_marker>-{1,}8<-{1,}[ \t]+)
    (?P<section>\[[ \t]*(?P<type>start|end)[ \t]*:[ \t]*(?P<name>[a-z][-_0-9a-z]*)[ \t]*\])
    (?P<post>.*?)$
    '''
)


# pymdownx.snippets 13's RE_ALL_SNIPPETS, as it is (tests/test_sections.py compares them and the includes read).
INCLUDE = re.compile(
    r'''(?x)
    ^(?P<space>[ \t]*)
    (?P<escape>;*)
    (?P<all>
        (?P<inline_marker>-{1,}8<-{1,}[ \t]+)
        (?P<snippet>(?:"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?'))(?![ \t]) |
        (?P<block_marker>-{1,}8<-{1,})(?![ \t])
    )\r?$
    '''
)
SECTION_NAME = re.compile(r"(?i)[a-z][-_0-9a-z]*")


@dataclass(frozen=True)
class Section:
    name: str
    start: int  # first line of the body, 1-based (the line after the start marker)
    end: int  # last line of the body
    code: str  # the body as a page shows it (dedented, no markers)


@dataclass(frozen=True)
class Include:
    lineno: int  # 1-based line of the include in the page
    file: str  # as written, relative to the repository root
    section: str | None


def _marker(line: str):
    """The section marker on a line, or None (every marker holds `8<-`: far cheaper to test than the pattern)."""
    return MARKER.match(line) if "8<-" in line else None


def _unescaped(line: str) -> str:
    """A line whose marker is escaped (`;--8<--`) shows as the marker, one `;` fewer (as pymdownx does)."""
    m = _marker(line)
    if not m or not m.group("escape"):
        return line
    return m.group("pre") + m.group("escape").replace(";", "", 1) + m.group("inline_marker") + m.group("section") + m.group("post")


def sections(path: Path) -> list[Section]:
    """The snippet's sections in file order."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    found, open_at = [], {}
    for number, line in enumerate(lines, start=1):
        m = _marker(line)
        if not m or m.group("escape"):
            continue
        name = m.group("name")
        if m.group("type") not in ("start", "end"):
            raise ValueError(f"{path}:{number}: write the marker in lower case (`[start:{name}]`, `[end:{name}]`)")
        if m.group("type") == "start":
            if name in open_at or any(s.name == name for s in found):
                raise ValueError(f"{path}:{number}: section '{name}' starts twice")
            if open_at:  # a run files each line under one section, a notebook cell is one section
                raise ValueError(f"{path}:{number}: section '{name}' starts inside section '{next(iter(open_at))}'; end that one first")
            open_at[name] = number
        else:
            if name not in open_at:
                raise ValueError(f"{path}:{number}: section '{name}' ends but never started")
            start = open_at.pop(name)
            body = [_unescaped(line) for line in lines[start:number - 1]]
            code = textwrap.dedent("\n".join(body)).strip("\n")  # mkdocs.yml: dedent_subsections
            found.append(Section(name, start + 1, number - 1, code))
    if open_at:
        name, number = next(iter(open_at.items()))
        raise ValueError(f"{path}:{number}: section '{name}' is never ended (add `# --8<-- [end:{name}]`)")
    return sorted(found, key=lambda s: s.start)


def without_markers(text: str) -> str:
    """A snippet as a reader downloads it: the same code, without the `# --8<--` lines the site's build reads
    (an escaped marker shows as the marker)."""
    kept = [_unescaped(line) for line in text.split("\n")
            if not ((m := _marker(line)) and not m.group("escape"))]
    return "\n".join(kept)


def snippet_config(root: Path = ROOT) -> dict:
    """pymdownx.snippets' settings, as mkdocs.yml gives them (read by mkdocs itself, tested_docs.config)."""
    from .config import mkdocs_config

    config = mkdocs_config(root)
    if "pymdownx.snippets" not in config["markdown_extensions"]:
        raise ValueError("mkdocs.yml does not enable pymdownx.snippets")
    return dict(config["mdx_configs"].get("pymdownx.snippets") or {})


@cache
def preprocessor(root: Path = ROOT):
    """A pymdownx.snippets preprocessor configured like the site's."""
    import markdown

    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": snippet_config(Path(root))})
    return md.preprocessors["snippet"]


def includes(text: str, root: Path = ROOT) -> list[Include]:
    """Every `--8<-- "file:section"` line of a page, in order (INCLUDE: pymdownx.snippets' RE_ALL_SNIPPETS)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        m = INCLUDE.match(line) if "8<-" in line else None
        if not m or m.group("escape") or not m.group("snippet"):
            continue
        target = m.group("snippet")[1:-1]
        file, colon, section = target.rpartition(":")
        if not (colon and SECTION_NAME.fullmatch(section)):
            file, section = target, None  # a whole file (or line ranges, which the site does not use)
        if file.strip():
            found.append(Include(number, file.strip(), section))
    return found


BUILD_OUTPUT_MARK = "<!-- build-output -->"


def run_dependent_sections(root: Path = ROOT) -> set[tuple[str, str]]:
    """{(snippet file name, section)} whose output a page shows as the build's own run (`<!-- build-output -->`
    after its listing): what depends on the data and the device, such as a training log."""
    found = set()
    for page in sorted((Path(root) / "docs").rglob("*.md")):
        last, current, fence = [], None, None
        for line in page.read_text(encoding="utf-8").split("\n"):
            stripped = line.strip()
            if fence is None and stripped.startswith("```"):
                fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
                current = [] if stripped[len(fence):].strip().startswith(("python", "py")) else None
            elif fence is not None and stripped.startswith(fence) and not stripped[len(fence):].strip():
                fence, last = None, (current if current is not None else last)
            elif fence is not None and current is not None:
                current.extend(includes(line, root))
            elif stripped == BUILD_OUTPUT_MARK:
                found |= {(Path(i.file).name, i.section) for i in last if i.section}
    return found


def check_include(include: Include, root: Path = ROOT) -> str | None:
    """What is wrong with an include (a message naming the file and section), or None."""
    path = Path(root) / include.file
    if not path.is_file():
        return f"includes '{include.file}', but there is no such file under {root}. Fix the path or add the file."
    if include.section:
        names = [s.name for s in sections(path)]
        if include.section not in names:
            return (
                f"includes section '{include.section}' of '{include.file}', but that file has no "
                f"`# --8<-- [start:{include.section}]` marker (its sections: {', '.join(names) or 'none'})."
            )
    return None
