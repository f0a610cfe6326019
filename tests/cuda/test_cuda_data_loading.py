"""data_loading.py's batches on an NVIDIA GPU: they move there unchanged, a pinned loader feeds the GPU,
and the page's transforms give on the GPU what they give on the CPU.

The snippet runs as written (data loading is CPU work; the script picks no device) from a reader's
folder whose ./data holds the offline FashionMNIST stand-in (the `reader_dir` fixture). Its loaders,
`normalize` and one-hot dataset are then used with "cuda" tensors and compared with the CPU at
rtol = atol = 1e-5 with TF32 off, as in tests/cuda/test_cuda.py: the transforms are elementwise float32
arithmetic ((x - 0.5) / 0.5, and bytes times 1/255), at most an ulp apart between the devices.

Only torch, pytest and the standard library are imported here (the snippet itself needs torchvision):
it runs on a GPU machine without the site's build tools. Every test skips where torch sees no CUDA device.
"""

from pathlib import Path

import pytest
import torch
from torch.utils.data import DataLoader

from as_reader import run_snippet  # tests/as_reader.py

# The repository's snippets/, wherever this file sits under tests/.
SNIPPETS = next(p / "snippets" for p in Path(__file__).resolve().parents if (p / "snippets" / "data_loading.py").is_file())
RTOL = ATOL = 1e-5


def plain(t: torch.Tensor) -> torch.Tensor:
    """A tv_tensors.Image as a plain tensor, so comparisons see only values, dtype and device."""
    return t.as_subclass(torch.Tensor)


@pytest.fixture(scope="module")
def demo(reader_dir):
    """data_loading.py's globals, run in-process as a reader runs it (from a folder whose ./data holds FashionMNIST)."""
    return run_snippet(SNIPPETS / "data_loading.py", reader_dir)


def test_data_loading_a_batch_moves_to_the_gpu_unchanged(demo):
    X, y = next(iter(demo["test_loader"]))  # not shuffled: the same batch on every call
    X_gpu, y_gpu = X.to("cuda"), y.to("cuda")
    assert X_gpu.device.type == "cuda" and y_gpu.device.type == "cuda"
    assert X.device.type == "cpu" and y.device.type == "cpu"  # .to returned new tensors
    assert (X_gpu.dtype, y_gpu.dtype) == (torch.float32, torch.int64)
    assert tuple(X_gpu.shape) == (demo["test_loader"].batch_size, 1, 28, 28)
    assert torch.equal(X_gpu.cpu(), X) and torch.equal(y_gpu.cpu(), y)


def test_data_loading_a_pinned_loader_feeds_the_gpu(demo):
    """pin_memory=True puts each batch in page-locked memory, from which .to("cuda", non_blocking=True) copies."""
    pinned = DataLoader(demo["test_data"], batch_size=demo["test_loader"].batch_size, pin_memory=True)
    X, y = next(iter(pinned))
    assert X.is_pinned() and y.is_pinned()
    X_gpu, y_gpu = X.to("cuda", non_blocking=True), y.to("cuda", non_blocking=True)
    torch.cuda.synchronize()
    X_cpu, y_cpu = next(iter(demo["test_loader"]))
    assert torch.equal(X_gpu.cpu(), X_cpu) and torch.equal(y_gpu.cpu(), y_cpu)


def test_data_loading_transforms_on_gpu_tensors(demo):
    normalize = demo["normalize"]
    pixels = demo["pixels"]  # the page's 1×1×4 example
    gpu = normalize(pixels.to("cuda"))
    assert gpu.device.type == "cuda"
    torch.testing.assert_close(gpu.cpu(), normalize(pixels), rtol=RTOL, atol=ATOL)

    scaled = plain(demo["scaled"])  # one FashionMNIST image after ToImage and ToDtype
    on_gpu = plain(normalize(scaled.to("cuda")))
    assert on_gpu.device.type == "cuda"
    torch.testing.assert_close(on_gpu.cpu(), plain(normalize(scaled)), rtol=RTOL, atol=ATOL)
    assert bool(on_gpu.min() >= -1) and bool(on_gpu.max() <= 1)

    as_image = plain(demo["as_image"]).to("cuda")  # uint8 on the GPU, then the page's ToDtype there
    to_float = demo["to_tensor"].transforms[1]
    converted = plain(to_float(as_image))
    assert converted.device.type == "cuda" and converted.dtype == torch.float32
    torch.testing.assert_close(converted.cpu(), scaled, rtol=RTOL, atol=ATOL)


def test_data_loading_one_hot_targets_on_the_gpu(demo):
    """The one-hot batch, moved to the GPU, marks the same classes as the plain labels."""
    size = demo["train_loader"].batch_size
    _, one_hot = next(iter(DataLoader(demo["one_hot_data"], batch_size=size)))  # not shuffled
    _, labels = next(iter(DataLoader(demo["training_data"], batch_size=size)))
    one_hot, labels = one_hot.to("cuda"), labels.to("cuda")
    assert one_hot.shape == (size, len(demo["training_data"].classes)) and one_hot.dtype == torch.float32
    assert torch.equal(one_hot.argmax(dim=1), labels)
    assert torch.equal(one_hot.sum(dim=1), torch.ones(size, device="cuda"))
    classes = len(demo["training_data"].classes)
    assert torch.equal(torch.nn.functional.one_hot(labels, num_classes=classes).float(), one_hot)
