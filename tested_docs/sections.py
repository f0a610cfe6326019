"""Sections of a snippet and includes in a page, read by pymdownx.snippets' own parser.

The site's pages are expanded by pymdownx.snippets; everything else that needs to know where a
section starts or ends, or what a page includes, asks the same preprocessor (its `match_section`,
`extract_section`, `RE_ALL_SNIPPETS` and `parse_snippet_target`), configured as mkdocs.yml
configures it. No second pattern for `--8<--` exists in this repository.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .paths import ROOT


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


@cache
def snippet_config(root: Path = ROOT) -> dict:
    """pymdownx.snippets' settings from mkdocs.yml, with base_path resolved (read without loading mkdocs' plugins)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !relative, !ENV: resolved below
    config = yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            settings = dict(extension["pymdownx.snippets"] or {})
            break
    else:
        raise ValueError("mkdocs.yml does not enable pymdownx.snippets")
    settings["base_path"] = [str(root)]  # mkdocs.yml says `!relative $config_dir`: the repository root
    return settings


def preprocessor(root: Path = ROOT):
    """A pymdownx.snippets preprocessor configured like the site's."""
    import markdown

    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": snippet_config(Path(root))})
    return md.preprocessors["snippet"]


def sections(path: Path, root: Path = ROOT) -> list[Section]:
    """The snippet's sections in file order."""
    snippets = preprocessor(root)
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    found, open_at = [], {}
    for number, line in enumerate(lines, start=1):
        m = snippets.match_section(line)
        if not m or m.group("escape"):
            continue
        name = m.group("name")
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
            code = "\n".join(snippets.extract_section(name, lines)).strip("\n")
            found.append(Section(name, start + 1, number - 1, code))
    if open_at:
        name, number = next(iter(open_at.items()))
        raise ValueError(f"{path}:{number}: section '{name}' is never ended (add `# --8<-- [end:{name}]`)")
    return sorted(found, key=lambda s: s.start)


def includes(text: str, root: Path = ROOT) -> list[Include]:
    """Every `--8<-- "file:section"` line of a page, in order."""
    snippets = preprocessor(root)
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        m = snippets.RE_ALL_SNIPPETS.match(line)
        if not m or m.group("escape") or not m.group("snippet"):
            continue
        target = snippets.parse_snippet_target(m.group("snippet")[1:-1])
        if target:
            found.append(Include(number, target["path"], target["section"]))
    return found


def check_include(include: Include, root: Path = ROOT) -> str | None:
    """What is wrong with an include (a message naming the file and section), or None."""
    path = Path(root) / include.file
    if not path.is_file():
        return f"includes '{include.file}', but there is no such file under {root}. Fix the path or add the file."
    if include.section:
        names = [s.name for s in sections(path, root)]
        if include.section not in names:
            return (
                f"includes section '{include.section}' of '{include.file}', but that file has no "
                f"`# --8<-- [start:{include.section}]` marker (its sections: {', '.join(names) or 'none'})."
            )
    return None
