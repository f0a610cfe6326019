"""Where datasets.md's prose or math names a shape, a size or a number, or says how PyTorch behaves, it
agrees with the code and with torch and torchvision.

Each number is derived here from the datasets and loaders of the page's two snippets (imported, so they
run, from a reader's folder whose ./data holds the offline FashionMNIST stand-in), not copied from the
page; each behaviour the prose states is tried on the installed torch and torchvision.
"""

import collections
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, default_collate

from prose import WORDS, by, page_text
from tested_docs.paths import DOCS, SNIPPETS
from tested_docs.runner import import_snippet

PAGE_PATH = DOCS / "datasets.md"
SOURCE, PAGE = page_text("datasets.md")


@pytest.fixture(scope="module")
def loading(reader_dir):
    return import_snippet(SNIPPETS / "data_loading.py", reader_dir)


@pytest.fixture(scope="module")
def mistakes(reader_dir):
    return import_snippet(SNIPPETS / "data_mistakes.py", reader_dir)


# ---------------------------------------------------------------- the introduction
def test_script_count_matches_the_includes():
    from tested_docs.pages import listings

    files = {include.file for item in listings(PAGE_PATH) for include in item.sources}
    intro = " ".join(SOURCE.split("\n## ")[0].split())
    assert f"one of {WORDS[len(files)]} scripts" in intro
    assert all(f"`{file.removeprefix('snippets/')}`" in intro for file in files)


def test_the_script_named_as_downloading_is_the_first_that_does():
    """The intro says data_loading.py's first run downloads FashionMNIST, as the home page's Start here does."""
    assert "FashionMNIST(" in (SNIPPETS / "data_loading.py").read_text(encoding="utf-8")
    assert "e.g. `python data_loading.py`. Its first run downloads FashionMNIST, about 30 MB, into `./data`" in PAGE


def test_a_dataset_with_a_length_is_map_style_and_the_base_class_has_none():
    """Dataset itself has no __len__ (a subclass gives it one); IterableDataset is the other kind, a stream
    a DataLoader cannot shuffle by index."""
    from torch.utils.data import Dataset, IterableDataset, TensorDataset

    assert not hasattr(Dataset, "__len__") and hasattr(TensorDataset, "__len__")

    class Stream(IterableDataset):
        def __iter__(self):
            return iter(range(5))

    assert [b.tolist() for b in DataLoader(Stream(), batch_size=2)] == [[0, 1], [2, 3], [4]]
    with pytest.raises(ValueError):
        DataLoader(Stream(), batch_size=2, shuffle=True)
    assert "* a map-style [`Dataset`]" in PAGE and PAGE.count("map-style") == 1
    assert "the other kind, an `IterableDataset`, hands out its samples one after another, as a stream" in PAGE


# ---------------------------------------------------------------- TensorDataset and DataLoader
def test_batches_of_the_tensor_dataset(loading):
    n, size = len(loading.dataset), 4
    batches = len(DataLoader(loading.dataset, batch_size=size))
    assert batches == math.ceil(n / size)
    assert f"\\(\\lceil {n}/{size} \\rceil = {batches}\\)" in PAGE
    assert "make \\(\\lceil N/B \\rceil\\) batches, \\(N/B\\) rounded up" in PAGE
    assert f"the last one holds only the {n - (batches - 1) * size} samples left over" in PAGE
    kept = len(DataLoader(loading.dataset, batch_size=size, drop_last=True))
    assert f"\\(\\lfloor {n}/{size} \\rfloor = {kept}\\)" in PAGE
    assert f"`batch_size={size}` hands out the samples {WORDS[size]} at a time" in PAGE


