"""The built site as a reader's browser gets it: served by a plain static server on 127.0.0.1, opened in the
Debian build of headless Chromium driven by Playwright. Shared by tests/test_browser.py and benchmarks/page.py.
"""

import contextlib
import functools
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .config import mkdocs_config
from .paths import DOCS, snippet_files

CHROMIUM = Path("/usr/bin/chromium")
# --headless: no display on CI; --no-sandbox: the sandbox cannot start as root in a container;
# --disable-gpu: no GPU here; the last three stop Chromium's own calls home (updates, field trials),
# so every request the browser makes comes from the page under test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TUTORIAL = DOCS / "eager-mode.md"


class BrowserUnavailable(RuntimeError):
    pass


def launch(playwright):
    """Headless Chromium from /usr/bin/chromium; never a browser that Playwright downloads."""
    if not CHROMIUM.exists():
        raise BrowserUnavailable(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need it. "
            "Install it with `apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this), then rerun. "
            "Do not run `playwright install`: the tests use the system's Chromium."
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def start_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserUnavailable("Playwright for Python is missing: `pip install -c .ci/constraints.txt -e '.[test]'`.")
    return sync_playwright().start()


def published_url() -> str:
    """The site's site_url from mkdocs.yml, e.g. 'https://example.invalid/deep-notes/'."""
    return mkdocs_config()["site_url"]


def site_path() -> str:
    """The path the site is published under, e.g. '/deep-notes/': 404.html links to it absolutely."""
    return urlsplit(published_url()).path.rstrip("/") + "/"


def page_path(source) -> str:
    """A page's URL relative to the site root, from its source file (absolute, or relative to docs/), as mkdocs
    makes it with directory URLs: index.md -> '', eager-mode.md -> 'eager-mode/', notebooks/x.ipynb -> 'notebooks/x/'."""
    rel = Path(source)
    rel = (rel.relative_to(DOCS) if rel.is_absolute() else rel).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "index" else rel.parts
    return "".join(f"{part}/" for part in parts)


def _sources(nav):
    for item in nav:
        entries = item.values() if isinstance(item, dict) else [item]
        for entry in entries:
            if isinstance(entry, list):
                yield from _sources(entry)
            elif "://" not in entry:  # not an external link
                yield entry


def site_pages() -> list[str]:
    """The URL path of every page of the site: each page in mkdocs.yml's nav, the notebook page of every snippet
    (hooks/snippet_runs.py adds them to the nav), and the 404 page."""
    from .learning_path import notebook_order

    nav = mkdocs_config()["nav"]
    notebooks = [f"notebooks/{path.stem}.ipynb" for path in notebook_order(nav, DOCS, snippet_files())]
    return [page_path(source) for source in [*_sources(nav), *notebooks]] + ["404.html"]


class _SiteHandler(SimpleHTTPRequestHandler):
    """Plain static files, except that sitemap.xml names the URL the site is served at.

    mkdocs-material's instant navigation only takes over links to pages listed in sitemap.xml, matching
    their host and port; the sitemap names site_url, the address the site is published at. Serving it
    here as if it had been built for this address lets instant navigation work as it does once published.
    """

    served_url = ""

    def do_GET(self):
        if urlsplit(self.path).path != site_path() + "sitemap.xml":
            return super().do_GET()
        sitemap = Path(self.translate_path(self.path)).read_text(encoding="utf-8")
        body = sitemap.replace(published_url(), self.served_url).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # one line per request would drown the test output
        pass


@contextlib.contextmanager
def serve(site: Path):
    """Serve the built site at http://127.0.0.1:<free port><site_path()>, as plain files without compression;
    yield that URL."""
    with tempfile.TemporaryDirectory() as root:
        served = Path(root)
        if site_path() != "/":  # mount the site under its published path, as its host will
            mount = served / site_path().strip("/")
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(Path(site).resolve(), target_is_directory=True)
        else:
            served = Path(site)
        handler = type("Handler", (_SiteHandler,), {})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(served)))
        handler.served_url = f"http://127.0.0.1:{server.server_address[1]}{site_path()}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield handler.served_url
        finally:
            server.shutdown()
            server.server_close()


AXE = DOCS.parent / "node_modules" / "axe-core" / "axe.min.js"
# A phone as Chromium's device emulation has it: a 390 x 844 screen, touch, 2 device pixels per CSS pixel.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# Each page is opened five ways for the per-page checks (tests/test_browser.py); a desktop is 1280 x 720.
VARIANTS = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "no-js": {"java_script_enabled": False},
    "phone-light": {"color_scheme": "light", **PHONE},
    "phone-dark": {"color_scheme": "dark", **PHONE},
}


@dataclass
class Visit:
    """An open page and everything its browser context did: requests, failed requests, console errors."""

    page: object
    requests: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def urls(self) -> list[str]:
        return [request.url for request in self.requests]


class Visitor:
    """Opens pages of the served site, each in a fresh browser context (own cache, storage and clipboard)."""

    def __init__(self, browser, site_url):
        self.browser, self.site_url, self.contexts = browser, site_url, []

    def open(self, path: str, wait_until: str = "load", **context_options) -> Visit:
        visit = self.start(path, **context_options)
        visit.page.wait_for_load_state(wait_until)
        return visit

    def start(self, path: str, init_script: Path | None = None, **context_options) -> Visit:
        """Start loading the page and return at once: pages started together load side by side.
        `init_script` runs in the page before its own scripts (axe-core: parsed while the page loads)."""
        context = self.browser.new_context(**context_options)
        if init_script:
            context.add_init_script(path=init_script)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        visit = Visit(context.new_page())
        context.on("request", lambda r: visit.requests.append(r))  # worker requests (search index) included
        context.on("requestfailed", lambda r: visit.failures.append(f"{r.url}: {r.failure}"))
        context.on("response", lambda r: r.status >= 400 and visit.failures.append(f"{r.url}: HTTP {r.status}"))
        context.on("console", lambda m: m.type == "error" and visit.errors.append(f"console: {m.text} {m.location}"))
        visit.page.on("pageerror", lambda error: visit.errors.append(f"uncaught: {error}"))
        visit.page.goto(self.site_url + path, wait_until="commit")
        return visit

    def close(self):
        for context in self.contexts:
            context.close()
        self.contexts.clear()  # closing twice is harmless


def open_every_page(browser, site_url) -> tuple["Visitor", dict]:
    """Start loading every page every way (VARIANTS) and return at once: (the visitor, {(page, variant): Visit})."""
    opened = Visitor(browser, site_url)
    return opened, {
        (path, name): opened.start(path, init_script=None if name == "no-js" else AXE, **options)
        for path in site_pages()
        for name, options in VARIANTS.items()
    }
