"""What a maintainer sees when something breaks: named build errors, a strict build, all-or-nothing
`make outputs`, and a failing snippet named with its reason."""

import shutil
from pathlib import Path

import pytest

from tested_docs.build import build_env, mkdocs_build
from tested_docs.paths import CACHE_ENV, ROOT

from tested_docs.build import copy_repository


@pytest.fixture
def repo_copy(tmp_path, run_cache, snippet_runs):
    """A copy of the repository, with a copy of the session's run cache, so nothing unchanged re-executes."""
    copy_repository(tmp_path / "repo")
    shutil.copytree(run_cache, tmp_path / "cache")
    return tmp_path / "repo"


def test_missing_section_fails_the_build_naming_page_file_and_section(repo_copy, reader_dir):
    page = repo_copy / "docs" / "eager-mode.md"
    page.write_text(page.read_text().replace('"snippets/eager_model.py:model"', '"snippets/eager_model.py:no-such-section"', 1))
    done = mkdocs_build(repo_copy, repo_copy / "site", build_env(reader_dir / "data", repo_copy.parent / "cache"))
    assert done.returncode != 0
    for words in ["eager-mode.md", "section 'no-such-section'", "snippets/eager_model.py", "its sections: imports, device"]:
        assert words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr  # a message, not a stack dump


def test_a_warning_fails_the_build(repo_copy, reader_dir):
    """The build is strict: a warning (here a link to a page that does not exist) stops it, named."""
    page = repo_copy / "docs" / "autograd.md"
    page.write_text(page.read_text() + "\nSee [a page that is not there](no-such-page.md).\n")
    done = mkdocs_build(repo_copy, repo_copy / "site", build_env(reader_dir / "data", repo_copy.parent / "cache"))
    assert done.returncode != 0
    assert "no-such-page.md" in done.stderr and "strict mode" in done.stdout + done.stderr, done.stdout + done.stderr


def test_missing_file_is_named():
    from tested_docs.sections import Include, check_include

    problem = check_include(Include(3, "snippets/no_such_file.py", "model"))
    assert "'snippets/no_such_file.py'" in problem and "no such file" in problem


def test_failing_snippet_makes_outputs_fail_and_write_nothing(repo_copy, monkeypatch, capsys):
    """`make outputs` (tested_docs.outputs.main, run here in-process on the warm runner) stops, names the
    failing section, and rewrites no page, though another page's output did change."""
    from tested_docs.outputs import main

    repo = repo_copy
    # One deliberate change that would rewrite an output, and one snippet that now fails.
    model = repo / "snippets" / "eager_model.py"
    model.write_text(model.read_text().replace("nn.Linear(512, 10)", "nn.Linear(512, 7)"))
    parts = repo / "snippets" / "network_components.py"
    parts.write_text(parts.read_text().replace("flat_images = flatten(images)", "flat_images = flatten(imagez)"))
    before = {p: p.read_bytes() for p in (repo / "docs").rglob("*") if p.is_file()}

    monkeypatch.setenv(CACHE_ENV, str(repo.parent / "cache"))
    status, stderr = main(repo), capsys.readouterr().err

    assert status != 0
    assert "snippets/network_components.py:flatten" in stderr, stderr
    assert "NameError" in stderr and "nothing was rewritten" in stderr
    assert {p: p.read_bytes() for p in (repo / "docs").rglob("*") if p.is_file()} == before


def test_outputs_rewrite_is_idempotent(snippet_runs):
    from tested_docs.outputs import regenerate

    assert regenerate(ROOT, snippet_runs) == {}, "`make outputs` would change a page"


FAILING = {
    "syntax-error": ("print(1\n", ["snippets/syntax-error.py, line 1", "was never closed"]),
    "exit-with-message": ('import sys\nsys.exit("no data: run it from the folder that holds ./data")\n', ["no data: run it from the folder"]),
    "hard-exit": ("import os\nos._exit(3)\n", ["ended abruptly (exit status 3)"]),
}


