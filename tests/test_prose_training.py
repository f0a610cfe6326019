"""Where the training page's prose names a number or makes a claim, the code agrees; and the training run
learns as the page says it does (checked on the stand-in data in `reader_dir`, since the page's own log
is the build's run and is not compared).

The snippets run their whole demo at import (no `__main__` guard: each section is a notebook cell), so
these tests execute the sections they need, in file order, in one namespace, as the script would. The
training log is read from the suite's one run of the script (the `snippet_runs` fixture).
"""

import contextlib
import io
import math
import re
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tested_docs import runner

ROOT = Path(__file__).parents[1]
SNIPPETS = ROOT / "snippets"
LOOP = SNIPPETS / "training_loop.py"
MISTAKES = SNIPPETS / "training_mistakes.py"
PAGE = (ROOT / "docs" / "training.md").read_text(encoding="utf-8")
FLAT = " ".join(PAGE.split())  # the page's words, each line break or indent read as one space
CHANCE = 0.10  # guessing one of ten classes


def included(path: Path) -> list[str]:
    """The sections of `path` the page includes, in page order (pymdownx.snippets' parser)."""
    from tested_docs.sections import includes

    return [i.section for i in includes(PAGE) if Path(i.file).name == path.name]


def sections(path: Path) -> dict[str, str]:
    from tested_docs.sections import sections as snippet_sections

    return {s.name: s.code + "\n" for s in snippet_sections(path)}


def run_sections(path: Path, names: list[str], argv: list[str] | None = None) -> tuple[dict, str]:
    """The named sections of a snippet, run in order in one namespace as its script would: (namespace, printed)."""
    namespace, printed = runner.run_sections(path, names, argv=argv or [])
    return namespace, "".join(printed.values())


@pytest.fixture(scope="module")
def loss_demo():
    return run_sections(LOOP, ["imports", "device", "loss", "one-step"])[0]


@pytest.fixture(scope="module")
def loops():
    """training_loop.py's train() and test() functions, defined as the script defines them."""
    return run_sections(LOOP, ["imports", "device", "train-loop", "test-loop"])[0]


# ---------------------------------------------------------------- the loss and one step
def test_untrained_loss_is_near_ln_10(loss_demo):
    ln10 = math.log(10)
    assert f"\\(-\\log \\frac{{1}}{{10}} = \\ln 10 \\approx {ln10:.4f}\\)" in FLAT
    logits = loss_demo["logits"].detach()
    assert len(logits) == 64 and "seeded batch of 64 random" in FLAT
    assert f"one row of {logits.shape[1]} scores per image" in FLAT
    largest = logits.abs().max().item()
    bound = math.ceil(largest * 100) / 100
    assert f"here under {bound:.2f} in size" in FLAT, f"the largest logit is {largest:.4f}"
    probabilities = torch.softmax(logits, dim=1)
    assert 0.07 < probabilities.min().item() and probabilities.max().item() < 0.15, "not 'about 1/10 per class'"
    first_loss = nn.CrossEntropyLoss()(logits, loss_demo["y"]).item()
    assert abs(first_loss - ln10) < 0.05


def test_cross_entropy_formula_is_log_softmax_at_the_target():
    generator = torch.Generator().manual_seed(1)
    z = torch.randn(5, 10, generator=generator)
    y = torch.randint(0, 10, (5,), generator=generator)
    by_formula = -torch.stack([torch.log(torch.softmax(z[n], dim=0)[y[n]]) for n in range(5)]).mean()
    assert torch.allclose(nn.CrossEntropyLoss()(z, y), by_formula)
    assert "\\ell = -\\frac{1}{N} \\sum_{n=1}^{N} \\log \\operatorname{softmax}(z_n)_{y_n}" in FLAT


def test_learning_rate(loss_demo):
    lr = loss_demo["learning_rate"]
    assert loss_demo["optimizer"].param_groups[0]["lr"] == lr == 0.1
    assert f"\\(\\eta = {lr:g}\\)" in FLAT
    assert f"the learning rate {lr:g} from above" in FLAT


