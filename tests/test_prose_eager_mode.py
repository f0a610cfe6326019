"""Where the page's prose names a shape or a count, or says how PyTorch behaves, it agrees with the code."""


import re

import pytest
import torch
from torch import nn
from torchvision import datasets

from tested_docs.runner import import_snippet, run_snippet
from tested_docs.paths import DOCS, SNIPPETS

PAGE = (DOCS / "eager-mode.md").read_text(encoding="utf-8")
FLAT = " ".join(PAGE.split())  # the prose with its line breaks as spaces


def split_folds(page):
    """(main-flow lines, folded blocks): a `??? ...` block is its title line and the indented or blank lines
    after it, as pymdownx.details reads it."""
    main, blocks = [], []
    for line in page.splitlines():
        if line.startswith("??? "):
            blocks.append([line])
        elif blocks and blocks[-1] is not None and (not line or line.startswith("    ")):
            blocks[-1].append(line)
        else:
            blocks.append(None)  # the fold, if any, has ended
            main.append(line)
    return main, ["\n".join(block) for block in blocks if block is not None]


def folded_blocks(page):
    return split_folds(page)[1]


FOLDED = " ".join(" ".join(folded_blocks(PAGE)).split())  # what a first reading skips
MAIN = " ".join(" ".join(split_folds(PAGE)[0]).split())  # the rest: the main flow's text


@pytest.fixture(scope="module")
def model():
    return import_snippet(SNIPPETS / "eager_model.py").NeuralNetwork()


def linears(model):
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def test_sequential_size_and_output_width(model):
    words = {2: "two", 3: "three", 5: "five"}
    stack = model.linear_relu_stack
    relus = [m for m in stack if isinstance(m, nn.ReLU)]
    assert f"holds **{words[len(stack)]}** modules, numbered 0 to {len(stack) - 1}" in PAGE
    assert f"{words[len(linears(model))]} `Linear` layers and the {words[len(relus)]} `ReLU`" in PAGE
    assert f"**{linears(model)[-1].out_features} out**" in PAGE


def test_first_layer_shapes(model):
    first = linears(model)[0]
    n_in, n_out = first.in_features, first.out_features
    assert (n_in, n_out) == (28 * 28, 512)
    assert f"`nn.Linear({n_in}, {n_out})` it is {n_out}×{n_in}" in PAGE
    assert tuple(first.weight.shape) == (n_out, n_in)
    assert f"\\(W^\\top\\) is {n_in}×{n_out} and a 3×{n_in} input becomes a 3×{n_out} output" in PAGE
    assert f"rows of a 3×{n_in} matrix" in PAGE and f"x_{{2,{n_in - 1}}}" in PAGE
    assert f"one row of {n_in} pixel values" in PAGE
    assert f"The bias \\(b\\) ({n_out} values)" in PAGE


def test_parameter_total_formula(model):
    """Written as the page says a weight is stored: (out × in), then the bias."""
    terms = " + ".join(
        f"{m.out_features} \\cdot {m.in_features} + {m.out_features}" for m in linears(model)
    )
    assert f"\\({terms}\\)" in PAGE
    total = sum(p.numel() for p in model.parameters())
    assert eval(terms.replace("\\cdot", "*")) == total
    assert f"Total parameters: {total:,}" in PAGE


def test_softmax_sum_counts_the_classes_from_zero(model):
    last = linears(model)[-1].out_features - 1  # classes 0 to 9, as the page numbers them
    assert f"\\sum_{{j=0}}^{{{last}}}" in PAGE and f"\\(z_0, \\dots, z_{last}\\)" in PAGE
    assert f"ten classes, numbered 0 to {last}" in PAGE


def test_every_listing_is_a_slice_of_a_script_in_snippets():
    """The introduction names no count of scripts (the machinery's "Run it yourself" tip lists them)."""
    from tested_docs.pages import listings

    files = {include.file for item in listings(DOCS / "eager-mode.md") for include in item.sources}
    assert files and all(file.startswith("snippets/") for file in files)
    assert not any(f"one of {n} scripts" in FLAT for n in ("three", "four", "five", "six"))


def test_the_reader_runs_the_scripts_from_the_download():
    """The reader has deep-notes-scripts/ (the home page's download, every snippet at its top level), not the
    repository's snippets/ folder: the page says so as the Tensors and Datasets pages do."""
    assert "Every listing below is a slice of a script in the download under [Start here](index.md#start-here)" in FLAT
    assert "e.g. `python eager_model.py`" in FLAT
    assert "python snippets/" not in FLAT and "`snippets/` folder" not in FLAT


