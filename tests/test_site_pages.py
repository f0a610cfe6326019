"""Every built page, read as HTML without a browser: one test item per page and check.

What a browser alone can tell (layout, scripts, the clipboard, axe) is in tests/test_browser.py, once per
template; everything that can be read off the built files is checked here, on every page.
"""

import re
from urllib.parse import unquote, urlsplit

import pytest

from tested_docs.browser import page_path, published_url, site_pages
from tested_docs.built_pages import TEX, BuiltPage, CSS_URL
from tested_docs.pages import listings, pages

PATHS = site_pages()  # the nav's pages, every snippet's notebook page, the 404 page
SOURCES = {page_path(md): md for md in pages()}
LISTED = {path: listings(SOURCES[path]) for path in PATHS if path in SOURCES}  # each page parsed once
TUTORIAL_PATHS = [path for path, items in LISTED.items() if items]  # in nav order
# each script: the first page of the nav that includes it
TEACHES = {name: path for path in reversed(TUTORIAL_PATHS) for item in LISTED[path] for name in item.snippets}
NOTEBOOK_HTML_BUDGET = 120_000  # bytes of HTML a notebook page may weigh (mkdocs-jupyter's own were 640-810 KB); the heaviest, autograd_basics with its two figures' drawing code, is about 108 KB
LOAD_BUDGET = 800_000  # bytes a cold load of any page may fetch (the heaviest tutorial page: about 610 KB)
MARKERS = ("<!-- learning-path -->", "<!-- verified-on -->", "<!-- run-it-yourself -->", "<!-- build-output -->", "<!-- build-figure:")


def page_id(path: str) -> str:
    return path.rstrip("/") or "home"


each_page = pytest.mark.parametrize("path", PATHS, ids=page_id)


@pytest.fixture(scope="module")
def site(built_site):
    return built_site[0]


@pytest.fixture(scope="module")
def read(site):
    found = {}

    def page(path: str) -> BuiltPage:
        if path not in found:
            found[path] = BuiltPage(site, path, urlsplit(published_url()).path)
        return found[path]
    return page


