"""The GPU parity check (tests/cuda/test_parity.py) can pass and can fail, shown on the CPU: a GPU run is
simulated from the CPU's run of eager_model.py, printed as a GPU prints it."""

import dataclasses

import pytest

from tested_docs.compare import parity_problem


def as_on_a_gpu(run, *replacements):
    chunks = run.chunks
    for old, new in replacements:
        changed = [[section, text.replace(old, new)] for section, text in chunks]
        assert changed != chunks, f"{old!r} is not in {run.name}'s output"
        chunks = changed
    return dataclasses.replace(run, chunks=chunks)


@pytest.mark.parametrize("replacements, holds", [
    ([("Using cpu device", "Using cuda device")], True),
    ([("0.1353", "0.1354"), ("grad_fn=<AddmmBackward0>)", "device='cuda:0', grad_fn=<AddmmBackward0>)")], True),
    ([("0.1353", "0.1365")], False),
    ([("Using cpu device", "Using mps device")], False),
], ids=["device-line", "last-digit-and-device-field", "a-number-off", "another-device"])
def test_parity_allows_the_device_name_and_a_last_digit_only(snippet_runs, replacements, holds):
    cpu = snippet_runs["eager_model.py"]
    gpu = as_on_a_gpu(cpu, *replacements)
    problems = [p for section in dict(cpu.chunks) if section and (p := parity_problem(cpu, gpu, section))]
    assert (not problems) is holds, problems


def test_parity_reports_a_failed_run(snippet_runs):
    cpu = snippet_runs["eager_model.py"]
    gpu = dataclasses.replace(cpu, status=1, error="RuntimeError: CUDA error", failed_in="use-device")
    assert "on the GPU: snippets/eager_model.py:use-device failed" in parity_problem(cpu, gpu, "use-device")


def test_a_training_log_may_differ_in_its_numbers_not_its_lines(snippet_runs):
    """A section its page shows as the build's own run (training_loop.py:train): each device's numbers, the same lines."""
    from tested_docs.compare import NUMBER

    cpu = snippet_runs["training_loop.py"]
    assert NUMBER.search(cpu.output("train")), "the training log prints no decimal number"

    def gpu_printing(change):
        return dataclasses.replace(cpu, chunks=[[s, change(t) if s == "train" else t] for s, t in cpu.chunks])

    other_numbers = gpu_printing(lambda text: NUMBER.sub("9.9999", text))
    assert parity_problem(cpu, other_numbers, "train", run_dependent=True) is None
    assert parity_problem(cpu, other_numbers, "train")  # compared as any section, it would fail
    assert parity_problem(cpu, gpu_printing(lambda text: text + "one line more\n"), "train", run_dependent=True)


def test_the_readme_names_the_snippets_that_pick_a_device():
    """README.md, "On a GPU": which snippets run on the GPU (the others compare the CPU with itself)."""
    from tested_docs.paths import ROOT, snippet_files

    picks = sorted(p.name for p in snippet_files() if "def pick_device" in p.read_text() or "current_accelerator()" in p.read_text()
                   or "pick_device()" in p.read_text())
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "The snippets that pick a device (" + ", ".join(f"`{n}`" for n in picks) + ") run on the GPU" in readme, picks
