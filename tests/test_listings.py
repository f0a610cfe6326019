"""Every listing shows exactly what its sections printed in their snippet's run; every snippet runs as a
script and every section that prints is shown. One test item per listing: `pytest -k eager_model`."""

import ast
import dataclasses
import re

import pytest

from tested_docs.build import copy_repository
from tested_docs.checks import copied_page_problems, listing_problem, script_problems
from tested_docs.outputs import render
from tested_docs.pages import all_listings, listings, pages
from tested_docs.paths import DOCS, ROOT, snippet_files
from tested_docs.runner import Run, run_snippets

LISTINGS = all_listings()


@pytest.mark.parametrize("item", LISTINGS, ids=[item.id for item in LISTINGS])
def test_listing_shows_what_it_prints(item, snippet_runs):
    assert not (problem := listing_problem(item, snippet_runs)), problem


@pytest.mark.parametrize("snippet", snippet_files(), ids=lambda path: path.name)
def test_snippet_runs_as_a_script_and_every_output_is_shown(snippet, snippet_runs):
    problems = script_problems(snippet_runs[snippet.name], LISTINGS, ROOT)
    assert not problems, "\n\n".join(problems)


def test_every_page_with_code_has_listings():
    assert len(listings(DOCS / "eager-mode.md")) >= 15
    assert len([page for page in pages() if listings(page)]) >= 4


def test_comparison_catches_an_altered_output(snippet_runs):
    item = next(i for i in LISTINGS if i.expected_output)
    altered = dataclasses.replace(item, expected_output=item.expected_output.replace("1", "2", 1) + "x")
    assert listing_problem(altered, snippet_runs)


def test_comparison_catches_a_changed_snippet(tmp_path, reader_dir, snippet_runs):
    """Change the output layer's size in a copy of eager_model.py: the page no longer matches."""
    copy_repository(tmp_path)
    snippet = tmp_path / "snippets" / "eager_model.py"
    snippet.write_text(snippet.read_text().replace("nn.Linear(512, 10)", "nn.Linear(512, 7)"))
    runs = {**snippet_runs, **run_snippets([snippet], reader_dir / "data", tmp_path / "cache")}
    problems = [listing_problem(i, runs) for i in listings(tmp_path / "docs" / "eager-mode.md", tmp_path)]
    assert any(p and "out_features=7" in p for p in problems), problems


def shifted(runs: dict[str, Run], snippet: str, shown: str, printed: str) -> dict[str, Run]:
    """The runs, with one printed number of one snippet replaced: what another CPU's BLAS might print."""
    run = runs[snippet]
    chunks = [[section, text.replace(shown, printed, 1)] for section, text in run.chunks]
    assert chunks != run.chunks, f"{shown} is not in {snippet}'s output"
    return {**runs, snippet: dataclasses.replace(run, chunks=chunks)}


def copied_run(items, runs) -> Run:
    """A run of the copied page that printed, per listing, what the (shifted) snippet runs printed."""
    chunks = [[f"listing-{item.lineno}", item.printed(runs)] for item in items]
    return Run(ROOT / "copied.py", 0, None, None, chunks, {}, "", ROOT)


@pytest.mark.parametrize("printed, holds", [("0.1354", True), ("0.1352", True), ("0.1365", False)])
def test_a_float_off_in_its_last_digit_passes_every_check(snippet_runs, printed, holds):
    """Simulates another BLAS: the logit shown as 0.1353 prints as 0.1354. Every check that reads a
    printed output (listing, `make outputs`, the copied page) uses the one comparator, so all pass within the
    page's 1e-4 tolerance and all fail beyond it. (The script check reads no values: it checks coverage.)"""
    runs = shifted(snippet_runs, "eager_model.py", "0.1353", printed)
    page = DOCS / "eager-mode.md"
    items = listings(page)
    [logits] = [i for i in items if i.tolerance and "0.1353" in (i.expected_output or "")]
    outcomes = {
        "listing": listing_problem(logits, runs) is None,
        "make outputs": render(page.read_text(encoding="utf-8"), items, runs) == page.read_text(encoding="utf-8"),
        "copied page": not copied_page_problems(items, copied_run(items, runs)),
    }
    assert outcomes == dict.fromkeys(outcomes, holds)


