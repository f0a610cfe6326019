"""MkDocs hook: the notebook pages (hooks/snippet_runs.py writes them, mkdocs-jupyter renders them) delivered
as light as the tutorial pages and laid out like them.

- mkdocs-jupyter inlines about 590 KB of CSS into every notebook page. Those <style> blocks are taken out
  and served once, cut down to what the notebook pages use and scoped to `.jupyter-wrapper`
  (tested_docs/notebook_css.py), as stylesheets/jupyter.css, linked from the notebook pages only.
- Each code cell's text is no longer repeated in a hidden <div> for its copy button (the button copies the
  highlighted <pre>, whose text is the same code); the copy icon is drawn once and reused; pygments' name
  and whitespace tokens lose their <span>s, which no rule styles differently from the cell's own text.
  Together they keep the longest notebook page under 100 KB.
- A figure is the PNG the tutorial page shows (images/<file>.png, cached once for both) with that page's alt
  text, instead of a base64 copy with "No description has been provided for this image".
- The download links stand under the title; the table of contents (a notebook has one heading) is hidden.
- The template's MathJax and mermaid loaders go (no math, no diagrams; one would call cdnjs).
- Out of the search index: each notebook repeats its page's listings (the index would triple).
"""

import ast
import base64
import hashlib
import html
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url

from tested_docs.notebook_css import cut_down, rules_for_classes
from tested_docs.pages import BUILD_FIGURE, pages
from tested_docs.paths import cache_dir

STYLESHEET = "stylesheets/jupyter.css"
CSS_CACHE = lambda: cache_dir() / "notebook-css"  # noqa: E731 - mkdocs-jupyter's CSS, parsed once across builds
WRAPPER = '<div class="jupyter-wrapper">'  # mkdocs-jupyter's notebook, closed by <!-- jupyter-wrapper -->
STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
DATA_IMAGE = re.compile(r'<img alt="[^"]*" class="" src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')
OUTSIDE_LOADERS = re.compile(
    r'<script src="">\s*</script>|<script type="text/x-mathjax-config">.*?</script>|<script type="module">(?:(?!</script>).)*?cdnjs\.cloudflare\.com.*?</script>',
    re.S,
)
COPY_TEXT = re.compile(r'<pre>((?:(?!</pre>).)*)</pre></div>\s*<div class="clipboard-copy-txt" id="(cell-\d+)">.*?</div>', re.S)
COPY_ICON = re.compile(r'(<svg aria-hidden="true"[^>]*class="clipboard-copy-icon"[^>]*>)(.*?)</svg>', re.S)
VIEWBOX = re.compile(r'viewbox="([^"]*)"', re.I)
PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')  # pygments' Name and Whitespace tokens
PLAIN_STYLE = [("color", "var(--jp-mirror-editor-variable-color)")]  # all mkdocs-jupyter gives .n and .w
state = {"figures": {}, "styles": []}


def is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_files(files: Files, config, **kwargs):
    """{sha256 of a published figure: (its URL from the site root, its alt text on the pages)}."""
    alts = {m["file"]: m["alt"] for md in pages() for m in BUILD_FIGURE.finditer(md.read_text(encoding="utf-8"))}
    state["figures"] = {
        hashlib.sha256(Path(file.abs_src_path).read_bytes()).hexdigest(): (file.url, alts.get(Path(file.src_uri).name))
        for file in files if file.src_uri.startswith("images/") and file.src_uri.endswith(".png")
    }
    state["styles"] = []
    return files


def published_figure(match, page) -> str:
    data = base64.b64decode(re.sub(r"\s", "", match[1]))
    url, alt = state["figures"].get(hashlib.sha256(data).hexdigest(), (None, None))
    if url is None:  # a figure no snippet published: left inline
        return match[0]
    alt = alt or f"Figure {posixpath.basename(url)}, drawn by this notebook's script"
    return f'<img alt="{html.escape(alt)}" class="" loading="lazy" src="{get_relative_url(url, page.url)}"'


