"""The one runner: each snippet runs as `python snippets/<name>.py` would, and what it prints is kept per section.

A run happens in a child process, its working directory a reader's folder (./data holds FashionMNIST),
`sys.argv` and `sys.path[0]` as Python sets them for a script, `__name__ == "__main__"`. The whole file
runs, top to bottom; a line tracer on the script's own module frame notes which section each
top-level statement belongs to, so every write to stdout is filed under the section that made it, and
every file the script writes into its working directory under the section that wrote it. The page's
outputs, the script check, the notebook pages and `make outputs` all read this one run.

A second mode runs in the test process, for tests that inspect what a snippet built (a model, a tensor)
rather than what it printed: `run_sections` (named sections in one namespace, printing kept per section),
`run_snippet` (the whole file's globals) and `import_snippet` (the file as a module). Both modes set up
the reader's folder the same way (`reader`). This module imports only the standard library (and, lazily,
tested_docs' stdlib-only parts), so the GPU machines use it too.

Runs are cached (see `run_snippets`) under a key made of the snippet's text, the sibling snippets it
imports, this file, the torch version and the data, so a build after a test run, or a rebuild with
unchanged snippets, executes nothing.

The child imports torch, torchvision and matplotlib once and forks one process per script (at most
`jobs` at a time): nothing has run a torch operation before the fork, so each script starts as it would
in a fresh interpreter, without paying about 2 s of imports each.

    python tested_docs/runner.py JOBS_JSON     (the child; run_snippets() starts it)
    python tested_docs/runner.py --serve       (a warm child: one batch file per line on stdin; Warm starts it)
"""

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

PRELOAD = ("torch", "torchvision", "matplotlib.pyplot")


# ---------------------------------------------------------------- the child: runs scripts, imports nothing of ours
class SectionStdout:
    """sys.stdout for a script: text goes to the section whose line is running (None: outside any section)."""

    def __init__(self, state):
        self.state = state
        self.encoding, self.errors = "utf-8", "strict"

    def write(self, text):
        chunks = self.state["chunks"]
        section = self.state["section"]
        if chunks and chunks[-1][0] == section:
            chunks[-1][1] += text
        else:
            chunks.append([section, text])
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True


def files_in(folder: str) -> dict[str, float]:
    found = {}
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "data"]  # the dataset is input, not output
        for name in names:
            path = os.path.join(top, name)
            found[os.path.relpath(path, folder)] = os.stat(path).st_mtime_ns
    return found


