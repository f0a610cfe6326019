"""MkDocs hook: fail the build, naming the page, line, file and section, when an include points at nothing.

pymdownx.snippets reports a missing section without naming its file ("Snippet section 'x' could not
be located"), and with check_paths off it would drop the include silently; this check runs first,
reading the includes and sections with pymdownx.snippets' own parser (tested_docs.sections).
"""

from mkdocs.exceptions import PluginError

from tested_docs.config import building
from tested_docs.sections import check_include, includes


def on_config(config, **kwargs):
    building(config)  # the machinery reads this build's settings, not mkdocs.yml a second time
    return config


def on_page_markdown(markdown, page, config, **kwargs):
    for include in includes(markdown):
        try:
            problem = check_include(include)
        except ValueError as error:  # a snippet whose markers are broken (unclosed, nested, doubled)
            problem = str(error)
        if problem:
            raise PluginError(f"{page.file.src_path}, line {include.lineno}: {problem}")
    return markdown