def test_default_collate_handles_what_the_page_lists():
    """Tensors and NumPy arrays are stacked along a new dimension 0, numbers become a tensor (ints int64,
    floats float64); tuples, lists, named tuples, dicts and other sequences and mappings are collated
    position by position or key by key; strings stay strings, gathered in a sequence (a tuple inside
    tuples, the batch's own list at the top)."""
    a, b = torch.tensor([1, 2]), torch.tensor([3, 4])
    assert torch.equal(default_collate([a, b]), torch.stack([a, b]))
    assert torch.equal(default_collate([np.array([1, 2]), np.array([3, 4])]), torch.stack([a, b]))
    assert torch.equal(default_collate([1, 3]), torch.tensor([1, 3]))
    assert default_collate([1, 3]).dtype == torch.int64 and default_collate([1.5, 2.5]).dtype == torch.float64
    assert default_collate(["a", "b"]) == ["a", "b"]
    floats, strings = default_collate([(1.5, "a"), (2.5, "b")])
    assert floats.dtype == torch.float64 and strings == ("a", "b")
    pairs = default_collate([(a, 0), (b, 1)])  # tuples: position by position
    assert torch.equal(pairs[0], torch.stack([a, b])) and torch.equal(pairs[1], torch.tensor([0, 1]))
    lists = default_collate([[1, 2], [3, 4]])
    assert [t.tolist() for t in lists] == [[1, 3], [2, 4]]
    Pair = collections.namedtuple("Pair", "x y")
    named = default_collate([Pair(a, 0), Pair(b, 1)])
    assert type(named) is Pair and torch.equal(named.x, torch.stack([a, b])) and named.y.tolist() == [0, 1]
    keyed = default_collate([{"x": a, "name": "a"}, {"x": b, "name": "b"}])
    assert torch.equal(keyed["x"], torch.stack([a, b])) and keyed["name"] == ["a", "b"]
    other_mapping = default_collate([collections.OrderedDict(x=1), collections.OrderedDict(x=2)])
    assert other_mapping["x"].tolist() == [1, 2]
    other_sequence = default_collate([collections.UserList([1, 2]), collections.UserList([3, 4])])
    assert [t.tolist() for t in other_sequence] == [[1, 3], [2, 4]]
    assert ("stacks tensors along a new dimension 0 and collates tuples position by position, so a batch of "
            "`(feature, target)` pairs arrives as two tensors, `X` and `y`") in PAGE
    assert ("It stacks NumPy arrays the same way. Samples that are lists, named tuples or dicts (any sequence "
            "or mapping) it collates position by position, or key by key. Python numbers it turns into a "
            "tensor, `int`s into `int64` and `float`s into `float64`; strings it leaves as strings, gathered "
            "in a sequence") in PAGE
    assert "keeps as a list" not in PAGE


def test_python_float_targets_give_float64_batches(loading):
    """The folded listing's floats become float64; with such features a float32 layer refuses the batch, with
    such targets the loss is float64; the page's TensorDataset features are float32."""
    floats, ints, strings = loading.collated
    assert floats.dtype == torch.float64 and ints.dtype == torch.int64 and strings == ("a", "b")
    pairs = [(float(i), float(2 * i)) for i in range(4)]
    X, y = next(iter(DataLoader(pairs, batch_size=4)))
    assert X.dtype == y.dtype == torch.float64
    torch.manual_seed(0)
    layer = torch.nn.Linear(1, 1)
    with pytest.raises(RuntimeError, match="dtype"):
        layer(X.unsqueeze(1))
    prediction = layer(X.unsqueeze(1).float()).squeeze(1)
    assert torch.nn.MSELoss()(prediction, y).dtype == torch.float64
    assert torch.nn.MSELoss()(prediction, y.float()).dtype == torch.float32
    assert loading.features.dtype == torch.float32
    assert ("So a dataset whose features or targets are Python floats gives `float64` batches, the dtype of "
            "the [first mistake on the Tensors page](tensors.md#common-mistakes): a `float32` layer refuses "
            "such features, and such targets make the loss `float64`") in PAGE
    assert "as the `features` above are, or convert each batch with `.float()`" in PAGE


