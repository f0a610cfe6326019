"""`make bench-page`: what a reader's browser receives for the tutorial page and for the heaviest notebook
page, how soon the tutorial's math is typeset, and each tutorial page's main flow (words and listings).

Builds the site, serves it on 127.0.0.1 with a plain static server (Python's http.server: no compression)
and opens each page in headless Chromium several times, each in a fresh browser context (cold cache).
Prints the bytes received by type and the time from navigation start until every formula is typeset:
median, min and max. Budgets: the tutorial at most 700 KB and 0.5 s on a 2-core machine, aim 400 KB and
0.1 s (issue 3); a notebook page at most 120 KB of HTML (100 KB in issue 12; raised when the autograd script gained its
two figures' drawing code) and no more bytes than the tutorial (issue 12).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]

from tested_docs.browser import TUTORIAL, BrowserUnavailable, launch, page_path, serve, site_pages, start_playwright
from tested_docs.built_pages import BuiltPage

KINDS = ["HTML", "CSS", "JS", "fonts", "search index", "other"]
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
# performance.now() (ms since navigation start) at which the last formula of the page was in the DOM typeset
# (an SVG in its .arithmatex element). Each formula is stamped when a DOM change first shows it typeset; the
# answer is known once the document is parsed and every formula is, so math typeset by a script in the page
# would be timed the same way as math that arrives typeset in the HTML.
TYPESET_CLOCK = """
const typesetAt = new Map();
const stamp = () => {
  const now = performance.now();
  for (const el of document.querySelectorAll('.arithmatex')) {
    if (!typesetAt.has(el) && el.querySelector('mjx-container svg')) typesetAt.set(el, now);
  }
};
window.mathTypesetAt = new Promise(resolve => {
  const finish = () => {
    const formulas = [...document.querySelectorAll('.arithmatex')];
    const done = document.readyState !== 'loading' && formulas.length > 0 && formulas.every(el => typesetAt.has(el));
    if (done) resolve(Math.max(...formulas.map(el => typesetAt.get(el))));
    return done;
  };
  const observer = new MutationObserver(() => { stamp(); if (finish()) observer.disconnect(); });
  observer.observe(document, {childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', () => { stamp(); if (finish()) observer.disconnect(); });
});
"""
TIMINGS = """() => ({
  dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventStart,
  fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  load: performance.getEntriesByType('navigation')[0].loadEventEnd,
})"""


def kind(request) -> str:
    path = urlsplit(request.url).path
    if path.endswith("/search_index.json"):
        return "search index"
    if request.resource_type == "document":
        return "HTML"
    if path.endswith(".css"):
        return "CSS"
    if path.endswith((".js", ".mjs")):
        return "JS"
    if path.endswith(FONT_SUFFIXES) or request.resource_type == "font":
        return "fonts"
    return "other"


def build_site(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )
    if done.returncode != 0:
        sys.exit(f"the site did not build:\n{done.stderr}")


def measure(browser, url: str, math: bool = True) -> tuple[dict[str, int], dict[str, float], list[tuple[str, int]]]:
    """One cold load: (bytes by kind, {event: ms from navigation start}, [(path, bytes)]); the math clock
    only on a page with math."""
    context = browser.new_context()  # a fresh context has an empty HTTP cache
    received = []
    context.on("requestfinished", lambda request: received.append(request))
    page = context.new_page()
    page.add_init_script(TYPESET_CLOCK)
    page.goto(url, wait_until="networkidle")  # networkidle: the search worker's index has arrived too
    times = {**({"math": page.evaluate("window.mathTypesetAt")} if math else {}), **page.evaluate(TIMINGS)}
    by_kind, files = Counter(), []
    for request in received:
        size = len(request.response().body()) + request.sizes()["responseHeadersSize"]
        by_kind[kind(request)] += size
        files.append((urlsplit(request.url).path, size))
    context.close()
    return dict(by_kind), times, files


EVENTS = {
    "math": "all math typeset in the DOM",
    "dcl": "DOMContentLoaded",
    "fcp": "first contentful paint",
    "load": "load event end",
}


def spread(values) -> str:
    return f"median {statistics.median(values):7.1f}   min {min(values):7.1f}   max {max(values):7.1f}"


def report(url: str, results, budget: str) -> None:
    totals = [sum(by_kind.values()) for by_kind, *_ in results]
    print(f"\n{url}: {len(results)} cold loads")
    print("received (body + response headers; 1 KB = 1000 bytes), median of the runs:")
    for name in KINDS:
        print(f"  {name:<13} {statistics.median(r[0].get(name, 0) for r in results) / 1000:8.1f} KB")
    print(f"  {'total':<13} {statistics.median(totals) / 1000:8.1f} KB   ({budget})")
    if min(totals) != max(totals):
        print(f"  (the total varied between runs: {min(totals)} to {max(totals)} bytes)")
    print("files received (first run):")
    for path, size in sorted(results[0][2], key=lambda item: -item[1]):
        print(f"  {size / 1000:8.1f} KB  {path}")
    print("ms from navigation start:")
    for key, label in EVENTS.items():
        if key in results[0][1]:
            print(f"  {label:<30} {spread([r[1][key] for r in results])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold page loads to measure per page (default 5)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(site)
        notebooks = sorted((site / "notebooks").glob("*/index.html"), key=lambda html: html.stat().st_size)
        notebook = notebooks[-1].parent.relative_to(site).as_posix() + "/"
        try:
            playwright = start_playwright()
            browser = launch(playwright)
        except BrowserUnavailable as error:
            print(error, file=sys.stderr)
            return 1
        version = browser.version
        try:
            with serve(site) as base:
                tutorial = [measure(browser, base + page_path(TUTORIAL)) for _ in range(runs)]
                heaviest = [measure(browser, base + notebook, math=False) for _ in range(runs)]
        finally:
            browser.close()
            playwright.stop()
        html_sizes = {path.parent.name: path.stat().st_size for path in notebooks}
        measured = {path: BuiltPage(site, path).main_flow() for path in site_pages()
                    if path.endswith("/") and not path.startswith("notebooks/")}
        flows = {path: flow for path, flow in measured.items() if flow[1]}  # the pages with listings

    print(f"headless Chromium {version}, plain http.server (no compression); {os.cpu_count()} CPU cores")
    report("/" + page_path(TUTORIAL), tutorial, "budget 700 KB, aim 400 KB")
    print("  (math budget 500 ms, aim 100 ms)")
    report("/" + notebook + " (the heaviest notebook page)", heaviest, "budget: no more than the tutorial")
    print("\nHTML of each notebook page (budget 120 KB):")
    for name, size in html_sizes.items():
        print(f"  {size / 1000:8.1f} KB  notebooks/{name}/")
    print("\nMain flow of each tutorial page, outside folded blocks (limits 1800 words, 20 listings; tests/test_site_pages.py):")
    for path, (words, listings) in flows.items():
        print(f"  {words:5} words  {listings:3} listings  /{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
