"""Where tensors.md's prose or math names a shape, a size or a number, or says how PyTorch behaves, it
agrees with the code and with torch.

Each number is derived here from the tensors of the page's two snippets (imported, so they run), not
copied from the page; each behaviour the prose states is tried on the installed torch.
"""

import re
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from prose import WORDS, by, page_text
from tested_docs.paths import DOCS, SNIPPETS
from tested_docs.runner import import_snippet

PAGE_PATH = DOCS / "tensors.md"
SOURCE, PAGE = page_text("tensors.md")


@pytest.fixture(scope="module")
def basics():
    return import_snippet(SNIPPETS / "tensor_basics.py")


@pytest.fixture(scope="module")
def mistakes():
    return import_snippet(SNIPPETS / "tensor_mistakes.py")


# ---------------------------------------------------------------- the introduction
def test_script_count_matches_the_includes():
    from tested_docs.pages import listings

    files = {include.file for item in listings(PAGE_PATH) for include in item.sources}
    intro = " ".join(SOURCE.split("\n## ")[0].split())
    assert f"one of {WORDS[len(files)]} scripts" in intro
    assert all(f"`{file.removeprefix('snippets/')}`" in intro for file in files)


# ---------------------------------------------------------------- creating tensors
def test_decimals_get_the_default_dtype_not_always_float32():
    before = torch.get_default_dtype()
    assert before == torch.float32 and torch.tensor([0.5, 1.5]).dtype == before
    try:
        torch.set_default_dtype(torch.float64)
        assert torch.tensor([0.5, 1.5]).dtype == torch.float64
        assert torch.tensor([1, 2]).dtype == torch.int64  # whole numbers are not affected
    finally:
        torch.set_default_dtype(before)
    assert ("numbers with a decimal point PyTorch's default float dtype, `torch.get_default_dtype()`. "
            "That is `float32`, the type neural networks compute in, unless a program changes it with "
            "`torch.set_default_dtype`") in PAGE


# ---------------------------------------------------------------- shape, indexing
def test_shape_dtype_device(basics):
    rows, columns = basics.values.shape
    assert f"{rows} rows of {columns} columns, {basics.values.numel()} numbers in all" in PAGE


def test_no_negative_steps_and_flip_reverses(basics):
    """`t[0, ::-1]` raises the quoted ValueError; flip gives what NumPy's negative step gives."""
    with pytest.raises(ValueError) as refused:
        basics.t[0, ::-1]
    assert f"`t[0, ::-1]` raises `ValueError: {refused.value}`" in PAGE
    assert basics.t.flip(0).tolist() == basics.t.numpy()[::-1].tolist()
    assert basics.t[0].flip(0).tolist() == basics.t.numpy()[0, ::-1].tolist()
    assert "a slice cannot step backwards" in PAGE


def shares_memory(part: torch.Tensor, whole: torch.Tensor) -> bool:
    return part.untyped_storage().data_ptr() == whole.untyped_storage().data_ptr()


def test_plain_indexing_gives_views_and_a_mask_or_flip_copies(basics):
    """t[0] and t[:, 1] read t's memory (writing through them changes t); t[t > 8] and flip copy, where
    NumPy's np.flip is a view."""
    t = basics.t.clone()
    for view in (t[0], t[:, 1]):
        assert shares_memory(view, t)
    t[0][0] = -1
    t[:, 1][2] = -2
    assert t[0, 0].item() == -1 and t[2, 1].item() == -2
    for copy in (t[t > 8], t.flip(0), t[0].flip(0)):
        assert not shares_memory(copy, t)
    array = basics.t.numpy()
    assert np.shares_memory(np.flip(array, 0), array)
    assert ("Plain indexing gives views too: `t[0]` and `t[:, 1]` share `t`'s memory, while a mask, "
            "`t[t > 8]`, and `flip` copy (NumPy's `np.flip` is a view)") in PAGE