def test_shuffle_draws_a_new_order_on_every_iter(loading):
    """Each iter(loader) reshuffles, even when the loop before it stopped after one batch; the same seed
    gives the same sequence of orders."""
    def first_batches(seed: int) -> list[list[int]]:
        generator = torch.Generator().manual_seed(seed)
        loader = DataLoader(loading.dataset, batch_size=5, shuffle=True, generator=generator)
        return [next(iter(loader))[1].tolist() for _ in range(3)]  # three loops, each left after one batch

    orders = first_batches(0)
    assert len({tuple(order) for order in orders}) == 3
    assert first_batches(0) == orders
    assert "the loader draws a new order every time a loop over it starts — each `for` loop, or each `iter(loader)`" in PAGE


# ---------------------------------------------------------------- FashionMNIST
def test_fashion_item(loading):
    image, label = loading.training_data[0]
    channels, height, width = image.shape
    classes = len(loading.training_data.classes)
    assert f"holds {height}×{width} grayscale pictures of clothing in {WORDS[classes]} classes" in PAGE
    assert f"a `float32` tensor of shape {by(image.shape)}: one colour channel (grayscale), {height} rows, {width} columns" in PAGE
    assert channels == 1 and image.dtype == torch.float32 and type(label) is int
    assert f"an index into the {classes} names of `classes`" in PAGE


def test_the_image_is_a_tv_tensor_and_a_batch_is_a_plain_tensor(loading):
    from torchvision import tv_tensors

    image, _ = loading.training_data[0]
    assert type(image) is tv_tensors.Image and isinstance(image, torch.Tensor)
    X, _ = next(iter(DataLoader(loading.training_data, batch_size=2)))
    assert type(X) is torch.Tensor
    assert "Strictly, the image is a `torchvision.tv_tensors.Image`: a subclass of `torch.Tensor`" in PAGE
    assert "a batch from a `DataLoader` is a plain tensor" in PAGE


def test_download_folder(loading, reader_dir):
    raw = Path(loading.training_data.raw_folder)
    assert raw == Path("data") / "FashionMNIST" / "raw" or raw == reader_dir / "data" / "FashionMNIST" / "raw"
    assert f"fetches the files into `{raw.relative_to(raw.parents[2]).as_posix()}/` (a folder under `root=\"data\"`)" in PAGE


# ---------------------------------------------------------------- transforms
def test_to_image_bytes(loading):
    info = torch.iinfo(loading.as_image.dtype)
    assert f"into a {by(loading.as_image.shape)} tensor of `{loading.as_image.dtype}`".replace("torch.", "") in PAGE
    assert f"values from {info.min} to {info.max}" in PAGE
    assert f"scales them into [0, 1] by multiplying by 1/{info.max}." in PAGE


def test_to_dtype_multiplies_and_to_tensor_divides():
    """Over every byte value: v2.ToDtype(scale=True) is x * (1/255), ToTensor is x / 255, and the two differ
    in the last bit for some values ("agree up to float rounding", "not always bit for bit the same")."""
    from PIL import Image
    from torchvision.transforms import ToTensor, v2

    picture = Image.fromarray(np.arange(256, dtype=np.uint8).reshape(16, 16))
    x = torch.arange(256, dtype=torch.float32).reshape(1, 16, 16)
    scaled = v2.ToDtype(torch.float32, scale=True)(v2.ToImage()(picture)).as_subclass(torch.Tensor)
    old = ToTensor()(picture)
    assert torch.equal(scaled, x * (1 / 255)) and torch.equal(old, x / 255)
    assert not torch.equal(scaled, old) and torch.allclose(scaled, old)
    differ = int((scaled != old).sum())
    assert 0.4 * 256 <= differ <= 0.6 * 256  # 126 on torch 2.6 and 2.14
    assert ("`ToTensor` divides by 255, which for about half of the 256 byte values differs in the last bit "
            "from multiplying by 1/255") in PAGE