def scratch_folder() -> str:
    """A working folder of its own for an in-process run given none: what a script saves (a checkpoint, a
    figure) never lands in the repository. Removed when the process ends."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="deep-notes-reader-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@contextlib.contextmanager
def reader(script, workdir=None, argv=()):
    """As `python <script> *argv` from `workdir` sees it (none given: a scratch folder of its own): the working
    folder, sys.argv, the script's folder first on sys.path (so `from eager_model import ...` works). Restored
    on the way out."""
    old_cwd, old_argv = os.getcwd(), sys.argv
    folder = os.path.dirname(os.path.abspath(str(script)))
    sys.path.insert(0, folder)
    sys.argv = [str(script), *argv]
    try:
        os.chdir(str(workdir) if workdir is not None else scratch_folder())
        yield
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
        if folder in sys.path:
            sys.path.remove(folder)


def run_one(job: dict) -> dict:
    """Run one script in this (forked) process; return what it printed and wrote, by section."""
    import traceback

    script, spans = job["script"], job["sections"]
    line_section = {line: name for name, start, end in spans for line in range(start, end + 1)}
    os.chdir(job["workdir"])
    sys.argv = [script, *job.get("argv", [])]
    sys.path[0] = os.path.dirname(script)  # a forked child: nothing to restore (`reader` is the in-process twin)
    state = {"chunks": [], "section": None, "files": {}, "seen": files_in(".")}
    source = Path(script).read_text(encoding="utf-8")
    code = compile(source, script, "exec")

    def note_files(section):
        now = files_in(".")
        new = sorted(name for name, mtime in now.items() if state["seen"].get(name) != mtime)
        if new:
            state["files"].setdefault(section or "", []).extend(new)
        state["seen"] = now

    def on_line(frame, event, arg):
        if event == "line":
            section = line_section.get(frame.f_lineno)  # None: a line outside every section
            if section != state["section"]:
                note_files(state["section"])
                state["section"] = section
        return on_line

    def on_call(frame, event, arg):
        return on_line if frame.f_code is code else None

    namespace = {"__name__": "__main__", "__file__": script, "__builtins__": __builtins__}
    real_stdout = sys.stdout
    sys.stdout = SectionStdout(state)
    status, error = 0, None
    sys.settrace(on_call)
    try:
        exec(code, namespace)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code is not None and not isinstance(stop.code, int):
            error = str(stop.code)
            print(error, file=sys.stderr)  # as Python itself does for sys.exit("message")
    except BaseException as exc:  # noqa: BLE001 - reported, as Python would, on stderr
        status = 1
        error = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    finally:
        sys.settrace(None)
        sys.stdout = real_stdout
    note_files(state["section"])
    return {
        "environment": environment(),
        "status": status,
        "error": error,
        "failed_in": state["section"] if status else None,
        "chunks": state["chunks"],
        "files": state["files"],
    }


def environment() -> dict:
    """Where the run happened, for captions: date (UTC), torch version, the device PyTorch would pick."""
    from datetime import datetime, timezone

    found = {"date": datetime.now(timezone.utc).date().isoformat(), "torch": None, "device": "CPU"}
    torch = sys.modules.get("torch")
    if torch is not None:
        found["torch"] = torch.__version__
        if torch.cuda.is_available():
            found["device"] = f"GPU ({torch.cuda.get_device_name()})"
    return found


def preload() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")  # what a script gets without a display
    for module in PRELOAD:
        try:
            __import__(module)
        except ImportError:
            pass


def run_jobs(jobs_file: str) -> None:
    """Run one batch of scripts, each in a process forked from this one, at most `jobs` at a time."""
    jobs = json.loads(Path(jobs_file).read_text(encoding="utf-8"))
    running, max_jobs = {}, jobs["jobs"]
    pending = list(jobs["runs"])
    while pending or running:
        while pending and len(running) < max_jobs:
            job = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                os.dup2(err, 2)
                os.dup2(err, 1)  # what bypasses sys.stdout (a C library, a subprocess) is reported with stderr
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # a script reading stdin gets EOF, not the batches
                sys.stdin = open(0, closefd=False)
                sys.stderr = open(2, "w", closefd=False)
                try:
                    result = run_one(job)
                finally:
                    sys.stderr.flush()
                Path(job["result"]).write_text(json.dumps(result), encoding="utf-8")
                os._exit(0)
            running[pid] = job
        pid, wait_status = os.wait()
        job = running.pop(pid)
        if not Path(job["result"]).exists():  # died without a word (os._exit, a signal, a crash in C)
            code = os.waitstatus_to_exitcode(wait_status)
            Path(job["result"]).write_text(json.dumps({
                "status": code or 1, "error": f"the process ended abruptly (exit status {code})", "failed_in": None,
                "chunks": [], "files": {}, "environment": {},
            }), encoding="utf-8")


def child_main(args: list[str]) -> None:
    """`runner.py JOBS_JSON`: run one batch. `runner.py --serve`: import once, then run each batch whose file
    arrives on stdin, answering its file's name on stdout when it is done (Warm: one process for a test session)."""
    preload()
    if args[0] != "--serve":
        run_jobs(args[0])
        return
    for line in sys.stdin:
        run_jobs(line.strip())
        sys.stdout.write(line)
        sys.stdout.flush()


# ---------------------------------------------------------------- the parent: starts the child, caches, reads results
from dataclasses import dataclass, field  # noqa: E402


@dataclass
class Run:
    """One snippet's run: exit status, what each section printed, the files each section wrote."""

    snippet: Path
    status: int
    error: str | None
    failed_in: str | None  # the section running when it failed
    chunks: list  # [[section or None, text], ...] in the order printed
    files: dict  # {section: [file names]}; the files themselves lie in `folder`
    stderr: str
    folder: Path
    environment: dict = field(default_factory=dict)
    cached: bool = field(default=False, compare=False)

    @property
    def name(self) -> str:
        return self.snippet.name

    @property
    def stdout(self) -> str:
        return "".join(text for _, text in self.chunks)

    def output(self, section: str) -> str:
        return "".join(text for name, text in self.chunks if name == section)

    @property
    def outside(self) -> str:
        """What was printed outside every section (a page could never show it)."""
        return "".join(text for name, text in self.chunks if name is None)

    def figures(self, section: str | None = None) -> list[str]:
        """The figures a section (or the whole run) saved: PNG files written in the folder it ran from. A PNG
        in a subfolder is the script's own data (own_images.py writes its sample folder), not a figure."""
        names = self.files.get(section, []) if section else [n for names in self.files.values() for n in names]
        return [name for name in names if name.endswith(".png") and "/" not in name]

    def failure(self) -> str | None:
        """A message naming the snippet, section and error, or None when the run succeeded."""
        if self.status == 0:
            return None
        where = f"snippets/{self.name}" + (f":{self.failed_in}" if self.failed_in else "")
        return f"{where} failed (exit status {self.status}): {self.error or ''}\n{self.stderr.strip()}"


