"""A snippet run in the test process, as its reader would run it, for tests that inspect what it built
(a model, a tensor, a function) rather than what it printed (that is tested_docs.runner's one run):
the working folder the reader's (where ./data is), the snippet's folder importable (`from eager_model
import ...`), `sys.argv` as given, its printing swallowed. Only the standard library: the cuda tests use
it on GPU machines without the site's build tools. Importable from every test: pytest puts tests/ on
sys.path for tests/conftest.py.
"""

import contextlib
import importlib.util
import io
import os
import runpy
import sys
from pathlib import Path


@contextlib.contextmanager
def as_reader(script: Path, workdir: Path | None = None, argv: list[str] = ()):
    """Inside: cwd workdir (when given), the script's folder first on sys.path, sys.argv [script, *argv];
    yields the StringIO that receives what is printed."""
    old_cwd, old_argv, folder = os.getcwd(), sys.argv, str(Path(script).parent)
    sys.path.insert(0, folder)
    sys.argv = [str(script), *argv]
    try:
        if workdir is not None:
            os.chdir(workdir)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            yield out
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
        sys.path.remove(folder)


def run_snippet(script: Path, workdir: Path | None = None, run_name: str = "__main__") -> dict:
    """The script's globals after running it whole (`run_name="snippet"` leaves out an `if __name__ == "__main__":` demo)."""
    with as_reader(script, workdir):
        return runpy.run_path(str(script), run_name=run_name)


def import_snippet(script: Path, workdir: Path | None = None):
    """What `import <name>` gives: the script as a module (it runs, but not an `if __name__ == "__main__":` part)."""
    spec = importlib.util.spec_from_file_location(f"snippet_{Path(script).stem}", script)
    module = importlib.util.module_from_spec(spec)
    with as_reader(script, workdir):
        spec.loader.exec_module(module)
    return module


def run_sections(script: Path, code: dict[str, str], names: list[str], workdir: Path | None = None,
                 argv: list[str] = (), after=None) -> tuple[dict, str]:
    """Execute the named sections (`code`: name -> source) in order in one namespace, as the script would;
    `after(name, namespace)` runs after each. Returns the namespace and what they printed."""
    namespace = {"__name__": "__main__"}
    with as_reader(script, workdir, argv) as out:
        for name in names:
            exec(compile(code[name], f"{Path(script).name}:{name}", "exec"), namespace)
            if after is not None:
                after(name, namespace)
    return namespace, out.getvalue()