@pytest.fixture(scope="module")
def failing_runs(tmp_path_factory, reader_dir):
    """{name: the message each failing snippet's run gives}: all in one call of the runner (one child's imports)."""
    from tested_docs.runner import SnippetRunError, run_snippets

    folder = tmp_path_factory.mktemp("failing") / "snippets"
    folder.mkdir()
    scripts = []
    for name, (code, _) in FAILING.items():
        scripts.append(folder / f"{name}.py")
        scripts[-1].write_text(code)
    messages = {}
    for script in scripts:
        if script.name.startswith("syntax"):  # refused before anything runs
            try:
                run_snippets([script], reader_dir / "data", folder.parent / "cache")
            except SnippetRunError as error:
                messages[script.stem] = str(error)
    runs = run_snippets([s for s in scripts if s.stem not in messages], reader_dir / "data", folder.parent / "cache")
    messages.update({Path(name).stem: run.failure() for name, run in runs.items()})
    return messages


@pytest.mark.parametrize("name", FAILING)
def test_a_failing_snippet_is_named_with_its_reason(failing_runs, name):
    message = failing_runs[name]
    assert message and all(words in message for words in FAILING[name][1]), message


def test_nested_sections_are_refused(tmp_path):
    from tested_docs.sections import sections

    script = tmp_path / "nested.py"
    script.write_text("# --8<-- [start:outer]\n# --8<-- [start:inner]\nx = 1\n# --8<-- [end:inner]\n# --8<-- [end:outer]\n")
    with pytest.raises(ValueError, match="section 'inner' starts inside section 'outer'"):
        sections(script)


def test_a_hanging_snippet_stops_the_warm_runner_and_later_runs_go_on(tmp_path, reader_dir, monkeypatch):
    """A script that never ends: the warm runner gives up after its timeout, says so, and the next run starts
    a process of its own (the session's warm runner, outside this one, is untouched)."""
    import functools

    from tested_docs.runner import SnippetRunError, Warm, run_snippets

    outer = Warm.current
    (tmp_path / "snippets").mkdir()
    hang, fine = tmp_path / "snippets" / "hang.py", tmp_path / "snippets" / "fine.py"
    hang.write_text("import time\ntime.sleep(600)\n")
    fine.write_text("print('ran')\n")
    monkeypatch.setattr(Warm, "run", functools.partialmethod(Warm.run, timeout=5))
    with Warm() as warm:
        with pytest.raises(SnippetRunError, match="did not finish snippets/hang.py"):
            run_snippets([hang], reader_dir / "data", tmp_path / "cache")
        assert warm.process.poll() is not None and Warm.current is outer
        assert run_snippets([fine], reader_dir / "data", tmp_path / "cache")["fine.py"].stdout == "ran\n"
    assert Warm.current is outer


def test_outputs_rewrites_a_folded_output_inside_its_fold(tmp_path):
    """An output block under ??? is indented: `make outputs` compares it without the indentation and writes the
    new text indented, so the fold stays a fold."""
    from tested_docs.outputs import render
    from tested_docs.pages import listings

    page = tmp_path / "p.md"  # including a real snippet's section; its run is the stand-in below
    page.write_text('# P\n\n??? warning "A mistake"\n\n    ```python\n    --8<-- "snippets/own_images_exercises.py:size"\n    ```\n\n'
                    "    <!--pytest-codeblocks:expected-output-->\n\n    ```text\n    old\n    ```\n\nAfter.\n")

    class Printed:
        def output(self, section):
            return "new\n\nx\n"
    runs = {"own_images_exercises.py": Printed()}
    rendered = render(page.read_text(), listings(page), runs)
    assert "    ```text\n    new\n\n    x\n    ```\n\nAfter." in rendered
    page.write_text(rendered)
    assert render(rendered, listings(page), runs) == rendered  # now it agrees: kept as it is
