"""What the pages claim about a GPU in particular (the parity test reads device names as the CPU's):
the device line names cuda, tensors moved there print `cuda:0`, and a checkpoint saved on a GPU fails to
load where CUDA is hidden, with the message the training page quotes."""

import os
import subprocess
import sys
import textwrap

from tested_docs.paths import ROOT, SNIPPETS
from tested_docs.runner import import_snippet


def test_every_device_line_names_cuda(device_runs):
    cpu, gpu = device_runs
    lines = [name for name, run in cpu.items() if "Using cpu device" in run.stdout]
    assert lines, "no snippet prints a device line"
    for name in lines:
        assert "Using cuda device" in gpu[name].stdout and "Using cpu device" not in gpu[name].stdout, name


def test_tensors_on_the_gpu_print_where_they_live(device_runs):
    """eager-mode: the logits `also show the device they live on, e.g. device='cuda:0'`; tensors:
    the listing prints `x_on_device: cuda:0`."""
    _, gpu = device_runs
    assert "device='cuda:0'" in gpu["eager_model.py"].stdout
    assert "x_on_device: cuda:0" in gpu["tensor_basics.py"].output("device")


def test_a_gpu_checkpoint_without_map_location(tmp_path):
    """A state_dict saved from the GPU loads back onto the GPU; where CUDA is hidden it fails with the
    message the page quotes, and map_location="cpu" loads it."""
    import torch

    NeuralNetwork = import_snippet(SNIPPETS / "eager_model.py").NeuralNetwork
    path = tmp_path / "gpu_model.pth"
    torch.save(NeuralNetwork().to("cuda").state_dict(), path)
    assert all(t.device.type == "cuda" for t in torch.load(path, weights_only=True).values())
    probe = textwrap.dedent(f"""
        import torch
        try:
            torch.load({str(path)!r}, weights_only=True)
        except RuntimeError as error:
            print(f"RuntimeError: {{error}}")
        state = torch.load({str(path)!r}, map_location="cpu", weights_only=True)
        print(all(t.device.type == "cpu" for t in state.values()))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    assert done.returncode == 0, done.stderr
    message, loaded = done.stdout.splitlines()
    assert message.startswith("RuntimeError: Attempting to deserialize object on a CUDA device")
    assert loaded == "True"
    page = (ROOT / "docs" / "training.md").read_text(encoding="utf-8")
    # the quote sits in a folded block, indented: compare the page's lines stripped
    assert message in [line.strip() for line in page.splitlines()], "the page quotes another message than torch gives"