def test_fashion_batch(loading):
    X, y = next(iter(loading.test_loader))
    size = loading.train_loader.batch_size
    assert X.shape[0] == size == loading.test_loader.batch_size
    assert f"A batch of {size} images has shape {by(X.shape)}, read as N×C×H×W" in PAGE and X.dim() == 4
    assert f"one `{y.dtype}` tensor of {y.numel()} class indices".replace("torch.", "") in PAGE


# ---------------------------------------------------------------- Normalize
def test_normalize_needs_float_tensors(loading):
    """Normalize refuses a PIL image and ToImage's uint8 tensor, so it must come after ToDtype."""
    from torchvision.transforms import v2

    for refused in (loading.raw_image, v2.ToImage()(loading.raw_image)):
        with pytest.raises(TypeError):
            loading.normalize(refused)
    assert loading.normalize(v2.ToDtype(torch.float32, scale=True)(v2.ToImage()(loading.raw_image))).dtype == torch.float32
    assert "It works only on float tensors: it refuses PIL images, and the `uint8` tensors that `ToImage` makes as well, so it comes after `ToDtype`" in PAGE


def test_normalize_range(loading):
    (mean,), (std,) = loading.normalize.mean, loading.normalize.std
    assert mean == std
    low, high = (0 - mean) / std, (1 - mean) / std
    assert f"with \\(\\mu = \\sigma = {mean}\\) for the one channel the range [0, 1] becomes [−{abs(low):g}, {high:g}]" in PAGE


def test_normalize_uses_the_numbers_passed_per_channel():
    """(x - mean[c]) / std[c] for channel c, whatever the data's own mean and spread."""
    from torchvision.transforms import v2

    mean, std = [0.5, 0.0], [0.5, 2.0]
    x = torch.tensor([[[1.0, 0.0, 1.0]], [[2.0, 4.0, 8.0]]])  # 2 channels, whose means are not 0.5 and 0
    out = v2.Normalize(mean=mean, std=std)(x)
    for c in range(2):
        torch.testing.assert_close(out[c], (x[c] - mean[c]) / std[c])
    assert out.mean().item() != 0  # it does not centre the data it is given
    assert "takes one mean \\(\\mu_c\\) and one standard deviation \\(\\sigma_c\\) per channel \\(c\\), the numbers you pass it" in PAGE
    assert "x' = \\frac{x - \\mu_c}{\\sigma_c}" in PAGE
    assert "`Normalize` does not measure the data: it uses the numbers it is given" in PAGE


# ---------------------------------------------------------------- targets
def test_one_hot_length(loading):
    vector = loading.one_hot(3)
    classes = len(loading.training_data.classes)
    assert vector.numel() == classes
    assert f"given `num_classes` (here the {classes} classes), turns a class index into a vector of {vector.numel()} values with a single 1" in PAGE
    assert vector.sum().item() == 1
    import torch.nn.functional as F

    assert F.one_hot(torch.tensor([3, 1])).shape == (2, 4)  # no num_classes: the largest index plus one
    assert F.one_hot(torch.tensor(3), num_classes=classes).dtype == torch.int64 and vector.dtype == torch.float32
    assert "without it, the vector is as long as the largest index it is given, plus one. It returns `int64`, hence the `.float()`" in PAGE


def test_targets_and_loss_are_defined_before_one_hot_and_cross_entropy():
    first = {term: PAGE.index(term) for term in ("*target*", "*loss*", "*one-hot*", "CrossEntropyLoss", "F.one_hot")}
    assert first["*target*"] < first["*loss*"] < first["*one-hot*"] < first["F.one_hot"] < first["CrossEntropyLoss"]


def test_cross_entropy_takes_the_class_index():
    torch.manual_seed(0)
    logits, labels = torch.randn(4, 10), torch.tensor([3, 0, 9, 1])
    by_index = torch.nn.CrossEntropyLoss()(logits, labels)
    by_one_hot = torch.nn.CrossEntropyLoss()(logits, torch.nn.functional.one_hot(labels, 10).float())
    torch.testing.assert_close(by_index, by_one_hot)
    assert "`nn.CrossEntropyLoss`, the loss the training page uses, takes the plain class index" in PAGE