# ---------------------------------------------------------------- data sizes, epochs, the --full switch
def test_quick_and_full_runs():
    quick, _ = run_sections(LOOP, ["imports", "options"], argv=[])
    full, _ = run_sections(LOOP, ["imports", "options"], argv=["--full"])
    assert not quick["args"].full and full["args"].full
    n_quick, n_full = quick["epochs"], full["epochs"]
    assert (n_quick, n_full) == (5, 10)
    data = sections(LOOP)["data"]
    n_train = int(re.search(r"min\(len\(training_data\), (\d+)\)", data)[1])
    n_test = int(re.search(r"min\(len\(test_data\), (\d+)\)", data)[1])
    assert (n_train, n_test) == (2000, 500)
    assert f"first {n_train:,} training images and evaluates on the first {n_test} test images" in FLAT
    assert f"for {n_full} epochs instead of {n_quick}" in FLAT
    assert f"trains for {n_quick} epochs" in FLAT
    assert "`python snippets/training_loop.py --full`" in FLAT
    # FashionMNIST's sizes, as the page, the script's help and its docstring all state them.
    help_text = full["parser"].format_help()
    assert f"all 60,000 training and 10,000 test images, {n_full} epochs" in " ".join(help_text.split())
    assert "all 60,000 training images and evaluate on all 10,000 test images" in FLAT
    assert f"{60_000 // n_train} times as many images per epoch" in FLAT
    assert n_full == 2 * n_quick and "twice as many epochs" in FLAT


def test_full_switch_ignores_a_notebook_kernels_arguments():
    ns, _ = run_sections(LOOP, ["imports", "options"], argv=["-f", "/tmp/kernel-1.json"])
    assert not ns["args"].full and ns["epochs"] == 5


def test_batch_size():
    loaders = sections(LOOP)["loaders"]
    batch_size = int(re.search(r"^batch_size = (\d+)$", loaders, re.M)[1])
    assert batch_size == 64
    assert f"batches of {batch_size} images" in FLAT
    assert f"about {batch_size} times (the batch size)" in FLAT


# ---------------------------------------------------------------- the loops
def test_progress_counter_is_right_on_a_short_last_batch(loops):
    """2,000 images in batches of 64: 32 batches, the last of 16; the counter ends at 2000/2000."""
    n, batch_size = 2000, 64
    generator = torch.Generator().manual_seed(0)
    data = TensorDataset(torch.rand(n, 1, 28, 28, generator=generator), torch.randint(0, 10, (n,), generator=generator))
    loader = DataLoader(data, batch_size=batch_size)
    batches, last = len(loader), n - (len(loader) - 1) * batch_size
    assert (batches, last) == (32, 16)
    assert f"2,000 images make {batches} batches of {batch_size}, except that the last one holds only {last}" in FLAT
    assert f"would report {batches * last} images there instead of 2,000" in FLAT

    torch.manual_seed(0)
    model = loops["NeuralNetwork"]().to(loops["device"])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        loops["train"](loader, model, nn.CrossEntropyLoss(), optimizer)
    reports = out.getvalue().splitlines()
    seen = [int(m[1]) for line in reports if (m := re.search(r"\[\s*(\d+)/2000 images\]", line))]
    assert seen == [640, 1280, 1920, 2000], reports  # about three reports, then the last batch
    assert reports[-1].startswith(f"  batch  {batches}/{batches}:")
    assert "reports about three times per epoch and once at its last batch" in FLAT


