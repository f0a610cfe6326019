"""What every cuda test shares: the `cuda` mark, a skip where torch sees no GPU (so `make test` stays green
on CPU-only machines; `make test-gpu` refuses to start without one), and full float32 matmuls.

Tolerance, GPU against CPU, rtol = atol = 1e-5 (RTOL, ATOL in each file), with TF32 off: both devices
then compute in float32 and differ only in the order cuBLAS and the CPU's BLAS add the terms. Only torch
and pytest are imported here: GPU machines have no mkdocs, markdown or pytest-codeblocks.
"""

from pathlib import Path

import pytest
import torch

HERE = Path(__file__).parent
NO_GPU = "no CUDA GPU here (torch.cuda.is_available() is False); `make test-gpu` on a machine with an NVIDIA GPU runs these"


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.cuda)
            if not torch.cuda.is_available():
                item.add_marker(pytest.mark.skip(reason=NO_GPU))


@pytest.fixture(autouse=True)
def full_float32_matmul():
    """TF32 off for the comparisons: the tolerance is for float32 arithmetic on both devices."""
    before = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("highest")
    yield
    torch.set_float32_matmul_precision(before)
