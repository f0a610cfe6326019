"""The one section reader (tested_docs.sections, standard library only, for the GPU machines too) finds
exactly what pymdownx.snippets, which expands the pages, finds: on every snippet, and on marker forms the
snippets do not use yet."""

import pytest

from tested_docs.paths import snippet_files
from tested_docs.sections import MARKER, preprocessor, sections

TRICKY = """\
import torch
# --8<-- [start:plain]
x = 1
# ;--8<-- [start:escaped] is shown, one ; fewer
# --8<-- [end:plain]
class A:
    # -8<- [ start : indented ]
    def f(self):
        return 2
    # --8<-- [end:indented]
    #--8<-- [start:tight]
    y = 3
    #--8<-- [end:tight]
"""


def pymdownx_sections(path) -> dict[str, str]:
    snippets = preprocessor()
    lines = path.read_text(encoding="utf-8").split("\n")
    names = [m.group("name") for line in lines if (m := snippets.match_section(line)) and not m.group("escape")
             and m.group("type") == "start"]
    return {name: "\n".join(snippets.extract_section(name, lines)).strip("\n") for name in names}


def test_the_marker_is_pymdownx_snippets_own_pattern():
    theirs = preprocessor().RE_SNIPPET_SECTION
    assert "".join(MARKER.pattern.split()) == "".join(theirs.pattern.split())  # verbose: spaces are layout
    assert MARKER.flags == preprocessor().RE_SNIPPET_SECTION.flags


@pytest.mark.parametrize("path", snippet_files(), ids=lambda p: p.name)
def test_every_snippet_reads_as_pymdownx_reads_it(path):
    assert {s.name: s.code for s in sections(path)} == pymdownx_sections(path)


def test_marker_forms_read_as_pymdownx_reads_them(tmp_path):
    path = tmp_path / "tricky.py"
    path.write_text(TRICKY)
    found = {s.name: s.code for s in sections(path)}
    assert found == pymdownx_sections(path)
    assert found == {"plain": "x = 1\n# --8<-- [start:escaped] is shown, one ; fewer",
                     "indented": "def f(self):\n    return 2", "tight": "y = 3"}


def test_the_include_pattern_is_pymdownx_snippets_own_and_reads_every_page_as_it_does():
    from tested_docs.pages import pages
    from tested_docs.sections import INCLUDE, includes

    theirs = preprocessor()
    assert "".join(INCLUDE.pattern.split()) == "".join(theirs.RE_ALL_SNIPPETS.pattern.split())
    for page in pages():
        text = page.read_text(encoding="utf-8")
        expected = []
        for number, line in enumerate(text.split("\n"), start=1):
            m = theirs.RE_ALL_SNIPPETS.match(line)
            if m and not m.group("escape") and m.group("snippet"):
                target = theirs.parse_snippet_target(m.group("snippet")[1:-1])
                expected.append((number, target["path"], target["section"]))
        assert [(i.lineno, i.file, i.section) for i in includes(text)] == expected, page.name


def test_run_dependent_sections_are_the_listings_marked_build_output():
    from tested_docs.pages import all_listings
    from tested_docs.sections import run_dependent_sections

    marked = {(s.file.split("/")[-1], s.section) for item in all_listings() if item.build_output for s in item.sources}
    assert run_dependent_sections() == marked and marked