# ---------------------------------------------------------------- changing the shape
def test_view_and_reshape(basics):
    n = basics.numbers.numel()
    rows, columns = basics.grid.shape
    assert f"reads the same {n} numbers as {rows} rows of {columns}" in PAGE
    inferred = basics.numbers.reshape(3, -1).shape[1]
    assert inferred == n // 3
    assert f"({n} / 3 = {inferred})" in PAGE
    assert f"writing {basics.numbers[0].item()} into `grid` changed `numbers`" in PAGE


def test_strides_and_contiguous(basics):
    row_step, column_step = basics.grid.stride()
    assert row_step == basics.grid.shape[1] and column_step == 1 and basics.grid.is_contiguous()
    assert f"`grid` has strides {basics.grid.stride()}: the next row starts {row_step} elements on, the next column {column_step}" in PAGE


def test_image_shapes(basics):
    assert f"turns one {by(basics.image.shape)} image into a {by(basics.batch.shape)} tensor" in PAGE
    flat = basics.batch.flatten(1).shape
    height, width = basics.image.shape
    assert flat[1] == height * width
    assert f"merges all the others: {by(flat)}, one row of {height} · {width} = {flat[1]} pixel values" in PAGE


def test_squeeze_drops_a_batch_of_one_and_squeeze_dim_does_not(basics):
    assert basics.batch.shape[0] == 1
    assert basics.batch.squeeze().shape == basics.image.shape  # the batch dimension is gone too
    assert basics.batch.squeeze(1).shape == (1, *basics.image.shape)
    assert torch.zeros(2, 1, 28, 28).squeeze().shape == (2, 28, 28)  # a bigger batch keeps it
    assert ("`squeeze()` removes every dimension of size 1 again — with a batch of one image, the batch "
            "dimension too. In model code, name the one to remove: `squeeze(1)`") in PAGE


def test_the_four_image_operations_are_named_and_no_convolution_is_left_undefined():
    assert "`unsqueeze`, `squeeze`, `flatten` and `permute` are the ones you will use most with images" in PAGE
    assert "The other four" not in PAGE and "convolution" not in PAGE


def test_cat_and_stack(basics):
    parts = [basics.a, basics.b, basics.c]
    cat0, cat1 = torch.cat(parts).shape, torch.cat(parts, dim=1).shape
    stack0, stack1 = torch.stack(parts).shape, torch.stack(parts, dim=1).shape
    assert (
        f"the {WORDS[len(parts)]} {by(basics.a.shape)} tensors become {by(cat0)} (along dimension 0) "
        f"or {by(cat1)} (along dimension 1)" in PAGE
    )
    assert f"along a *new* dimension — {by(stack0)}, or {by(stack1)} with `dim=1`" in PAGE


# ---------------------------------------------------------------- broadcasting
def test_broadcasting_shapes(basics):
    row, matrix, column = tuple(basics.row.shape), tuple(basics.matrix.shape), tuple(basics.column.shape)
    assert f"`row`, of shape {row}, lines up with the last dimension of the {matrix} matrix" in PAGE
    assert (basics.matrix + basics.row).shape == basics.matrix.shape
    assert f"`column`, of shape {column}, is added to each of the {matrix[1]} columns" in PAGE
    stretched = tuple(basics.both.shape)
    assert f"(3, 1) and (4,) give {stretched}" in PAGE


def test_broadcasting_reads_with_stride_0_and_copies_nothing(basics):
    """What broadcasting computes with is the small tensor read with stride 0: the same memory, no copy."""
    _, as_broadcast = torch.broadcast_tensors(basics.matrix, basics.row)
    assert as_broadcast.stride() == (0, 1) == basics.row.expand(2, 3).stride()
    assert as_broadcast.data_ptr() == basics.row.data_ptr()
    assert as_broadcast.untyped_storage().nbytes() == basics.row.untyped_storage().nbytes()
    assert (f"PyTorch reads the stretched dimension with a stride of 0, as `row.expand(2, 3)` shows: its "
            f"strides are {basics.row.expand(2, 3).stride()}") in PAGE


