"""The built site in a real browser, only where a browser alone can tell (every page's HTML is checked without
one in tests/test_site_pages.py). Marked `browser`: `pytest -m browser` runs these alone, `-m "not browser"`
the rest.

- Once per template (home, a tutorial page, a notebook page, 404), on a desktop in light and dark and on a
  phone: nothing is requested from outside the site, nothing fails, no script error; axe-core finds no
  serious or critical problem (light and dark); the copy buttons copy their code (tutorial and notebook).
- On every tutorial page, at 1280 px and on a 390 px phone, with every folded block open: every formula has a
  box on screen, the page never scrolls sideways, and code too wide scrolls inside its own box; at 1280 px no
  Python listing is wider than its box (the end-of-line comments teach); on the phone no text is under 12 px,
  measured as Lighthouse's legible-font audit measures it.
- Once: the palette toggle, search (desktop and phone), the phone's nav drawer, the notebooks' nav labels.
"""

import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import tested_docs.browser as browser_support
from tested_docs.browser import AXE, PHONE, BrowserUnavailable, Visitor, launch, page_path, site_pages
from tested_docs.built_pages import BuiltPage
from tested_docs.pages import listings, pages
from tested_docs.paths import ROOT, snippet_files
from tested_docs.runner import sibling_imports

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
TUTORIALS = [page_path(md) for md in pages() if listings(md)]  # every page with listings, in file order
NAV = [path for path in site_pages() if not path.startswith("notebooks/") and path != "404.html"]
# The templates, each by its smallest page: what is checked once per template is the template's (its scripts,
# axe's scan of its markup), and the smallest page costs the least to scan. Every tutorial page's own layout is
# checked on both screens; every page's own markup, without a browser (tests/test_site_pages.py).
TEMPLATES = {
    "home": "",
    "tutorial": min(TUTORIALS, key=lambda path: next(md for md in pages() if page_path(md) == path).stat().st_size),
    # the smallest script that imports another: its notebook has a %%writefile cell too
    "notebook": f"notebooks/{min((p for p in snippet_files() if sibling_imports(p)), key=lambda p: p.stat().st_size).stem}/",
    "404": "404.html",
}
DESKTOP_LIGHT, DESKTOP_DARK, PHONE_LIGHT = "desktop-light", "desktop-dark", "phone-light"
VARIANTS = {DESKTOP_LIGHT: {"color_scheme": "light"}, DESKTOP_DARK: {"color_scheme": "dark"},
            PHONE_LIGHT: {"color_scheme": "light", **PHONE}}
# Every page laid out on both screens; the templates also in dark (axe's colour contrast), with axe.
LAID_OUT = sorted(set(NAV) | set(TUTORIALS) | set(TEMPLATES.values()), key=lambda p: site_pages().index(p))
VISITS = ([(path, v) for path in LAID_OUT for v in (DESKTOP_LIGHT, PHONE_LIGHT)]
          + [(path, DESKTOP_DARK) for path in TEMPLATES.values()])
AXED = {(path, v) for path in TEMPLATES.values() for v in (DESKTOP_LIGHT, DESKTOP_DARK)}


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
# Every folded block opened, so that what is inside is laid out and checked like the rest.
OPEN_FOLDS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
# Python listings wider than their box: the reader would scroll sideways to read the end of a line (and the
# comment there that does the teaching). Each with its widest line.
WIDE_LISTINGS = r"""() => [...document.querySelectorAll('div.language-python pre > code')]
  .filter(code => code.getClientRects().length > 0 && code.scrollWidth > code.clientWidth + 1)
  .map(code => {
    const widest = code.textContent.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
    return `${code.scrollWidth} px of code in a ${code.clientWidth} px box; its widest line (${widest.length} characters): ${widest.trim().slice(0, 100)}`;
  })"""