def lighter(content: str) -> str:
    content = COPY_TEXT.sub(r'<pre id="\2">\1</pre></div>', content)
    icons = COPY_ICON.findall(content)
    if icons:
        box = VIEWBOX.search(icons[0][0])
        symbol = (f'<svg style="display: none"><symbol id="clipboard-copy-icon" viewBox="{box[1] if box else "0 0 16 16"}">'
                  f"{icons[0][1]}</symbol></svg>")
        # xlink:href, not href: mkdocs-material's instant navigation rewrites every [href] as a link's and fails
        # on an SVG <use> (SVGUseElement.href has only a getter), which stopped navigation to these pages.
        content = COPY_ICON.sub(r'\1<use xlink:href="#clipboard-copy-icon"></use></svg>', content)
        content = content.replace(WRAPPER, WRAPPER + symbol, 1)
    return PLAIN_TOKEN.sub(r"\1", content)


def is_list_repr(css: str) -> bool:
    """mkdocs-jupyter 0.26.3 (nbconvert2.py:166) also writes the Python repr of the list of CSS it inlined."""
    try:
        return css.lstrip().startswith("['") and isinstance(ast.literal_eval(css.strip()), list)
    except (ValueError, SyntaxError):
        return False


def check_plain_tokens(styles: list[str], cache=None) -> None:
    """lighter() drops the <span>s of .n and .w tokens: only right while mkdocs-jupyter's CSS gives them
    nothing but the code's own colour. Each stylesheet is parsed once (a regular expression over the raw
    CSS backtracked quadratically: 52 s of a 77 s build)."""
    for selector, declarations in rules_for_classes(styles, {"n", "w"}, cache):
        if declarations != PLAIN_STYLE:
            raise PluginError(f"mkdocs-jupyter's CSS now styles {selector!r} ({declarations}): "
                              "hooks/notebook_pages.py must stop unwrapping that token's <span>s")


def on_page_content(content, page, **kwargs):
    if not is_notebook(page):
        return content
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    page.meta["hide"] = [*(page.meta.get("hide") or []), "toc"]
    for css in STYLE.findall(content):
        if not is_list_repr(css) and css not in state["styles"]:
            state["styles"].append(css)
    content = OUTSIDE_LOADERS.sub("", STYLE.sub("", content))
    content = DATA_IMAGE.sub(lambda m: published_figure(m, page), content)
    content = lighter(content)
    name = Path(page.file.src_uri).stem
    downloads = (
        f'<p class="notebook-downloads">Download this notebook: <a href="{name}.ipynb" download>{name}.ipynb</a>'
        f' · the script: <a href="{name}.py" download>{name}.py</a></p>'
    )
    return content.replace("</h1>", "</h1>" + downloads, 1)


SKIP_LINK = re.compile(r'<a href="#[^"]*" class="md-skip">')
FIRST_HEADING = re.compile(r'<h1 id="([^"]+)"')


def on_post_page(output, page, config, **kwargs):
    if not is_notebook(page):
        return output
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}">'
    output = output.replace("</head>", f"{link}\n</head>", 1)
    # "Skip to content" names the id mkdocs-jupyter's table of contents made from the title's text
    # (#as-a-notebook), not the id nbconvert gave the heading (#eager_modelpy-as-a-notebook): point it there.
    heading = FIRST_HEADING.search(output, max(output.find(WRAPPER), 0))
    return SKIP_LINK.sub(f'<a href="#{heading[1]}" class="md-skip">', output, 1) if heading else output


def notebook_markup(page: str) -> str:
    """The notebook inside a built page: mkdocs-jupyter's .jupyter-wrapper <div>."""
    start = page.find(WRAPPER)
    return "" if start < 0 else page[start:page.find("<!-- jupyter-wrapper -->", start)]


def on_post_build(config, **kwargs):
    """The stylesheet, cut to the classes of every notebook page written to the site: also those that
    `mkdocs serve --dirty` did not render again this time."""
    if state["styles"]:
        check_plain_tokens(state["styles"], CSS_CACHE())
        site = Path(config["site_dir"])
        markup = "".join(notebook_markup(page.read_text(encoding="utf-8")) for page in site.glob("notebooks/*/index.html"))
        target = site / STYLESHEET
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cut_down(state["styles"], markup, CSS_CACHE()), encoding="utf-8")