# ---------------------------------------------------------------- @ and *
def test_matrix_product(basics):
    """The formula is written for any inner size n, with indices from 0 as the code counts."""
    A, B = basics.A, basics.B
    n = A.shape[1]
    assert n == B.shape[0]
    assert "(AB)_{ij} = \\sum_{k=0}^{n-1} A_{ik} B_{kj}" in PAGE
    assert "For \\(A\\) with \\(n\\) columns and \\(B\\) with \\(n\\) rows" in PAGE
    product = A @ B
    for i in range(A.shape[0]):
        for j in range(B.shape[1]):
            assert product[i, j].item() == sum(A[i, k].item() * B[k, j].item() for k in range(n))
    assert f"({by(A.shape)}) @ ({by(B.shape)}) gives {by(product.shape)}" in PAGE
    terms = " + ".join(f"{int(a)} \\cdot {int(b)}" for a, b in zip(A[0].tolist(), B[:, 0].tolist()))
    assert f"The top-left entry, `(A @ B)[0, 0]`, is \\({terms} = {int(product[0, 0].item())}\\)" in PAGE
    assert "the top-left entry above is \\((AB)_{00}\\)" in PAGE


def test_linear_is_a_matrix_product_plus_a_bias():
    torch.manual_seed(0)
    layer, x = nn.Linear(3, 2), torch.rand(4, 3)
    torch.testing.assert_close(layer(x), x @ layer.weight.T + layer.bias)
    assert "`nn.Linear` computes `x @ weight.T + bias`, a matrix product plus a bias" in PAGE


# ---------------------------------------------------------------- reductions
def test_reductions(basics):
    scores = basics.scores
    rows, columns = scores.shape
    assert scores.sum(dim=0).numel() == columns and scores.max(dim=1).values.numel() == rows
    assert f"the {by(scores.shape)} `scores` give {columns} sums (one per column) with `dim=0` and {rows} maxima" in PAGE
    assert tuple(scores.sum(dim=0, keepdim=True).shape) == (1, columns)
    assert "removes dimension `d` (with `keepdim=True` it keeps it, as size 1)" in PAGE


def test_max_with_a_dim_returns_values_and_indices(basics):
    scores = basics.scores
    values, indices = scores.max(dim=1)  # a pair, with names
    assert torch.equal(values, scores.max(dim=1).values) and torch.equal(values, scores.amax(dim=1))
    assert torch.equal(indices, scores.max(dim=1).indices) and torch.equal(indices, scores.argmax(dim=1))
    assert torch.is_tensor(scores.max())  # without a dim: one tensor, no pair
    assert ("With a `dim`, `max` returns the maxima (`.values`) and their positions (`.indices`); "
            "`argmax(dim=1)` returns only *where* each row's maximum is") in PAGE


# ---------------------------------------------------------------- devices
def test_meta_moves_nothing_and_nothing_comes_back(basics):
    """A meta tensor has a shape and a dtype but no data: nothing can be copied back (the folded listing
    shows the error); the page no longer calls it a real move."""
    on_meta = basics.x.to("meta")
    assert on_meta.shape == basics.x.shape and on_meta.dtype == basics.x.dtype and on_meta.is_meta
    with pytest.raises(NotImplementedError, match="Cannot copy out of meta tensor"):
        on_meta.cpu()
    assert "real move" not in PAGE
    assert 'A tensor there has a shape and a dtype but no values, so `.to("meta")` moves nothing, and nothing can come back' in PAGE
    flow = SOURCE.split('??? note "The `meta` device')[0]
    assert "meta" not in flow.split("## Devices")[1], "meta belongs in its folded note only"


