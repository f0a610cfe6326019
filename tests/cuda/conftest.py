"""What every cuda test shares: the `cuda` mark, a skip where torch sees no GPU (so `make test` stays green
on CPU-only machines; `make test-gpu` refuses to start without one), and the snippets' runs on both devices.

The runs are scripts in their own processes, as a reader runs them, with torch's defaults: full float32
matmuls (no TF32) since torch 1.12, so GPU and CPU differ only in the order they add terms, within 1e-4 of
each printed decimal number (tested_docs.compare.DEVICE_TOLERANCE). cuDNN convolutions do default to TF32;
no snippet has one today, and one added would need its margin checked. A section that prints nothing compares
as empty on both (it still has to run without failing on the GPU). Only torch, pytest and tested_docs'
standard-library parts are imported here: GPU machines have no mkdocs, markdown or pytest-codeblocks.
"""

from pathlib import Path

import pytest
import torch

from tested_docs.paths import snippet_files
from tested_docs.runner import run_snippets

HERE = Path(__file__).parent
NO_GPU = "no CUDA GPU here (torch.cuda.is_available() is False); `make test-gpu` on a machine with an NVIDIA GPU runs these"


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.cuda)
            if not torch.cuda.is_available():
                item.add_marker(pytest.mark.skip(reason=NO_GPU))


@pytest.fixture(scope="session")
def device_runs(reader_dir, tmp_path_factory) -> tuple[dict, dict]:
    """({snippet: its run with the GPU hidden, CUDA_VISIBLE_DEVICES=""}, {snippet: its run on the GPU}):
    the one runner's runs, each snippet as a script in its own process, on the offline FashionMNIST."""
    cache = tmp_path_factory.mktemp("device-runs")
    data = reader_dir / "data"
    return (run_snippets(snippet_files(), data, cache, env={"CUDA_VISIBLE_DEVICES": ""}),
            run_snippets(snippet_files(), data, cache))
