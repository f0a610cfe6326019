"""The site builds strictly, and each built page carries its expanded listings, their outputs and typeset math."""

import html
import re

import pytest

from tested_docs.browser import page_path
from tested_docs.pages import listings, pages
from tested_docs.paths import DOCS

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


def test_training_log_is_the_builds_own_run_and_says_what_it_ran_on(built_site, snippet_runs):
    """The training log is shown as this build's run, distinct from checked outputs, captioned with the data
    (built offline: the 900-image stand-in, never the full dataset), the device, torch version and date."""
    import torch

    from tested_docs.fixture import DESCRIPTION

    markup = page_html(built_site[0], DOCS / "training.md")
    block = re.search(r'<div class="admonition example">(.*?Your numbers will differ)', markup, re.DOTALL)
    assert block, "no build-output block on the training page"
    text = visible_text(block[1]).replace("\u2019", "'")
    assert "Output of this site's build" in text and "not checked" in text
    assert snippet_runs["training_loop.py"].output("train").strip() in text
    run = snippet_runs["training_loop.py"].environment
    assert f"the site's offline stand-in, {DESCRIPTION}, not the full dataset" in text
    assert f"CPU, torch {torch.__version__}, {run['date']}" in text
    assert "60,000" not in text
    for figure in ("training_curves.png", "test_predictions.png"):
        assert f'src="../images/{figure}"' in markup and (built_site[0] / "images" / figure).stat().st_size > 1000
