"""What must hold between the pages, the snippets and their runs: one function per check, each returning
problems as messages (empty: it holds). Tests, `make outputs` and the copied-page check all call these."""

from pathlib import Path

from .compare import agree
from .pages import Listing
from .runner import Run
from .sections import sections

REGENERATE = "(run `make outputs` after a deliberate change)"


def listing_problem(item: Listing, runs: dict[str, Run]) -> str | None:
    """Whether a listing shows what its sections printed. (A broken include never gets this far:
    tested_docs.pages.listings refuses the page, naming the page, line, file and section.)"""
    where = f"{item.page.name}, listing at line {item.lineno}"
    if not item.sources:
        return f"{where} is pasted into the page; include it from a snippet in snippets/"
    for include in item.sources:
        if not include.file.startswith("snippets/") or not include.section:
            return f"{where} includes '{include.file}' without a section; include `snippets/<file>.py:<section>`"
    for name in item.snippets:
        if failure := runs[name].failure():
            return f"{where}: {failure}"
    printed = item.printed(runs)
    if item.build_output:
        if item.expected_output is not None:
            return f"{where} has both an output block and a build-output mark; keep one"
        if not printed:
            return f"{where} is marked `<!-- build-output -->` but prints nothing"
        return None
    if item.expected_output is None:
        return f"{where} prints, but the page shows no output under it:\n{printed}" if printed else None
    if not printed:
        return f"{where} prints nothing, but the page shows an output block under it"
    try:
        expected = item.expected_on(torch_version())
    except ValueError as error:
        return str(error)
    if not agree(expected, printed, item.tolerance):
        release = f" (as torch {torch_version()} words it, per the page's torch_output mark)" if expected != item.expected_output else ""
        return f"{where}: the page shows\n{expected}{release}\nbut the code printed\n{printed}{REGENERATE}"
    return None


def torch_version() -> str:
    """The torch the snippets ran with (their runs happen in a child of this interpreter)."""
    from importlib.metadata import version

    return version("torch")


def script_problems(run: Run, items: list[Listing], root: Path) -> list[str]:
    """Whether a snippet ran as a script, and every section that printed is shown on some page."""
    name = run.name
    if failure := run.failure():
        return [failure]
    problems = []
    if run.outside:
        problems.append(f"snippets/{name} printed outside its sections, where no page can show it:\n{run.outside}")
    shown = {s.section for item in items for s in item.sources if Path(s.file).name == name
             and (item.expected_output is not None or item.build_output)}
    included = {s.section for item in items for s in item.sources if Path(s.file).name == name}
    if not included:
        problems.append(f"snippets/{name} is included by no page: include its sections in a page under docs/")
    for section in sections(run.snippet):
        if run.output(section.name) and section.name not in shown:
            problems.append(f"snippets/{name}:{section.name} prints, but no page shows its output {REGENERATE}")
    return problems


def copied_page_script(items: list[Listing]) -> str:
    """A page's listings in order, as a reader copies them into one file; each listing marked as a section
    (`listing-<line>`) so the one runner files its output per listing."""
    parts = [f"# --8<-- [start:listing-{item.lineno}]\n{item.code.rstrip()}\n# --8<-- [end:listing-{item.lineno}]" for item in items]
    return "\n\n".join(parts) + "\n"


def copied_page_problems(items: list[Listing], run: Run) -> list[str]:
    """Whether the copied page ran and each listing printed what the page shows under it."""
    if failure := run.failure():
        return [f"{items[0].page.name}, its listings copied into one file: {failure}"]
    problems = []
    for item in items:
        printed = run.output(f"listing-{item.lineno}")
        if item.build_output or item.expected_output is None:
            if item.expected_output is None and not item.build_output and printed:
                problems.append(f"{item.page.name}:{item.lineno}, copied: prints, but the page shows nothing:\n{printed}")
            continue
        try:
            expected = item.expected_on(torch_version())
        except ValueError as error:
            problems.append(str(error))
            continue
        if not agree(expected, printed, item.tolerance):
            problems.append(f"{item.page.name}:{item.lineno}, copied: the page shows\n{expected}\nbut the copy printed\n{printed}")
    return problems