def test_evaluation_averages_loss_over_batches_and_accuracy_over_images(loops):
    n = 500  # 8 batches, the last of 52
    generator = torch.Generator().manual_seed(1)
    data = TensorDataset(torch.rand(n, 1, 28, 28, generator=generator), torch.randint(0, 10, (n,), generator=generator))
    loader = DataLoader(data, batch_size=64)
    torch.manual_seed(0)
    model = loops["NeuralNetwork"]().to(loops["device"])
    loss, accuracy = loops["test"](loader, model, nn.CrossEntropyLoss())

    model.eval()
    with torch.no_grad():
        batch_losses = [nn.CrossEntropyLoss()(model(X.to(loops["device"])), y.to(loops["device"])).item() for X, y in loader]
        correct = sum((model(X.to(loops["device"])).argmax(1).cpu() == y).sum().item() for X, y in loader)
    assert math.isclose(loss, sum(batch_losses) / len(loader), rel_tol=1e-6)
    assert accuracy == correct / n
    assert 60 < n / len(loader) < 64  # dividing by images instead: "about 64 times" smaller
    assert "divided by the **number of batches**" in FLAT and "divided by the **number of images**" in FLAT


# ---------------------------------------------------------------- what the script's run shows
LOG_SIZES = re.compile(r"^training on (\d+) images, testing on (\d+), batch size (\d+)$", re.M)
LOG_UNTRAINED = re.compile(r"^untrained: test loss (\d+\.\d{4}), test accuracy (\d+\.\d)%$", re.M)
LOG_EPOCH = re.compile(r"^epoch (\d+): train loss (\d+\.\d{4}), test loss (\d+\.\d{4}), test accuracy (\d+\.\d)%$", re.M)
LOG_PROGRESS = re.compile(r"^  batch +(\d+)/(\d+): loss \d+\.\d{4}  \[ *(\d+)/(\d+) images\]$", re.M)


@pytest.fixture(scope="module")
def script_run(snippet_runs):
    """The suite's one run of `python snippets/training_loop.py`, from a reader's folder holding the stand-in."""
    run = snippet_runs["training_loop.py"]
    assert run.status == 0, run.failure()
    return run


def test_training_log_shows_learning(script_run, reader_dir):
    """The page's claims about the log, on the stand-in: near ln 10 and 10% untrained; after the last
    epoch a lower test loss and an accuracy well above chance."""
    from torchvision import datasets

    log = script_run.output("train")
    n_train = len(datasets.FashionMNIST(root=reader_dir / "data", train=True, download=False))
    n_test = len(datasets.FashionMNIST(root=reader_dir / "data", train=False, download=False))
    sizes = LOG_SIZES.search(log)
    assert sizes and tuple(map(int, sizes.groups())) == (min(n_train, 2000), min(n_test, 500), 64), log

    untrained = LOG_UNTRAINED.search(log)
    assert untrained, log
    start_loss, start_accuracy = float(untrained[1]), float(untrained[2]) / 100
    assert abs(start_loss - math.log(10)) < 0.1
    assert abs(start_accuracy - CHANCE) <= 0.10

    epochs = [(int(e), float(tr), float(te), float(acc) / 100) for e, tr, te, acc in LOG_EPOCH.findall(log)]
    assert [e for e, *_ in epochs] == [1, 2, 3, 4, 5], log
    _, _, end_loss, end_accuracy = epochs[-1]
    assert end_loss < start_loss, log
    assert end_accuracy >= 3 * CHANCE, log  # "well above 10%"
    assert epochs[-1][1] < epochs[0][1], log  # the training loss fell too

    # Every epoch's progress reports end at the last batch, with every image counted.
    size = min(n_train, 2000)
    finals = [(int(b), int(nb), int(s), int(t)) for b, nb, s, t in LOG_PROGRESS.findall(log) if b == nb]
    assert len(finals) == 5 and all(s == t == size for _, _, s, t in finals), log


