"""A built page read as plain HTML, for the checks that need no browser (tests/test_site_pages.py): what it
loads and from where, its formulas, its listings as the copy button copies them, its outputs, its links and
what a cold load of it weighs. Standard library only (html.parser)."""

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Elements that make the browser fetch something, and the attributes that name it (a link's href is a
# reference the reader may follow, not a load).
LOADS = {"script": ["src"], "img": ["src", "srcset"], "iframe": ["src"], "source": ["src", "srcset"],
         "video": ["src", "poster"], "audio": ["src"], "embed": ["src"], "object": ["data"], "track": ["src"],
         "image": ["href", "xlink:href"], "use": ["href", "xlink:href"], "input": ["src"]}
LOADING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")
URL_IN_SCRIPT = re.compile(r"""['"`](?:https?:)?//(?!www\.w3\.org/)[^'"`\s]+""")  # an SVG namespace is no request
TEX = re.compile(r"\\[()\[\]]")
# Not part of a page's main flow: what the reader opens only if they want it (<details>), code and outputs
# (counted as listings), what is not text, and the math (a formula is not words). Nor the "Verified on" line
# under the title (class verified-on): its length depends on which test records the build found.
OUT_OF_FLOW = {"details", "pre", "code", "script", "style", "svg", "mjx-container"}
WORD = re.compile(r"[^\W_][\w'’.-]*")  # a word: starts with a letter or digit ("lr", "3.5", "don't")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    classes: set
    parent: "Element | None"
    text: list = field(default_factory=list)  # the text inside, nested elements' included

    def inside(self, tag: str, cls: str | None = None) -> bool:
        node = self.parent
        while node is not None:
            if node.tag == tag and (cls is None or cls in node.classes):
                return True
            node = node.parent
        return False


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.visible: list[str] = []  # text outside <script>, <style>, <pre> and <code>
        self.flow: list[str] = []  # the article's text outside OUT_OF_FLOW (and its headings' permalink signs)

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        element = Element(tag, attrs, set(attrs.get("class", "").split()), self.open[-1] if self.open else None)
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1].tag == tag and tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k].tag == tag:
                del self.open[k:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text.append(data)
        if not any(e.tag in ("script", "style", "pre", "code") for e in self.open):
            self.visible.append(data)
        if (any(e.tag == "article" for e in self.open) and not any(e.tag in OUT_OF_FLOW for e in self.open)
                and not any({"headerlink", "verified-on"} & e.classes for e in self.open)):
            self.flow.append(data)


class BuiltPage:
    """One page of the built site: `path` is its URL path from the site root ('', 'eager-mode/', '404.html')."""

    def __init__(self, site: Path, path: str, site_root: str = "/"):
        self.site, self.path, self.site_root = Path(site), path, site_root  # site_root: the published path, e.g. /deep-notes/
        self.file = self.site / path / "index.html" if not path.endswith(".html") else self.site / path
        self.markup = self.file.read_text(encoding="utf-8")
        reader = _Reader()
        reader.feed(self.markup)
        self.elements = reader.elements
        self.visible_text = "".join(reader.visible)
        self.flow_text = "".join(reader.flow)
        self.ids = {e.attrs["id"] for e in self.elements if "id" in e.attrs}

    def find(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and (cls is None or cls in e.classes)]

    # ------------------------------------------------------------ what it loads
    def loads(self) -> list[tuple[str, str]]:
        """(what, URL) for everything the HTML makes a browser fetch: elements' sources, stylesheets and icons."""
        found = []
        for e in self.elements:
            for name in LOADS.get(e.tag, []):
                for url in re.split(r",\s*", e.attrs.get(name, "")) if "srcset" in name else [e.attrs.get(name, "")]:
                    if url.strip():
                        found.append((f"<{e.tag} {name}>", url.strip().split()[0]))
            if e.tag == "link" and LOADING_LINKS & set(e.attrs.get("rel", "").lower().split()) and e.attrs.get("href"):
                found.append((f"<link rel={e.attrs['rel']}>", e.attrs["href"]))
            if "style" in e.attrs:
                found += [("style attribute", a or b) for a, b in CSS_URL.findall(e.attrs["style"])]
        for e in self.find("style"):
            found += [("<style>", a or b) for a, b in CSS_URL.findall("".join(e.text))]
        return found

    def inline_script_urls(self) -> list[str]:
        return [m for e in self.find("script") if "src" not in e.attrs for m in URL_IN_SCRIPT.findall("".join(e.text))]

    def local_file(self, url: str) -> Path | None:
        """The built file a site-internal URL names (None: outside the site, or a data:/blob: URL)."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("#") or not parts.path:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):  # absolute: the 404 page links under the path the site is published at
            if not path.startswith(self.site_root):
                return self.site / ".." / "outside-the-published-path" / path.lstrip("/")  # never a site file
            return self.site / path.removeprefix(self.site_root)
        base = posixpath.dirname(self.path) if self.path.endswith(".html") else self.path.rstrip("/")
        target = posixpath.normpath(posixpath.join("/" + base, path))
        if target.startswith("/.."):  # climbs out of the site
            return self.site / ".." / "outside-the-site" / target.lstrip("/")
        return self.site / target.lstrip("/")

    def stylesheets(self) -> list[Path]:
        return [f for what, url in self.loads() if "stylesheet" in what and (f := self.local_file(url))]

    # ------------------------------------------------------------ what it shows
    def listings(self) -> list[str]:
        """Each Python listing's code as its copy button copies it: the <code>'s text, less the final line break."""
        return ["".join(code.text).rstrip("\n") for code in self.find("code")
                if code.parent is not None and code.parent.tag == "pre" and code.inside("div", "language-python")]

    def main_flow(self) -> tuple[int, int]:
        """(words, listings) of what a first reading reads: the article's prose outside folded blocks
        (<details>), code and math, and its Python listings outside folded blocks. Inline code counts as prose."""
        words = len(WORD.findall(self.flow_text)) + sum(
            len(WORD.findall("".join(c.text))) for c in self.find("code")
            if c.parent is not None and c.parent.tag != "pre" and c.inside("article") and not c.inside("details")
            and not c.inside("p", "verified-on"))
        listings = sum(1 for c in self.find("code") if c.parent is not None and c.parent.tag == "pre"
                       and c.inside("div", "language-python") and not c.inside("details"))
        return words, listings

    def text_blocks(self) -> list[str]:
        return ["".join(code.text) for code in self.find("code")
                if code.parent is not None and code.parent.tag == "pre" and code.inside("div", "language-text")]

    def formulas(self) -> list[Element]:
        return [e for e in self.elements if "arithmatex" in e.classes]

    def links(self) -> list[str]:
        return [e.attrs["href"] for e in self.find("a") if e.attrs.get("href")]

    def load_bytes(self, lazy_images: bool = False) -> int:
        """What a cold load fetches from the site, plain files, each once: the HTML, its stylesheets, scripts,
        icons and images (images marked loading="lazy" only when asked: the browser fetches them on scroll)."""
        lazy = {e.attrs.get("src") for e in self.find("img") if e.attrs.get("loading") == "lazy"}
        files = {self.file} | {f for _, url in self.loads() if (lazy_images or url not in lazy)
                               and (f := self.local_file(url)) and f.is_file()}
        return sum(f.stat().st_size for f in files)
