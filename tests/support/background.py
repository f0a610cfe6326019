"""Slow work the suite starts before its first test, so it overlaps with the in-process tests.

The snippet scripts run through preloaded_runner.py: one process imports torch, torchvision and
matplotlib (about 4 s of CPU) once and forks a child per script, instead of each script paying for
its own imports. Each published notebook runs in its own fresh kernel, as a reader's would.
"""

import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"
SCRIPTS = ["eager_model.py", "network_components.py", "model_params.py", "common_mistakes.py"]
NOTEBOOKS = [name.removesuffix(".py") for name in SCRIPTS]


class ScriptRuns:
    """Every snippet run as a script from `workdir` (a folder with ./data), all started at once."""

    def __init__(self, workdir: Path, outdir: Path):
        self.outdir = outdir
        runner = Path(__file__).with_name("preloaded_runner.py")
        self.process = subprocess.Popen(
            [sys.executable, str(runner), str(workdir), str(outdir), *(str(SNIPPETS / name) for name in SCRIPTS)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )

    def results(self) -> dict[str, tuple[str, str, int]]:
        """{script: (stdout, stderr, exit status)}, once every script has ended."""
        log, _ = self.process.communicate(timeout=300)
        assert self.process.returncode == 0, f"preloaded_runner.py failed:\n{log}"
        read = lambda name, suffix: (self.outdir / f"{name.removesuffix('.py')}.{suffix}").read_text()
        return {name: (read(name, "out"), read(name, "err"), int(read(name, "status"))) for name in SCRIPTS}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()


def stream_outputs(nb) -> list[str]:
    return ["".join(o.get("text", "")) for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "stream"]


def rerun_notebook(path: Path, workdir: Path) -> tuple[list[str], list[str]]:
    """Run a published .ipynb again from scratch in a fresh kernel: (its shown outputs, the new ones)."""
    import nbformat
    from nbclient import NotebookClient

    published = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(fresh, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    return stream_outputs(published), stream_outputs(fresh)


def start_notebooks(site: Path, workdir: Path, pool: ThreadPoolExecutor) -> dict[str, Future]:
    return {name: pool.submit(rerun_notebook, site / "notebooks" / name / f"{name}.ipynb", workdir) for name in NOTEBOOKS}
