"""The built site as a reader's browser shows it: every page in headless Chromium, served from 127.0.0.1 only.

What a reader meets is checked in a real browser, on a desktop and on a phone: nothing is requested from
outside the site, nothing fails, every formula arrives typeset and is on screen, no page scrolls sideways,
code scrolls inside its own box, the copy buttons copy exactly the tested listings (and what they copy runs),
dark mode, the nav drawer and search work, notebook pages stay light, and axe-core finds no serious
accessibility problem.
"""

import dataclasses
import posixpath
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import tested_docs.browser as browser_support
from tested_docs.browser import AXE, PHONE, TUTORIAL, VARIANTS, BrowserUnavailable, Visitor, launch, open_every_page, page_path, published_url, site_pages, site_path
from tested_docs.checks import copied_page_problems, copied_page_script
from tested_docs.pages import listings, pages
from tested_docs.paths import ROOT, SNIPPETS, snippet_files
from tested_docs.runner import run_snippets, sibling_imports

ARTIFACTS = ROOT / "test-artifacts"
PAGES = [pytest.param(path, id=path or "home") for path in site_pages()]  # every page: Markdown, notebooks, 404
LISTING_PAGES = [md for md in pages() if listings(md)]
NOTEBOOK_PAGES = [path for path in site_pages() if path.startswith("notebooks/")]
SHOWN = ["light", "dark", "phone-light", "phone-dark"]  # the variants that lay the page out with its scripts
# Full-page screenshots for a person to look at (test-artifacts/): the tutorial and the longest notebook.
SCREENSHOTS = [page_path(TUTORIAL), "notebooks/training_loop/"]
NOTEBOOK_HTML_BUDGET = 100_000  # bytes of HTML a notebook page may weigh (issue 12)

