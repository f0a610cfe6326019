"""A snippet as a notebook: one code cell per section, holding exactly the section's code, with the
outputs that section gave in the snippet's one run (text, and the figures it saved). No kernel runs:
the notebook shows the run that the page and the tests read."""

import ast
import base64
from pathlib import Path

from .runner import Run, dependencies
from .sections import sections, without_markers


def summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def uses_fashion_mnist(path: Path) -> bool:
    return "FashionMNIST(" in path.read_text(encoding="utf-8")


def notebook(path: Path, run: Run, root: Path):
    import nbformat.v4 as nbf

    name = path.stem
    siblings = dependencies(path)  # what it imports, and what those import
    needs = ("**On its first run it downloads FashionMNIST (about 30 MB) into `./data`**; later runs reuse it. "
             if uses_fashion_mnist(path) else "It downloads nothing. ")
    intro = (
        f"# `{name}.py` as a notebook\n\n{summary(path)}\n\n"
        f"Generated from `snippets/{name}.py` of Deep Notes: the same code, one cell per section, with the outputs "
        f"of the script's run when the site was built ({run.environment.get('device', 'CPU')}, "
        f"torch {run.environment.get('torch')}, {run.environment.get('date')}). {needs}"
    )
    cells = [nbf.new_markdown_cell(intro)]
    for sibling in siblings:
        cells.append(nbf.new_markdown_cell(
            f"This notebook imports from `{sibling.name}`, another script of the site; the next cell writes it beside the notebook."))
        cells.append(nbf.new_code_cell(f"%%writefile {sibling.name}\n" + without_markers(sibling.read_text(encoding="utf-8"))))
    count = 0
    for section in sections(path):
        count += 1
        cell = nbf.new_code_cell(section.code, execution_count=count)
        text = run.output(section.name)
        if text:
            cell.outputs.append(nbf.new_output("stream", name="stdout", text=text))
        for produced in run.figures(section.name):
            data = base64.b64encode((run.folder / produced).read_bytes()).decode()
            cell.outputs.append(nbf.new_output("display_data", data={"image/png": data, "text/plain": f"<{produced}>"}))
        cells.append(cell)
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # nbformat draws random ids; fixed ones keep the file stable
    nb = nbf.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb
