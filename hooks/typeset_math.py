"""MkDocs hook: replace the TeX that pymdownx.arithmatex leaves in each page with SVG typeset by MathJax.

The site then ships finished math: no MathJax JavaScript, no fonts, nothing typeset in the reader's browser.
MathJax itself runs in Node.js (hooks/typeset_math.js), from the version pinned in package-lock.json.
"""

import hashlib
import html
import json
import os
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

from tested_docs.paths import cache_dir

SCRIPT = Path(__file__).with_suffix(".js")
LOCK = SCRIPT.parent.parent / "package-lock.json"
# arithmatex (generic mode) wraps inline math as <span class="arithmatex">\(...\)</span>
# and display math as <div class="arithmatex">\[...\]</div>.
MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<open>\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])</(?P=tag)>',
    re.DOTALL,
)


class MathTypesetError(PluginError):  # mkdocs prints its message, without a traceback
    pass


def typeset(formulas: list[tuple[str, bool]]) -> tuple[list[str], str]:
    """SVG markup for each (tex, display) pair, and the glyph definitions they share, from one Node.js process;
    cached by the formulas, this hook's script and the MathJax pinned in package-lock.json (a rebuild of
    unchanged math starts no Node.js)."""
    request = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    key = hashlib.sha256(b"\0".join([request.encode(), SCRIPT.read_bytes(), LOCK.read_bytes()])).hexdigest()[:20]
    cached = cache_dir() / "math" / f"{key}.json"
    if cached.is_file():
        try:
            found = json.loads(cached.read_text(encoding="utf-8"))
            return found["formulas"], found["glyphs"]
        except (ValueError, KeyError):  # a damaged entry: typeset again
            pass
    try:
        done = subprocess.run(
            ["node", str(SCRIPT)], input=request, capture_output=True, text=True, cwd=SCRIPT.parent.parent
        )
    except FileNotFoundError:
        raise MathTypesetError("Node.js is needed to typeset the math: install node (18 or newer), then `npm ci`.")
    if done.returncode != 0:
        hint = " Run `npm ci` first." if "Cannot find module" in done.stderr else ""
        raise MathTypesetError(f"MathJax could not typeset this page's math.{hint}\n{done.stderr.strip()}")
    typeset = json.loads(done.stdout)
    cached.parent.mkdir(parents=True, exist_ok=True)
    staged = cached.with_suffix(f".{os.getpid()}.part")
    staged.write_text(done.stdout, encoding="utf-8")
    os.replace(staged, cached)  # whole, or not at all
    return typeset["formulas"], typeset["glyphs"]


def on_page_content(content, page, **kwargs):
    found = list(MATH.finditer(content))
    if not found:
        return content
    formulas = [(html.unescape(m["tex"]).strip(), m["open"] == "\\[") for m in found]
    try:
        svgs, glyphs = typeset(formulas)
        svgs = iter(svgs)
    except MathTypesetError as error:
        raise MathTypesetError(f"{page.file.src_path}: {error}") from None
    # The glyphs go with the page's content, so instant navigation brings each page's own along.
    return MATH.sub(lambda m: f'<{m["tag"]} class="arithmatex">{next(svgs)}</{m["tag"]}>', content) + glyphs
