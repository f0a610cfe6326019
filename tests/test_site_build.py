"""What the build shows as its own run: the training log and its caption. (Every page's listings, outputs and
math: tests/test_site_pages.py; strictness: tests/test_failure_modes.py.)"""

import html
import re

from tested_docs.browser import page_path
from tested_docs.paths import DOCS

TAGS = re.compile(r"<[^>]+>")


def page_html(site, page):
    return (site / page_path(page) / "index.html").read_text(encoding="utf-8")


def visible_text(markup: str) -> str:
    return html.unescape(TAGS.sub("", markup))


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
    version, _, build = torch.__version__.partition("+")
    assert f"CPU, torch {version}{' (a CUDA build)' if build.startswith('cu') else ''}, {run['date']}" in text
    assert "60,000" not in text
    for figure in ("training_curves.png", "test_predictions.png"):
        assert f'src="../images/{figure}"' in markup and (built_site[0] / "images" / figure).stat().st_size > 1000


def test_a_figure_from_no_data_names_no_data(built_site):
    """model_params.py reads no FashionMNIST: its figure's caption says where it was drawn, and no dataset."""
    markup = page_html(built_site[0], DOCS / "eager-mode.md")
    caption = re.search(r"<figcaption>Drawn by <code>model_params.py</code>(.*?)</figcaption>", markup, re.DOTALL)
    assert caption and "FashionMNIST" not in caption[1] and "stand-in" not in caption[1] and "torch" in caption[1]
