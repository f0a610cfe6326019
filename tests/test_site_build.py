"""The site builds strictly, and each built page carries its expanded listings, their outputs and typeset math."""

import html
import re

import pytest

from tested_docs.browser import page_path
from tested_docs.pages import listings, pages

TAGS = re.compile(r"<[^>]+>")
LISTING_PAGES = [page for page in pages() if listings(page)]


def page_html(site, page):
    return (site / page_path(page) / "index.html").read_text(encoding="utf-8")


def visible_text(markup: str) -> str:
    return html.unescape(TAGS.sub("", markup))


def test_build_is_strict_and_silent(built_site):
    _, log = built_site
    assert not re.search(r"^WARNING\s+-", log, re.MULTILINE), log


@pytest.mark.parametrize("page", LISTING_PAGES, ids=lambda p: p.name)
def test_built_page_shows_every_listing_and_output(built_site, page):
    markup = page_html(built_site[0], page)
    text = visible_text(markup)
    assert "--8<--" not in text, "an include was left unexpanded"
    for item in listings(page):
        assert item.code.strip() in text, f"listing at line {item.lineno} is missing from the built page"
        if item.expected_output:
            assert item.expected_output.strip() in text
    for marker in ("<!-- verified-on -->", "<!-- run-it-yourself -->", "<!-- build-output -->", "<!-- build-figure:"):
        assert marker not in markup, f"{marker} was left unreplaced"


@pytest.mark.parametrize("page", [p for p in pages() if "\\(" in p.read_text() or "\\[" in p.read_text()], ids=lambda p: p.name)
def test_built_page_math_is_typeset(built_site, page):
    markup = page_html(built_site[0], page)
    wrappers = re.findall(r'<(span|div) class="arithmatex">(.*?)</\1>', markup, re.DOTALL)
    assert wrappers
    for _, inner in wrappers:
        assert inner.startswith('<mjx-container class="MathJax" jax="SVG"') and "<svg" in inner
    assert "\\(" not in markup and "\\[" not in visible_text(markup)