@pytest.fixture(scope="module")
def demo():
    """eager_model.py's demo (its __main__ part), run as the reader runs it."""
    return run_snippet(SNIPPETS / "eager_model.py")


def test_demo_input_is_a_batch_n_c_h_w(demo):
    """The page calls X a batch of one grayscale image, 1×1×28×28, and nn.Flatten keeps dimension 0."""
    shape = "×".join(map(str, demo["X"].shape))
    assert shape == "1×1×28×28"
    assert f"shaped like a batch of one grayscale image, {shape}." in FLAT
    assert demo["model"].flatten.start_dim == 1
    assert "(its default `start_dim=1`)" in FLAT


def test_prediction_records_no_graph_and_logits_pick_the_class(demo):
    assert demo["logits"].grad_fn is None and not demo["logits"].requires_grad
    assert not demo["model"].training  # model.eval()
    assert demo["predicted_class"].item() == demo["logits"].argmax(dim=1).item()
    assert not any(isinstance(m, (nn.Dropout, nn.modules.batchnorm._BatchNorm)) for m in demo["model"].modules())
    assert "*dropout*, which during training sets a random part of its inputs to zero (and scales up the rest)" in FOLDED
    assert "This network has neither." in FOLDED
    assert ("`model.eval()` switches the model to evaluation mode, which matters only for layers this network does "
            "not have.") in MAIN


def test_the_flow_keeps_one_idea_per_step_and_folds_the_rest():
    """The reviewers' item: what `.to(device)`, `model(X)` and `eval()` involve beyond the step itself (buffers,
    optimizers, hooks, dropout, batch normalization) sits in one folded note, not in the flow."""
    [note] = [block for block in folded_blocks(PAGE) if block.startswith('??? note "More on `.to(device)`')]
    for idea in ("*buffers*", "*optimizer*", "*hooks*: functions", "*dropout*", "*batch normalization*"):
        assert idea in " ".join(note.split()), idea
        assert idea not in MAIN, idea
    assert "`.to(device)` moves the model's parameters to the device and returns the model." in MAIN
    assert ("Call the model, `model(X)`, not `model.forward(X)` ([Common mistakes](#common-mistakes) says why); it "
            "runs `forward`.") in MAIN


def test_dropout_and_batch_norm_behave_as_the_page_says():
    """Dropout zeroes a random part of its input in training and nothing in eval; batch norm uses the batch's
    mean and variance in training and its running averages (buffers, not parameters) in eval."""
    torch.manual_seed(0)
    dropout, x = nn.Dropout(p=0.5), torch.ones(1000)
    dropped = dropout(x)
    assert 0 < (dropped == 0).sum() < 1000
    assert torch.equal(dropped[dropped != 0], torch.full_like(dropped[dropped != 0], 2.0))  # 1 / (1 - p)
    assert torch.equal(dropout.eval()(x), x)
    norm, batch = nn.BatchNorm1d(3), torch.rand(8, 3) * 5 + 2
    trained = norm(batch)
    torch.testing.assert_close(trained, (batch - batch.mean(0)) / (batch.var(0, unbiased=False) + norm.eps).sqrt())
    norm.eval()
    by_averages = (batch - norm.running_mean) / (norm.running_var + norm.eps).sqrt()
    torch.testing.assert_close(norm(batch), by_averages)
    assert not torch.allclose(norm(batch), trained)
    assert {name for name, _ in norm.named_buffers()} >= {"running_mean", "running_var"}
    assert not any(p is norm.running_mean for p in norm.parameters())
    assert ("*batch normalization*, which during training rescales its inputs with the current batch's mean and "
            "variance (the mean squared distance from the mean), and at evaluation with *running averages* of those, "
            "updated at each training step") in FOLDED
    assert ("*buffers* (tensors a module keeps but does not learn, such as batch normalization's running averages, "
            "below; this network has none)") in FOLDED
    before = norm.running_mean.clone()
    norm.train()(batch)
    assert not torch.equal(norm.running_mean, before)  # "updated at each training step"


def test_the_network_has_no_buffers(model):
    assert list(model.buffers()) == []


def test_cross_entropy_takes_logits_and_applies_log_softmax_itself():
    """Log-softmax, then the negative log-likelihood: the graph it records says so."""
    torch.manual_seed(0)
    logits, labels = torch.randn(4, 10, requires_grad=True), torch.tensor([0, 3, 9, 1])
    loss = nn.CrossEntropyLoss()(logits, labels)
    torch.testing.assert_close(loss, nn.NLLLoss()(torch.log_softmax(logits, dim=1), labels))
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert [f.name() for f, _ in loss.grad_fn.next_functions] == ["LogSoftmaxBackward0"]
    assert "expects logits and applies log-softmax (the logarithm of the softmax) itself" in FLAT
    assert "applies the softmax itself" not in FLAT
    # Two sentences: the loss is defined, then named
    assert ("because of the *loss* it is trained with: the number that measures how wrong its predictions are, "
            "which training lowers. That loss, [`nn.CrossEntropyLoss`]") in FLAT