class SnippetRunError(RuntimeError):
    pass


def sibling_imports(path: Path) -> list[Path]:
    """The other snippets this one imports (`from eager_model import ...`), which its run depends on."""
    import ast

    names = set()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as error:
        raise SnippetRunError(f"snippets/{path.name}, line {error.lineno}: {error.msg}; fix the snippet") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return sorted(p for name in names if (p := path.with_name(f"{name}.py")).is_file() and p != path)


def dependencies(path: Path) -> list[Path]:
    """Every snippet a run of `path` imports, directly or through another snippet."""
    found, todo = [], [path]
    while todo:
        for sibling in sibling_imports(todo.pop()):
            if sibling not in found and sibling != path:
                found.append(sibling)
                todo.append(sibling)
    return sorted(found)


def data_fingerprint(data: Path) -> str:
    import hashlib

    from .fixture import RAW_FILES

    digest = hashlib.sha256()
    for name in RAW_FILES:
        digest.update((Path(data) / "FashionMNIST" / "raw" / name).read_bytes())
    return digest.hexdigest()


def cache_key(path: Path, data_key: str, argv: list[str], env: dict | None = None) -> str:
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for part in [path, *dependencies(path), Path(__file__)]:
        digest.update(part.name.encode() + b"\0" + part.read_bytes())
    versions = [sys.version]
    for package in ("torch", "torchvision", "numpy", "matplotlib", "pillow"):  # what the snippets print depends on
        try:
            versions.append(f"{package} {version(package)}")
        except Exception:  # noqa: BLE001 - not installed: part of the key as such
            versions.append(f"{package} absent")
    digest.update("\0".join([*versions, data_key, *argv, *(f"{k}={v}" for k, v in sorted((env or {}).items()))]).encode())
    return digest.hexdigest()[:20]


def child_env(env: dict | None = None) -> dict:
    found = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # nothing of the repository importable
    found.update(env or {})
    return found


class Warm:
    """One runner process for many `run_snippets` calls (a test session): it imports torch, torchvision and
    matplotlib once, and every batch forks from it. `with Warm():` ... ; runs with their own `env` start
    their own process."""

    current: "Warm | None" = None

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve"], env=child_env(),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        start_new_session=True)  # its own process group: stop() ends the scripts too
        self.previous, Warm.current = Warm.current, self  # nested: the outer one serves again afterwards
        return self

    def run(self, jobs_file: Path, timeout: float = 900):
        """Run one batch; an answer that never comes (a script that hangs) or a runner that died stops this
        warm runner, says why, and later batches start their own process."""
        import select
        import time

        try:
            self.process.stdin.write(f"{jobs_file}\n")
            self.process.stdin.flush()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    break
                answer = self.process.stdout.readline()
                if not answer:  # the runner exited
                    break
                if answer.strip() == str(jobs_file):
                    return subprocess.CompletedProcess(self.process.args, 0, "", "")
        except (BrokenPipeError, OSError):
            pass
        self.stop()
        return subprocess.CompletedProcess(self.process.args, 1, "", f"the warm runner stopped or took over {timeout:.0f} s")

    def stop(self):
        import signal

        if Warm.current is self:
            Warm.current = self.previous
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the runner and every script it forked
        except ProcessLookupError:
            pass
        self.process.wait()

    def __exit__(self, *exc):
        if Warm.current is self:
            Warm.current = self.previous
        try:
            self.process.stdin.close()
            self.process.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            self.stop()


