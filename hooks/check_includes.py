"""MkDocs hook: fail the build, naming the page, file and section, when an include points at nothing.

pymdownx.snippets reports a missing section without naming its file ("Snippet section 'x' could not
be located"), and with check_paths off it would drop the include silently; this check runs first.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

INCLUDE = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+"(?P<file>[^":]+)(?::(?P<section>[a-z][-_0-9a-z]*))?"', re.MULTILINE | re.IGNORECASE)
SECTION = re.compile(r"-{1,}8<-{1,}[ \t]+\[[ \t]*start[ \t]*:[ \t]*(?P<name>[a-z][-_0-9a-z]*)[ \t]*\]", re.IGNORECASE)


def on_page_markdown(markdown, page, config, **kwargs):
    root = Path(config.config_file_path).parent
    for m in INCLUDE.finditer(markdown):
        file, section = m["file"], m["section"]
        where = f"{page.file.src_path}, line {markdown.count(chr(10), 0, m.start()) + 1}"
        path = root / file
        if not path.is_file():
            raise PluginError(f"{where}: includes '{file}', but there is no such file under {root}. Fix the path or add the file.")
        if section:
            sections = SECTION.findall(path.read_text(encoding="utf-8"))
            if section not in sections:
                raise PluginError(
                    f"{where}: includes section '{section}' of '{file}', but that file has no "
                    f"`# --8<-- [start:{section}]` marker (its sections: {', '.join(sections) or 'none'})."
                )
    return markdown