def outside(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") or url.startswith("//")


def teaching_page(notebook: str) -> str:
    """The first page of the nav whose listings include the notebook's script ('notebooks/x/' -> x.py)."""
    return TEACHES[notebook.rstrip("/").split("/")[-1] + ".py"]


@each_page
def test_loads_nothing_from_outside_the_site(read, path):
    page = read(path)
    problems = [f"{what}: {url}" for what, url in page.loads() if outside(url)]
    problems += [f"inline <script>: {url}" for url in page.inline_script_urls()]
    for css in (css for css in page.stylesheets() if css.is_file()):  # a missing one is named below
        problems += [f"{css.name}: {a or b}" for a, b in CSS_URL.findall(css.read_text(encoding="utf-8")) if outside(a or b)]
    missing = [url for _, url in page.loads() if (f := page.local_file(url)) and not f.exists()]
    assert not problems, f"{path}: the page would fetch from outside the site (it must work offline): {problems}"
    assert not missing, f"{path}: the page loads files the site does not have: {missing}"


@each_page
def test_every_formula_is_typeset_as_svg(read, path):
    page = read(path)
    problems = []
    for formula in page.formulas():
        children = [e for e in page.elements if e.parent is formula]
        if not (children and children[0].tag == "mjx-container" and children[0].attrs.get("jax") == "SVG"
                and any(e.tag == "svg" and e.parent is children[0] for e in page.elements)):
            problems.append("not typeset: " + "".join(formula.text)[:80])
    glyphs = [e.attrs.get("xlink:href") or e.attrs.get("href") for e in page.find("use") if e.inside("mjx-container")]
    problems += [f"glyph {ref} is not on the page" for ref in glyphs if ref and ref[1:] not in page.ids]
    problems += [f"raw TeX in the text: {m}" for m in TEX.findall(page.visible_text)]
    assert not problems, f"{path}:\n" + "\n".join(problems)
    source = SOURCES.get(path)
    if source and TEX.search(source.read_text(encoding="utf-8")):
        assert page.formulas(), f"{path}: the page's source has math, but the built page has no formula"


@each_page
def test_each_listing_is_its_snippets_code_and_each_output_is_shown(read, path):
    """What each copy button copies (the <code>'s text) is the listing's code, expanded from its snippet by
    pymdownx.snippets, in page order; every output block the page's source shows is in the built page."""
    page = read(path)
    items = LISTED.get(path, [])
    if not items:
        assert not page.listings(), f"{path}: Python listings that no page source includes from a snippet"
        return
    built, expected = page.listings(), [item.code.rstrip("\n") for item in items]
    wrong = [item.lineno for item, code in zip(items, built) if code != item.code.rstrip("\n")]
    assert len(built) == len(expected) and not wrong, (
        f"{path}: {len(built)} listings built from {len(expected)} in the source; those at lines {wrong} differ from their snippets")
    blocks = [block.rstrip("\n") for block in page.text_blocks()]
    missing = [item.lineno for item in items if item.expected_output and item.expected_output.rstrip("\n") not in blocks]
    assert not missing, f"{path}: the outputs under the listings at lines {missing} are not on the built page"


@each_page
def test_no_marker_or_include_is_left(read, path):
    page = read(path)
    assert not [m for m in MARKERS if m in page.markup], f"{path}: a build marker was left unreplaced"
    assert "--8<--" not in page.visible_text and not any("--8<--" in code for code in page.listings()), \
        f"{path}: an include or a section marker reached the reader"


@each_page
def test_internal_links_resolve(read, path):
    """Every link within the site names a built page or file, and its #fragment an element there."""
    page = read(path)
    problems = []
    for href in page.links():
        parts = urlsplit(href)
        if outside(href) or parts.scheme:  # mailto:, data:, another site: not the site's to resolve
            continue
        if not parts.path:  # within the page
            target = page
        else:
            file = page.local_file(href)
            file = file / "index.html" if file.is_dir() else file
            if not file.is_file():
                problems.append(f"{href}: no such page or file")
                continue
            target = None
            if file.suffix == ".html":
                rel = file.relative_to(page.site).as_posix()
                target = read(rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        if parts.fragment and target is not None and unquote(parts.fragment) not in target.ids:
            problems.append(f"{href}: no element with id {parts.fragment!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


@each_page
def test_page_weight(read, path):
    page = read(path)
    loaded = page.load_bytes()
    assert loaded <= LOAD_BUDGET, f"{path}: a cold load fetches {loaded} bytes, over the {LOAD_BUDGET} budget"
    if path.startswith("notebooks/"):
        size = page.file.stat().st_size
        assert size <= NOTEBOOK_HTML_BUDGET, f"{path}: {size} bytes of HTML, over the {NOTEBOOK_HTML_BUDGET} budget"
        # no heavier than a tutorial page: than the page that teaches its script (the notebook is that page's
        # code, run), or than the first tutorial page where that is heavier (a two-listing page's notebook
        # still carries the notebook stylesheet)
        teacher, first = teaching_page(path), TUTORIAL_PATHS[0]
        tutorial = max(read(teacher).load_bytes(), read(first).load_bytes())
        assert loaded <= tutorial, f"{path}: a cold load fetches {loaded} bytes, more than {teacher} and {first} ({tutorial})"


def test_the_sitemap_lists_the_pages_the_checks_read(site):
    """The checks read the nav's pages, the notebooks and the 404 page; the built site has no other."""
    built = re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert sorted(url.removeprefix(published_url()) for url in built) == sorted(set(PATHS) - {"404.html"})
    assert (site / "404.html").is_file()


@pytest.mark.parametrize("path", [p for p in PATHS if p.startswith("notebooks/")], ids=page_id)
def test_notebook_figures_are_the_pages_png_files(read, path):
    """A figure on a notebook page is the PNG file its tutorial page shows (fetched once for both, lazily),
    not a base64 copy inside the HTML."""
    page = read(path)
    assert "data:image/png" not in page.markup, f"{path}: a figure is still inlined"
    for img in page.find("img"):
        file = page.local_file(img.attrs.get("src", ""))
        assert file is not None and file.is_file() and file.parent.name == "images", img.attrs
        assert img.attrs.get("loading") == "lazy" and img.attrs.get("alt"), img.attrs


@each_page
def test_every_image_says_what_it_shows(read, path):
    """axe scans one page per template in the browser; alt text is per page, so it is read here on all."""
    missing = [img.attrs.get("src") for img in read(path).find("img") if not img.attrs.get("alt", "").strip()]
    assert not missing, f"{path}: images without alt text: {missing}"


# A first reading (issue 19): a page's main flow, the prose outside folded blocks, stays near this, and a page
# that outgrows it is split. Measured on the built page, machinery-added text included (tested_docs/built_pages.py).
FLOW_WORDS, FLOW_LISTINGS = 1800, 20


@pytest.mark.parametrize("path", TUTORIAL_PATHS, ids=page_id)
def test_main_flow_is_short_enough_to_finish(read, path):
    words, shown = read(path).main_flow()
    print(f"{page_id(path)}: main flow {words} words, {shown} listings")  # shown with -s; make bench-page prints all
    assert words <= FLOW_WORDS and shown <= FLOW_LISTINGS, (
        f"{page_id(path)}: its main flow has {words} words and {shown} listings (at most {FLOW_WORDS} and "
        f"{FLOW_LISTINGS}): fold what a first reading can skip into ??? blocks, or split the page")
