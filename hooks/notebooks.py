"""MkDocs hook: every snippet also becomes a notebook page, executed once per change of its code.

For each snippet, a notebook is generated from its sections (one code cell each) and executed with
nbclient in a fresh kernel; mkdocs-jupyter then renders it (execute: false) and offers the .ipynb
(include_source); the snippet's .py is published beside it. Executed notebooks are cached in
.cache/notebooks/ under a key made of the notebook's text, the torch version and the data it ran on,
so a rebuild with unchanged snippets executes nothing.

The notebooks read FashionMNIST from ./data. A build never downloads: it uses the repository's data/
when the four raw files are there (docs CI runs network_components.py first to fetch them) and
otherwise the offline test fixture, and says which in the samples figure's caption.
"""

import hashlib
import logging
import re
import shutil
import sys
import tempfile
import textwrap
from importlib.metadata import version
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.notebooks")
ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CACHE = ROOT / ".cache" / "notebooks"
RAW_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
SECTION = re.compile(r"^[ \t]*# --8<-- \[start:(?P<name>[-\w]+)\]\n(?P<body>.*?)^[ \t]*# --8<-- \[end:(?P=name)\]", re.M | re.S)
DOCSTRING = re.compile(r'^"""(?P<text>.*?)"""', re.S)
IMPORTS_CLASS = "from eager_model import NeuralNetwork"
NOTEBOOKS = ["eager_model", "network_components", "model_params", "common_mistakes"]
FIGURE = "fashion_samples.png"
FIGURE_MARK = "<!-- fashion-samples-figure -->"
# mkdocs-jupyter's template always adds a MathJax loader (an empty <script src="">, which fetches the page
# itself) and a mermaid loader that imports from cdnjs; these notebooks have neither math nor diagrams.
OUTSIDE_LOADERS = re.compile(
    r'<script src="">\s*</script>|<script type="text/x-mathjax-config">.*?</script>|<script type="module">(?:(?!</script>).)*?cdnjs\.cloudflare\.com.*?</script>',
    re.S,
)

stats = {"executed": 0, "cached": 0}
data_source = {}


def sections(name: str) -> list[tuple[str, str]]:
    text = (SNIPPETS / f"{name}.py").read_text(encoding="utf-8")
    return [(m["name"], textwrap.dedent(m["body"]).strip()) for m in SECTION.finditer(text)]


def notebook(name: str):
    """A notebook built from snippets/<name>.py: an introduction, then one code cell per section."""
    import nbformat.v4 as nbf

    text = (SNIPPETS / f"{name}.py").read_text(encoding="utf-8")
    summary = DOCSTRING.match(text)["text"].strip().splitlines()[0]
    uses_data = "FashionMNIST(" in text
    intro = (
        f"# `{name}.py` as a notebook\n\n{summary}\n\n"
        f"Generated from `snippets/{name}.py` of Deep Notes: the same code, one cell per section. "
        + (
            "**On its first run it downloads FashionMNIST (about 30 MB) into `./data`**; later runs reuse it. "
            "It needs torch, torchvision and matplotlib."
            if uses_data
            else "It downloads nothing; it needs torch."
        )
    )
    cells = [nbf.new_markdown_cell(intro)]
    for section, code in sections(name):
        if IMPORTS_CLASS not in code:
            cells.append(nbf.new_code_cell(code))
            continue
        # A notebook has no eager_model.py beside it: bring the class's own sections instead.
        cells.append(nbf.new_code_cell(code.replace(IMPORTS_CLASS, "").strip()))
        definitions = dict(sections("eager_model"))
        cells.append(nbf.new_markdown_cell("The network class, from `eager_model.py`:"))
        cells.append(nbf.new_code_cell(definitions["imports"] + "\n\n\n" + definitions["model"]))
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # nbformat draws random ids; fixed ones keep the cache key stable
    nb = nbf.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def data_dir(workdir: Path) -> tuple[Path, str]:
    """Where the notebooks find ./data, and a phrase saying what that data is."""
    real = ROOT / "data"
    if all((real / "FashionMNIST" / "raw" / f).is_file() for f in RAW_FILES):
        return real, "real"
    sys.path.insert(0, str(ROOT / "tests" / "support"))
    try:
        from fashion_fixture import write_fashion_mnist
    finally:
        sys.path.pop(0)
    write_fashion_mnist(workdir / "data")
    return workdir / "data", "fixture"


def fingerprint(data: Path) -> str:
    digest = hashlib.sha256()
    for f in RAW_FILES:
        digest.update((data / "FashionMNIST" / "raw" / f).read_bytes())
    return digest.hexdigest()


def execute(name: str, nb, workdir: Path):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    except CellExecutionError as error:
        raise PluginError(f"notebook from snippets/{name}.py failed while executing:\n{error}") from None
    stats["executed"] += 1


@event_priority(100)  # before mkdocs-jupyter's on_files, so it sees the generated notebooks
def on_files(files, config, **kwargs):
    import nbformat

    stats.update(executed=0, cached=0)
    CACHE.mkdir(parents=True, exist_ok=True)
    used = set()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data, kind = data_dir(workdir)
        if data != workdir / "data":
            (workdir / "data").symlink_to(data)
        data_source["kind"] = kind
        for name in NOTEBOOKS:
            nb = notebook(name)
            key = hashlib.sha256(
                "\n".join([nbformat.writes(nb), version("torch"), fingerprint(workdir / "data")]).encode()
            ).hexdigest()[:16]
            folder = CACHE / key  # holds notebooks/<name>.ipynb and the figures it drew
            cached = folder / "notebooks" / f"{name}.ipynb"
            used.add(folder)
            if cached.exists():
                stats["cached"] += 1
            else:
                execute(name, nb, workdir)
                cached.parent.mkdir(parents=True, exist_ok=True)
                for output in workdir.glob("*.png"):
                    shutil.move(output, folder / output.name)
                nbformat.write(nb, cached)
            # A plain File (not File.generated): mkdocs-jupyter's wrapper only sees a path made from src_dir.
            files.append(File(f"notebooks/{name}.ipynb", str(folder), config["site_dir"], config["use_directory_urls"]))
            # The script download, beside the .ipynb that mkdocs-jupyter's include_source publishes.
            files.append(File.generated(config, f"notebooks/{name}/{name}.py", abs_src_path=str(SNIPPETS / f"{name}.py")))
            if (folder / FIGURE).exists():
                files.append(File.generated(config, f"images/{FIGURE}", abs_src_path=str(folder / FIGURE)))
    for stale in set(CACHE.iterdir()) - used:  # runs of snippets that have since changed
        shutil.rmtree(stale)
    log.info("notebooks: %(executed)d executed, %(cached)d from cache", stats)
    return files


def on_page_markdown(markdown, page, **kwargs):
    """Put the samples figure where the page asks for it, with a caption that says which data drew it."""
    if FIGURE_MARK not in markdown:
        return markdown
    source = {
        "real": "the real FashionMNIST training set",
        "fixture": "the offline test fixture — crude silhouettes in FashionMNIST's file format, not the real dataset",
    }[data_source["kind"]]
    alt = f"Three 28×28 grayscale images sampled by network_components.py from {source.split(' —')[0]}, each titled with its class name"
    figure = (
        f'<figure markdown="span">\n  ![{alt}](images/{FIGURE})\n'
        f"  <figcaption>The three sampled images, drawn by the code above when this site was built, from {source}."
        "</figcaption>\n</figure>"
    )
    return markdown.replace(FIGURE_MARK, figure)


def on_page_content(content, page, **kwargs):
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    return OUTSIDE_LOADERS.sub("", content)