# For each .arithmatex element: typeset (an SVG inside MathJax's container, every glyph it uses defined on the
# page); and anywhere outside code, no TeX delimiter left as text.
MATH_STATE = r"""() => {
  const problems = [];
  const formulas = [...document.querySelectorAll('.arithmatex')];
  for (const el of formulas) {
    const where = el.outerHTML.slice(0, 100);
    const svg = el.querySelector(':scope > mjx-container > svg');
    if (!svg) { problems.push('not typeset: ' + where); continue; }
    for (const use of svg.querySelectorAll('use')) {
      const ref = use.getAttribute('href') || use.getAttribute('xlink:href') || '';
      if (!document.getElementById(ref.slice(1))) problems.push(`glyph ${ref} is not on the page: ${where}`);
    }
  }
  const text = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = text.nextNode());) {
    if (!node.parentElement.closest('pre, code, script, style') && /\\[()[\]]/.test(node.data)) {
      problems.push('raw TeX in the text: ' + node.data.trim().slice(0, 100));
    }
  }
  return {count: formulas.length, problems};
}"""
# Whether the page fits the screen: every formula has a box and lies within the screen's width, the page
# does not scroll sideways, and every code block is shown in a box that scrolls (not cut off, not widening
# the page). Elements not displayed (no box: the search's templates, a closed drawer's) are left out.
LAYOUT_STATE = r"""() => {
  // The screen's width: on a phone, content wider than the screen also widens the layout (innerWidth grows).
  const problems = [], width = Math.min(window.innerWidth, screen.width);
  const shown = el => el.getClientRects().length > 0;
  const where = el => el.outerHTML.slice(0, 90);
  const offScreen = r => r.left < -0.5 || r.right > width + 0.5;
  if (Math.max(document.documentElement.scrollWidth, window.innerWidth) > width) {
    const wide = [...document.body.querySelectorAll('*')].filter(el => shown(el) && el.getBoundingClientRect().right > width + 0.5);
    problems.push(`the page scrolls sideways: ${Math.max(document.documentElement.scrollWidth, window.innerWidth)} px wide on a ${width} px screen`
      + (wide.length ? `, e.g. ${where(wide[wide.length - 1])}` : ''));
  }
  // The nearest box, el itself or one around it, on screen, that scrolls sideways (not the page itself).
  const scroller = el => {
    for (let box = el; box && box !== document.body; box = box.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX) && !offScreen(box.getBoundingClientRect())) return box;
    }
    return null;
  };
  for (const el of document.querySelectorAll('.arithmatex')) {
    const svg = el.querySelector('svg'), box = svg && svg.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) problems.push(`formula with an empty box: ${where(el)}`);
    // Wider than the screen: it must be reachable by scrolling a box of its own.
    else if (offScreen(box) && !scroller(svg)) problems.push(`formula cut off at the screen's edge: ${where(el)}`);
  }
  for (const pre of document.querySelectorAll('pre')) {
    if (!shown(pre)) continue;
    // mkdocs-material scrolls the <code> inside its <pre>; a notebook scrolls the <div> around it
    if (!scroller(pre.querySelector(':scope > code') || pre)) problems.push(`code not in a box on screen that scrolls: ${where(pre)}`);
  }
  return problems;
}"""
AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(result => result.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`))"""


@dataclass
class PageCheck:
    """What was found on one page opened one way (see VARIANTS); plain data, the page itself is closed."""

    urls: list  # every request, workers' included
    failures: list
    errors: list
    math: dict  # MATH_STATE's answer
    axe: list  # serious or critical violations (no scan without JavaScript)
    scheme: str  # the palette the page showed
    mathjax: str  # typeof window.MathJax
    layout: list  # LAYOUT_STATE's problems (SHOWN variants only)


@pytest.fixture(scope="module")
def page_checks(browser, site_url):
    """{(page, variant): PageCheck} for every page opened every way, all side by side: their loading and
    axe's scans overlap instead of queueing."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (or `make test`, which does)"
    opened, visits = open_every_page(browser, site_url)
    try:
        for (_, name), visit in visits.items():
            # networkidle: also what loads after the page, the search worker and its index (no JavaScript, no worker)
            visit.page.wait_for_load_state("load" if name == "no-js" else "networkidle")
        maths = {key: visit.page.evaluate(MATH_STATE) for key, visit in visits.items()}
        layouts = {key: visit.page.evaluate(LAYOUT_STATE) if key[1] in SHOWN else [] for key, visit in visits.items()}
        ARTIFACTS.mkdir(exist_ok=True)
        for (path, name), visit in visits.items():
            if path in SCREENSHOTS and name in SHOWN:
                stem = path.strip("/").replace("/", "-")
                visit.page.screenshot(path=ARTIFACTS / f"{stem}-{name if name.startswith('phone') else 'desktop-' + name}.png", full_page=True)
        for (_, name), visit in visits.items():
            if name != "no-js":  # axe-core came in as an init script (no request), parsed while the page loaded
                visit.page.evaluate(f"() => {{ window.axeScan = ({AXE_RUN})(); }}")  # started, not awaited
        return {
            key: PageCheck(
                visit.urls(), visit.failures, visit.errors, maths[key],
                [] if key[1] == "no-js" else visit.page.evaluate("window.axeScan"),
                scheme(visit.page), visit.page.evaluate("typeof window.MathJax"), layouts[key],
            )
            for key, visit in visits.items()
        }
    finally:
        opened.close()


@pytest.fixture
def visitor(browser, site_url):
    opened = Visitor(browser, site_url)
    yield opened
    opened.close()


def read_clipboard(page, timeout_s: float = 5.0) -> str:
    """The clipboard's text once a copy has landed (the copy button writes it asynchronously)."""
    deadline = time.monotonic() + timeout_s
    while not (text := page.evaluate("navigator.clipboard.readText()")) and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    return text


@pytest.fixture(scope="module")
def copied_listings(browser, site_url):
    """{docs page: what each Python listing's copy button put on the clipboard, in page order}."""
    opened = Visitor(browser, site_url)
    copied = {}
    try:
        for md in LISTING_PAGES:
            page = opened.open(page_path(md), permissions=["clipboard-read", "clipboard-write"]).page
            buttons = page.locator(".language-python button[data-md-type=copy]")
            copied[md] = []
            for k in range(buttons.count()):
                page.evaluate("navigator.clipboard.writeText('')")  # so a copy that did nothing cannot pass
                buttons.nth(k).click()
                copied[md].append(read_clipboard(page))
    finally:
        opened.close()
    return copied


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def test_missing_chromium_fails_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_support, "CHROMIUM", tmp_path / "chromium")
    with pytest.raises(BrowserUnavailable, match=r"apt-get install -y chromium"):
        launch(playwright=None)


def test_every_built_page_is_visited(built_site):
    """The pages come from mkdocs.yml's nav; the built site's sitemap.xml must list no other."""
    site, _ = built_site
    built = re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert sorted(url.removeprefix(published_url()) for url in built) == sorted(set(site_pages()) - {"404.html"})


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_only_from_the_site_without_errors(page_checks, site_url, path):
    for name in VARIANTS:
        check = page_checks[(path, name)]
        assert site_url + path in check.urls, f"{name}: the page's own request was not seen: {check.urls}"
        outside = [u for u in check.urls if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
        assert not outside, f"{name}: requests to outside the site (it must work offline and tell no third party): {outside}"
        assert not check.failures, f"{name}: failed requests: {check.failures}"
        assert not check.errors, f"{name}:\n" + "\n".join(check.errors)
        # The math was typeset at build time: no MathJax reaches the reader.
        assert not [u for u in check.urls if "mathjax" in u.lower()]
    assert page_checks[(path, "light")].mathjax == "undefined"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("variant", ["light", "no-js"])
def test_every_formula_is_typeset(page_checks, path, variant):
    """Without JavaScript too: the math comes typeset in the HTML, not from a script in the browser."""
    state = page_checks[(path, variant)].math
    assert not state["problems"], "\n".join(state["problems"])
    sources = [md.read_text(encoding="utf-8") for md in pages() if page_path(md) == path]
    if any("\\(" in text or "\\[" in text for text in sources):
        assert state["count"] > 0, "the page's source has math, but the browser found no .arithmatex element"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("variant", SHOWN)
def test_page_fits_the_screen(page_checks, path, variant):
    """On a desktop and on a 390 px phone: every formula has a box and is on screen, the page never scrolls
    sideways, and code too wide for the screen scrolls inside its own box."""
    problems = page_checks[(path, variant)].layout
    assert not problems, "\n".join(problems)


LAZY_IMAGE = re.compile(r'<img[^>]*\bloading="lazy"[^>]*\bsrc="([^"]+)"')


def received_at_load(site, path, check) -> int:
    """What a cold load of the page fetches from the site (plain files, no compression): the sizes of the
    built files it requested, each once, leaving out images marked loading="lazy". The browser fetches
    those when the reader scrolls near them, and sometimes while the page loads: counting them would make
    the figure depend on timing (test_notebook_figures_are_the_pages_png_files names what they weigh)."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    lazy = {posixpath.normpath(posixpath.join(site_path() + path, src)) for src in LAZY_IMAGE.findall(html)}
    paths = {urlsplit(url).path for url in check.urls if urlsplit(url).hostname == "127.0.0.1"} - lazy
    files = [site / p.removeprefix(site_path()) for p in paths]
    return sum((file / "index.html" if file.is_dir() else file).stat().st_size for file in files)


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_notebook_page_is_no_heavier_than_the_tutorial(built_site, page_checks, path):
    """A notebook page: at most 100 KB of HTML (mkdocs-jupyter's inline CSS made each 640-810 KB), and a cold
    load receives no more than the tutorial page's."""
    site = built_site[0]
    html = (site / path / "index.html").stat().st_size
    assert html <= NOTEBOOK_HTML_BUDGET, f"{path}: {html} bytes of HTML, over the {NOTEBOOK_HTML_BUDGET} budget"
    notebook, tutorial = (received_at_load(site, p, page_checks[(p, "light")]) for p in (path, page_path(TUTORIAL)))
    assert notebook <= tutorial, f"{path}: a cold load receives {notebook} bytes, the tutorial page {tutorial}"


def test_notebook_figures_are_the_pages_png_files(built_site):
    """A figure on a notebook page is the PNG file its tutorial page shows (fetched once for both, lazily),
    not a base64 copy inside the HTML; the bytes they add when scrolled to are these files'."""
    site = built_site[0]
    for path in NOTEBOOK_PAGES:
        html = (site / path / "index.html").read_text(encoding="utf-8")
        assert "data:image/png" not in html, f"{path}: a figure is still inlined"
        for src in LAZY_IMAGE.findall(html):
            assert (site / path / src).resolve().is_file() and "/images/" in "/" + posixpath.normpath(path + src), src


def test_nav_names_every_notebook_after_its_script(visitor):
    page = visitor.open("").page
    labels = page.locator(".md-nav--primary a.md-nav__link[href*='notebooks/']").all_text_contents()  # the section is collapsed
    assert [label.strip() for label in labels] == [path.name for path in snippet_files()]


def test_phone_nav_drawer_reaches_every_page(visitor, site_url):
    from playwright.sync_api import expect  # here: without Playwright the browser fixture says what to install

    page = visitor.open("", **PHONE).page
    page.locator("label.md-header__button[for=__drawer]").click()
    drawer = page.locator("nav.md-nav--primary")
    expected = {site_url + path for path in site_pages() if path != "404.html"}
    reached = set()
    for item in drawer.locator(":scope > ul > li").all():
        expect(item).to_be_in_viewport()  # the drawer slid in: the entry is on screen, not just in the markup
        link = item.locator(":scope > a.md-nav__link")  # the current page's entry shows a label for its contents instead
        if link.count():
            reached.add(link.evaluate("a => a.href"))
    drawer.locator("label.md-nav__link", has_text="Notebooks").click()
    notebooks = drawer.locator("a.md-nav__link[href*='notebooks/']")
    for link in notebooks.all():
        expect(link).to_be_in_viewport()  # the section slid in over the first level
        reached.add(link.evaluate("a => a.href"))
    assert reached == expected, f"missing from the drawer: {sorted(expected - reached)}; extra: {sorted(reached - expected)}"
    notebooks.last.click()
    last = snippet_files()[-1].name
    page.wait_for_url(f"**/notebooks/{Path(last).stem}/")
    page.wait_for_function("name => document.title.startsWith(name)", arg=last)  # its content arrived too


@pytest.mark.parametrize("md", LISTING_PAGES, ids=lambda md: md.name)
def test_copy_button_copies_exactly_the_listing(copied_listings, md):
    items, copied = listings(md), copied_listings[md]
    assert len(copied) == len(items), f"{md.name}: {len(items)} Python listings but {len(copied)} copy buttons"
    for item, text in zip(items, copied):
        # A copy leaves off the code's final line break, as copying from any editor does.
        assert text == item.code.rstrip("\n"), (
            f"{md.name}, listing at line {item.lineno}: the copy button copied\n{text}\n--- but the listing is\n{item.code}"
        )


def test_notebook_copy_buttons_copy_each_cell(built_site, visitor):
    """Each code cell's copy button copies that cell's source, as the downloadable .ipynb holds it (the hook
    points the button at the highlighted code instead of a hidden copy of it)."""
    import json

    problems = []
    for path in NOTEBOOK_PAGES:
        page = visitor.open(path, permissions=["clipboard-read", "clipboard-write"]).page
        notebook = json.loads(next((built_site[0] / path).glob("*.ipynb")).read_text(encoding="utf-8"))
        sources = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
        buttons = page.locator(".jupyter-wrapper clipboard-copy")
        if buttons.count() != len(sources):
            problems.append(f"{path}: {len(sources)} code cells but {buttons.count()} copy buttons")
            continue
        for k, source in enumerate(sources):
            page.evaluate("navigator.clipboard.writeText('')")
            buttons.nth(k).click()
            copied = read_clipboard(page)
            if copied.rstrip("\n") != source.rstrip("\n"):
                problems.append(f"{path}, cell {k + 1}: copied\n{copied}\n--- but the cell is\n{source}")
    assert not problems, "\n\n".join(problems)


@pytest.fixture(scope="module")
def copied_runs(copied_listings, reader_dir, tmp_path_factory):
    """{docs page: the one runner's run of what its copy buttons copied, in order, as one file}: all pages
    in one call of the runner, so they share its imports and run side by side."""
    folder = tmp_path_factory.mktemp("copied")
    scripts = {}
    for md in LISTING_PAGES:
        items = listings(md)
        copied = [dataclasses.replace(item, code=text) for item, text in zip(items, copied_listings[md])]
        script = folder / f"copied_{md.stem.replace('-', '_')}.py"
        script.write_text(copied_page_script(copied), encoding="utf-8")
        scripts[md] = script
        # The scripts a page tells the reader to save beside it (`from eager_model import ...`); nothing else.
        for sibling in {s for item in items for name in item.snippets for s in sibling_imports(SNIPPETS / name)}:
            shutil.copy(sibling, folder / sibling.name)
    runs = run_snippets(list(scripts.values()), reader_dir / "data", folder / "cache")
    return {md: runs[script.name] for md, script in scripts.items()}


@pytest.mark.parametrize("md", LISTING_PAGES, ids=lambda md: md.name)
def test_page_as_copied_runs_and_prints_what_it_shows(copied_runs, md):
    """What a reader copies from a page, in order, into one file runs in a fresh interpreter and each listing
    prints what the page shows under it (the one runner, the one comparator)."""
    problems = copied_page_problems(listings(md), copied_runs[md])
    assert not problems, "\n\n".join(problems)


def test_palette_toggle_switches_light_and_dark(visitor):
    visit = visitor.open(page_path(TUTORIAL), color_scheme="light")
    page, toggle = visit.page, visit.page.locator("form[data-md-component=palette] label:visible")
    ARTIFACTS.mkdir(exist_ok=True)
    assert scheme(page) == "default"
    page.screenshot(path=ARTIFACTS / "eager-mode-light.png", full_page=True)
    toggle.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.screenshot(path=ARTIFACTS / "eager-mode-dark.png", full_page=True)
    toggle.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert not visit.errors, "\n".join(visit.errors)


@pytest.mark.parametrize("screen", ["desktop", "phone-light", "phone-dark"])
def test_search_finds_flatten_and_leads_to_the_tutorial(visitor, screen):
    visit = visitor.open("", **VARIANTS.get(screen, {}))  # the home page
    page = visit.page
    page.evaluate("window.notReloaded = true")  # survives instant navigation, not a full page load
    if screen.startswith("phone"):  # the search box hides behind the header's search button
        page.locator("label.md-header__button[for=__search]").click()
    page.locator("input.md-search__input").press_sequentially("Flatten")
    hits = page.locator(f".md-search-result__item a[href*='{page_path(TUTORIAL)}']")
    hits.first.wait_for()
    assert "flatten" in page.locator(".md-search-result__list mark").all_inner_texts()[0].lower()
    hits.first.click()
    title = re.search(r"^# (.+)$", TUTORIAL.read_text(encoding="utf-8"), re.MULTILINE)[1]
    page.wait_for_function("title => document.title.startsWith(title)", arg=title)  # the tutorial is shown
    assert page.evaluate("window.notReloaded === true"), "the result loaded a new page instead of navigating instantly"
    state = page.evaluate(MATH_STATE)  # math arrives typeset after instant navigation too
    assert state["count"] > 0 and not state["problems"], state["problems"]
    assert not visit.errors, "\n".join(visit.errors)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(page_checks, path, color_scheme):
    check = page_checks[(path, color_scheme)]
    # The palette follows the reader's system setting, so the scan saw the page in this scheme.
    assert check.scheme == {"light": "default", "dark": "slate"}[color_scheme]
    assert not check.axe, "\n".join(check.axe)