@pytest.mark.parametrize(
    "printed, holds",
    [("tensor([[ 0.1353, -0.0001]])", True), ("tensor([[ 0.1353, -0.0002]])", False), ("tensor([[0.1353, 0.0000]])", True)],
)
def test_the_tolerance_survives_a_sign_change(printed, holds):
    """torch widens a tensor's columns once one value turns negative: only the numbers are compared loosely."""
    from tested_docs.compare import agree

    assert agree("tensor([[0.1353, 0.0000]])", printed, 1e-4) is holds
    assert agree("tensor([[0.1353, 0.0000]])", printed, 0.0) is (printed == "tensor([[0.1353, 0.0000]])")


def test_one_parser_for_section_markers():
    """No Python file of ours but tested_docs/sections.py compiles a regular expression for `--8<--`: its
    MARKER and INCLUDE (pymdownx.snippets' own patterns, tests/test_sections.py) read sections and includes."""
    offenders = []
    for path in [*ROOT.glob("hooks/*.py"), *ROOT.glob("tested_docs/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("benchmarks/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"compile", "match", "search", "finditer", "findall", "sub", "fullmatch"}:
                pattern = node.args[0] if node.args else None
                if isinstance(pattern, ast.Constant) and isinstance(pattern.value, str) and re.search(r"8\\?<", pattern.value):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    home_calls = [o for o in offenders if o.startswith("tested_docs/sections.py:")]
    assert offenders == home_calls and len(home_calls) == 2, offenders  # MARKER and INCLUDE, nowhere else


# ---------------------------------------------------------------- outputs a torch release words its own way
RELEASE_MARKED = [item for item in LISTINGS if item.release_outputs]


def test_a_release_marked_output_is_accepted_only_on_that_release_and_only_that_text(snippet_runs, monkeypatch):
    """training.md's wrong-dtype error is worded otherwise by torch 2.6: on 2.6 (simulated: the run prints 2.6's
    words) that listing passes; on any other release the same print fails; a changed number fails on 2.6 too."""
    import tested_docs.checks as checks

    [item] = [i for i in RELEASE_MARKED if i.page.name == "training.md"]
    release, shown, printed = item.release_outputs[0]
    name = item.snippets[0]
    # both wordings, from this run whichever release made it (make test-torch runs this on 2.6 itself)
    on_release = snippet_runs if printed in snippet_runs[name].stdout else shifted(snippet_runs, name, shown, printed)
    as_shown = shifted(on_release, name, printed, shown)
    monkeypatch.setattr(checks, "torch_version", lambda: f"{release}.0+cu124")
    assert listing_problem(item, on_release) is None
    assert listing_problem(item, as_shown)  # the page's words are not that release's
    assert listing_problem(item, shifted(on_release, name, "loss 2.24", "loss 2.25"))  # a number is still a number
    monkeypatch.setattr(checks, "torch_version", lambda: "2.14.1")
    assert listing_problem(item, on_release)
    assert listing_problem(item, as_shown) is None


def test_a_stale_release_mark_is_named(snippet_runs):
    item = dataclasses.replace(RELEASE_MARKED[0], release_outputs=(("2.6", "words the output never shows", "x"),))
    assert "does not show" in listing_problem(item, snippet_runs)


@pytest.mark.parametrize("item", RELEASE_MARKED, ids=[item.id for item in RELEASE_MARKED])
def test_the_page_says_in_words_what_the_release_prints(item):
    """A reader on that release who compares their screen with the page is told what they will see."""
    prose = re.sub(r"```.*?```", "", item.page.read_text(encoding="utf-8"), flags=re.S)
    for release, _, printed in item.release_outputs:
        assert f"`{printed}`" in prose and f"torch {release}" in prose.lower().replace("torch  ", "torch "), item.id


def test_the_oldest_supported_pair_is_named_once_and_the_pages_agree():
    from tested_docs.releases import oldest

    pair = oldest()
    major_minor = ".".join(pair["torch"].split(".")[:2])
    assert f"torch ≥ {major_minor}" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"PyTorch {major_minor} or newer" in (DOCS / "index.md").read_text(encoding="utf-8")
