"""The learning path comes from the nav: the home page lists its pages in nav order with their descriptions,
each page ends by linking the next, and the notes every page with listings carries need no marker."""

import re

import pytest

from tested_docs.browser import page_path
from tested_docs.config import mkdocs_config
from tested_docs.learning_path import home_list, next_section, steps
from tested_docs.pages import listings
from tested_docs.paths import DOCS


def write(folder, name, description=None):
    front = f'---\ndescription: "{description}"\n---\n\n' if description else ""
    (folder / name).write_text(f"{front}# Title of {name}\n\nText.\n")


def test_steps_follow_the_nav_and_skip_home_notebooks_and_links(tmp_path):
    for name in ("a.md", "b.md"):
        write(tmp_path, name, f"what {name} teaches")
    nav = [{"Home": "index.md"}, {"B first": "b.md"}, "a.md", {"Elsewhere": "https://example.org"},
           {"Notebooks": [{"x.py": "notebooks/x.ipynb"}]}]
    path = steps(nav, tmp_path)
    assert [(s.title, s.src) for s in path] == [("B first", "b.md"), ("Title of a.md", "a.md")]
    assert home_list(path) == "1. [B first](b.md) — what b.md teaches\n2. [Title of a.md](a.md) — what a.md teaches"
    assert next_section(path, "b.md") == "## Next\n\n[Title of a.md](a.md) — what a.md teaches\n"
    assert "last page of the learning path (2 pages)" in next_section(path, "a.md")


def test_a_page_without_a_description_is_named_with_the_fix(tmp_path):
    write(tmp_path, "a.md")
    with pytest.raises(ValueError, match=r"docs/a.md has no `description:`.*add one line"):
        steps([{"A": "a.md"}], tmp_path)


def test_the_built_home_page_lists_the_path_and_every_page_links_the_next(built_site):
    site = built_site[0]
    path = steps(mkdocs_config()["nav"], DOCS)
    home = (site / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li><a href="([^"]+)">', re.search(r"<ol>(.*?)</ol>", home, re.S)[1])
    assert listed == [page_path(s.src) for s in path]
    for step, nxt in zip(path, [*path[1:], None]):
        markup = (site / page_path(step.src) / "index.html").read_text(encoding="utf-8")
        section = markup.split('<h2 id="next">')[-1]
        assert ('<h2 id="next">' in markup) and (f'href="../{page_path(nxt.src)}"' in section if nxt else "last page" in section), step.src
        if listings(DOCS / step.src):
            assert "Verified on" in markup and "Run it yourself" in markup, f"{step.src}: a note is missing"


def test_notebooks_follow_the_path_page_by_page(tmp_path):
    """Each page's scripts in the order it first includes them; a script no page includes comes last."""
    from tested_docs.learning_path import notebook_order

    (tmp_path / "a.md").write_text('```python\n--8<-- "snippets/zeta.py:x"\n```\n```python\n--8<-- "snippets/alpha.py:y"\n```\n')
    (tmp_path / "b.md").write_text('```python\n--8<-- "snippets/beta.py:z"\n```\n```python\n--8<-- "snippets/zeta.py:w"\n```\n')
    snippets = [tmp_path / f"{name}.py" for name in ("alpha", "beta", "gamma", "zeta")]
    (tmp_path / "index.md").write_text("# Home\n")
    order = notebook_order([{"Home": "index.md"}, {"B": "b.md"}, {"A": "a.md"}], tmp_path, snippets)
    assert [p.stem for p in order] == ["beta", "zeta", "alpha", "gamma"]


def test_the_run_it_yourself_tip_never_separates_a_listing_from_the_sentence_that_introduces_it():
    from tested_docs.learning_path import insert_after_intro

    page = "# T\n\nIntro.\n\nThe imports:\n\n```python\nimport torch\n```\n"
    assert insert_after_intro(page, "TIP") == "# T\n\nIntro.\n\nTIP\n\nThe imports:\n\n```python\nimport torch\n```\n"
    plain = "# T\n\nIntro.\n\n```python\nimport torch\n```\n"
    assert insert_after_intro(plain, "TIP") == "# T\n\nIntro.\n\nTIP\n\n```python\nimport torch\n```\n"
    assert insert_after_intro("# T\n\nIntro.\n\n## One\n", "TIP") == "# T\n\nIntro.\n\nTIP\n\n## One\n"
