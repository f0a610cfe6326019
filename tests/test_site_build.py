"""The site builds strictly, and the built page carries the expanded listings, the outputs and typeset math."""

import html
import re

from pages import DOCS, listings

TAGS = re.compile(r"<[^>]+>")


def page_html(built_site, name):
    site, _ = built_site
    return (site / name / "index.html").read_text(encoding="utf-8")


def visible_text(markup: str) -> str:
    return html.unescape(TAGS.sub("", markup))


def test_build_is_strict_and_silent(built_site):
    _, log = built_site
    # mkdocs' own warnings (the notebook kernels' stderr, e.g. ipykernel's TCP notice, is not the build's)
    assert not re.search(r"^WARNING\s+-", log, re.MULTILINE), log


def test_built_page_shows_every_listing_and_output(built_site):
    markup = page_html(built_site, "eager-mode")
    text = visible_text(markup)
    assert "--8<--" not in text, "an include was left unexpanded"
    for item in listings(DOCS / "eager-mode.md"):
        assert item.code.strip() in text, f"listing at line {item.lineno} is missing from the built page"
        if item.expected_output:
            assert item.expected_output.strip() in text
    assert 'class="language-python' in markup and 'class="language-text' in markup


def test_built_page_math_is_typeset(built_site):
    markup = page_html(built_site, "eager-mode")
    wrappers = re.findall(r'<(span|div) class="arithmatex">(.*?)</\1>', markup, re.DOTALL)
    assert len(wrappers) >= 8
    for _, inner in wrappers:
        assert inner.startswith('<mjx-container class="MathJax" jax="SVG"') and "<svg" in inner
    assert "\\(" not in markup and "\\[" not in visible_text(markup)
    assert sum(1 for tag, _ in wrappers if tag == "div") >= 3  # displayed formulas too
