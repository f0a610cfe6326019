"""What a reader copies from a page, in order, into one file, runs in a fresh interpreter, and each listing
prints what the page shows under it (the one runner, the one comparator). What a copy button copies is its
listing's <code> text in the built page (tests/test_browser.py clicks every button of the tutorial template
to prove it), read here from every tutorial page's HTML."""

import dataclasses
import shutil

import pytest

from tested_docs.browser import page_path
from tested_docs.built_pages import BuiltPage
from tested_docs.checks import copied_page_problems, copied_page_script
from tested_docs.pages import listings, pages
from tested_docs.paths import SNIPPETS
from tested_docs.runner import run_snippets, sibling_imports

LISTING_PAGES = [md for md in pages() if listings(md)]


@pytest.fixture(scope="module")
def copied_runs(built_site, reader_dir, tmp_path_factory):
    """{docs page: the one runner's run of its copied listings, as one file}: all pages in one call of the
    runner, so they share its imports and run side by side."""
    folder = tmp_path_factory.mktemp("copied")
    scripts = {}
    for md in LISTING_PAGES:
        items = listings(md)
        copied = BuiltPage(built_site[0], page_path(md)).listings()
        assert len(copied) == len(items), f"{md.name}: {len(items)} listings, {len(copied)} on the built page"
        script = folder / f"copied_{md.stem.replace('-', '_')}.py"
        script.write_text(copied_page_script([dataclasses.replace(i, code=c) for i, c in zip(items, copied)]), encoding="utf-8")
        scripts[md] = script
        # The scripts a page tells the reader to save beside it (`from eager_model import ...`); nothing else.
        for sibling in {s for item in items for name in item.snippets for s in sibling_imports(SNIPPETS / name)}:
            shutil.copy(sibling, folder / sibling.name)
    runs = run_snippets(list(scripts.values()), reader_dir / "data", folder / "cache")
    return {md: runs[script.name] for md, script in scripts.items()}


@pytest.mark.parametrize("md", LISTING_PAGES, ids=lambda md: md.name)
def test_page_as_copied_runs_and_prints_what_it_shows(copied_runs, md):
    problems = copied_page_problems(listings(md), copied_runs[md])
    assert not problems, "\n\n".join(problems)