def test_device_is_picked_as_pick_device_picks_it_without_a_fallback_for_old_torch(basics):
    """The site's floor is torch 2.6, which has torch.accelerator: no hasattr fallback; the eager page's
    pick_device() is the same expression, and the page points ahead to it."""
    source = (SNIPPETS / "tensor_basics.py").read_text(encoding="utf-8")
    assert "hasattr(torch" not in source and "torch.cuda" not in source
    expected = (torch.accelerator.current_accelerator() if torch.accelerator.is_available()
                else torch.device("cpu"))
    assert basics.device == expected
    eager = (SNIPPETS / "eager_model.py").read_text(encoding="utf-8")
    assert "current_accelerator()\n            if torch.accelerator.is_available() else torch.device(\"cpu\")" in eager
    assert "puts the same line in a function, `pick_device()`" in PAGE
    assert "falls back to asking CUDA" not in PAGE


def test_current_accelerator_on_a_machine_without_a_gpu():
    """The folded note: without a GPU, torch 2.14's CUDA build still names cuda, torch 2.6 raises; hence
    the listing asks is_available() first."""
    if torch.accelerator.is_available():
        pytest.skip("the note is about a machine without an accelerator")
    release = ".".join(torch.__version__.split("+")[0].split(".")[:2])
    if release == "2.6":
        with pytest.raises(RuntimeError):
            torch.accelerator.current_accelerator()
    elif release == "2.14" and torch.version.cuda:
        assert torch.accelerator.current_accelerator().type == "cuda"
    else:
        pytest.skip(f"the note names torch 2.6 and torch 2.14's CUDA build, not {torch.__version__}")
    assert ("on a machine without a GPU, torch 2.14's CUDA build answers `cuda`, and torch 2.6 raises a "
            "`RuntimeError`. Hence `is_available()` first") in PAGE


# ---------------------------------------------------------------- the NumPy bridge
def test_numpy_refuses_a_tensor_that_requires_grad_and_the_ways_round():
    weights = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        weights.numpy()
    assert weights.detach().cpu().numpy().tolist() == [1.0, 1.0, 1.0]
    assert weights.numpy(force=True).tolist() == [1.0, 1.0, 1.0]
    assert "The bridge works only for a tensor on the CPU that records no operations" in PAGE
    assert "`t.detach().cpu().numpy()`, or in one call `t.numpy(force=True)`" in PAGE


# ---------------------------------------------------------------- common mistakes
def mistakes_part() -> str:
    return " ".join(SOURCE.split("\n## Common mistakes\n")[1].split("\n## ")[0].split())


def test_mistake_count():
    from tested_docs.sections import sections

    shown = [s.name for s in sections(SNIPPETS / "tensor_mistakes.py") if s.name != "imports"]
    part = mistakes_part()
    assert part.startswith(f"{WORDS[len(shown)].capitalize()} mistakes with tensors")
    assert part.count('??? warning "Common mistake: ') == len(shown)
    assert "??? warning" not in SOURCE.split("\n## Common mistakes\n")[0], "every mistake is folded at the end"


def test_elementwise_ops_promote_and_only_matrix_products_insist(mistakes):
    """`*` and `+` mix float64 and float32 silently: between tensors with dimensions the result is float64,
    but a 0-dim tensor or a Python float does not widen it; `@` and nn.Linear refuse."""
    wide, narrow = mistakes.features, mistakes.weights
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (wide * narrow).dtype == (wide + narrow).dtype == torch.float64
        assert mistakes.scale.dim() == 0 and mistakes.scale.dtype == torch.float64
        assert (narrow * mistakes.scale).dtype == (narrow + mistakes.scale).dtype == torch.float32
        assert (narrow * 2.0).dtype == torch.float32  # a Python float: the same
        assert (narrow * torch.ones(1, dtype=torch.float64)).dtype == torch.float64  # one dimension is enough
        assert (torch.ones(3, dtype=torch.int64) * mistakes.scale).dtype == torch.float64  # int with float: it does
    assert ("`*` and `+` mix the two without a word: between two tensors with dimensions, the result takes the "
            "wider dtype, `float64`. A tensor with no dimensions, or a Python number, of the same kind (float "
            "with float) does not widen the result: `weights * scale` stays `float32`") in PAGE
    with pytest.raises(RuntimeError):
        wide @ narrow.reshape(3, 1)
    with pytest.raises(RuntimeError, match="same dtype"):
        mistakes.layer(wide)
    assert "A matrix product does not mix them, and `nn.Linear` is one" in PAGE and "`@` refuses the same mix" in PAGE
    assert "cannot be multiplied" not in mistakes_part()  # that is a shape mismatch's message (exercise 3)


