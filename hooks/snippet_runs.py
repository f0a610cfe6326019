"""MkDocs hook: every snippet runs once (the one runner, cached), and its run feeds the site.

- Each snippets/*.py becomes a notebook page (nav generated under "Notebooks"), cells = its sections,
  outputs = its run; the .ipynb and the .py are downloadable.
- Every page that includes snippets gets a "Run it yourself" tip after its introduction, linking the
  notebooks of the snippets it includes (no marker: a new page gets it too).
- `<!-- build-output -->` after a listing shows that listing's output from this build's run, captioned with
  the data, device, torch version and date it ran with (for what cannot be the same on every dataset).
- `<!-- build-figure: file.png | alt text -->` shows a figure a snippet saved in this build's run, captioned likewise.

Data: $DEEP_NOTES_DATA if set, else ./data when the real FashionMNIST is there, else the offline stand-in
(written to a temporary folder). A build never downloads. Runs are cached in $DEEP_NOTES_CACHE or .cache/.
"""

import logging
import posixpath
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from tested_docs import fixture
from tested_docs.learning_path import insert_after_intro, notebook_order
from tested_docs.notebooks import notebook, uses_fashion_mnist
from tested_docs.pages import BUILD_FIGURE as FIGURE, BUILD_OUTPUT_MARK, listings
from tested_docs.paths import DATA_ENV, ROOT, cache_dir, snippet_files
from tested_docs.runner import SnippetRunError, dependencies, prune, run_snippets
from tested_docs.sections import includes, without_markers

log = logging.getLogger("mkdocs.hooks.snippet_runs")
state = {"runs": {}, "data": "", "figures": {}, "ordered": []}


def on_config(config, **kwargs):
    """The Notebooks section of the nav: one page per snippet, found by glob. mkdocs-jupyter's own cache of
    rendered notebooks goes into the same cache folder as the runs (not ./.cache when the tests redirect it)."""
    jupyter = config["plugins"].get("mkdocs-jupyter")
    if jupyter is not None:
        jupyter.config["cache_dir"] = str(cache_dir() / "mkdocs-jupyter")
    nav = [item for item in (config["nav"] or []) if not (isinstance(item, dict) and "Notebooks" in item)]
    # Labelled with the script's name: mkdocs-jupyter's ignore_h1_titles keeps the notebook's heading out of it.
    # In path order: page by page, each page's scripts as it first includes them.
    ordered = state["ordered"] = notebook_order(nav, Path(config["docs_dir"]), snippet_files())
    nav.append({"Notebooks": [{path.name: f"notebooks/{path.stem}.ipynb"} for path in ordered]})
    config["nav"] = nav
    return config


def data_folder(workdir: Path) -> Path:
    import os

    if os.environ.get(DATA_ENV):
        data = Path(os.environ[DATA_ENV])
        if not fixture.has_fashion_mnist(data):
            raise PluginError(f"${DATA_ENV} is {data}, which has no FashionMNIST/raw/ with the four IDX files; "
                              "unset it, or write the stand-in there with `python -m tested_docs.fixture DIR`")
        return data
    if fixture.has_fashion_mnist(ROOT / "data"):
        return ROOT / "data"
    return fixture.write_fashion_mnist(workdir / "data").parent.parent


@event_priority(100)  # before mkdocs-jupyter's on_files, so it sees the generated notebooks
def on_files(files, config, **kwargs):
    import nbformat

    cache = cache_dir()
    with tempfile.TemporaryDirectory() as tmp:
        data = data_folder(Path(tmp))
        state["data"] = fixture.describe(data)
        try:
            runs = run_snippets(snippet_files(), data, cache)
        except (SnippetRunError, ValueError) as error:
            raise PluginError(str(error)) from None
    failed = [run.failure() for run in runs.values() if run.failure()]
    if failed:
        raise PluginError("a snippet failed while the site was built:\n" + "\n".join(failed))
    prune(cache, list(runs.values()))
    state["runs"] = runs
    state["figures"] = {}
    executed = sum(not run.cached for run in runs.values())
    log.info("snippets: %d executed, %d from cache", executed, len(runs) - executed)
    files.append(File.generated(config, SCRIPTS_ZIP, content=scripts_zip(state["ordered"])))
    books = cache / "notebooks"
    books.mkdir(parents=True, exist_ok=True)
    for path in snippet_files():
        run = runs[path.name]
        target = books / f"{path.stem}.ipynb"
        text = nbformat.writes(notebook(path, run, ROOT))
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        # A plain File (not File.generated): mkdocs-jupyter's wrapper only sees a path made from src_dir.
        files.append(File(f"notebooks/{path.stem}.ipynb", str(cache), config["site_dir"], config["use_directory_urls"]))
        # the script to download: the same code without the build's section markers
        files.append(File.generated(config, f"notebooks/{path.stem}/{path.name}", content=without_markers(path.read_text(encoding="utf-8"))))
        for produced in run.figures():  # figures, not checkpoints nor a script's own image files
            if produced in state["figures"]:
                raise PluginError(f"snippets/{path.name} and {state['figures'][produced][0].name} both write {produced}; give one another name")
            state["figures"][produced] = (run, path)
            files.append(File.generated(config, f"images/{produced}", abs_src_path=str(run.folder / produced)))
    return files