# What each Python listing's copy button copies, as mkdocs-material's copy handler takes it: the innerText of
# the button's data-clipboard-target, marked data-md-copying while read (its CSS hides annotations then), end
# trimmed. No clicks: clicking is proven once, on the tutorial template (test_tutorial_copy_buttons_...).
COPY_TEXTS = """() => [...document.querySelectorAll('.language-python button[data-md-type=copy]')].map(button => {
  const target = document.querySelector(button.getAttribute('data-clipboard-target'));
  if (!target) return null;
  target.setAttribute('data-md-copying', '');
  const text = target.innerText;
  target.removeAttribute('data-md-copying');
  return text.trimEnd();
})"""
AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(result => result.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`))"""


def legible_text(page) -> dict:
    """Lighthouse's legible-font measure, computed as its font-size gatherer does (lighthouse 12,
    core/gather/gatherers/seo/font-size.js): over Chromium's layout text boxes (DOMSnapshot), characters of
    trimmed text, hidden text left out; the share at 12 px or more, and what is smaller. Like Lighthouse, it
    counts a multi-line text node once per line box, so a long <pre> weighs more than its characters."""
    snapshot = page.context.new_cdp_session(page).send(
        "DOMSnapshot.captureSnapshot", {"computedStyles": ["font-size", "visibility"]})
    strings, sizes = snapshot["strings"], {}
    for doc in snapshot["documents"]:
        layout, nodes = doc["layout"], doc["nodes"]
        for box in doc["textBoxes"]["layoutIndex"]:
            text = strings[layout["text"][box]] if layout["text"][box] >= 0 else ""
            size, visibility = (strings[k] for k in layout["styles"][box])
            if text and visibility != "hidden":
                parent = strings[nodes["nodeName"][nodes["parentIndex"][layout["nodeIndex"][box]]]].lower()
                key = (float(size.removesuffix("px")), parent)
                sizes[key] = sizes.get(key, 0) + len(text.strip())
    total = sum(sizes.values()) or 1
    small = sorted(((n, k) for k, n in sizes.items() if k[0] < 12), reverse=True)[:5]
    return {"share": sum(n for k, n in sizes.items() if k[0] >= 12) / total,
            "small": [f"{k[0]} px in <{k[1]}>: {n / total:.0%}" for n, k in small]}


def wanted_visits(session) -> list:
    """The visits the selected tests read (`pytest -k autograd` opens only the autograd page's)."""
    wanted = set()
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "visits" not in getattr(item, "fixturenames", []):
            continue
        if "template" in params:
            wanted.add((TEMPLATES[params["template"]], params["variant"]))
        elif "path" in params:
            wanted.add((params["path"], params.get("variant", DESKTOP_LIGHT)))
    return [key for key in VISITS if key in wanted]


@pytest.fixture(scope="module")
def visits(request, browser, site_url):
    """{(page, variant): what the browser found}, every visit the selected tests read started at once, so that
    their loading and axe's scans overlap instead of queueing."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (or `make test`, which does)"
    opened = Visitor(browser, site_url)
    started = {key: opened.start(key[0], init_script=AXE if key in AXED else None, **VARIANTS[key[1]])
               for key in wanted_visits(request.session)}
    try:
        for key, visit in started.items():
            # a template's visits: also what loads after the page (the search worker and its index); layout: the page
            visit.page.wait_for_load_state("networkidle" if key[0] in TEMPLATES.values() else "load")
        for key, visit in started.items():
            if key in AXED:  # axe-core came in as an init script (no request), parsed while the page loaded
                visit.page.evaluate(f"() => {{ window.axeScan = ({AXE_RUN})(); }}")  # started, not awaited
        found = {}
        for key, visit in started.items():
            # awaited before the folds open: the scan sees the page as loaded, folds closed
            axe = visit.page.evaluate("window.axeScan") if key in AXED else None
            visit.page.evaluate(OPEN_FOLDS)
            found[key] = {
                "urls": visit.urls(), "failures": visit.failures, "errors": visit.errors,
                "layout": visit.page.evaluate(LAYOUT_STATE),
                "wide": visit.page.evaluate(WIDE_LISTINGS),
                "legible": legible_text(visit.page),
                "copies": visit.page.evaluate(COPY_TEXTS) if key[0] in TUTORIALS and key[1] == DESKTOP_LIGHT else None,
                "scheme": visit.page.evaluate("document.body.getAttribute('data-md-color-scheme')"),
                "axe": axe,
            }
        ARTIFACTS.mkdir(exist_ok=True)
        for key in [k for k in [(TEMPLATES["tutorial"], v) for v in VARIANTS] + [(TEMPLATES["notebook"], PHONE_LIGHT)] if k in started]:
            stem = key[0].strip("/").replace("/", "-")
            started[key].page.screenshot(path=ARTIFACTS / f"{stem}-{key[1]}.png", full_page=True)
        return found
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


def clicked_copies(page, buttons) -> list[str]:
    copied = []
    for k in range(buttons.count()):
        page.evaluate("navigator.clipboard.writeText('')")  # so a copy that did nothing cannot pass
        buttons.nth(k).click()
        copied.append(read_clipboard(page))
    return copied


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def test_missing_chromium_fails_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_support, "CHROMIUM", tmp_path / "chromium")
    with pytest.raises(BrowserUnavailable, match=r"apt-get install -y chromium"):
        launch(playwright=None)


@pytest.mark.parametrize("template, variant", [(t, v) for t in TEMPLATES for v in VARIANTS], ids=lambda x: x)
def test_template_loads_only_from_the_site_without_errors(visits, site_url, template, variant):
    check = visits[(TEMPLATES[template], variant)]
    assert site_url + TEMPLATES[template] in check["urls"], f"the page's own request was not seen: {check['urls']}"
    outside = [u for u in check["urls"] if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, f"requests to outside the site (it must work offline and tell no third party): {outside}"
    assert not check["failures"], f"failed requests: {check['failures']}"
    assert not check["errors"], "\n".join(check["errors"])
    assert not [u for u in check["urls"] if "mathjax" in u.lower()], "math is typeset at build time: no MathJax"


@pytest.mark.parametrize("template, variant", [(t, v) for t in TEMPLATES for v in (DESKTOP_LIGHT, DESKTOP_DARK)], ids=lambda x: x)
def test_axe_finds_no_serious_or_critical_violation(visits, template, variant):
    check = visits[(TEMPLATES[template], variant)]
    # The palette follows the reader's system setting, so the scan saw the page in this scheme.
    assert check["scheme"] == {DESKTOP_LIGHT: "default", DESKTOP_DARK: "slate"}[variant]
    assert not check["axe"], "\n".join(check["axe"])


@pytest.mark.parametrize("path, variant", [(p, v) for p in LAID_OUT for v in (DESKTOP_LIGHT, PHONE_LIGHT)],
                         ids=lambda x: x.rstrip("/").replace("/", "-") or "home")
def test_page_fits_the_screen(visits, path, variant):
    """At 1280 px and on a 390 px phone, every folded block open: every formula has a box and is on screen, the
    page never scrolls sideways, and code too wide for the screen scrolls inside its own box. At 1280 px no
    Python listing is too wide for its box; on the phone, no text is under 12 px (Lighthouse's measure)."""
    check = visits[(path, variant)]
    assert not check["layout"], "\n".join(check["layout"])
    if variant == DESKTOP_LIGHT:
        assert not check["wide"], "listings that scroll sideways at 1280 px (put the comment above the line):\n" + "\n".join(check["wide"])
    if variant == PHONE_LIGHT:  # the phone's visit ran its scripts too
        assert not check["errors"], "\n".join(check["errors"])
        # Lighthouse's legible-font audit passes at 60 % of the text; every page here has all of it at 12 px or more
        share, small = check["legible"]["share"], check["legible"]["small"]
        assert not small, f"on a phone {share:.0%} of the text is at 12 px or more; smaller: {small}"


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda x: x.rstrip("/"))
def test_every_copy_button_copies_the_code_the_copied_page_test_runs(visits, built_site, path):
    """On every tutorial page, each Python listing's copy button copies its <code>'s text: the text that
    tests/test_copied_pages.py runs, page by page, in a fresh folder (so what a reader copies runs as shown)."""
    copies = visits[(path, DESKTOP_LIGHT)]["copies"]
    assert copies == [code.rstrip() for code in BuiltPage(built_site[0], path).listings()]


def test_tutorial_copy_buttons_copy_the_listings_code(built_site, visitor):
    """On the tutorial template, each Python listing's copy button copies exactly the text of its <code>
    (tests/test_site_pages.py proves, on every page, that this text is the listing's code)."""
    path = TEMPLATES["tutorial"]
    page = visitor.open(path, permissions=["clipboard-read", "clipboard-write"]).page
    page.evaluate(OPEN_FOLDS)  # a folded listing's button is clicked like any other
    copied = clicked_copies(page, page.locator(".language-python button[data-md-type=copy]"))
    assert copied == BuiltPage(built_site[0], path).listings()


def test_notebook_copy_buttons_copy_each_cell(built_site, visitor):
    """On the notebook template, each code cell's copy button copies that cell's source, as the downloadable
    .ipynb holds it (the hook points the button at the highlighted code instead of a hidden copy of it)."""
    path = TEMPLATES["notebook"]
    page = visitor.open(path, permissions=["clipboard-read", "clipboard-write"]).page
    notebook = json.loads(next((built_site[0] / path).glob("*.ipynb")).read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]).rstrip("\n") for cell in notebook["cells"] if cell["cell_type"] == "code"]
    copied = clicked_copies(page, page.locator(".jupyter-wrapper clipboard-copy"))
    assert [text.rstrip("\n") for text in copied] == sources


def test_nav_names_every_notebook_after_its_script(visitor):
    page = visitor.open("").page
    labels = page.locator(".md-nav--primary a.md-nav__link[href*='notebooks/']").all_text_contents()  # the section is collapsed
    # in path order: page by page, each page's scripts as it first includes them (tested_docs.learning_path)
    assert [label.strip() for label in labels] == [Path(path).name + ".py" for path in site_pages() if path.startswith("notebooks/")]


def test_phone_nav_drawer_reaches_every_page(visitor, site_url):
    from playwright.sync_api import expect  # here: without Playwright the browser fixture says what to install

    page = visitor.open("", **PHONE).page
    page.locator("label.md-header__button[for=__drawer]").click()
    drawer = page.locator("nav.md-nav--primary")
    expected = {site_url + path for path in site_pages() if path != "404.html"}
    reached = set()
    for item in drawer.locator(":scope > ul > li").all():
        item.scroll_into_view_if_needed()  # a long list scrolls inside the drawer
        expect(item).to_be_in_viewport()  # the drawer slid in: the entry is on screen, not just in the markup
        link = item.locator(":scope > a.md-nav__link")  # the current page's entry shows a label for its contents instead
        if link.count():
            reached.add(link.evaluate("a => a.href"))
    drawer.locator("label.md-nav__link", has_text="Notebooks").click()
    notebooks = drawer.locator("a.md-nav__link[href*='notebooks/']")
    for link in notebooks.all():
        link.scroll_into_view_if_needed()  # sixteen notebooks are taller than a phone's screen
        expect(link).to_be_in_viewport()  # the section slid in over the first level
        reached.add(link.evaluate("a => a.href"))
    assert reached == expected, f"missing from the drawer: {sorted(expected - reached)}; extra: {sorted(reached - expected)}"
    notebooks.last.click()
    last = [p for p in site_pages() if p.startswith("notebooks/")][-1].rstrip("/").split("/")[-1] + ".py"
    page.wait_for_url(f"**/notebooks/{Path(last).stem}/")
    page.wait_for_function("name => document.title.startsWith(name)", arg=last)  # its content arrived too


def test_palette_toggle_switches_light_and_dark(visitor):
    visit = visitor.open(TEMPLATES['tutorial'], color_scheme="light")
    page, toggle = visit.page, visit.page.locator("form[data-md-component=palette] label:visible")
    assert scheme(page) == "default"
    toggle.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    toggle.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert not visit.errors, "\n".join(visit.errors)


@pytest.mark.parametrize("screen", [DESKTOP_LIGHT, PHONE_LIGHT])
def test_search_leads_to_the_tutorial_without_reloading(built_site, visitor, screen):
    """From the home page, searching a word of the tutorial template's title finds it, and the hit navigates
    there instantly, with its math typeset."""
    title = re.search(r"<h1[^>]*>(.*?)<", BuiltPage(built_site[0], TEMPLATES["tutorial"]).markup)[1]
    term = max(re.findall(r"[A-Za-z]+", title), key=len)
    visit = visitor.open("", **VARIANTS[screen])  # the home page
    page = visit.page
    page.evaluate("window.notReloaded = true")  # survives instant navigation, not a full page load
    if screen.startswith("phone"):  # the search box hides behind the header's search button
        page.locator("label.md-header__button[for=__search]").click()
    page.locator("input.md-search__input").press_sequentially(term)
    hits = page.locator(f".md-search-result__item a[href*='{TEMPLATES['tutorial']}']")
    hits.first.wait_for()
    assert term.lower() in page.locator(".md-search-result__list mark").all_inner_texts()[0].lower()
    hits.first.click()
    page.wait_for_function("title => document.title.startsWith(title)", arg=title)  # the tutorial is shown
    assert page.evaluate("window.notReloaded === true"), "the result loaded a new page instead of navigating instantly"
    state = page.evaluate(MATH_STATE)  # math arrives typeset after instant navigation too
    assert not state["problems"], state["problems"]
    assert state["count"] == len(BuiltPage(built_site[0], TEMPLATES["tutorial"]).formulas())
    assert not visit.errors, "\n".join(visit.errors)
