"""MkDocs hook: the home page's list of the learning path (at `<!-- learning-path -->`) and every path page's
"Next" section, made from the nav and each page's `description:` (tested_docs.learning_path)."""

from pathlib import Path

from mkdocs.exceptions import PluginError

from tested_docs.learning_path import HOME, home_list, next_section, steps

MARKER = "<!-- learning-path -->"
state = {"path": []}


def on_nav(nav, config, files, **kwargs):
    """The path's pages and their descriptions, read once per build."""
    try:
        state["path"] = steps(config["nav"], Path(config["docs_dir"]))
    except ValueError as error:
        raise PluginError(str(error)) from None
    return nav


def on_page_markdown(markdown, page, config, **kwargs):
    src = page.file.src_uri
    if src.endswith(".ipynb"):
        return markdown
    path = state["path"]
    if src == HOME:
        return markdown.replace(MARKER, home_list(path))
    section = next_section(path, src)
    return markdown.rstrip("\n") + "\n\n" + section if section else markdown