# ---------------------------------------------------------------- a Dataset of your own
def test_custom_dataset(loading):
    n, size = len(loading.my_data), loading.my_loader.batch_size
    _, height, width = loading.image.shape  # the custom dataset's first image
    assert f"writes {WORDS[n]} {height}×{width} grayscale PNG images" in PAGE
    sizes = [min(size, n - start) for start in range(0, n, size)]
    assert f"batches its {WORDS[n]} items as {' + '.join(map(str, sizes))}" in PAGE


# ---------------------------------------------------------------- common mistakes
def test_mistake_count():
    from tested_docs.sections import sections

    shown = [s.name for s in sections(SNIPPETS / "data_mistakes.py") if s.name != "imports"]
    part = " ".join(SOURCE.split("\n## Common mistakes\n")[1].split("\n## ")[0].split())
    assert part.startswith(f"{WORDS[len(shown)].capitalize()} mistakes with data")
    assert part.count('??? warning "Common mistake: ') == len(shown)
    assert "??? warning" not in SOURCE.split("\n## Common mistakes\n")[0], "every mistake is folded at the end"


def test_a_tensors_to_returns_a_new_tensor_and_a_modules_to_changes_the_module(mistakes):
    x = torch.ones(2)
    assert x.to(torch.float64) is not x and x.dtype == torch.float32
    layer = torch.nn.Linear(3, 2)
    assert layer.to(torch.float64) is layer and layer.weight.dtype == torch.float64
    assert mistakes.layer.weight.dtype == torch.float64 and mistakes.X.dtype == torch.float64
    norm = torch.nn.BatchNorm1d(3)  # float buffers (running averages) and an int64 one (a counter)
    assert norm.to(torch.float64) is norm
    assert norm.weight.dtype == norm.running_mean.dtype == norm.running_var.dtype == torch.float64
    assert norm.num_batches_tracked.dtype == torch.int64
    assert ("changes the module itself — it converts or moves its parameters and its buffers (tensors a module "
            "keeps but does not learn; a dtype converts only the floating-point ones of either) and returns "
            "the same module") in PAGE
    assert "meta" not in PAGE


# ---------------------------------------------------------------- the batch figure
def figure_content(figure):
    """(the images drawn, the words written, the title) of a figure of draw_batch."""
    (axis,) = figure.axes
    return axis.images, [text.get_text() for text in axis.texts if text.get_text()], axis.get_title()