SCRIPTS_ZIP = "downloads/deep-notes-scripts.zip"


def scripts_zip(paths) -> bytes:
    """Every script, as the pages show its code (no build markers), in one folder of one archive; fixed
    timestamps, so the same scripts give the same bytes."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            info = zipfile.ZipInfo(f"deep-notes-scripts/{path.name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, without_markers(path.read_text(encoding="utf-8")))
    return buffer.getvalue()


def caption(run) -> str:
    """Where the run ran, and on what data when the script reads FashionMNIST; the version as a release ("a
    CUDA build" said in words: a reader saw "torch 2.14.1+cu130" beside "CPU" and wondered)."""
    env = run.environment
    data = f"on {state['data']}, " if uses_fashion_mnist(run.snippet) else ""
    version, _, build = str(env.get("torch")).partition("+")
    built = " (a CUDA build)" if build.startswith("cu") else ""
    return f"{data}{env.get('device')}, torch {version}{built}, {env.get('date')}"


def on_page_markdown(markdown, page, config, **kwargs):
    if page.file.src_uri.endswith(".ipynb"):
        return markdown
    runs = state["runs"]
    items = listings(Path(page.file.abs_src_path)) if includes(markdown) else []  # expanded and parsed once
    if items:
        names = sorted({name for item in items for name in item.snippets}, key=lambda n: markdown.find(n))
        here = posixpath.dirname(page.file.src_uri) or "."
        links = " · ".join(f"[{Path(n).stem}]({posixpath.relpath(f'notebooks/{Path(n).stem}.ipynb', here)})" for n in names)
        tip = (
            '!!! tip "Run it yourself"\n'
            "    Each script on this page is also a notebook, with the outputs of this site's build, to read or\n"
            f"    download as `.ipynb` or `.py`: {links}."
        )
        # A script that imports another (`from eager_model import ...`) runs only with that one beside it.
        needed = sorted({s.name for n in names for s in dependencies(ROOT / "snippets" / n)})
        if needed:
            saves = ", ".join(f"[{n}]({posixpath.relpath(f'notebooks/{Path(n).stem}/{n}', here)})" for n in needed)
            tip += (f"\n\n    The listings import from {', '.join(f'`{n}`' for n in needed)}: save {saves} "
                    "in the folder you run them from.")
        markdown = insert_after_intro(markdown, tip)
    for item in (item for item in items if item.build_output):
        run = runs[item.snippets[0]]
        body = "\n".join("    " + line for line in ["```text", *item.printed(runs).rstrip("\n").split("\n"), "```"])
        block = (
            f'!!! example "Output of this site\'s build — not checked, it depends on the data"\n\n{body}\n\n'
            f"    Printed by the code above when this site was built, {caption(run)}. "
            "Your numbers will differ; the tests check only what the text says of them."
        )
        markdown = markdown.replace(BUILD_OUTPUT_MARK, block, 1)
    for m in reversed(list(FIGURE.finditer(markdown))):
        if m["file"] not in state["figures"]:
            raise PluginError(f"{page.file.src_path}: no snippet saved {m['file']} in this build's run")
        run, path = state["figures"][m["file"]]
        figure = (
            f'<figure markdown="span">\n  ![{m["alt"]}]({posixpath.relpath("images/" + m["file"], posixpath.dirname(page.file.src_uri) or ".")})\n'
            f"  <figcaption>Drawn by <code>{path.name}</code> when this site was built, {caption(run)}.</figcaption>\n</figure>"
        )
        markdown = markdown[: m.start()] + figure + markdown[m.end():]
    return markdown

