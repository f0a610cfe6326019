"""Every listing on every page runs, in page order, and prints exactly the output the page shows."""

import shutil

from pages import DOCS, ROOT, listings, mismatches, pages, run_listings


def test_every_page_with_code_has_listings():
    tutorial = DOCS / "eager-mode.md"
    assert tutorial in pages()
    assert len(listings(tutorial)) >= 15


def test_shown_outputs_match_what_the_listings_print(page_runs):
    assert page_runs, "no page has listings: nothing was tested"
    problems = [p for items, printed in page_runs.values() for p in mismatches(items, printed)]
    assert not problems, "\n\n".join(problems)


def test_every_listing_that_prints_shows_its_output(page_runs):
    for items, printed in page_runs.values():
        for item, out in zip(items, printed):
            assert bool(out) == (item.expected_output is not None), f"{item.page.name}:{item.lineno}"


def test_every_listing_comes_from_a_snippet():
    """Listings are included from snippets/, never pasted into a page."""
    for page in pages():
        for item in listings(page):
            assert item.sources, f"{page.name}, line {item.lineno}: a listing pasted into the page"
            for file, section in item.sources:
                assert file.startswith("snippets/") and section, f"{page.name}:{item.lineno} includes {file}:{section}"


def test_comparison_catches_an_altered_output(page_runs):
    items, printed = next(iter(page_runs.values()))
    k = next(i for i, item in enumerate(items) if item.expected_output)
    items[k].expected_output, original = items[k].expected_output.replace("1", "2", 1) + "x", items[k].expected_output
    try:
        assert mismatches(items, printed)
    finally:
        items[k].expected_output = original


def test_comparison_catches_a_changed_snippet(tmp_path, reader_dir):
    """Change the output layer's size in a copy of eager_model.py: the page no longer matches."""
    shutil.copytree(ROOT / "snippets", tmp_path / "snippets")
    snippet = tmp_path / "snippets" / "eager_model.py"
    code = snippet.read_text()
    assert "nn.Linear(512, 10)" in code
    snippet.write_text(code.replace("nn.Linear(512, 10)", "nn.Linear(512, 7)"))
    items = [i for i in listings(DOCS / "eager-mode.md", base=tmp_path) if i.sources[0][0].endswith("eager_model.py")]
    problems = mismatches(items, run_listings(items, reader_dir))
    assert any("out_features=7" in p for p in problems), problems
