"""Where tensors-and-data.md's prose or math names a shape, a size or a number, it agrees with the code.

Each number is derived here from the tensors, datasets and loaders of the page's three snippets
(imported, so they run; data_loading.py and data_mistakes.py from a reader's folder whose ./data holds
the offline FashionMNIST stand-in), not copied from the page.
"""

import math
from pathlib import Path

import pytest
import torch
from torch.utils.data import DataLoader

from tested_docs.runner import import_snippet

PAGE_PATH = Path(__file__).parents[1] / "docs" / "tensors-and-data.md"
PAGE = " ".join(PAGE_PATH.read_text(encoding="utf-8").split())  # line breaks in the prose do not matter
SNIPPETS = Path(__file__).parents[1] / "snippets"
WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 10: "ten"}


def load_snippet(name: str, workdir: Path | None = None):
    """snippets/<name>.py as a module, run from workdir when it reads ./data."""
    return import_snippet(SNIPPETS / f"{name}.py", workdir)


def by(shape) -> str:
    """A shape as the prose writes it: 2×3."""
    return "×".join(str(n) for n in shape)


@pytest.fixture(scope="module")
def basics():
    return load_snippet("tensor_basics")


@pytest.fixture(scope="module")
def loading(reader_dir):
    return load_snippet("data_loading", reader_dir)


@pytest.fixture(scope="module")
def mistakes(reader_dir):
    return load_snippet("data_mistakes", reader_dir)


# ---------------------------------------------------------------- the introduction
def test_script_count_matches_the_includes():
    from tested_docs.pages import listings

    files = {include.file for item in listings(PAGE_PATH) for include in item.sources}
    intro = PAGE.split("## Tensors")[0]
    assert f"one of {WORDS[len(files)]} scripts" in intro
    assert all(f"`{file.removeprefix('snippets/')}`" in intro for file in files)


# ---------------------------------------------------------------- tensors
def test_shape_dtype_device(basics):
    rows, columns = basics.values.shape
    assert f"{rows} rows of {columns} columns, {basics.values.numel()} numbers in all" in PAGE


def test_view_and_reshape(basics):
    n = basics.numbers.numel()
    rows, columns = basics.grid.shape
    assert f"reads the same {n} numbers as {rows} rows of {columns}" in PAGE
    inferred = basics.numbers.reshape(3, -1).shape[1]
    assert inferred == n // 3
    assert f"({n} / 3 = {inferred})" in PAGE
    assert f"writing {basics.numbers[0].item()} into `grid` changed `numbers`" in PAGE


def test_image_shapes(basics):
    assert f"turns one {by(basics.image.shape)} image into a {by(basics.batch.shape)} tensor" in PAGE
    flat = basics.batch.flatten(1).shape
    height, width = basics.image.shape
    assert flat[1] == height * width
    assert f"merges all the others: {by(flat)}, one row of {height} · {width} = {flat[1]} pixel values" in PAGE


def test_cat_and_stack(basics):
    parts = [basics.a, basics.b, basics.c]
    cat0, cat1 = torch.cat(parts).shape, torch.cat(parts, dim=1).shape
    stack0, stack1 = torch.stack(parts).shape, torch.stack(parts, dim=1).shape
    assert (
        f"the {WORDS[len(parts)]} {by(basics.a.shape)} tensors become {by(cat0)} (along dimension 0) "
        f"or {by(cat1)} (along dimension 1)" in PAGE
    )
    assert f"along a *new* dimension — {by(stack0)}, or {by(stack1)} with `dim=1`" in PAGE


def test_broadcasting_shapes(basics):
    row, matrix, column = tuple(basics.row.shape), tuple(basics.matrix.shape), tuple(basics.column.shape)
    assert f"`row`, of shape {row}, lines up with the last dimension of the {matrix} matrix" in PAGE
    assert (basics.matrix + basics.row).shape == basics.matrix.shape
    assert f"`column`, of shape {column}, is added to each of the {matrix[1]} columns" in PAGE
    stretched = tuple((torch.zeros(3, 1) + torch.zeros(4)).shape)
    assert f"(3, 1) and (4,) give {stretched}" in PAGE


