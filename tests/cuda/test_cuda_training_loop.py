"""The cuda path of training_loop.py: its code runs on an NVIDIA GPU, everything it makes lives there, and
the GPU agrees with the CPU.

Marked `cuda`; every test skips where torch sees no CUDA device. Only torch, torchvision, matplotlib
(the script draws two figures), numpy and pytest are needed.

Tolerance, GPU against CPU: rtol = atol = 1e-5 with TF32 off, as in tests/test_cuda.py. The comparisons
are of one forward pass, one SGD step, or a few steps from the same weights on the same batches: each
step moves a parameter by lr·grad (about 1e-4 here), so float32 rounding differences in the gradients
(relative 1e-6 or less) change the parameters by far less than 1e-5. The full training run is not
compared number for number (65 steps on shuffled real images); it is checked for what the page claims
about it: it learns.
"""

import contextlib
import io
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import as_reader  # tests/as_reader.py
from snippet_sections import sections as snippet_sections  # tests/cuda/ is on sys.path (pytest adds a test's folder)

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "snippets").is_dir())  # tests/ or tests/cuda/
SNIPPETS = ROOT / "snippets"  # not from `pages`: that needs markdown
LOOP = SNIPPETS / "training_loop.py"
RTOL = ATOL = 1e-5  # see the module docstring
LOG_LINE = re.compile(r"^(training on |untrained: |epoch \d+: |  batch )")  # the training log: differs by device and data
EPOCH = re.compile(r"^epoch (\d+): train loss (\d+\.\d+), test loss (\d+\.\d+), test accuracy (\d+\.\d)%$", re.M)
UNTRAINED = re.compile(r"^untrained: test loss (\d+\.\d+), test accuracy (\d+\.\d)%$", re.M)


def on_gpu(*tensors) -> bool:
    return all(t.device.type == "cuda" for t in tensors)


def sections() -> dict[str, str]:
    return snippet_sections(LOOP)


def run_sections(names: list[str], device: str | None = None, workdir: Path | None = None) -> tuple[dict, str]:
    """Run the named sections of training_loop.py in order in one namespace, as the script would (from
    workdir, its folder importable, no command-line arguments). `device` replaces the device the script
    picked, right after its `device` section; None keeps the script's own choice."""
    def override(name, namespace):
        if name == "device" and device is not None:
            namespace["device"] = torch.device(device)

    return as_reader.run_sections(LOOP, sections(), names, workdir, after=override)


def close(gpu: torch.Tensor, cpu: torch.Tensor, what: str):
    torch.testing.assert_close(gpu.detach().cpu(), cpu.detach(), rtol=RTOL, atol=ATOL, msg=lambda m: f"{what}: {m}")


def clear_margins(cpu_logits: torch.Tensor) -> bool:
    """Each row's top two CPU logits lie further apart than the tolerance, so the predicted class must agree."""
    top2 = cpu_logits.topk(2, dim=1).values
    return bool(((top2[:, 0] - top2[:, 1]) > 2 * (ATOL + RTOL * top2[:, 0].abs())).all())


def test_training_loop_picks_the_gpu():
    ns, out = run_sections(["imports", "device"])
    assert ns["device"].type == "cuda"
    assert out == "Using cuda device\n"


def test_training_loop_loss_and_one_step_match_the_cpu():
    """The page's loss demo and its one SGD step: on the GPU, and equal to the CPU's."""
    steps = ["imports", "device", "loss", "one-step"]
    gpu, gpu_out = run_sections(steps)
    cpu, cpu_out = run_sections(steps, device="cpu")
    assert on_gpu(gpu["X"], gpu["y"], gpu["logits"], gpu["loss"], gpu["loss_after"], *gpu["model"].parameters())
    assert torch.equal(gpu["X"].cpu(), cpu["X"]) and torch.equal(gpu["y"].cpu(), cpu["y"])
    close(gpu["logits"], cpu["logits"], "logits")
    close(gpu["by_hand"], cpu["by_hand"], "-mean log-softmax")
    close(gpu["loss"], cpu["loss"], "loss before the step")
    close(gpu["loss_after"], cpu["loss_after"], "loss after the step")
    for (name, p_gpu), p_cpu in zip(gpu["model"].named_parameters(), cpu["model"].parameters()):
        close(p_gpu.grad, p_cpu.grad, f"{name}.grad")
        close(p_gpu, p_cpu, f"{name} after the step")
    assert gpu["moved_as_sgd"] and gpu["loss_after"].item() < gpu["loss"].item()
    # What the page shows under these listings, the device line aside, is the same on both.
    assert gpu_out.splitlines()[1:] == cpu_out.splitlines()[1:]