def assert_figure_shows(figure, batch):
    n, c, h, w = batch.shape
    images, texts, title = figure_content(figure)
    assert len(images) == n
    for drawn, image in zip(images, batch):  # the batch's own pixels, channels last
        assert np.array_equal(np.asarray(drawn.get_array()).squeeze(), image.permute(1, 2, 0).squeeze(2).numpy()
                              if c == 1 else image.permute(1, 2, 0).numpy())
    assert f"N = {n} images in the batch" in texts
    channels = "C = 1 channel (grayscale; a colour image has 3)" if c == 1 else f"C = {c} channels"
    assert channels in texts
    assert f"H = {h}\nrows" in texts and f"W = {w} columns" in texts
    assert title == f"shape (N, C, H, W) = {tuple(batch.shape)}"
    written = [text for text in figure.axes[0].texts + [figure.axes[0].title] if text.get_text()]
    assert len(written) == 5 and all(text.get_fontsize() == 13 for text in written)  # the arrows have none
    # rows of 4: image i sits in row i // 4, column i % 4 (its extent's left and top)
    for i, drawn in enumerate(images):
        left, _, _, top = drawn.get_extent()
        assert (round(left / (w * 1.25)), round(top / (h + w / 4))) == (i % 4, i // 4)


def test_the_batch_figure_is_drawn_from_the_batch(loading):
    """draw_batch shows as many images as the batch's N, the batch's pixels, and its real sizes; another
    batch size, another image size and colour give a figure with that count and those numbers."""
    import matplotlib.pyplot as plt
    import torch.nn.functional as F

    batch = loading.images
    assert batch.shape[0] == loading.few.batch_size
    others = [
        next(iter(DataLoader(loading.training_data, batch_size=3))),  # another batch size
        (F.interpolate(batch[:5], size=14), None),  # 5 images of 1×14×14
        (torch.rand(2, 3, 20, 30, generator=torch.Generator().manual_seed(0)), None),  # colour, not square
    ]
    counts = []
    for example in [batch] + [other for other, _ in others]:
        figure = loading.draw_batch(example)
        try:
            assert_figure_shows(figure, example)
            counts.append(len(figure_content(figure)[0]))
        finally:
            plt.close(figure)
    assert counts == [8, 3, 5, 2]


def test_the_figure_and_its_words_name_the_pages_batch(loading, reader_dir):
    n, c, h, w = loading.images.shape
    assert f"one batch of a smaller loader, `batch_size={n}`, drawn from the tensor itself" in PAGE
    alt = next(line for line in SOURCE.splitlines() if line.startswith("<!-- build-figure: batch_nchw.png |"))
    assert f"The {n} grayscale {h}×{w} images of one FashionMNIST batch" in alt and c == 1
    assert f"N = {n} images in the batch" in alt and f"H = {h} rows and W = {w} columns" in alt
    assert "in 2 rows of 4" in alt and n == 8 and "its N images in rows of 4" in PAGE
    assert f"C = {c} channel (grayscale; a colour image has 3)" in alt
    assert f"the title shape (N, C, H, W) = {tuple(loading.images.shape)}" in alt
    assert "each C×H×W image is permuted to H×W×C first" in PAGE
    assert (reader_dir / "batch_nchw.png").stat().st_size < 60_000  # saved where the reader runs the script


# ---------------------------------------------------------------- exercises
@pytest.fixture(scope="module")
def exercises(reader_dir):
    return import_snippet(SNIPPETS / "datasets_exercises.py", reader_dir)


def test_exercises_are_the_pages_last_part_and_each_has_one_folded_solution():
    from tested_docs.sections import sections

    shown = [s.name for s in sections(SNIPPETS / "datasets_exercises.py")]
    after = SOURCE.split("\n## Exercises\n")[1]
    part = " ".join(after.split())
    assert "\n## " not in after
    assert 3 <= len(shown) <= 5 and part.count('??? success "Solution"') == len(shown)
    assert all(f"**{i}. " in part for i in range(1, len(shown) + 1))
    where = [part.index(f'datasets_exercises.py:{name}"') for name in shown]
    assert where == sorted(where), "solutions in the order of the script"


def test_batch_size_exercise(exercises):
    size = 16
    assert exercises.X.shape[0] == exercises.y.shape[0] == size
    assert f"With `batch_size={size}`, what shapes" in PAGE and f"DataLoader(test_data, batch_size={size})" in (
        SNIPPETS / "datasets_exercises.py").read_text(encoding="utf-8")
    assert f"each image is still {by(exercises.X.shape[1:])}, and there is one label per image" in PAGE


def test_count_exercise(exercises):
    n, size = len(exercises.dataset), exercises.loader.batch_size
    assert f"A dataset of {n} samples goes into batches of {size}" in PAGE
    full = len(DataLoader(exercises.dataset, batch_size=size))
    kept = len(DataLoader(exercises.dataset, batch_size=size, drop_last=True))
    left = n - (full - 1) * size
    assert f"\\(\\lceil {n}/{size} \\rceil = {full}\\) batches, the last holding the {n} − {full - 1} · {size} = {left} samples left over" in PAGE
    assert f"leaving \\(\\lfloor {n}/{size} \\rfloor = {kept}\\)" in PAGE


def test_one_hot_exercise(exercises, loading):
    labels, targets = exercises.labels.tolist(), exercises.targets
    assert f"Turn the labels {labels[0]}, {labels[1]} and {labels[2]} into one-hot targets for {targets.shape[1]} classes" in PAGE
    assert targets.dtype == torch.int64 and loading.one_hot(3).dtype == torch.float32
    logits = torch.zeros(len(labels), targets.shape[1])
    with pytest.raises(RuntimeError, match="floating point"):
        torch.nn.CrossEntropyLoss()(logits, targets)
    torch.nn.CrossEntropyLoss()(logits, targets.float())
    assert "`F.one_hot` returns integers (`int64`)" in PAGE
    assert "`nn.CrossEntropyLoss`, given one-hot targets, refuses integers" in PAGE
    assert torch.equal(exercises.scores, torch.zeros(3, 10)) and "scores `torch.zeros(3, 10)`" in PAGE
    assert exercises.loss.item() == pytest.approx(math.log(targets.shape[1]), abs=1e-6)
    assert f"probability 1/{targets.shape[1]}, so the loss is \\(\\ln {targets.shape[1]} \\approx" in PAGE


def test_words_exercise(exercises):
    words = exercises.words
    assert len(words) == 5 and words[1] == (words.words[1], len(words.words[1]))
    assert f"`i`-th word of `{json.dumps(words.words)}`" in PAGE
    batch = next(iter(DataLoader(words, batch_size=2)))
    assert type(batch) is list and type(batch[0]) is tuple and all(type(w) is str for w in batch[0])
    assert torch.equal(batch[1], torch.tensor([len(w) for w in words.words[:2]]))
    assert "the words of a batch arrive together, as a tuple of strings, which it leaves as they are, and the lengths as one tensor" in PAGE


def test_normalize_exercise(exercises):
    images, result = exercises.images, exercises.result
    assert f"`0.2 + 0.4 * torch.rand({', '.join(map(str, images.shape))})`" in PAGE
    assert 0.2 <= images.min().item() and images.max().item() <= 0.6
    assert result.shape == images.shape
    channels = images.shape[1]
    assert channels == 3 and "Make a batch of colour images" in PAGE
    assert exercises.mean.shape == exercises.std.shape == (channels,)  # one number per channel
    per_channel = [(result[:, c].mean().item(), result[:, c].std().item()) for c in range(channels)]
    assert all(abs(mean) < 1e-4 and abs(std - 1) < 1e-4 for mean, std in per_channel)
    assert "moves its mean to 0 and its standard deviation to 1" in PAGE
    assert exercises.rounded(torch.tensor([-1e-6, 0.12345])) == [0.0, 0.1235]  # no -0.0
    assert str(exercises.rounded(torch.tensor([-1e-6]))) == "[0.0]"


# ---------------------------------------------------------------- listings that reach back
def test_listings_say_where_their_earlier_variables_come_from():
    """The FashionMNIST listing uses v2 before Transforms explains it; the loader, Normalize and one-hot
    listings use variables of listings sections back: each says so."""
    sections = {part.split("\n", 1)[0]: " ".join(part.split()) for part in SOURCE.split("\n## ")[1:]}
    assert "here `to_tensor`, which makes the image a tensor (explained under [Transforms](#transforms))" in (
        sections["FashionMNIST as a `Dataset`"])
    assert "Two loaders over the two datasets of [FashionMNIST as a `Dataset`](#fashionmnist-as-a-dataset)" in (
        sections["Batches of FashionMNIST"])
    assert "(the listing uses `raw_image` from [Transforms](#transforms))" in sections["`Normalize`"]
    assert ("The listing uses `training_data` and `to_tensor` from "
            "[FashionMNIST as a `Dataset`](#fashionmnist-as-a-dataset)") in sections["Target transforms"]
    source = (SNIPPETS / "data_loading.py").read_text(encoding="utf-8")
    normalize = source.split("[start:normalize]")[1].split("[end:normalize]")[0]
    target = source.split("[start:target-transform]")[1].split("[end:target-transform]")[0]
    assert "raw_image" in normalize and "training_data" in target and "to_tensor" in target