def test_view_mistake_counts(mistakes):
    assert mistakes.transposed.stride() == tuple(reversed(mistakes.grid.stride()))
    assert f"the {mistakes.grid.numel()} numbers no longer lie one after another" in PAGE
    assert "it only swaps the strides" in PAGE


def test_broadcast_mistake_numbers(mistakes):
    a, b = mistakes.batch.shape[1], mistakes.bias.shape[0]
    assert f"{a} and {b} are different and neither is 1" in PAGE
    p, t = mistakes.predictions, mistakes.targets
    difference = p - t
    assert (f"predictions have shape {tuple(p.shape)} and the targets they should match {tuple(t.shape)}; "
            f"broadcasting stretches both to {tuple(difference.shape)}") in PAGE
    assert f"{difference.numel()} differences instead of {t.numel()}" in PAGE
    squares = int((difference ** 2).sum().item())
    mse = (difference ** 2).mean().item()
    assert f"a mean squared error (the mean of the squared differences) of {squares}/{difference.numel()} = {mse:.4f}" in PAGE
    assert torch.equal(p.squeeze(1), t)  # "predictions that are exactly right"


def test_mse_loss_warns_where_arithmetic_does_not(mistakes):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.nn.MSELoss()(mistakes.predictions, mistakes.targets)
    assert any("different to the input size" in str(w.message) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (mistakes.predictions - mistakes.targets) ** 2  # plain arithmetic: no warning
    assert "`nn.MSELoss`, PyTorch's mean squared error, warns about such a shape mismatch; plain arithmetic does not." in PAGE


def test_stack_mistake_is_what_a_data_loader_does(mistakes):
    from torch.utils.data import default_collate

    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        default_collate(mistakes.sequences)
    same = [torch.tensor([1, 2]), torch.tensor([3, 4])]
    assert torch.equal(default_collate(same), torch.stack(same))
    assert "builds each batch of tensors with `torch.stack`" in PAGE
    assert np.array_equal(mistakes.pad_sequence(mistakes.sequences, batch_first=True)[0].numpy(), [1, 2, 3, 0])


# ---------------------------------------------------------------- exercises
@pytest.fixture(scope="module")
def exercises():
    return import_snippet(SNIPPETS / "tensors_exercises.py")


def exercises_part() -> str:
    return " ".join(SOURCE.split("\n## Exercises\n")[1].split())


def test_exercises_are_the_pages_last_part_and_each_has_one_folded_solution():
    from tested_docs.sections import sections

    shown = [s.name for s in sections(SNIPPETS / "tensors_exercises.py")]
    part = exercises_part()
    assert "\n## " not in SOURCE.split("\n## Exercises\n")[1]
    assert 3 <= len(shown) <= 5 and part.count('??? success "Solution"') == len(shown)
    assert all(f"**{i}. " in part for i in range(1, len(shown) + 1))
    assert [part.index(f'tensors_exercises.py:{name}"') for name in shown] == sorted(
        part.index(f'tensors_exercises.py:{name}"') for name in shown), "solutions in the order of the script"


def test_shape_exercise(exercises):
    t = exercises.t
    assert f"`t = torch.zeros({', '.join(map(str, t.shape))})`" in PAGE
    assert t.reshape(4, -1).shape == (4, t.numel() // 4)
    assert f"`reshape` keeps the {t.numel()} elements (4 × {t.numel() // 4})" in PAGE
    assert f"`flatten(1)` merges {t.shape[1]} × {t.shape[2]} into {t.flatten(1).shape[1]}" in PAGE


def test_cat_stack_exercise(exercises):
    images = exercises.images
    assert f"three images of shape {tuple(images[0].shape)}" in PAGE and len(images) == 3
    assert torch.cat(images).shape[0] == len(images) * images[0].shape[0]
    assert f"one image with {torch.cat(images).shape[0]} channels" in PAGE
    assert f"N×C×H×W: a batch of {torch.stack(images).shape[0]}" in PAGE


def test_broadcast_exercise(exercises):
    def adds(a, b) -> bool:
        try:
            torch.zeros(a) + torch.zeros(b)
        except RuntimeError:
            return False
        return True

    asked = "; ".join(f"{a} and {b}" for a, b in exercises.pairs)
    assert f"Which pairs can be added: {asked}?" in PAGE
    fails = [i for i, (a, b) in enumerate(exercises.pairs) if not adds(a, b)]
    assert fails == [1]
    assert "so only the second pair fails" in PAGE
    a, b = exercises.pairs[-1]
    # a missing dimension counts as 1, and both it and the 1 are stretched to a's sizes
    assert (torch.zeros(a) + torch.zeros(1, *b)).shape == (torch.zeros(a) + torch.zeros(b)).shape == a
    assert a[0] != 1 and b[1] == 1 and a[2] != 1
    assert f"{b} counts as {(1, *b)}" in PAGE and len(a) == len(b) + 1


def test_matmul_exercise(exercises):
    x, W = torch.zeros(64, 784), exercises.W
    assert W.shape == nn.Linear(784, 10).weight.shape
    assert f"shape {tuple(x.shape)}, and `W` is the weight of an `nn.Linear({W.shape[1]}, {W.shape[0]})`, shape {tuple(W.shape)}" in PAGE
    assert (x @ W.T).shape == (64, 10)
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        x @ W
    assert f"without it, {x.shape[1]} meets {W.shape[0]}" in PAGE


def test_centre_exercise(exercises):
    x = exercises.x
    assert f"`x = torch.rand({', '.join(map(str, x.shape))})`" in PAGE
    with pytest.raises(RuntimeError):
        x - x.mean(dim=1)
    assert f"The {x.shape[0]} means, shape {tuple(x.mean(dim=1).shape)}, line up with the {x.shape[1]} columns" in PAGE
    assert torch.equal(x.mean(dim=1).unsqueeze(1), x.mean(dim=1, keepdim=True))
    assert f"as a column, {tuple(exercises.means.shape)}, which broadcasts along each row" in PAGE
    assert "`x.mean(dim=1).unsqueeze(1)` does the same" in PAGE
    # a square x does not fail: column j loses row j's mean, and no row's mean becomes 0
    square = exercises.square
    assert square.shape == (3, 3) and torch.equal(exercises.wrong, square - square.mean(dim=1).unsqueeze(0))
    assert not torch.allclose(exercises.wrong.mean(dim=1), torch.zeros(3), atol=1e-6)
    assert "and what if `x` is square?" in exercises_part()
    assert ("A square `x`, (3, 3), does not fail: its 3 row means line up with its 3 columns, so each column "
            "loses the mean of a row, silently wrong. Use `keepdim=True` whenever you broadcast a reduction "
            "back.") in exercises_part()


def test_exercise_outputs_fit_their_box():
    """At 1280 px an output box shows about 80 characters: no exercise output line is wider than 78, so
    the error messages' numbers stay in view; each output box is titled Output, as on the other pages."""
    part = SOURCE.split("\n## Exercises\n")[1]
    blocks = re.findall(r"\n    ```text([^\n]*)\n(.*?)\n    ```", part, flags=re.S)
    assert len(blocks) == 5 and all(title == ' title="Output"' for title, _ in blocks)
    assert all(len(line) - 4 <= 78 for _, text in blocks for line in text.splitlines())
    assert "Each solution is folded under its exercise; try first, then open it." in part