def test_grad_fn_of_the_logits_is_the_last_linears_addmm(model):
    torch.manual_seed(0)
    logits = model(torch.rand(1, 1, 28, 28))
    assert logits.grad_fn.name() == "AddmmBackward0"
    assert ("`grad_fn=<AddmmBackward0>` says that *autograd*, PyTorch's engine for derivatives, recorded how "
            "the logits were made — by `addmm`") in FLAT
    assert "[Gradients with autograd](autograd.md)" in FLAT


def test_pick_device_asks_is_available_not_current_accelerator(monkeypatch):
    """current_accelerator() answers what the build supports; only is_available() looks at the machine."""
    pick_device = import_snippet(SNIPPETS / "eager_model.py").pick_device
    monkeypatch.setattr(torch.accelerator, "current_accelerator", lambda *a, **k: torch.device("cuda"))
    monkeypatch.setattr(torch.accelerator, "is_available", lambda: False)
    assert pick_device() == torch.device("cpu")
    monkeypatch.setattr(torch.accelerator, "is_available", lambda: True)
    assert pick_device() == torch.device("cuda")
    assert "a CUDA build answers `cuda` even on a machine without a GPU" in FLAT


def test_pick_device_is_torch_2_6s_example_and_its_docstring_says_so():
    """The site needs torch >= 2.6, which has torch.accelerator: no fallback for older releases. The docstring
    says what it returns (a kind this torch build supports, if one is there at run time), not "the accelerator
    this machine has", and names the platforms it mentions."""
    import inspect
    import tomllib

    from tested_docs.paths import ROOT

    pick_device = import_snippet(SNIPPETS / "eager_model.py").pick_device
    assert pick_device() == (torch.accelerator.current_accelerator() if torch.accelerator.is_available()
                             else torch.device("cpu"))
    source = inspect.getsource(pick_device)
    assert "hasattr" not in source and "torch.cuda" not in source and "check_available" not in source
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert "torch>=2.6.0" in dependencies  # the floor that makes the fallback dead code
    doc = " ".join(pick_device.__doc__.split())
    assert doc == ("An accelerator (CUDA: an NVIDIA or AMD GPU; MPS: Apple silicon; XPU: an Intel GPU; ...) if this "
                   "torch build supports one and one is there when the code runs, else the CPU.")
    assert "this machine has" not in (SNIPPETS / "eager_model.py").read_text(encoding="utf-8")
    assert "Older releases" not in FLAT and "falls back to asking CUDA" not in FLAT
    assert ("`pick_device` returns an accelerator if this build of PyTorch supports one and one is there when "
            "the code runs, and the CPU otherwise.") in FLAT


@pytest.mark.skipif(not (torch.__version__.startswith("2.6.") and torch.version.cuda and not torch.cuda.is_available()),
                    reason="needs torch 2.6, a CUDA build, without a GPU")
def test_torch_2_6_current_accelerator_raises_without_a_gpu():
    """Tried with torch 2.6.0+cu124 on this CPU machine: RuntimeError: Cannot access accelerator device when
    none is available."""
    with pytest.raises(RuntimeError):
        torch.accelerator.current_accelerator()
    assert "where torch 2.6 raises a `RuntimeError` instead" in FLAT


@pytest.mark.skipif(not (torch.version.cuda and not torch.cuda.is_available()) or torch.__version__.startswith("2.6."),
                    reason="needs a CUDA build without a GPU, not torch 2.6 (which raises: the next test)")
def test_a_cuda_build_without_a_gpu_names_cuda():
    assert torch.accelerator.current_accelerator().type == "cuda"
    assert not torch.accelerator.is_available()