def test_script_saves_its_figures_and_model(script_run):
    log = script_run.stdout
    saved = {name for names in script_run.files.values() for name in names}
    for name in ("training_curves.png", "test_predictions.png"):
        assert f"saved {name}" in log.splitlines() and name in saved
        assert (script_run.folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"<!-- build-figure: {name} | " in FLAT
    assert "model.pth" in saved
    assert "same logits after reload: True" in log


def test_page_marks_point_at_real_sections():
    """The one build-output mark follows the listing of the section that prints the log; each figure mark
    names a file that a section saves and reports with 'saved <file>'."""
    code = sections(LOOP)
    assert PAGE.count("<!-- build-output -->") == 1
    from tested_docs.pages import listings

    [logged] = [item for item in listings(ROOT / "docs" / "training.md") if item.build_output]
    assert [(Path(s.file).name, s.section) for s in logged.sources] == [("training_loop.py", "train")]
    assert 'print(f"epoch {epoch}: train loss' in code["train"]
    from tested_docs.pages import BUILD_FIGURE

    figures = [m["file"] for m in BUILD_FIGURE.finditer(PAGE)]
    assert figures == ["training_curves.png", "test_predictions.png"]
    for name in figures:
        assert any(f'savefig("{name}"' in body and f'print("saved {name}")' in body for body in code.values())


def test_predicts_the_first_eight_test_images():
    predict = sections(LOOP)["predict"]
    count = int(re.search(r"for i in range\((\d+)\)\]\)", predict)[1])
    assert count == 8
    assert f"The first {count} test images" in FLAT
    assert "Eight FashionMNIST test images" in FLAT
    assert "plt.subplots(1, 8" in sections(LOOP)["predictions-figure"]


# ---------------------------------------------------------------- the mistakes
def test_softmax_before_the_loss_has_a_floor():
    floor = math.log(1 + 9 / math.e)
    assert f"\\ln\\left(1 + \\frac{{9}}{{e}}\\right) \\approx {floor:.4f}" in FLAT
    assert f"stays at about {floor:.2f}" in FLAT
    loss_fn = nn.CrossEntropyLoss()
    y = torch.arange(10).repeat(50)  # every class as the target
    generator = torch.Generator().manual_seed(0)
    for scale in (0.1, 1.0, 10.0, 100.0):  # from nearly uniform to nearly one-hot probabilities
        probabilities = torch.softmax(scale * torch.randn(500, 10, generator=generator), dim=1)
        losses = nn.functional.cross_entropy(probabilities, y, reduction="none")
        assert losses.min().item() >= floor - 1e-6
    one_hot = nn.functional.one_hot(y, 10).float()
    assert math.isclose(loss_fn(one_hot, y).item(), floor, rel_tol=1e-6)


def test_mistakes_batch():
    ns, _ = run_sections(MISTAKES, ["imports", "setup"])
    assert ns["y"].tolist() == [9, 0, 3, 7] and ns["y"].dtype == torch.int64
    assert "a batch of 4 random images whose classes are 9, 0, 3 and 7" in FLAT
    assert tuple(ns["logits"].shape) == (4, 10)
    assert "4 rows of logits and 3 labels" in FLAT
    assert "a float tensor of 4 labels" in FLAT
    n_classes = ns["model"].linear_relu_stack[-1].out_features
    assert f"With {n_classes} classes, the valid indices are 0 to {n_classes - 1}. Labels numbered 1 to {n_classes}" in FLAT


def test_adding_up_loss_tensors_keeps_every_graph():
    """'attached to the graphs of every batch so far': each batch's loss node stays reachable."""
    ns, _ = run_sections(MISTAKES, ["imports", "setup"])
    total = 0.0
    for _ in range(3):
        total += ns["loss_fn"](ns["model"](ns["X"]), ns["y"])
    found, todo, seen = 0, [total.grad_fn], set()
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        found += type(node).__name__.startswith("NllLoss")
        todo.extend(child for child, _ in node.next_functions)
    assert found == 3


def test_a_checkpoint_with_optimizer_state_loads_with_weights_only(tmp_path):
    """The missing-keys listing builds its checkpoint in memory and says torch.save/torch.load(weights_only=True)
    would give back the same dictionary."""
    ns, _ = run_sections(MISTAKES, ["imports", "setup", "missing-keys"])
    torch.save(ns["checkpoint"], tmp_path / "checkpoint.pth")
    loaded = torch.load(tmp_path / "checkpoint.pth", weights_only=True)
    assert loaded.keys() == ns["checkpoint"].keys() and loaded["epoch"] == 5
    assert loaded["optimizer"] == ns["checkpoint"]["optimizer"]
    assert all(torch.equal(loaded["model"][k], v) for k, v in ns["checkpoint"]["model"].items())


def test_zero_grad_sets_none():
    ns, out = run_sections(MISTAKES, ["imports", "setup", "no-zero-grad"])
    assert ns["bias"].grad is None
    assert "after zero_grad: None" in out
    assert "sets each `.grad` to `None` (not to a tensor of zeros) by default, since torch 2.0;" in FLAT
    import inspect

    assert inspect.signature(torch.optim.Optimizer.zero_grad).parameters["set_to_none"].default is True


def test_load_state_dict_returns_mismatches_only_when_not_strict():
    """strict=False returns the names that did not match; the default strict=True raises on them, and on a
    match returns the empty result that prints as the listing shows."""
    layer = nn.Linear(2, 2)
    partial = {"weight": torch.zeros(2, 2), "extra": torch.zeros(1)}
    result = layer.load_state_dict(partial, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    with pytest.raises(RuntimeError, match="Missing key"):
        layer.load_state_dict(partial)
    assert str(layer.load_state_dict(nn.Linear(2, 2).state_dict())) == "<All keys matched successfully>"
    assert ("`load_state_dict` returns the names that did not match — with its default `strict=True` any "
            "mismatch raises an error instead") in FLAT


def test_state_dict_holds_persistent_buffers_only():
    module = nn.BatchNorm1d(3)
    module.register_buffer("scratch", torch.zeros(1), persistent=False)
    assert {"running_mean", "running_var"} <= module.state_dict().keys() and "scratch" not in module.state_dict()
    assert "it also holds a module's persistent buffers, such as batch normalization's running statistics" in FLAT


def test_to_the_device_it_is_already_on_is_no_copy():
    images = torch.rand(8, 1, 28, 28)
    assert images.to(torch.device("cpu")) is images
    assert "a copy on a GPU, `images` itself on the CPU" in FLAT


def test_cuda_checkpoint_error_is_quoted_exactly(tmp_path, monkeypatch):
    """A file whose tensors are tagged 'cuda:0' (what torch.save writes for GPU tensors), loaded without
    map_location where CUDA is unavailable, raises the message the page quotes; map_location='cpu' loads it."""
    import torch.serialization

    path = tmp_path / "gpu_model.pth"
    with monkeypatch.context() as patch:
        patch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        torch.save(nn.Linear(2, 2).state_dict(), path)
    state = torch.load(path, map_location="cpu", weights_only=True)
    assert all(t.device.type == "cpu" for t in state.values())
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the file loads onto the GPU (tests/test_cuda_training_loop.py checks the message)")
    with pytest.raises(RuntimeError) as raised:
        torch.load(path, weights_only=True)
    assert f"RuntimeError: {raised.value}\n" in PAGE


def test_weights_only_is_the_default():
    import inspect

    assert inspect.signature(torch.load).parameters["weights_only"].default in (None, True)
    assert "It is the default since torch 2.6" in FLAT


# ---------------------------------------------------------------- the page's frame
def test_scripts_named_in_the_introduction():
    from tested_docs.sections import includes

    files = sorted({Path(i.file).name for i in includes(PAGE)})
    assert files == ["training_loop.py", "training_mistakes.py"]
    words = {2: "two", 3: "three"}
    intro = PAGE.split("\n## ")[0]
    assert f"slices of {words[len(files)]} scripts" in intro
    assert all(f"`{name}`" in intro for name in files)


def test_every_printing_section_is_on_the_page_in_order():
    for path in (LOOP, MISTAKES):
        names = list(sections(path))
        shown = included(path)
        assert shown == names, f"{path.name}: the page includes {shown}, the file has {names}"
