"""Run snippet scripts as `python snippets/<name>.py` would, paying for the heavy imports once.

    python preloaded_runner.py WORKDIR OUTDIR SCRIPT...

Imports torch, torchvision and matplotlib once, then forks one child per script. Each child becomes
the script's own run: working directory WORKDIR, `sys.argv[0]` and `sys.path[0]` as Python sets them
for a script, `__name__ == "__main__"`, its stdout and stderr in OUTDIR/<name>.out and .err and its
exit status in OUTDIR/<name>.status. Forking is safe here: nothing has run a torch operation (and so
started a thread pool) before the fork.
"""

import os
import runpy
import sys
import traceback
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # what a script gets without a display, chosen before pyplot is imported
import matplotlib.pyplot  # noqa: E402,F401
import torch  # noqa: E402,F401
import torchvision  # noqa: E402,F401


def become(script: Path, workdir: str, outdir: Path) -> int:
    os.chdir(workdir)
    for fd, suffix in ((1, "out"), (2, "err")):
        handle = os.open(outdir / f"{script.stem}.{suffix}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(handle, fd)
        os.close(handle)
    sys.stdout, sys.stderr = open(1, "w", closefd=False), open(2, "w", closefd=False)
    sys.argv, sys.path[0] = [str(script)], str(script.parent)
    try:
        runpy.run_path(str(script), run_name="__main__")
        return 0
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def main() -> None:
    workdir, outdir, scripts = sys.argv[1], Path(sys.argv[2]), [Path(s) for s in sys.argv[3:]]
    children = {}
    for script in scripts:
        pid = os.fork()
        if pid == 0:
            os._exit(become(script, workdir, outdir))
        children[pid] = script
    while children:
        pid, status = os.wait()
        (outdir / f"{children.pop(pid).stem}.status").write_text(str(os.waitstatus_to_exitcode(status)))


if __name__ == "__main__":
    main()
