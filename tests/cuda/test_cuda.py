"""The cuda path: each snippet's code runs on an NVIDIA GPU, and the GPU agrees with the CPU.

Every test here is marked `cuda` and skips where torch sees no CUDA device, so `make test` stays
green on CPU-only machines; `make test-gpu` runs only this file and refuses to start without a GPU.
Only torch, torchvision, matplotlib (network_components.py draws its samples), numpy and pytest are needed (no mkdocs, markdown or pytest-codeblocks), so
it runs as it is on a GPU machine without the site's build tools.

Tolerance, GPU against CPU: rtol = atol = 1e-5, with TF32 off (full float32 matmuls, torch's default
since 1.12, pinned by `full_float32_matmul`). Both devices then compute in float32 and differ only in
the order cuBLAS and the CPU's BLAS add the terms. Measured on the CPU against float64, these float32
logits (up to 0.41 in size) are off by at most 8.3e-8, so 1e-5 leaves a hundredfold margin; TF32
(10-bit mantissa) errs by about 1e-4 on the same network and would fail it.
"""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import as_reader  # tests/as_reader.py

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"  # not from tested_docs.pages: that needs markdown
RTOL = ATOL = 1e-5  # see the module docstring


def on_gpu(*tensors) -> bool:
    return all(t.device.type == "cuda" for t in tensors)


def run_snippet(name: str, workdir: Path, run_name: str = "snippet") -> dict:
    """snippets/<name>'s globals, run in-process from workdir (`run_name="snippet"`: without its __main__ demo)."""
    return as_reader.run_snippet(SNIPPETS / name, workdir, run_name)


def assert_same_predictions(cpu_logits: torch.Tensor, gpu_logits: torch.Tensor):
    """Predicted classes agree; each row's top two CPU logits lie further apart than the tolerance, so they must."""
    top2 = cpu_logits.topk(2, dim=1).values
    margins = top2[:, 0] - top2[:, 1]
    assert bool((margins > 2 * (ATOL + RTOL * top2[:, 0].abs())).all()), f"a near tie decides no class: margins {margins}"
    assert torch.equal(gpu_logits.argmax(dim=1).cpu(), cpu_logits.argmax(dim=1))


@pytest.fixture(scope="module")
def eager_demo(reader_dir):
    """eager_model.py's demo (its __main__ part), run in-process on the device it picks."""
    return run_snippet("eager_model.py", reader_dir, run_name="__main__")


def test_eager_model_script_says_cuda(reader_dir):
    """The reader's script, run as a script, picks the GPU and predicts what the CPU predicts."""
    def run(env):
        done = subprocess.run(
            [sys.executable, str(SNIPPETS / "eager_model.py")], cwd=reader_dir, capture_output=True, text=True, env=env, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    gpu = run(os.environ)
    cpu = run({**os.environ, "CUDA_VISIBLE_DEVICES": ""})  # the same script with the GPU hidden
    assert gpu[0] == "Using cuda device"
    assert cpu[0] == "Using cpu device"
    assert any("device='cuda:0'" in line for line in gpu), "the printed logits do not live on the GPU"
    assert gpu[-2:] == cpu[-2:], "the probability sum or the predicted class differs from the CPU run's"


def test_eager_model_demo_lives_on_the_gpu(eager_demo):
    demo = eager_demo
    assert demo["device"].type == "cuda"
    assert on_gpu(*demo["model"].parameters())
    assert on_gpu(demo["X"], demo["logits"], demo["probabilities"], demo["predicted_class"])


def test_eager_model_gpu_matches_cpu(eager_demo):
    """The same seeded weights and input on the CPU give the GPU's logits, probabilities and class."""
    demo = eager_demo
    eager_model = as_reader.import_snippet(SNIPPETS / "eager_model.py")
    torch.manual_seed(0)  # as the demo seeds it: the weights and image are drawn on the CPU either way
    cpu_model = eager_model.NeuralNetwork()
    cpu_X = torch.rand(1, 1, 28, 28)
    gpu_state = {k: v.cpu() for k, v in demo["model"].state_dict().items()}
    assert all(torch.equal(gpu_state[k], v) for k, v in cpu_model.state_dict().items()), "the seed gave other weights"
    assert torch.equal(demo["X"].cpu(), cpu_X)

    with torch.no_grad():
        cpu_logits = cpu_model(cpu_X)
    torch.testing.assert_close(demo["logits"].detach().cpu(), cpu_logits, rtol=RTOL, atol=ATOL)
    torch.testing.assert_close(demo["probabilities"].detach().cpu(), torch.softmax(cpu_logits, dim=1), rtol=RTOL, atol=ATOL)
    assert_same_predictions(cpu_logits, demo["logits"].detach())
    assert demo["predicted_class"].item() == cpu_logits.argmax(dim=1).item()


def test_network_components_pipeline_on_the_gpu(reader_dir):
    """The FashionMNIST images and the snippet's own layers, moved to the GPU, give the CPU's results."""
    cpu = run_snippet("network_components.py", reader_dir)  # as written: on the CPU, FashionMNIST from ./data
    gpu_images = cpu["images"].to("cuda")
    gpu_seq = copy.deepcopy(cpu["seq_modules"]).to("cuda")  # flatten, layer1 (the same weights), ReLU, Linear
    assert on_gpu(gpu_images, *gpu_seq.parameters())

    with torch.no_grad():
        flat = gpu_seq[0](gpu_images)
        hidden1 = gpu_seq[1](flat)
        activated = cpu["relu"](hidden1)
        logits = gpu_seq(gpu_images)
        probabilities = cpu["softmax"](logits)
    assert on_gpu(flat, hidden1, activated, logits, probabilities)
    for name, gpu_value in [("flat_images", flat), ("hidden1", hidden1), ("activated", activated), ("logits", logits), ("probabilities", probabilities)]:
        torch.testing.assert_close(gpu_value.cpu(), cpu[name].detach(), rtol=RTOL, atol=ATOL, msg=lambda m: f"{name}: {m}")
    assert not bool((activated < 0).any())
    assert torch.allclose(probabilities.sum(dim=1), torch.ones(3, device="cuda"))
    assert_same_predictions(cpu["logits"].detach(), logits)


def test_model_params_move_to_the_gpu_unchanged(reader_dir):
    """model_params.py's model on the GPU: every parameter there, bit for bit the CPU's, the same count."""
    cpu = run_snippet("model_params.py", reader_dir)
    cpu_params = dict(cpu["model"].named_parameters())
    gpu_model = copy.deepcopy(cpu["model"]).to("cuda")
    gpu_params = dict(gpu_model.named_parameters())
    assert list(gpu_params) == list(cpu_params)
    assert on_gpu(*gpu_params.values())
    for name, param in gpu_params.items():
        assert torch.equal(param.detach().cpu(), cpu_params[name].detach()), name
    assert sum(p.numel() for p in gpu_model.parameters()) == cpu["total"]
