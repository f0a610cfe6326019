"""tensor_basics.py on an NVIDIA GPU: it picks the GPU, `.to(device)` leaves the original on the CPU, and
every operation the page shows gives on the GPU what it gives on the CPU.

The snippet runs as written (its device section picks "cuda" where there is a GPU); its tensors are then
moved to "cuda" and the page's operations repeated there. The tensors hold small integers, so indexing,
reshaping, joining, broadcasting and the products are exact on both devices; they are compared with
rtol = atol = 1e-5 and TF32 off (`torch.set_float32_matmul_precision("highest")`), as in
tests/cuda/test_cuda.py, which leaves no room for a wrong result.

Only torch, numpy, pytest and the standard library are imported: it runs on a GPU machine without the
site's build tools. Every test skips where torch sees no CUDA device.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from as_reader import run_snippet  # tests/as_reader.py

# The repository's snippets/, wherever this file sits under tests/.
SNIPPETS = next(p / "snippets" for p in Path(__file__).resolve().parents if (p / "snippets" / "tensor_basics.py").is_file())
RTOL = ATOL = 1e-5


def on_gpu(*tensors) -> bool:
    return all(t.device.type == "cuda" for t in tensors)


def same(gpu: torch.Tensor, cpu: torch.Tensor):
    assert gpu.device.type == "cuda", f"expected a tensor on the GPU, got one on {gpu.device}"
    assert gpu.dtype == cpu.dtype
    torch.testing.assert_close(gpu.cpu(), cpu, rtol=RTOL, atol=ATOL)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """tensor_basics.py's globals, run in-process as a reader runs it (from an empty folder)."""
    workdir = tmp_path_factory.mktemp("tensor-basics")
    return run_snippet(SNIPPETS / "tensor_basics.py", workdir)


def test_tensor_basics_script_says_cuda_and_moves_a_copy(tmp_path):
    """Run as a script: with the GPU it prints the cuda lines; with the GPU hidden, the page's CPU lines."""
    def run(env):
        done = subprocess.run([sys.executable, str(SNIPPETS / "tensor_basics.py")], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    gpu = run(os.environ)
    cpu = run({**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    assert "Using cuda device" in gpu and "x: cpu, x_on_device: cuda:0" in gpu
    assert "Using cpu device" in cpu and "x: cpu, x_on_device: cpu" in cpu
    # Everything else it prints is the same on both: the tensors are built on the CPU.
    differ = [(g, c) for g, c in zip(gpu, cpu) if g != c]
    assert differ == [("Using cuda device", "Using cpu device"), ("x: cpu, x_on_device: cuda:0", "x: cpu, x_on_device: cpu")]
    assert len(gpu) == len(cpu)


def test_tensor_basics_to_device_returns_a_new_tensor_and_keeps_the_original(demo):
    x, moved = demo["x"], demo["x_on_device"]
    assert demo["device"].type == "cuda"
    assert x.device.type == "cpu" and moved.device.type == "cuda"
    assert moved is not x
    assert torch.equal(moved.cpu(), x)
    assert moved.to(moved.device) is moved  # already there: no copy, on the GPU as on the CPU
    back = moved.cpu()
    assert back.device.type == "cpu" and back is not moved


def test_tensor_basics_created_on_the_gpu(demo):
    """torch.tensor, torch.from_numpy (then .to) and torch.zeros with device="cuda" keep their dtypes there."""
    from_list = torch.tensor([[1, 2, 3], [4, 5, 6]], device="cuda")
    same(from_list, demo["from_list"])
    same(torch.from_numpy(demo["array"]).to("cuda"), demo["from_numpy"])
    same(torch.zeros(2, 3, device="cuda"), torch.zeros(2, 3))
    assert torch.tensor([0.5, 1.5], device="cuda").dtype == torch.float32


def test_tensor_basics_indexing_and_shapes_on_the_gpu(demo):
    t = demo["t"].to("cuda")
    same(t[0], demo["t"][0])
    same(t[:, 1], demo["t"][:, 1])
    same(t[1, 2], demo["t"][1, 2])
    same(t[1:, :2], demo["t"][1:, :2])
    same(t[t > 8], demo["t"][demo["t"] > 8])

    numbers = torch.arange(6, device="cuda")
    grid = numbers.view(2, 3)
    grid[0, 0] = 100  # a view shares memory on the GPU too
    assert numbers[0].item() == 100
    assert numbers.reshape(3, -1).shape == (3, 2)

    batch = demo["image"].to("cuda").unsqueeze(0).unsqueeze(0)
    same(batch, demo["batch"])
    assert batch.squeeze().shape == (28, 28) and batch.flatten(1).shape == (1, 784)
    same(demo["photo"].to("cuda").permute(2, 0, 1), demo["photo"].permute(2, 0, 1))


def test_tensor_basics_cat_and_stack_on_the_gpu(demo):
    parts = [demo[name] for name in ("a", "b", "c")]
    gpu = [p.to("cuda") for p in parts]
    same(torch.cat(gpu), torch.cat(parts))
    same(torch.cat(gpu, dim=1), torch.cat(parts, dim=1))
    same(torch.stack(gpu), torch.stack(parts))
    same(torch.stack(gpu, dim=1), torch.stack(parts, dim=1))


def test_tensor_basics_broadcasting_and_products_on_the_gpu(demo):
    matrix, row, column = (demo[n].to("cuda") for n in ("matrix", "row", "column"))
    same(matrix + row, demo["matrix"] + demo["row"])
    same(matrix + column, demo["matrix"] + demo["column"])
    same(matrix * 2, demo["matrix"] * 2)

    A, B = demo["A"].to("cuda"), demo["B"].to("cuda")
    same(A @ B, demo["A"] @ demo["B"])
    same(A * A, demo["A"] * demo["A"])
    same(A @ A.T, demo["A"] @ demo["A"].T)


def test_tensor_basics_reductions_and_item_on_the_gpu(demo):
    scores = demo["scores"].to("cuda")
    same(scores.sum(dim=0), demo["scores"].sum(dim=0))
    same(scores.max(dim=1).values, demo["scores"].max(dim=1).values)
    same(scores.argmax(dim=1), demo["scores"].argmax(dim=1))
    top = scores.max().item()  # item() copies the number back to the host
    assert type(top) is float and top == demo["top"].item()


def test_tensor_basics_numpy_bridge_needs_the_cpu(demo):
    ones = torch.ones(3, device="cuda")
    with pytest.raises(TypeError, match="cpu"):
        ones.numpy()
    array = ones.cpu().numpy()  # a copy in host memory: no longer shared with the GPU tensor
    ones.add_(1)
    assert np.array_equal(array, np.ones(3, dtype=np.float32))
    assert np.array_equal(demo["ones_np"], np.full(3, 2.0, dtype=np.float32))  # the page's CPU case: shared