def test_matrix_product(basics):
    A, B = basics.A, basics.B
    assert f"\\sum_{{k=1}}^{{{A.shape[1]}}}" in PAGE
    assert f"({by(A.shape)}) @ ({by(B.shape)}) gives {by((A @ B).shape)}" in PAGE
    terms = " + ".join(f"{int(a)} \\cdot {int(b)}" for a, b in zip(A[0].tolist(), B[:, 0].tolist()))
    assert f"\\({terms} = {int((A @ B)[0, 0].item())}\\)" in PAGE


def test_linear_is_a_matrix_product_plus_a_bias():
    from torch import nn

    torch.manual_seed(0)
    layer, x = nn.Linear(3, 2), torch.rand(4, 3)
    torch.testing.assert_close(layer(x), x @ layer.weight.T + layer.bias)
    assert "`nn.Linear` computes `x @ weight.T + bias`, a matrix product plus a bias" in PAGE


def test_reductions(basics):
    scores = basics.scores
    rows, columns = scores.shape
    assert scores.sum(dim=0).numel() == columns and scores.max(dim=1).values.numel() == rows
    assert f"the {by(scores.shape)} `scores` give {columns} sums (one per column) with `dim=0` and {rows} maxima" in PAGE
    assert tuple(scores.sum(dim=0, keepdim=True).shape) == (1, columns)
    assert "removes dimension `d` (with `keepdim=True` it keeps it, as size 1)" in PAGE


# ---------------------------------------------------------------- data
def test_batches_of_the_tensor_dataset(loading):
    n, size = len(loading.dataset), loading.loader.batch_size
    batches = len(DataLoader(loading.dataset, batch_size=size))
    assert batches == math.ceil(n / size)
    assert f"\\(\\lceil {n}/{size} \\rceil = {batches}\\)" in PAGE
    assert f"the last one holds only the {n - (batches - 1) * size} samples left over" in PAGE
    kept = len(DataLoader(loading.dataset, batch_size=size, drop_last=True))
    assert f"\\(\\lfloor {n}/{size} \\rfloor = {kept}\\)" in PAGE
    assert f"`batch_size={size}` hands out the samples {WORDS[size]} at a time" in PAGE


def test_fashion_item(loading):
    image, label = loading.training_data[0]
    channels, height, width = image.shape
    classes = len(loading.training_data.classes)
    assert f"holds {height}×{width} grayscale pictures of clothing in {WORDS[classes]} classes" in PAGE
    assert f"a `float32` tensor of shape {by(image.shape)}: one colour channel (grayscale), {height} rows, {width} columns" in PAGE
    assert channels == 1 and image.dtype == torch.float32 and type(label) is int
    assert f"an index into the {classes} names of `classes`" in PAGE


def test_to_image_bytes(loading):
    info = torch.iinfo(loading.as_image.dtype)
    assert f"into a {by(loading.as_image.shape)} tensor of `{loading.as_image.dtype}`".replace("torch.", "") in PAGE
    assert f"values from {info.min} to {info.max}" in PAGE
    assert f"scales them into [0, 1] by multiplying by 1/{info.max}." in PAGE


def test_to_dtype_multiplies_and_to_tensor_divides():
    """Over every byte value: v2.ToDtype(scale=True) is x * (1/255), ToTensor is x / 255, and the two differ
    in the last bit for some values ("agree up to float rounding", "not always bit for bit the same")."""
    import numpy as np
    from PIL import Image
    from torchvision.transforms import ToTensor, v2

    picture = Image.fromarray(np.arange(256, dtype=np.uint8).reshape(16, 16))
    x = torch.arange(256, dtype=torch.float32).reshape(1, 16, 16)
    scaled = v2.ToDtype(torch.float32, scale=True)(v2.ToImage()(picture)).as_subclass(torch.Tensor)
    old = ToTensor()(picture)
    assert torch.equal(scaled, x * (1 / 255)) and torch.equal(old, x / 255)
    assert not torch.equal(scaled, old) and torch.allclose(scaled, old)
    assert "`ToTensor` divides by 255, which is not always bit for bit the same as multiplying by 1/255" in PAGE