def test_training_loop_train_and_test_loops_match_the_cpu():
    """train() and test() from the same weights on the same batches (200 images: 4 batches, the last of 8)."""
    generator = torch.Generator().manual_seed(0)
    data = TensorDataset(torch.rand(200, 1, 28, 28, generator=generator), torch.randint(0, 10, (200,), generator=generator))
    results = {}
    for device in ("cuda", "cpu"):
        ns, _ = run_sections(["imports", "device", "train-loop", "test-loop"], device=device)
        torch.manual_seed(0)
        model = ns["NeuralNetwork"]().to(device)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            train_loss = ns["train"](DataLoader(data, batch_size=64), model, loss_fn, optimizer)
        test_loss, accuracy = ns["test"](DataLoader(data, batch_size=64), model, loss_fn)
        with torch.no_grad():
            logits = model(data.tensors[0].to(device))
        results[device] = (model, train_loss, test_loss, accuracy, logits, out.getvalue())

    gpu_model, gpu_train, gpu_test, gpu_accuracy, gpu_logits, gpu_log = results["cuda"]
    cpu_model, cpu_train, cpu_test, cpu_accuracy, cpu_logits, cpu_log = results["cpu"]
    assert on_gpu(*gpu_model.parameters(), gpu_logits)
    for (name, p_gpu), p_cpu in zip(gpu_model.named_parameters(), cpu_model.parameters()):
        close(p_gpu, p_cpu, f"{name} after 4 steps")
    assert math.isclose(gpu_train, cpu_train, rel_tol=RTOL, abs_tol=ATOL)
    assert math.isclose(gpu_test, cpu_test, rel_tol=RTOL, abs_tol=ATOL)
    close(gpu_logits, cpu_logits, "logits after 4 steps")
    if clear_margins(cpu_logits):
        assert gpu_accuracy == cpu_accuracy
    assert gpu_log.splitlines()[-1].endswith("[  200/200 images]") and cpu_log.splitlines()[-1].endswith("[  200/200 images]")


@pytest.fixture(scope="module")
def gpu_run(reader_dir, tmp_path_factory):
    """The whole of training_loop.py, in-process on the GPU it picks, from a reader's folder; its
    namespace, what it printed, and a copy of the model.pth it saved (other tests write one there too)."""
    ns, log = run_sections(list(sections()), workdir=reader_dir)
    saved = tmp_path_factory.mktemp("gpu-run") / "model.pth"
    saved.write_bytes((reader_dir / "model.pth").read_bytes())
    return ns, log, saved


def test_training_loop_run_lives_on_the_gpu_and_learns(gpu_run):
    ns, log, _ = gpu_run
    assert ns["device"].type == "cuda"
    assert on_gpu(*ns["model"].parameters(), *ns["reloaded"].parameters(), ns["logits"])
    start_loss, _ = map(float, UNTRAINED.search(log).groups())
    epochs = [(float(test), float(accuracy) / 100) for _, _, test, accuracy in EPOCH.findall(log)]
    assert len(epochs) == ns["epochs"]
    end_loss, end_accuracy = epochs[-1]
    assert end_loss < start_loss and end_accuracy >= 0.3, log
    assert "same logits after reload: True" in log.splitlines()
    assert "logits: shape (8, 10), on cuda" in log.splitlines()
    assert all(isinstance(p, int) and 0 <= p <= 9 for p in ns["predicted"])


def test_training_loop_model_file_from_the_gpu_loads_on_the_cpu(gpu_run):
    """model.pth saved from the GPU: with map_location="cpu" it gives the CPU the GPU model's logits."""
    ns, _, saved = gpu_run
    cpu_model = ns["NeuralNetwork"]()
    cpu_model.load_state_dict(torch.load(saved, map_location="cpu", weights_only=True))
    assert all(p.device.type == "cpu" for p in cpu_model.parameters())
    cpu_model.eval()
    with torch.no_grad():
        cpu_logits = cpu_model(ns["images"])
    close(ns["logits"], cpu_logits, "logits of the reloaded model")
    if clear_margins(cpu_logits):
        assert cpu_logits.argmax(dim=1).tolist() == ns["predicted"]


def test_training_loop_gpu_checkpoint_without_map_location(tmp_path):
    """A state_dict saved from the GPU loads back onto the GPU; where CUDA is hidden it fails with the
    message the page quotes, and map_location="cpu" loads it."""
    NeuralNetwork = as_reader.import_snippet(SNIPPETS / "eager_model.py").NeuralNetwork
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
    assert f"\n{message}\n" in page, "the page quotes another message than torch gives"


def test_training_loop_script_says_cuda_and_prints_what_the_cpu_prints(reader_dir):
    """The reader's script, run as a script with and without the GPU: the outputs the page compares are
    the same, apart from the device it names; the training log is the GPU's own and shows learning."""
    def run(env):
        done = subprocess.run([sys.executable, str(LOOP)], cwd=reader_dir, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    gpu = run(os.environ)
    cpu = run({**os.environ, "CUDA_VISIBLE_DEVICES": ""})  # the same script with the GPU hidden
    compared = lambda out: [line for line in out.splitlines() if not LOG_LINE.match(line)]
    gpu_lines, cpu_lines = compared(gpu), compared(cpu)
    assert gpu_lines[0] == "Using cuda device" and cpu_lines[0] == "Using cpu device"
    assert "logits: shape (8, 10), on cuda" in gpu_lines and "logits: shape (8, 10), on cpu" in cpu_lines
    same = lambda lines: [line.replace("on cuda", "on cpu") for line in lines[1:]]
    assert same(gpu_lines) == cpu_lines[1:]
    start_loss, _ = map(float, UNTRAINED.search(gpu).groups())
    end_loss, end_accuracy = float(EPOCH.findall(gpu)[-1][2]), float(EPOCH.findall(gpu)[-1][3]) / 100
    assert end_loss < start_loss and end_accuracy >= 0.3, gpu
