"""The one comparison of a shown output with a printed one, used by every check and by `make outputs`.

Exact, except in a listing marked `<!--pytest.mark.float_tolerance(x)-->`: there every decimal number
printed may differ from the shown one by at most x (a matrix product's last digit depends on the CPU
and its BLAS), and everything else, the count of numbers included, must be identical but for
whitespace (torch widens a printed tensor's columns when one value turns from 0.0000 to -0.0001).
"""

import re

# What a run on a GPU prints differently from the same run on the CPU, by design (the page says so): the
# device's name, and the `device=` a printed tensor carries when it is not on the CPU.
DEVICE_FIELD = re.compile(r",\s*device='cuda:\d+'")
DEVICE_NAME = re.compile(r"\bcuda(?::\d+)?\b")
# 1e-4 on every printed decimal number: one unit in the 4th decimal, where most outputs stop (a GPU sums in
# another order than the CPU's BLAS); a number printed with fewer decimals must match exactly.
DEVICE_TOLERANCE = 1e-4

NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")
SPACE = re.compile(r"\s+")


def agree(shown: str, printed: str, tolerance: float = 0.0) -> bool:
    shown, printed = shown.rstrip("\n"), printed.rstrip("\n")
    if shown == printed:
        return True
    if not tolerance:
        return False
    a, b = NUMBER.findall(shown), NUMBER.findall(printed)
    return (
        [SPACE.sub("", part) for part in NUMBER.split(shown)] == [SPACE.sub("", part) for part in NUMBER.split(printed)]
        and len(a) == len(b)
        and all(abs(float(x) - float(y)) <= tolerance * (1 + 1e-9) for x, y in zip(a, b))
    )


def as_on_the_cpu(printed: str) -> str:
    """A GPU run's output with the device's name read as the CPU's: `cuda:0` -> `cpu`, no `device='cuda:0'`."""
    return DEVICE_NAME.sub("cpu", DEVICE_FIELD.sub("", printed))


def same_on_both_devices(on_cpu: str, on_gpu: str, run_dependent: bool = False) -> bool:
    """Whether a section printed on the GPU what it printed on the CPU, but for the device's name and a
    difference of at most DEVICE_TOLERANCE in each printed decimal number. A run-dependent section (a training log, shown on its page as the
    build's own run) must print the same lines and words; its numbers are each device's own."""
    return agree(on_cpu, as_on_the_cpu(on_gpu), float("inf") if run_dependent else DEVICE_TOLERANCE)


def parity_problem(cpu, gpu, section: str, run_dependent: bool = False) -> str | None:
    """What differs between one section's output in a snippet's run with the GPU hidden and its run on the
    GPU (tested_docs.runner.Run, each), or None. `run_dependent`: see same_on_both_devices."""
    for run, where in ((cpu, "with the GPU hidden"), (gpu, "on the GPU")):
        if failure := run.failure():
            return f"{where}: {failure}"
    on_cpu, on_gpu = cpu.output(section), gpu.output(section)
    if same_on_both_devices(on_cpu, on_gpu, run_dependent):
        return None
    return (f"snippets/{cpu.name}:{section} printed with the GPU hidden\n{on_cpu}\nbut on the GPU (its device "
            f"names read as the CPU's)\n{as_on_the_cpu(on_gpu)}")