def test_normalize_needs_float_tensors(loading):
    """Normalize refuses a PIL image and ToImage's uint8 tensor, so it must come after ToDtype."""
    from torchvision.transforms import v2

    for refused in (loading.raw_image, v2.ToImage()(loading.raw_image)):
        with pytest.raises(TypeError):
            loading.normalize(refused)
    assert loading.normalize(v2.ToDtype(torch.float32, scale=True)(v2.ToImage()(loading.raw_image))).dtype == torch.float32
    assert "`Normalize` works only on float tensors: it refuses PIL images, and the `uint8` tensors that `ToImage` makes as well, so it comes after `ToDtype`" in PAGE


def test_download_folder(loading, reader_dir):
    raw = Path(loading.training_data.raw_folder)
    assert raw == Path("data") / "FashionMNIST" / "raw" or raw == reader_dir / "data" / "FashionMNIST" / "raw"
    assert f"fetches the files into `{raw.relative_to(raw.parents[2]).as_posix()}/` (a folder under `root=\"data\"`)" in PAGE


def test_fashion_batch(loading):
    X, y = next(iter(loading.test_loader))
    size = loading.train_loader.batch_size
    assert X.shape[0] == size == loading.test_loader.batch_size
    assert f"A batch of {size} images has shape {by(X.shape)}" in PAGE
    assert f"one `{y.dtype}` tensor of {y.numel()} class indices".replace("torch.", "") in PAGE


def test_normalize_range(loading):
    (mean,), (std,) = loading.normalize.mean, loading.normalize.std
    assert mean == std
    low, high = (0 - mean) / std, (1 - mean) / std
    assert f"with \\(\\mu = \\sigma = {mean}\\) the range [0, 1] becomes [−{abs(low):g}, {high:g}]" in PAGE


def test_one_hot_length(loading):
    vector = loading.one_hot(3)
    assert f"into a vector of {vector.numel()} values with a single 1" in PAGE
    assert vector.sum().item() == 1


def test_custom_dataset(loading):
    n, size = len(loading.my_data), loading.my_loader.batch_size
    _, height, width = loading.image.shape  # the custom dataset's first image
    assert f"writes {WORDS[n]} {height}×{width} grayscale PNG images" in PAGE
    sizes = [min(size, n - start) for start in range(0, n, size)]
    assert f"batches its {WORDS[n]} items as {' + '.join(map(str, sizes))}" in PAGE


# ---------------------------------------------------------------- common mistakes
def test_mistake_count(mistakes):
    from tested_docs.sections import sections

    shown = [s.name for s in sections(SNIPPETS / "data_mistakes.py") if s.name != "imports"]
    part = PAGE.split("## Common mistakes")[1].split("## Next")[0]
    assert part.startswith(f" {WORDS[len(shown)].capitalize()} mistakes")
    assert part.count(" ### ") == len(shown)


def test_view_mistake_counts(mistakes):
    assert f"the {mistakes.grid.numel()} numbers no longer lie one after another" in PAGE


def test_broadcast_mistake_numbers(mistakes):
    a, b = mistakes.batch.shape[1], mistakes.bias.shape[0]
    assert f"{a} and {b} are different and neither is 1" in PAGE
    p, t = mistakes.predictions, mistakes.targets
    difference = p - t
    assert f"The predictions have shape {tuple(p.shape)} and the targets {tuple(t.shape)}; broadcasting stretches both to {tuple(difference.shape)}" in PAGE
    assert f"{difference.numel()} differences instead of {t.numel()}" in PAGE
    squares = int((difference ** 2).sum().item())
    mse = (difference ** 2).mean().item()
    assert f"a mean squared error of {squares}/{difference.numel()} = {mse:.4f}" in PAGE
    assert torch.equal(p.squeeze(1), t)  # "predictions that are exactly right"


def test_mse_loss_warns_where_arithmetic_does_not(mistakes):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.nn.MSELoss()(mistakes.predictions, mistakes.targets)
    assert any("different to the input size" in str(w.message) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (mistakes.predictions - mistakes.targets) ** 2  # plain arithmetic: no warning
    assert "`nn.MSELoss` warns about such a shape mismatch; plain arithmetic does not." in PAGE
