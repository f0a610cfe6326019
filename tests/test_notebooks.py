"""Every snippet is also a notebook page: its code cells are the snippet's sections, its outputs the
snippet's run, downloadable as .ipynb and .py, listed in the nav without anyone listing it."""

import base64
import json
import re

import pytest

from tested_docs.build import build_env, mkdocs_build
from tested_docs.paths import ROOT, snippet_files
from tested_docs.runner import dependencies, sibling_imports
from tested_docs.checks import torch_version
from tested_docs.compare import agree
from tested_docs.browser import page_path
from tested_docs.pages import all_listings, listings, pages
from tested_docs.sections import sections, without_markers

SNIPPETS = snippet_files()


def published(site, path):
    import nbformat

    return nbformat.read(site / "notebooks" / path.stem / f"{path.stem}.ipynb", as_version=4)


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.name)
def test_notebook_page_has_outputs_and_both_downloads(built_site, path):
    site, _ = built_site
    name = path.stem
    folder = site / "notebooks" / name
    markup = (folder / "index.html").read_text(encoding="utf-8")
    assert "jp-OutputArea-output" in markup
    # Under the title, linking to the files beside the page.
    title_end = markup.index("</h1>", markup.index('<div class="jupyter-wrapper">'))
    downloads = re.search(r'<p class="notebook-downloads">.*?</p>', markup, re.S)
    assert downloads and downloads.start() == title_end + len("</h1>"), "the download links must follow the title"
    assert f'href="{name}.ipynb" download' in downloads[0] and f'href="{name}.py" download' in downloads[0]
    assert (folder / f"{name}.ipynb").is_file()
    # A notebook has one heading: its empty table of contents is hidden, and the cells take the width.
    assert re.search(r'<div class="md-sidebar md-sidebar--secondary"[^>]*\bhidden\b', markup)
    # the script to download: the snippet's code, without the build's markers (comments to Python)
    script = (folder / f"{name}.py").read_text(encoding="utf-8")
    assert script == without_markers(path.read_text(encoding="utf-8"))
    assert len(script.split("\n")) == len(path.read_text().split("\n")) - 2 * len(sections(path))  # a marker line each
    assert "cdnjs" not in markup and '<script src="">' not in markup
    assert f'href="notebooks/{name}/"' in (site / "index.html").read_text(encoding="utf-8"), "not in the nav"


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.name)
def test_notebook_cells_are_the_pages_listings_with_their_outputs(built_site, snippet_runs, path):
    """Read against what notebooks.py does not use: every listing a page shows from this snippet (expanded by
    pymdownx.snippets) is one code cell, whose output is what the page shows under it; the cells' outputs,
    in order, are the script's whole stdout; its figures are the PNG files the run wrote."""
    nb = published(built_site[0], path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and f"`{path.stem}.py` as a notebook" in first.source
    assert ("downloads FashionMNIST" in first.source) == ("FashionMNIST(" in path.read_text())
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    writes = [cell for cell in code if cell.source.startswith("%%writefile ")]
    assert [cell.source for cell in writes] == [f"%%writefile {s.name}\n{without_markers(s.read_text())}" for s in dependencies(path)]

    cells = {cell.source.strip("\n"): cell for cell in code[len(writes):]}
    shown = [item for item in all_listings() if item.snippets == [path.name] and len(item.sources) == 1]
    assert shown, f"no page shows a listing of {path.name} alone"
    for item in shown:
        cell = cells.get(item.code.strip("\n"))
        assert cell is not None, f"{item.id}: no cell of the notebook holds this listing's code"
        if item.expected_output:  # as this torch release words it (a torch_output mark)
            assert agree(item.expected_on(torch_version()), stream_text(cell), item.tolerance), item.id
    run = snippet_runs[path.name]
    assert "".join(stream_text(cell) for cell in code[len(writes):]) == run.stdout
    images = [base64.b64decode(o.data["image/png"]) for cell in code for o in cell.outputs if o.output_type == "display_data"]
    # the figures: PNG files the run saved where it ran (own_images.py's sample folder of PNGs is its data)
    assert sorted(images) == sorted(f.read_bytes() for f in run.folder.glob("*.png"))


def test_every_line_of_a_snippet_lies_in_a_section():
    """So the notebook (its sections) runs exactly what the script runs."""
    import ast

    for path in SNIPPETS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        covered = {line for s in sections(path) for line in range(s.start, s.end + 1)}
        body = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
        for node in body:
            if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'":
                nodes = node.body
            else:
                nodes = [node]
            for inner in nodes:
                lines = set(range(inner.lineno, inner.end_lineno + 1))
                assert lines <= covered, f"{path.name}:{inner.lineno}: code outside every section"


def test_unchanged_snippets_execute_nothing_on_rebuild(built_site, reader_dir, run_cache, records_dir, tmp_path):
    done = mkdocs_build(ROOT, tmp_path / "site", build_env(reader_dir / "data", run_cache, records_dir))
    assert done.returncode == 0, done.stderr
    assert f"snippets: 0 executed, {len(SNIPPETS)} from cache" in done.stderr


def test_samples_figure_says_what_data_drew_it(built_site):
    site, _ = built_site
    markup = (site / "eager-mode" / "index.html").read_text(encoding="utf-8")
    assert (site / "images" / "fashion_samples.png").stat().st_size > 1000
    assert 'src="../images/fashion_samples.png"' in markup
    assert "the site&rsquo;s offline stand-in, a 900-image sample of FashionMNIST (800 training, 100 test images), not the full dataset" in markup or \
        "the site's offline stand-in, a 900-image sample of FashionMNIST (800 training, 100 test images), not the full dataset" in markup


def test_a_published_notebook_runs_in_a_fresh_kernel(built_site, snippet_runs, reader_dir, tmp_path):
    """The notebooks are built from the script's run, not executed; this proves, for one notebook that needs
    the %%writefile cell (it imports eager_model.py), that the published .ipynb also runs top to bottom in a
    fresh Jupyter kernel, offline, and each cell prints what its page shows. Cells are compared by their
    whole text: a kernel may split one cell's output into several stream messages."""
    from nbclient import NotebookClient

    path = next(p for p in SNIPPETS if p.name == "model_params.py")
    assert sibling_imports(path), "pick a notebook with a %%writefile cell"
    nb = published(built_site[0], path)
    shown = [stream_text(cell) for cell in nb.cells if cell.cell_type == "code"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    (tmp_path / "data").symlink_to(reader_dir / "data")
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    ran = [stream_text(cell) for cell in nb.cells if cell.cell_type == "code"]
    assert ran[0].startswith("Writing eager_model.py")  # the %%writefile cell
    assert ran[1:] == shown[1:] and any(shown)


def stream_text(cell) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def test_notebooks_stay_out_of_the_search_index(built_site):
    """Their code is on the tutorial pages already; indexed, the eleven notebooks tripled the index."""
    site, _ = built_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not [loc for loc in locations if loc.startswith("notebooks/")]
    assert {page_path(md) for md in pages() if listings(md)} <= locations


def test_the_scripts_download_holds_every_script_as_the_pages_show_it(built_site):
    """docs/index.md's deep-notes-scripts.zip: every snippet, markers out, the same program (the same syntax
    tree: only comments were removed), in one folder."""
    import ast
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO((built_site[0] / "downloads" / "deep-notes-scripts.zip").read_bytes()))
    assert sorted(archive.namelist()) == sorted(f"deep-notes-scripts/{p.name}" for p in SNIPPETS)
    for path in SNIPPETS:
        text = archive.read(f"deep-notes-scripts/{path.name}").decode()
        assert "--8<--" not in text
        assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(path.read_text(encoding="utf-8"))), path.name