def test_default_print_format():
    """4 decimals; `1.` only when every value is whole; scientific notation for nonzero values below 0.0001,
    above 10^8, or spanning more than a factor of 1000: the thresholds the page states."""
    assert str(torch.tensor([0.12345, 1.0])) == "tensor([0.1235, 1.0000])"
    assert str(torch.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert str(torch.tensor([1.0, 0.5])) == "tensor([1.0000, 0.5000])"  # one value not whole: no `1.`
    assert str(torch.tensor([0.5, 0.0])) == "tensor([0.5000, 0.0000])"  # zeros count for neither rule
    assert str(torch.tensor([1e-6, 1.0])) == "tensor([1.0000e-06, 1.0000e+00])"
    assert str(torch.tensor([1e-5])) == "tensor([1.0000e-05])"  # one tiny value is enough
    assert str(torch.tensor([0.0002])) == "tensor([0.0002])"
    assert str(torch.tensor([2e8])) == "tensor([2.0000e+08])"  # one huge value is enough
    assert str(torch.tensor([1e8])) == "tensor([100000000.])"
    assert str(torch.tensor([1.5, 1502.0])) == "tensor([1.5000e+00, 1.5020e+03])"  # a factor over 1000
    assert str(torch.tensor([1.5, 1498.0])) == "tensor([   1.5000, 1498.0000])"
    assert str(torch.tensor([1.0, 2000.0])) == "tensor([1.0000e+00, 2.0000e+03])"  # whole, yet scientific
    assert str(torch.tensor([1e9])) == "tensor([1.0000e+09])"
    assert str(torch.tensor([1.0, 999.0])) == "tensor([  1., 999.])"
    assert "PyTorch prints 4 decimals by default" in FLAT and "`1.0000e-06`" in FLAT
    assert ("for all of a tensor's values as soon as one nonzero value is very small (below 0.0001) or very large "
            "(above \\(10^8\\)), or the largest nonzero value is more than 1000 times the smallest") in FLAT
    assert "Otherwise, when all of the values are whole numbers, it prints them as `1.`" in FLAT
    assert ("Scientific notation wins over that rule: `torch.tensor([1.0, 2000.0])` prints as "
            "`tensor([1.0000e+00, 2.0000e+03])`") in FLAT
    assert "It prints `1.` when all of a tensor's values are whole numbers" not in FLAT  # the old, overridden rule
    assert "??? note \"How PyTorch prints a tensor's numbers" in PAGE  # folded: a first reading skips it


def test_stated_tolerance_is_the_marked_one():
    from tested_docs.pages import listings

    [(tolerance, sources)] = [(i.tolerance, i.sources) for i in listings(DOCS / "eager-mode.md") if i.tolerance]
    assert [(s.file, s.section) for s in sources] == [("snippets/eager_model.py", "input")]  # "the printed logits"
    assert f"compare these numbers to within {tolerance:.4f}" in FOLDED  # a maintainer's detail: folded
    assert "The tests compare these numbers" not in MAIN and "may differ by up to" not in FLAT


def test_stacked_linear_layers_are_one_affine_map():
    torch.manual_seed(0)
    first, second = nn.Linear(4, 3), nn.Linear(3, 2)
    x = torch.rand(5, 4)
    W, b = second.weight @ first.weight, first.bias @ second.weight.T + second.bias
    torch.testing.assert_close(second(first(x)), x @ W.T + b)
    assert "weight \\(W_2W_1\\) and bias \\(b_1W_2^\\top + b_2\\) (with \\(b_1\\) as a row)" in FLAT
    assert tuple(first.bias.shape) == (3,) and tuple((first.bias @ second.weight.T).shape) == (2,)


def test_fashion_mnist_classes_as_named():
    """The page lists torchvision's ten class names, in their order (a class attribute: no data needed)."""
    *rest, last = datasets.FashionMNIST.classes
    named = ", ".join(rest) + f" and {last}"
    assert FLAT.count(named) == 1, named


def test_linear_takes_one_row_flatten_makes_the_batch():
    first = nn.Linear(28 * 28, 512)
    assert tuple(first(torch.rand(28 * 28)).shape) == (512,)
    assert "(784 values in, 512 out)" in FLAT


def test_tensor_to_copies_unless_already_there():
    x = torch.rand(2)
    moved = x.to("meta")
    assert x.device.type == "cpu" and moved.device.type == "meta"
    assert x.to("cpu") is x  # already there: the same tensor, no copy
    assert "returns a tensor on `device` (a copy, unless it is already there) and never moves the original" in FLAT
    assert "`x.to(device)` returns a moved copy and leaves `x` where it was" in FLAT  # x on the CPU, device a GPU
    comments = " ".join(line.strip().removeprefix("# ") for line in (SNIPPETS / "eager_model.py").read_text(
        encoding="utf-8").splitlines() if line.strip().startswith("#"))
    assert ("Tensor.to returns a tensor on `device` (a copy, unless the tensor is already there) and never moves "
            "the original: keep the result") in comments


def test_module_to_changes_the_module_in_place_parameters_and_buffers():
    """Module.to returns the module itself with its parameters and buffers moved; across device types the
    parameters are new objects, so "moves the parameters in place" would be wrong."""
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = model[0].weight
    assert model.to("meta") is model
    assert all(t.device.type == "meta" for t in [*model.parameters(), *model.buffers()])
    assert model[0].weight is not weight and weight.device.type == "cpu"
    assert ("A module's `.to(device)` changes the module *in place*: its parameters and *buffers* (tensors a module "
            "keeps but does not learn, such as batch normalization's running averages, below; this network has "
            "none) go to the chosen device, and it returns the same model, so assigning the result, "
            "`model = NeuralNetwork().to(device)`, is safe.") in FOLDED
    assert "# on any machine. Module.to changes the module in place (its parameters and\n# buffers) and returns it." in (
        SNIPPETS / "common_mistakes.py"
    ).read_text(encoding="utf-8")


def test_move_the_model_before_creating_its_optimizer():
    """Module.to may put new Parameter objects in the module (it does for meta, as for some accelerators); an
    optimizer made before the move keeps updating the old ones, which the model no longer uses."""
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model.to("meta")
    kept = optimizer.param_groups[0]["params"]
    assert all(p.device.type == "cpu" for p in kept)
    assert not any(p is q for p in kept for q in model.parameters())
    same = nn.Linear(2, 2)
    weight = same.weight
    assert same.to(torch.float64).weight is weight  # "may": a dtype change on the CPU keeps the object
    assert ("It may put new tensor objects in place of the parameters, though, so move a model before you create "
            "its *optimizer*") in FOLDED


def test_layers_and_the_network_are_modules_parameters_and_functions_are_not(model):
    assert isinstance(model, nn.Module) and all(isinstance(m, nn.Module) for m in model.modules())
    assert all(isinstance(p, nn.Parameter) and not isinstance(p, nn.Module) for p in model.parameters())
    assert not isinstance(torch.relu, nn.Module) and not isinstance(nn.functional.relu, nn.Module)
    assert ("Every layer, such as `nn.Linear`, is a module, and so is the whole network" in FLAT
            and "its *parameters* (a weight and a bias), are tensors, not modules, and a plain function such as "
            "`torch.relu` is not a module either" in FLAT)
    assert "Everything in a PyTorch network is a *module*" not in FLAT


def test_zero_dim_cpu_tensors_mix_with_other_devices():
    on_meta = torch.ones(2, device="meta")
    assert (torch.tensor(2.0) * on_meta).device.type == "meta"
    with pytest.raises(RuntimeError):
        torch.ones(2) * on_meta
    assert "the main exception is a 0-dimensional CPU tensor" in FLAT


def test_forward_skips_only_the_models_own_hooks(model):
    """model.forward(x) skips hooks on the model; its layers' hooks and global hooks still fire for them."""
    fired = []
    handles = [
        model.register_forward_hook(lambda m, i, o: fired.append("model")),
        model.linear_relu_stack[0].register_forward_hook(lambda m, i, o: fired.append("layer")),
        nn.modules.module.register_module_forward_hook(lambda m, i, o: fired.append(("global", m))),
    ]
    try:
        model.forward(torch.rand(1, 1, 28, 28))
    finally:
        for handle in handles:
            handle.remove()
    assert "model" not in fired and "layer" in fired
    globals_for = [m for entry in fired if isinstance(entry, tuple) for m in entry[1:]]
    assert model.linear_relu_stack[0] in globals_for and model not in globals_for
    assert "silently skips the hooks registered on `model` itself" in FLAT
    assert "their own hooks still run, and so do global hooks" in FLAT


def test_forward_and_call_agree_only_without_a_changing_hook(model):
    x = torch.rand(1, 1, 28, 28)
    torch.testing.assert_close(model(x), model.forward(x))
    handle = model.register_forward_hook(lambda m, i, output: output * 2)  # a hook's return replaces the output
    try:
        torch.testing.assert_close(model(x), 2 * model.forward(x))
    finally:
        handle.remove()
    assert "So the two return the same logits only while no hook on the model changes them." in FLAT
    assert "Both return the same logits, but" not in FLAT


def test_after_compile_only_calling_the_model_runs_the_compiled_version():
    """A counting backend (no compiler needed): model(x) goes through it, model.forward(x) does not."""
    model = import_snippet(SNIPPETS / "eager_model.py").NeuralNetwork()
    graphs = []

    def backend(graph_module, example_inputs):
        graphs.append(graph_module)
        return graph_module.forward

    model.compile(backend=backend)
    x = torch.rand(1, 1, 28, 28)
    try:
        model(x)
        assert len(graphs) == 1
        model.forward(x)
        assert len(graphs) == 1
    finally:
        torch._dynamo.reset()  # leave no compiled code behind for the other tests
    assert "And after `model.compile()`, which has" in FLAT
    assert "only `model(x)` runs the compiled version; `model.forward(x)` still runs in eager mode" in FLAT


def test_argmax_of_ties_is_the_first_index():
    """As torch.argmax's docs say: the first maximal value's index."""
    assert torch.ones(1, 10).argmax(dim=1).item() == 0
    assert "`argmax` returns the first index among equal values, so the prediction is class 0" in FLAT


# ------------------------------------------------------------------ the layers figure (issue 20)

@pytest.fixture(scope="module")
def model_params():
    """model_params.py as a module: its NeuralNetwork and draw_layers (the import runs it, in a scratch folder)."""
    return import_snippet(SNIPPETS / "model_params.py")


def leaves(model):
    return [(name, m) for name, m in model.named_modules() if not list(m.children())]


def by_hand(model, batch):
    """(label, shape) of each layer, walking the leaves in order and running them one by one: no hooks."""
    x, rows = batch, []
    for name, layer in leaves(model):
        x = layer(x)
        count = sum(p.numel() for p in layer.parameters())
        # A Linear's sizes in and out, read from its weight (out × in), not its attributes
        sizes = f" {layer.weight.shape[1]} → {layer.weight.shape[0]}" if isinstance(layer, nn.Linear) else ""
        rows.append((f"{name}: {type(layer).__name__}{sizes}\n{count:,} parameters", "×".join(map(str, x.shape))))
    return rows


def read_figure(figure):
    """(box labels, shapes on the arrows, arrow count): texts alternate arrow label, box label, ..., arrow label."""
    from matplotlib.patches import FancyArrowPatch

    [axis] = figure.axes
    texts = [t.get_text() for t in axis.texts]
    boxes = [t for t in axis.texts if t.get_bbox_patch() is not None]
    arrows = [p for p in axis.patches if isinstance(p, FancyArrowPatch)]
    assert [t.get_text() for t in boxes] == texts[1::2]
    return texts[1::2], [t.split()[-1] for t in texts[0::2]], texts[0::2], len(arrows)


def test_layers_figure_shows_the_models_layers_and_the_recorded_shapes(model_params):
    import matplotlib.pyplot as plt

    model, batch = model_params.model, model_params.batch
    assert tuple(batch.shape) == (3, 1, 28, 28)  # "a batch of three random images"
    figure = model_params.draw_layers(model, batch)
    labels, shapes, arrow_texts, arrows = read_figure(figure)
    plt.close(figure)
    rows = by_hand(model, batch)
    assert labels == [label for label, _ in rows]
    assert shapes == ["3×1×28×28"] + [shape for _, shape in rows]
    assert arrow_texts[0] == "input, N = 3: 3×1×28×28" and arrow_texts[-1] == "logits 3×10"
    assert labels[1] == "linear_relu_stack.0: Linear 784 → 512\n401,920 parameters"
    assert arrows == len(rows) + 1 == 7
    assert not model._forward_hooks and not any(m._forward_hooks for m in model.modules())  # hooks removed


def test_layers_figure_follows_a_changed_model_and_batch(model_params):
    """One more Linear+ReLU in the stack, narrowing to 256, and five images instead of three: the figure
    gains both layers, with their sizes and shapes, and every arrow carries the new batch size."""
    import matplotlib.pyplot as plt

    torch.manual_seed(0)
    deeper = model_params.NeuralNetwork()
    old = list(deeper.linear_relu_stack)
    deeper.linear_relu_stack = nn.Sequential(*old[:4], nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
    batch = torch.rand(5, 1, 28, 28)
    figure = model_params.draw_layers(deeper, batch)
    labels, shapes, arrow_texts, arrows = read_figure(figure)
    plt.close(figure)
    assert labels == [label for label, _ in by_hand(deeper, batch)]
    assert len(labels) == 8 and arrows == 9
    assert labels[5:7] == ["linear_relu_stack.4: Linear 512 → 256\n131,328 parameters",
                           "linear_relu_stack.5: ReLU\n0 parameters"]
    assert labels[-1] == "linear_relu_stack.6: Linear 256 → 10\n2,570 parameters"
    assert arrow_texts[0] == "input, N = 5: 5×1×28×28"
    assert shapes == ["5×1×28×28", "5×784"] + ["5×512"] * 4 + ["5×256"] * 2 + ["5×10"]


def test_layers_figure_alt_text_and_prose_say_what_it_shows(model_params):
    from tested_docs.pages import BUILD_FIGURE

    [alt] = [m["alt"] for m in BUILD_FIGURE.finditer(PAGE) if m["file"] == "layer_shapes.png"]
    rows = by_hand(model_params.model, model_params.batch)
    counts = [label.split("\n")[1].split()[0] for label, _ in rows]
    words = {6: "six", 7: "seven"}
    assert alt.startswith(f"The {words[len(rows)]} layers of NeuralNetwork")
    assert ("(flatten 0; Linear 784 → 512, 401,920; ReLU 0; Linear 512 → 512, 262,656; ReLU 0; "
            "Linear 512 → 10, 5,130)") in alt
    assert counts == ["0", "401,920", "0", "262,656", "0", "5,130"]
    kinds = [label.split("\n")[0].split(": ")[1] for label, _ in rows]
    assert kinds == ["Flatten", "Linear 784 → 512", "ReLU", "Linear 512 → 512", "ReLU", "Linear 512 → 10"]
    assert "a batch of three images (N = 3): 3×1×28×28 in" in alt
    assert [shape for _, shape in rows] == ["3×784"] + ["3×512"] * 4 + ["3×10"]
    assert "3×1×28×28 in, 3×784 after flatten, 3×512 after each of the next four layers, 3×10 logits out" in alt
    first = model_params.model.linear_relu_stack[0]
    total = sum(p.numel() for p in model_params.model.parameters())
    assert sum(p.numel() for p in first.parameters()) > total / 2
    assert "`Flatten` and `ReLU` learn nothing; the first `Linear` holds most of the parameters." in FLAT
    assert ("registers a *forward hook* on each layer (a function that runs each time the layer does), runs a "
            "batch of three random images") in MAIN


# ------------------------------------------------------------------ the exercises' explanations (issue 20)

def test_exercise_explanations_agree_with_the_counts():
    """The sentences under the solutions: what one more layer adds, what halving and doubling the width do."""
    def total(width, hidden):
        sizes = [784] + [width] * hidden + [10]
        return sum(o * i + o for i, o in zip(sizes, sizes[1:]))

    page = total(512, 2)
    assert page == 669_706 and total(256, 2) == 269_322
    assert total(512, 3) - page == 512 * 512 + 512 == 262_656
    assert "One more 512-wide layer adds 512 × 512 + 512 = 262,656 parameters." in FLAT
    assert 2.5 < total(1024, 2) / page < 3 and "the wider network has almost three times as many" in FLAT
    assert (256 * 256) * 4 == 512 * 512 and (256 * 784) * 2 == 512 * 784 and (10 * 256) * 2 == 10 * 512
    assert "shrinks the middle weight to a quarter (256 × 256 instead of 512 × 512) and the others to a half" in FLAT
    assert "269,322 instead of 669,706" in FLAT
    exercises = PAGE.split("## Exercises")[1]
    assert exercises.count('??? success "Solution"') == len(re.findall(r"^\*\*\d\. ", exercises, re.M)) == 4


# ------------------------------------------------------------------ round 3: two fresh reviewers' findings

def section(file, name):
    from tested_docs.sections import sections

    [found] = [s.code for s in sections(SNIPPETS / file) if s.name == name]
    return found


def test_scripts_that_import_a_sibling_show_their_imports():
    """Copied alone, a listing that starts at torch.manual_seed(0) fails with NameError: the first listing of
    model_params.py and of common_mistakes.py includes the script's imports section, in the same fence."""
    from tested_docs.pages import listings

    items = listings(DOCS / "eager-mode.md")
    for file, first in [("snippets/model_params.py", "structure"), ("snippets/common_mistakes.py", "setup")]:
        [item] = [i for i in items if (file, first) in [(s.file, s.section) for s in i.sources]]
        assert [(s.file, s.section) for s in item.sources] == [(file, "imports"), (file, first)]
        assert "import torch" in item.code and "from eager_model import NeuralNetwork" in item.code
    assert "imports the class from `eager_model.py`, which must sit beside it" in MAIN


def test_terms_are_explained_where_the_flow_first_uses_them():
    """logits, N×C×H×W, log-softmax, Zalando; variance and running averages only in the fold, explained."""
    assert MAIN.index("logit") == MAIN.index("a row of 10 raw scores, the *logits*") + len("a row of 10 raw scores, the *")
    model_code = section("eager_model.py", "model")
    first = next(line for line in model_code.splitlines() if "logit" in line)
    assert "# 10 raw scores, the logits" in first  # the class's first use of the word explains it
    assert "N×" not in section("eager_model.py", "device")
    defined = "The input is a batch of images, shaped N×C×H×W: the number of images"
    assert MAIN.index("N×") == MAIN.index(defined) + defined.index("N×")
    assert MAIN.index("N×C×H×W") < MAIN.index("```python title=\"eager_model.py\" --8<-- \"snippets/eager_model.py:model\"")
    assert "applies log-softmax (the logarithm of the softmax) itself" in MAIN
    assert "Zalando's articles" not in FLAT and "clothing and shoes sold by Zalando, an online shop" in MAIN
    assert "variance" not in MAIN and "running averages" not in MAIN
    assert "mean and variance (the mean squared distance from the mean)" in FOLDED
    for name in ("CUDA", "MPS", "XPU"):
        assert f"{name}: " in " ".join(section("eager_model.py", "device").split())  # the docstring says which


def test_softmax_is_the_tensor_method_where_it_is_used_once():
    """`nn.Softmax(dim=1)(logits)` builds a module for one call; `logits.softmax(dim=1)` is the same numbers (and
    the same grad_fn, so the common mistake's printed output is unchanged)."""
    torch.manual_seed(0)
    logits = torch.randn(2, 10, requires_grad=True)
    for dim in (0, 1):
        assert torch.equal(logits.softmax(dim=dim), nn.Softmax(dim=dim)(logits))
    assert logits.softmax(dim=0).grad_fn.name() == nn.Softmax(dim=0)(logits).grad_fn.name() == "SoftmaxBackward0"
    assert "probabilities = logits.softmax(dim=1)" in section("eager_model.py", "predict")
    mistake = section("common_mistakes.py", "softmax-dim")
    assert "logits.softmax(dim=0)" in mistake and "nn.Softmax" not in mistake


def test_tensor_flatten_flattens_the_batch_too():
    """nn.Flatten starts at dim 1; Tensor.flatten and torch.flatten at dim 0 (the flatten listing prints both)."""
    images = torch.rand(3, 1, 28, 28)
    assert tuple(nn.Flatten()(images).shape) == (3, 784)
    assert tuple(images.flatten().shape) == tuple(torch.flatten(images).shape) == (3 * 784,)
    assert "A tensor's `flatten()` starts at dimension 0 and flattens the batch too." in MAIN
    assert "images.flatten(): shape (2352,)" in PAGE


def test_indices_are_written_as_on_the_tensors_page():
    """The Tensors page writes (AB)_{00} and A_{ik}: no comma between one-digit indices."""
    tensors = (DOCS / "tensors.md").read_text(encoding="utf-8")
    assert "(AB)_{00}" in tensors and "A_{ik}" in tensors
    assert "x_{00} & x_{01}" in PAGE and "x_{20} & x_{21}" in PAGE
    assert not re.search(r"x_\{\d,\d\}", PAGE)
    assert "its entry \\(x_{ij}\\) is pixel \\(j\\) of image \\(i\\)" in FLAT


@pytest.fixture(scope="module")
def components(reader_dir, tmp_path_factory):
    """network_components.py imported as a reader runs it, on the stand-in, in a folder of its own."""
    folder = tmp_path_factory.mktemp("components")
    (folder / "data").symlink_to(reader_dir / "data")
    return import_snippet(SNIPPETS / "network_components.py", folder)


def test_which_three_images_depends_on_the_datasets_length(components):
    """Seed 0 picks indices [44, 633, 667] of the stand-in's 800 training images, other ones of the full 60,000."""
    def first_three(length):
        return torch.randperm(length, generator=torch.Generator().manual_seed(0))[:3].tolist()

    assert components.indices.tolist() == first_three(len(components.training_data))
    assert first_three(800) == [44, 633, 667] and first_three(60_000) == [36044, 10678, 57327]
    assert ("Which three the seed picks depends on the dataset's length: if the caption names a smaller sample, "
            "with the full dataset you see three other images.") in MAIN


def test_the_figures_are_closed_once_saved(components, model_params):
    """Both drawing sections close their figure after saving it (plt.close(figure)): none is left open."""
    import matplotlib.pyplot as plt

    # the imports above ran both sections; other tests of the session may leave figures of their own open
    for ns in (components, model_params):
        assert not plt.fignum_exists(ns.figure.number), "a drawing section left its figure open"
    for file, name in [("network_components.py", "figure"), ("model_params.py", "layers-figure")]:
        code = section(file, name)
        assert "plt.close(figure)" in code
        # The mid-file import says why it is there
        assert "only this figure needs matplotlib, and\n# the page shows this section alone" in code


def test_exercises_intro_and_every_solution_output_titled():
    """The exercises open by saying where the solutions are; every output block there is titled "Output"."""
    exercises = PAGE.split("\n## Exercises\n", 1)[1]
    assert exercises.lstrip().startswith("Each solution is folded under its exercise; try first, then open it.\n")
    marker = "<!--pytest-codeblocks:expected-output-->"
    fences = [part.lstrip().splitlines()[0].strip() for part in exercises.split(marker)[1:]]
    assert len(fences) >= 3
    assert all(fence == '```text title="Output"' for fence in fences), fences
