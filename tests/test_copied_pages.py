"""What a reader copies from a page, in order, into one file, runs in a fresh interpreter with only the scripts
the page links for saving beside it, and each listing prints what the page shows under it (the one runner, the
one comparator). What a copy button copies is its listing's <code> text in the built page (tests/test_browser.py
clicks every button of the tutorial template to prove it), read here from every tutorial page's HTML."""

import dataclasses
import shutil

import pytest

from tested_docs.browser import page_path
from tested_docs.built_pages import BuiltPage
from tested_docs.checks import copied_page_problems, copied_page_script
from tested_docs.pages import listings, pages
from tested_docs.paths import SNIPPETS
from tested_docs.runner import dependencies, run_snippets

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
        # What the page tells the reader to save beside the listings (`from eager_model import ...`): the
        # scripts its "Run it yourself" tip links as downloads, as downloaded; nothing else.
        page = BuiltPage(built_site[0], page_path(md))
        saved = [page.local_file(a.attrs["href"]) for a in page.find("a") if a.attrs.get("href", "").endswith(".py")
                 and a.parent is not None and "in the folder you run them from" in "".join(a.parent.text)]
        for download in saved:
            shutil.copy(download, folder / download.name)
        needed = {s.name for item in items for name in item.snippets for s in dependencies(SNIPPETS / name)}
        assert needed <= {d.name for d in saved}, f"{md.name}: its listings import {sorted(needed)}; the page links {saved}"
    runs = run_snippets(list(scripts.values()), reader_dir / "data", folder / "cache")
    return {md: runs[script.name] for md, script in scripts.items()}


@pytest.mark.parametrize("md", LISTING_PAGES, ids=lambda md: md.name)
def test_page_as_copied_runs_and_prints_what_it_shows(copied_runs, md):
    problems = copied_page_problems(listings(md), copied_runs[md])
    assert not problems, "\n\n".join(problems)