def run_snippets(paths: list[Path], data: Path, cache: Path, jobs: int = 2, argv: list[str] = (),
                 env: dict | None = None) -> dict[str, Run]:
    """{snippet file name: Run} for every path, each run once per change of its key (cached under `cache`).
    `env` adds to the scripts' environment (the GPU parity test hides the GPU with CUDA_VISIBLE_DEVICES=""),
    and is part of the key.

    Each run gets its own working folder with `data` linked to `data` (a folder with FashionMNIST/raw/)."""
    import shutil
    import subprocess
    import tempfile

    from .sections import sections

    cache = Path(cache) / "runs"
    data_key = data_fingerprint(data)
    runs, todo = {}, []
    for path in paths:
        folder = cache / f"{path.stem}-{cache_key(path, data_key, list(argv), env)}"
        if (folder / "run.json").is_file():
            runs[path.name] = load_run(path, folder, cached=True)
        else:
            todo.append((path, folder))
    if todo:
        with tempfile.TemporaryDirectory(prefix="snippet-runs-") as tmp:
            tmp = Path(tmp)
            specs = []
            for path, folder in todo:
                workdir = tmp / path.stem
                workdir.mkdir()
                (workdir / "data").symlink_to(Path(data).resolve(), target_is_directory=True)
                spans = [(s.name, s.start, s.end) for s in sections(path)]
                specs.append({
                    "script": str(path.resolve()), "sections": spans, "workdir": str(workdir), "argv": list(argv),
                    "stderr": str(tmp / f"{path.stem}.err"), "result": str(tmp / f"{path.stem}.json"),
                })
            (tmp / "jobs.json").write_text(json.dumps({"jobs": jobs, "runs": specs}), encoding="utf-8")
            if env is None and Warm.current is not None:
                done = Warm.current.run(tmp / "jobs.json")
            else:
                done = subprocess.run([sys.executable, str(Path(__file__).resolve()), str(tmp / "jobs.json")],
                                      env=child_env(env), capture_output=True, text=True, timeout=900)
            for (path, folder), spec in zip(todo, specs):
                result_file = Path(spec["result"])
                if not result_file.is_file():
                    stderr = Path(spec["stderr"]).read_text(errors="replace") if Path(spec["stderr"]).exists() else ""
                    raise SnippetRunError(f"the runner did not finish snippets/{path.name} (exit status {done.returncode}):\n{stderr}{done.stdout}{done.stderr}")
                result = json.loads(result_file.read_text(encoding="utf-8"))
                result["stderr"] = Path(spec["stderr"]).read_text(encoding="utf-8", errors="replace")
                staged = folder.with_name(folder.name + ".part")
                shutil.rmtree(staged, ignore_errors=True)
                staged.mkdir(parents=True)
                for names in result["files"].values():
                    for name in names:
                        if not (Path(spec["workdir"]) / name).exists():  # written, then deleted by a later section
                            continue
                        target = staged / "files" / name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(Path(spec["workdir"]) / name, target)
                (staged / "run.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
                if result["status"] == 0:  # a failed run is reported, never cached
                    shutil.rmtree(folder, ignore_errors=True)
                    staged.rename(folder)
                    runs[path.name] = load_run(path, folder)
                else:
                    runs[path.name] = load_run(path, staged)
    return {path.name: runs[path.name] for path in paths}


def load_run(path: Path, folder: Path, cached: bool = False) -> Run:
    result = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    return Run(path, result["status"], result["error"], result["failed_in"], result["chunks"], result["files"],
               result["stderr"], folder / "files", result.get("environment", {}), cached)


def prune(cache: Path, keep: list[Run]) -> None:
    """Remove cached runs of snippets that have since changed (kept: the runs just used)."""
    import shutil

    used = {run.folder.parent for run in keep}
    for folder in (Path(cache) / "runs").glob("*"):
        if folder not in used:
            shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- in the test process: the objects a snippet built
def run_sections(script: Path, names: list[str] | None = None, workdir: Path | None = None, argv=(),
                 after=None) -> tuple[dict, dict[str, str]]:
    """Execute the named sections of `script` (default: all, in file order) in one namespace, as the script
    would run them, from `workdir`; `after(name, namespace)` runs after each (a test may swap the device).
    Returns (namespace, {section: what it printed})."""
    from .sections import sections

    code = {s.name: s for s in sections(Path(script))}
    names = list(code) if names is None else names
    state = {"chunks": [], "section": None}
    namespace = {"__name__": "__main__", "__file__": str(script)}
    real_stdout = sys.stdout
    with reader(script, workdir, argv):
        sys.stdout = SectionStdout(state)
        try:
            for name in names:
                state["section"] = name
                # compiled with its lines where they stand in the file, so tracebacks point into the script
                source = "\n" * (code[name].start - 1) + code[name].code
                exec(compile(source, str(script), "exec"), namespace)
                if after is not None:
                    after(name, namespace)
        finally:
            sys.stdout = real_stdout
    printed = {}
    for section, text in state["chunks"]:
        printed[section] = printed.get(section, "") + text
    return namespace, printed


def run_snippet(script: Path, workdir: Path | None = None, run_name: str = "__main__") -> dict:
    """The script's globals after running it whole, its printing swallowed (`run_name="snippet"` leaves
    out an `if __name__ == "__main__":` demo)."""
    import io
    import runpy

    with reader(script, workdir), contextlib.redirect_stdout(io.StringIO()):
        return runpy.run_path(str(script), run_name=run_name)


def import_snippet(script: Path, workdir: Path | None = None):
    """What `import <name>` gives: the script as a module (it runs, but not an `if __name__ == "__main__":` part)."""
    import importlib.util
    import io

    spec = importlib.util.spec_from_file_location(f"snippet_{Path(script).stem}", script)
    module = importlib.util.module_from_spec(spec)
    with reader(script, workdir), contextlib.redirect_stdout(io.StringIO()):
        spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    child_main(sys.argv[1:])
