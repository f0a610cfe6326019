"""Where autograd.md's prose or math names a number, a shape or a formula, it agrees with the code.

The numbers are recomputed here with torch (float64 where a value is checked against a formula), from
the functions and tensors of snippets/autograd_basics.py, not copied from the page.
"""

import math
import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from tested_docs.runner import import_snippet

PAGE_PATH = Path(__file__).parents[1] / "docs" / "autograd.md"
PAGE = " ".join(PAGE_PATH.read_text(encoding="utf-8").split())  # line breaks in the prose do not matter
SNIPPETS = Path(__file__).parents[1] / "snippets"


@pytest.fixture(scope="module")
def basics():
    return import_snippet(SNIPPETS / "autograd_basics.py")


def autograd_at(f, a: float, b: float):
    """f(a, b) and its two partial derivatives, by autograd in float64."""
    x1 = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    x2 = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    y = f(x1, x2)
    y.backward()
    return y.item(), x1.grad.item(), x2.grad.item()


def test_the_function_in_the_math_is_the_snippets(basics):
    """The displayed f is the f the code differentiates, at the page's point and elsewhere."""
    assert "f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2" in PAGE
    for a, b in [(2.0, 5.0), (0.3, -1.2), (7.5, 0.25)]:
        value, _, _ = autograd_at(basics.f, a, b)
        assert math.isclose(value, math.log(a) + a * b - math.sin(b), rel_tol=1e-12)


def test_value_at_the_point(basics):
    value, _, _ = autograd_at(basics.f, 2.0, 5.0)
    assert math.isclose(value, math.log(2) + 10 - math.sin(5), rel_tol=1e-12)
    assert f"\\(\\ln 2 + 10 - \\sin 5 \\approx {value:.4f}\\)" in PAGE
    assert value == pytest.approx(11.6521, abs=5e-5)


def test_analytic_partials_equal_autograd(basics):
    """The chain-rule results on the page are the derivatives autograd computes, at many points."""
    assert "= 1 \\cdot \\frac{1}{x_1} + 1 \\cdot x_2" in PAGE
    assert "= 1 \\cdot x_1 + (-1) \\cdot \\cos x_2" in PAGE
    generator = torch.Generator().manual_seed(0)
    points = [(2.0, 5.0)] + [
        (0.1 + 9.9 * torch.rand(1, generator=generator).item(), 20 * torch.rand(1, generator=generator).item() - 10)
        for _ in range(20)
    ]
    for a, b in points:
        _, d1, d2 = autograd_at(basics.f, a, b)
        assert math.isclose(d1, 1 / a + b, rel_tol=1e-12, abs_tol=1e-12), (a, b)
        assert math.isclose(d2, a - math.cos(b), rel_tol=1e-12, abs_tol=1e-12), (a, b)


def test_partials_at_the_point(basics):
    _, d1, d2 = autograd_at(basics.f, 2.0, 5.0)
    assert f"&= \\frac{{1}}{{2}} + 5 \\\\ &= {d1:g}" in PAGE
    assert f"&= 2 - \\cos 5 \\\\ &\\approx {d2:.4f}" in PAGE
    # the by-hand section computes the same two numbers in plain Python
    assert math.isclose(basics.dy_dx1, d1, rel_tol=1e-12) and math.isclose(basics.dy_dx2, d2, rel_tol=1e-12)
    # and the float32 tensors of the script agree with them
    assert basics.x1.dtype == torch.float32 and (basics.a, basics.b) == (2.0, 5.0)


def test_long_display_formulas_are_broken_one_relation_a_line():
    """On a 390 px phone the chain-rule lines and the cross-entropy gradient ran 524-638 px wide, their results
    off screen: each is now an aligned block, one = (or ≈) a line (measured after: 238-273 px at 390 px)."""
    text = PAGE_PATH.read_text(encoding="utf-8")
    displays = re.findall(r"\\\[(.*?)\\\]", text, flags=re.S)
    aligned = [d for d in displays if "\\begin{aligned}" in d]
    assert len(aligned) == 3, "the two chain-rule lines and the cross-entropy gradient"
    assert sum("\\frac{\\partial y}{\\partial x_" in d for d in aligned) == 2
    assert any("\\frac{\\operatorname{softmax}(Z) - T}{N}" in d for d in aligned)

    def relations(tex):  # = and ≈, not counting a sum's n=1 in its limits
        return len(re.findall(r"=|\\approx", re.sub(r"[_^]\{[^{}]*\}", "", tex)))

    for display in aligned:
        body = display.split("\\begin{aligned}")[1].split("\\end{aligned}")[0]
        for line in body.split("\\\\"):
            assert relations(line) <= 1, line
    for display in displays:  # and no display outside them puts two relations side by side
        if display not in aligned:
            assert relations(display) <= 1, display


def test_graph_names_in_prose(basics):
    x1 = torch.tensor(2.0, requires_grad=True)
    x2 = torch.tensor(5.0, requires_grad=True)
    y = basics.f(x1, x2)
    last = type(y.grad_fn).__name__
    assert last == "SubBackward0"
    assert f"hence `{last}`" in PAGE
    # each leaf is reached along two paths
    counts = {"x1": 0, "x2": 0}

    def walk(node):
        if hasattr(node, "variable"):
            counts["x1" if node.variable is x1 else "x2"] += 1
        for child, _ in node.next_functions:
            if child is not None:
                walk(child)

    walk(y.grad_fn)
    assert counts == {"x1": 2, "x2": 2}
    assert "Each leaf has one `AccumulateGrad` node, reached along two paths" in PAGE


def test_accumulation_numbers(basics):
    _, d1, _ = autograd_at(basics.f, 2.0, 5.0)
    x1 = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (x1**2).backward()
    dz = x1.grad.item()
    assert dz == 2 * 2.0
    assert f"\\partial u / \\partial x_1 = 2 x_1 = {dz:g}" in PAGE
    assert f"\\({d1:g} + {dz:g} = {d1 + dz:g}\\)" in PAGE
    assert f"x1.grad after y.backward() and u.backward(): {d1 + dz:.4f}" in PAGE


def test_cross_entropy_gradient_is_the_formula(basics):
    """(softmax - one_hot) / N is autograd's gradient of F.cross_entropy, checked in float64."""
    logits = basics.logits.detach().double().requires_grad_()
    targets = basics.targets
    N, C = logits.shape
    F.cross_entropy(logits, targets).backward()
    formula = (torch.softmax(logits.detach(), dim=1) - F.one_hot(targets, C)) / N
    torch.testing.assert_close(logits.grad, formula.double(), rtol=0, atol=1e-12)
    assert "\\frac{\\operatorname{softmax}(z_n)_j - T_{n,j}}{N}" in PAGE
    assert "\\frac{\\operatorname{softmax}(Z) - T}{N}" in PAGE
    # softmax(Z) is taken row by row (dim=1): one sample's logits at a time, not over the whole matrix
    assert "With \\(Z\\) the matrix of the logits (row \\(n\\) is \\(z_n\\)), softmax applied to each row" in PAGE
    whole = torch.softmax(logits.detach().flatten(), dim=0).reshape(N, C)
    assert not torch.allclose(whole, torch.softmax(logits.detach(), dim=1))
    assert f"\\(N = {N}\\) samples with {C} classes" in PAGE
    assert f"the logits' shape, ({N}, {C})" in PAGE
    # the script's own float32 gradient, too
    torch.testing.assert_close(basics.logits.grad.double(), formula, rtol=0, atol=1e-6)
    # "the only negative entry sits at the true class"
    assert torch.equal(logits.grad < 0, F.one_hot(targets, C).bool())


def test_cross_entropy_tolerance_named_in_prose():
    from tested_docs.pages import listings

    marks = [item.tolerance for item in listings(Path(__file__).resolve().parents[1] / "docs" / "autograd.md") if item.tolerance]
    assert marks == [1e-4]
    assert f"to within {marks[0]:.4f}" in PAGE


def test_model_gradient_shapes(basics):
    model, X, labels = basics.model, basics.X, basics.labels
    params = dict(model.named_parameters())
    assert all(p.is_leaf and p.requires_grad for p in params.values())
    assert not X.requires_grad
    model.zero_grad()
    F.cross_entropy(model(X), labels).backward()
    for name, p in params.items():
        assert p.grad is not None and p.grad.shape == p.shape, name
        assert f"{name}: parameter {tuple(p.shape)}, grad {tuple(p.grad.shape)}" in PAGE
    model.zero_grad()
    rows, cols = params["linear_relu_stack.0.weight"].shape
    assert f"the first weight's gradient is {rows}×{cols}" in PAGE
    assert f"a seeded batch of {X.shape[0]} random images" in PAGE
    # N×C×H×W, as the site teaches and as a DataLoader of FashionMNIST hands them out: one channel
    assert tuple(X.shape) == (4, 1, 28, 28)
    # "each layer's weight and bias are `nn.Parameter`s, tensors that require gradients by default"
    assert "each layer's weight and bias are `nn.Parameter`s, tensors that require gradients by default" in PAGE
    assert all(isinstance(p, torch.nn.Parameter) for p in params.values())
    assert [name.rsplit(".", 1)[1] for name in params] == ["weight", "bias"] * 3
    assert torch.nn.Parameter(torch.ones(2)).requires_grad
    assert 'X = torch.rand(4, 1, 28, 28)' in (SNIPPETS / "autograd_basics.py").read_text(encoding="utf-8")


def test_mistake_numbers():
    w = torch.tensor(3.0, requires_grad=True)
    ((w * 2) ** 2).backward()
    assert w.grad.item() == 8 * 3 == 24
    assert "\\(d\\,\\text{loss}/dw = 8w = 24\\) at \\(w = 3\\)" in PAGE

    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w**2).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]
    with torch.no_grad():
        w -= 0.1 * w.grad
    assert [round(v, 4) for v in w.tolist()] == [0.8, 1.6]
    assert "\\(2w = (2, 4)\\)" in PAGE and "\\((1, 2) - 0.1 \\cdot (2, 4) = (0.8, 1.6)\\)" in PAGE

    w = torch.tensor(2.0, requires_grad=True)
    grads = []
    for _ in range(3):
        (w * w).backward()
        grads.append(w.grad.item())
    assert grads[1] == 2 * grads[0], "step 2 shows twice the true gradient"
    assert "the gradient of step 2 is twice the true one" in PAGE


def test_zero_grad_default_is_none_since_2_0():
    import inspect

    for method in (torch.optim.Optimizer.zero_grad, torch.nn.Module.zero_grad):
        assert inspect.signature(method).parameters["set_to_none"].default is True
    assert "the default since torch 2.0; before, they filled `.grad` with zeros" in PAGE


def test_second_backward_fails_only_where_saved_values_are_needed():
    """The listing's graph saved log's input and cannot run backward twice; a graph that saved nothing,
    the page's `(w + 1).sum()`, can."""
    from tested_docs.sections import sections as snippet_sections

    code = {s.name: s.code for s in snippet_sections(SNIPPETS / "autograd_mistakes.py")}["backward-twice"]
    assert "loss = torch.log(w) + w * 5" in code
    w = torch.tensor(2.0, requires_grad=True)
    loss = torch.log(w) + w * 5
    log_node = next(node for node, _ in loss.grad_fn.next_functions if type(node).__name__ == "LogBackward0")
    assert log_node._saved_self is not None  # "the input of torch.log, kept for its derivative"
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()

    example = re.search(r"such as that of `([^`]+)`, happens to survive a second `backward\(\)`", PAGE)
    assert example, "the page names a graph that survives a second backward()"
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    survivor = eval(example[1], {"w": w})
    survivor.backward()
    survivor.backward()
    assert w.grad.tolist() == [2.0, 2.0]


def test_mistake_count_matches_the_script_and_the_folded_blocks():
    """One closed block per mistake, in a section of its own at the end of the page."""
    from tested_docs.sections import sections as snippet_sections

    sections = [s.name for s in snippet_sections(SNIPPETS / "autograd_mistakes.py") if s.name != "imports"]
    mistakes, exercises = PAGE.split("## Common mistakes")[1].split("## Exercises")
    blocks = re.findall(r'\?\?\? warning "Common mistake: ', mistakes)
    words = {5: "Five", 6: "Six", 7: "Seven", 8: "Eight"}
    assert len(sections) == len(blocks) == 7
    assert f"{words[len(sections)]} mistakes" in mistakes
    assert "## " not in mistakes + exercises, "the mistakes come last but for the exercises"
    assert PAGE.count("Common mistake: ") == len(blocks), "no mistake is folded elsewhere"


# ---------------------------------------------------------------- the fact check's corrections (issue 19)
def printed_by(function, *args) -> list[str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        function(*args)
    return out.getvalue().splitlines()


def test_a_leaf_is_what_no_recorded_operation_made_and_backward_fills_grad_of_leaves_and_retained_tensors():
    assert "A tensor that no recorded operation made is a *leaf*" in PAGE
    assert "also any tensor that does not require gradients, however it was computed" in PAGE
    assert ("`backward()` (below) fills `.grad` only for leaves that require gradients, and for tensors you "
            "called `retain_grad()` on; until then `.grad` is `None`") in PAGE
    assert "Only a leaf that requires gradients ever gets a `.grad`" not in PAGE  # retain_grad and `.grad =` say otherwise
    x = torch.tensor(2.0, requires_grad=True)
    plain = torch.tensor(3.0)
    computed_plain = plain * 2 + 1  # computed, but from tensors that require nothing: still a leaf
    with torch.no_grad():
        under_no_grad = x * 2  # computed from x, but not recorded: a leaf
    made = x * plain  # recorded: not a leaf
    assert plain.is_leaf and computed_plain.is_leaf and under_no_grad.is_leaf
    assert not made.is_leaf and made.grad_fn is not None
    assert all(t.grad_fn is None for t in (x, plain, computed_plain, under_no_grad))
    made.backward()
    assert x.grad is not None  # the one leaf that requires grad
    assert plain.grad is None and computed_plain.grad is None
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert made.grad is None  # an intermediate result: dropped
    # retain_grad(): a tensor that is not a leaf gets its .grad from backward() too
    kept = x * plain
    kept.retain_grad()
    (kept * kept).backward()
    assert not kept.is_leaf and kept.grad.item() == 2 * kept.item() == 12.0
    # and .grad is an attribute anyone may set, on any tensor: backward() is only what fills it
    plain.grad = torch.tensor(5.0)
    assert not plain.requires_grad and plain.grad.item() == 5.0


def test_next_functions_are_node_and_input_nr_pairs_and_a_leafs_node_is_its_accumulate_grad(basics):
    assert ("Each entry of `next_functions` is a pair: the node of an input, and which of that node's outputs the "
            "input was (`input_nr`") in PAGE
    assert "A leaf's node is its `AccumulateGrad`" in PAGE
    assert "An input that does not require gradients appears as `None`" in PAGE
    x1 = torch.tensor(2.0, requires_grad=True)
    x2 = torch.tensor(5.0, requires_grad=True)
    y = basics.f(x1, x2)
    add, sin = (node for node, _ in y.grad_fn.next_functions)
    log, mul = (node for node, _ in add.next_functions)
    # every operation here has one output: input_nr is 0 throughout
    for node in (y.grad_fn, add, sin, log, mul):
        assert all(nr == 0 for _, nr in node.next_functions)
    acc_x1 = log.next_functions[0][0]
    assert type(acc_x1).__name__ == "AccumulateGrad" and acc_x1.variable is x1
    assert mul.next_functions[0][0] is acc_x1  # one node per leaf, reached twice
    assert mul.next_functions[1][0] is sin.next_functions[0][0]
    # input_nr says which output of a many-output operation an input was
    first, second = torch.tensor([1.0, 2.0], requires_grad=True).unbind()
    pairs = (second * first).grad_fn.next_functions
    assert [type(n).__name__ for n, _ in pairs] == ["UnbindBackward0"] * 2 and [nr for _, nr in pairs] == [1, 0]
    assert (x1 * torch.tensor(3.0)).grad_fn.next_functions[1] == (None, 0)


def test_the_graph_print_marks_a_shared_node_instead_of_walking_it_again(basics):
    lines = printed_by(basics.show_graph, basics.y.grad_fn, {id(basics.x1): "x1", id(basics.x2): "x2"})
    assert [line.strip() for line in lines if "-> x1.grad" in line] == [
        "AccumulateGrad -> x1.grad", "AccumulateGrad -> x1.grad  (the same node as above)"]
    assert "a node reached a second time is marked and not walked again" in PAGE
    # reused results: 18 doublings are 2**18 paths from the top to x, through 19 nodes; a walk along every
    # path (the function before issue 19) printed 2**19 - 1 lines here, and doubles with each step
    x = torch.tensor(1.0, requires_grad=True)
    t = x
    for _ in range(18):
        t = t + t
    lines = printed_by(basics.show_graph, t.grad_fn, {id(x): "x"})
    assert len(lines) == 2 * 18 + 1  # each AddBackward0 once walked and once marked, and x's node
    assert sum("(the same node as above)" in line for line in lines) == 18


def test_the_graph_print_names_an_unnamed_leaf_instead_of_failing(basics):
    x1 = torch.tensor(2.0, requires_grad=True)
    x2 = torch.tensor(5.0, requires_grad=True)
    lines = printed_by(basics.show_graph, basics.f(x1, x2).grad_fn, {id(x1): "x1"})  # x2 has no name
    assert "AccumulateGrad -> (unnamed leaf).grad" in [line.strip() for line in lines]
    assert "AccumulateGrad -> x1.grad" in [line.strip() for line in lines]
    # the network's parameters, none of them named
    lines = printed_by(basics.show_graph, F.cross_entropy(basics.model(basics.X), basics.labels).grad_fn, {})
    assert sum(line.strip() == "AccumulateGrad -> (unnamed leaf).grad" for line in lines) == 6


def test_gradients_of_k_mean_reduced_parts_add_up_to_k_times_the_whole_batchs():
    assert "the parts' gradients add up to \\(k\\) times the whole batch's gradient" in PAGE
    assert "divide each part's loss by \\(k\\) before its `backward()`" in PAGE
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(12, 5, generator=generator, dtype=torch.float64)
    labels = torch.randint(0, 3, (12,), generator=generator)
    w = torch.randn(5, 3, generator=generator, dtype=torch.float64, requires_grad=True)
    F.cross_entropy(X @ w, labels).backward()
    whole = w.grad.clone()
    for k in (2, 3, 4):
        for divide in (False, True):
            w.grad = None
            for part_X, part_labels in zip(X.chunk(k), labels.chunk(k)):
                loss = F.cross_entropy(part_X @ w, part_labels)  # the mean over the part
                (loss / k if divide else loss).backward()
            torch.testing.assert_close(w.grad, whole if divide else k * whole, rtol=1e-12, atol=1e-12)


def test_no_grad_new_results_require_nothing_but_a_tensor_changed_in_place_keeps_requires_grad(basics):
    """Under no_grad new results do not require gradients; a tensor changed in place keeps its requires_grad
    (a parameter updated there stays trainable); tensors asked for (requires_grad=True, a new Parameter) require
    them; and a view of a tensor that requires them says so too (the folded note)."""
    assert ("no operation is recorded, so new results do not require gradients. A tensor changed in place there "
            "keeps its `requires_grad`: that is why a parameter update under `no_grad` leaves the parameter "
            "trainable.") in PAGE
    assert "New tensors you ask for, with `requires_grad=True` or as an `nn.Parameter`, require them too" in PAGE
    # the listing's own tensors
    assert basics.w.requires_grad and basics.w.is_leaf and basics.w.grad_fn is None
    assert basics.w.tolist() == pytest.approx([0.9, 1.9])
    assert basics.made.requires_grad and basics.layer.weight.requires_grad and not basics.y_plain.requires_grad
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        new = w * 2
        w.add_(1)  # in place
        view = w[0:2]
        factory = torch.ones(2, requires_grad=True)
        parameter = torch.nn.Parameter(torch.ones(2))
        product = factory * parameter
    assert not new.requires_grad and not product.requires_grad
    assert w.requires_grad and factory.requires_grad and parameter.requires_grad
    assert view.requires_grad and view.grad_fn is None  # "reports `requires_grad=True`, though it has no `grad_fn`"
    assert "such as `w[0]` or `w.view(2)`, made under `no_grad`, reports `requires_grad=True`" in PAGE
    with torch.no_grad():
        assert w[0].requires_grad and w.view(2).requires_grad
    # and the parameter stays trainable: the next backward() reaches it
    (w * w).sum().backward()
    assert w.grad.tolist() == [4.0, 6.0]


def test_detach_shares_memory_and_the_version_counter(basics):
    y = basics.f(torch.tensor(2.0, requires_grad=True), torch.tensor(5.0, requires_grad=True))
    detached = y.detach()
    assert detached.data_ptr() == y.data_ptr()
    before = y._version
    detached.add_(1)
    assert y._version == detached._version == before + 1
    assert y.item() == pytest.approx(12.6521, abs=5e-5)  # the in-place change is y's too
    assert "a detached\n    tensor shares that counter with its original" in PAGE_PATH.read_text(encoding="utf-8")
    # the mistake's own tensors: a clone has a counter (and memory) of its own
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    e = torch.exp(x)
    copy = e.detach().clone()
    copy.zero_()
    assert e._version == 0 and copy.data_ptr() != e.data_ptr()
    e.sum().backward()
    torch.testing.assert_close(x.grad, torch.exp(torch.tensor([1.0, 2.0])))
    e = torch.exp(x)
    e.detach().zero_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        e.sum().backward()


def test_cross_entropy_applies_log_softmax():
    assert "It takes logits and applies `log_softmax` to them itself" in PAGE
    generator = torch.Generator().manual_seed(1)
    logits = torch.randn(6, 4, generator=generator, dtype=torch.float64)
    targets = torch.randint(0, 4, (6,), generator=generator)
    ce = F.cross_entropy(logits, targets)
    assert torch.equal(ce, F.nll_loss(F.log_softmax(logits, dim=1), targets))
    torch.testing.assert_close(ce, -F.log_softmax(logits, dim=1)[torch.arange(6), targets].mean())
    # "stays accurate where a tiny probability would round to 0 and its logarithm to -inf"
    big = torch.tensor([[0.0, 200.0]])
    assert torch.softmax(big, dim=1)[0, 0].item() == 0.0
    assert torch.log(torch.softmax(big, dim=1))[0, 0].item() == -math.inf
    assert F.log_softmax(big, dim=1)[0, 0].item() == pytest.approx(-200.0)
    assert F.cross_entropy(big, torch.tensor([0])).item() == pytest.approx(200.0)


def test_retain_graph_must_go_on_the_first_backward():
    assert "pass `retain_graph=True` to the *first*\n    `backward()`, the one that would free the graph; on the second it comes too late" in PAGE_PATH.read_text(encoding="utf-8")
    w = torch.tensor(2.0, requires_grad=True)
    loss = torch.log(w) + w * 5
    loss.backward()
    with pytest.raises(RuntimeError, match="a second time"):
        loss.backward(retain_graph=True)  # too late: the first call freed the graph
    w.grad = None
    loss = torch.log(w) + w * 5
    loss.backward(retain_graph=True)
    loss.backward()
    assert w.grad.item() == pytest.approx(2 * (1 / 2 + 5))
    assert "w.grad = 11.0000" in PAGE and "The last line is \\(5.5 + 5.5\\)" in PAGE


def test_each_symbol_of_the_math_means_one_thing():
    """y is f's value, u the second function of x1, z the logits (as on the eager-mode page), c a true class, ℓ the
    loss (as on the training page, which writes y_n for the class: the page says so, once)."""
    text = PAGE_PATH.read_text(encoding="utf-8")
    note = "(the\n[training page](training.md) writes \\(y_n\\), but here \\(y\\) is \\(f\\)'s value)"
    assert note in text
    math_text = " ".join(a + b for a, b in re.findall(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", text.replace(note, ""), flags=re.S))
    assert "softmax" in math_text and "x_1" in math_text
    for wrong in ["y_n", "[j = y]", ")_y", "z = x_1", "\\partial z /", "L =", "\\partial L"]:
        assert wrong not in math_text, wrong
    for right in ["c_n", "[j = c]", "u = x_1^2", "\\partial u / \\partial x_1", "logits \\(z_n\\)", "\\ell = -\\frac{1}{N}",
                  "\\frac{\\partial \\ell}{\\partial Z}", "\\partial \\ell / \\partial p"]:
        assert right in math_text or right in PAGE, right
    assert "z = x1" not in (SNIPPETS / "autograd_basics.py").read_text(encoding="utf-8")
    # what the note says of the training page is so
    training = (PAGE_PATH.parent / "training.md").read_text(encoding="utf-8")
    assert "\\ell = -\\frac{1}{N} \\sum_{n=1}^{N} \\log \\operatorname{softmax}(z_n)_{y_n}" in training
    assert "\\ell = -\\frac{1}{N} \\sum_{n=1}^{N} \\log \\operatorname{softmax}(z_n)_{c_n}" in text


def flow_of(markdown: str) -> str:
    """The page's source without its folded blocks (a `??? ` line and the indented or blank lines under it)."""
    kept, folded = [], False
    for line in markdown.split("\n"):
        if line.startswith("??? "):
            folded = True
        elif folded and line.strip() and not line.startswith("    "):
            folded = False
        if not folded:
            kept.append(line)
    return "\n".join(kept)


def test_the_intro_states_the_calculus_it_assumes_and_the_flow_needs_no_fold():
    text = PAGE_PATH.read_text(encoding="utf-8")
    intro = " ".join(text.split("## ")[0].split())
    assert ("It also assumes *partial derivatives* (how fast a function of several inputs changes when one input moves "
            "and the others stay fixed) and the *chain rule* (the derivative of a function of a function is the product "
            "of its steps' derivatives).") in intro
    flow = " ".join(flow_of(text).split())
    # the softmax derivation is folded, its result is not
    assert "Differentiating by \\(z_j\\)" in text and "Differentiating by" not in flow
    assert "\\frac{\\operatorname{softmax}(Z) - T}{N}" in flow
    # the graph walker is folded; the flow shows next_functions and the figure
    assert ':graph"' in text and ':graph"' not in flow
    assert ':next-functions"' in flow and "build-figure: autograd_graph.png" in flow
    # "saved for backward" is said in the flow where the flow needs it (the product), not only in a fold
    assert "to compute the gradient of \\(a b\\) by \\(a\\), autograd keeps \\(b\\)" in flow
    # only exercise 5's hint points into the fold, for the reader who wants the walk
    assert "show_graph" not in flow.split("## Exercises")[0] and flow.count("show_graph") == 1


def test_the_intro_does_not_end_on_a_colon_that_the_run_it_yourself_box_would_cut_off():
    """The build puts its "Run it yourself" box after the introduction, just above the first listing."""
    from tested_docs.learning_path import intro_end

    lines = PAGE_PATH.read_text(encoding="utf-8").split("\n")
    before_box = "\n".join(lines[: intro_end(lines)]).rstrip()
    assert lines[intro_end(lines)].startswith("```python")
    assert not before_box.endswith(":"), before_box[-200:]


# ---------------------------------------------------------------- defined before use, and the one place for no_grad/eval
def test_the_learning_rate_is_defined_where_it_is_first_used():
    first = PAGE.index("\\eta")
    sentence = PAGE[first - 200: first + 200]
    assert "\\(\\eta\\), the *learning rate*, is the step size of an update" in PAGE
    assert PAGE.index("\\(\\eta\\), the *learning rate*") - first < 120, sentence
    assert "[training page](training.md) uses it" in PAGE


def test_only_the_network_listing_needs_eager_model_and_the_page_says_so(tmp_path):
    """Copied into an empty folder, the listings before the network's run with nothing beside them."""
    import subprocess
    import sys

    from tested_docs.pages import listings

    items = listings(PAGE_PATH)
    needing = [item for item in items if "eager_model" in item.code]
    assert [s.section for item in needing for s in item.sources] == ["model-grads"]
    before = items[: items.index(needing[0])]
    assert "from eager_model import NeuralNetwork" in needing[0].code
    assert "save\n[`eager_model.py`](notebooks/eager_model/eager_model.py) beside your script" in PAGE_PATH.read_text(encoding="utf-8")
    script = tmp_path / "copied.py"
    script.write_text("\n\n".join(item.code for item in before), encoding="utf-8")
    done = subprocess.run([sys.executable, script.name], cwd=tmp_path, capture_output=True, text=True,
                          env={k: v for k, v in __import__("os").environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 0, done.stderr
    from tested_docs.compare import agree

    shown = "".join(item.expected_output for item in before if item.expected_output)
    assert agree(shown, done.stdout, max(item.tolerance for item in before)), done.stdout


def test_turning_off_gradients_has_its_heading_and_id_and_eval_is_not_one_of_the_switches():
    """Other pages link to #turning-off-gradients. Two switches stop recording; eval() switches no gradient."""
    assert "## Turning off gradients: `no_grad` and `inference_mode`, not `eval()` {#turning-off-gradients}" in PAGE
    assert PAGE.count("{#turning-off-gradients}") == 1
    for page in ("training.md", "own-images.md", "eager-mode.md"):
        assert "autograd.md#turning-off-gradients" in (PAGE_PATH.parent / page).read_text(encoding="utf-8"), page
    assert ("PyTorch has two switches that stop recording, `torch.no_grad()` and `torch.inference_mode()`, and "
            "`detach()` for a single tensor. `model.eval()`, often confused with them, does something else.") in PAGE
    assert "three switches" not in PAGE and "records nothing less" not in PAGE
    assert "`eval()` does not stop recording" in PAGE


def test_no_grad_and_inference_mode_record_nothing_and_what_is_refused_to_inference_tensors_outside(basics):
    x = torch.tensor(2.0, requires_grad=True)
    with torch.no_grad():
        plain = x * 3
    with torch.inference_mode():
        inference = x * 3
        asked = torch.ones(2, requires_grad=True)  # an inference tensor that requires gradients
        inference.add_(0)  # inside the block an in-place change is allowed
    assert plain.grad_fn is None and inference.grad_fn is None and not plain.requires_grad and not inference.requires_grad
    assert inference.is_inference() and not plain.is_inference()
    # "They can never require gradients" was wrong: one made in the block with requires_grad=True does
    assert asked.is_inference() and asked.requires_grad
    assert "`torch.ones(2, requires_grad=True)` makes an inference tensor that does require gradients" in PAGE
    assert "can never require gradients" not in PAGE and "kept out of autograd for good" not in PAGE
    # outside the block: no setting requires_grad, no in-place change, no saving for backward
    assert ("Outside the block you cannot set `requires_grad` on an inference tensor or change it in place, and a "
            "recorded operation that has to keep one for `backward()` refuses it") in PAGE
    with pytest.raises(RuntimeError, match="Setting requires_grad=True on inference tensor outside InferenceMode"):
        inference.requires_grad_()
    with pytest.raises(RuntimeError, match="Inplace update to inference tensor outside InferenceMode"):
        inference.add_(1)
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        inference * x  # a product saves its inputs for backward
    (inference + x).backward()  # a sum saves nothing: it runs, as "has to keep one" implies
    assert x.grad.item() == 1.0
    assert (plain * x).grad_fn is not None  # a no_grad result enters a recorded operation
    assert basics.y_inference.is_inference() and basics.later.grad_fn.name() == "MulBackward0"


def test_a_product_keeps_its_inputs_for_backward_and_the_flow_says_why():
    """The flow says why a product must keep an inference tensor: its gradient by one input is the other."""
    assert "A product does: to compute the gradient of \\(a b\\) by \\(a\\), autograd keeps \\(b\\)." in PAGE
    a = torch.tensor(3.0, requires_grad=True)
    b = torch.tensor(4.0, requires_grad=True)
    node = (a * b).grad_fn
    assert torch.equal(node._saved_other, b) and torch.equal(node._saved_self, a)
    add = (a + b).grad_fn  # a sum's gradient is 1 for each input: it keeps neither
    assert add.name() == "AddBackward0" and not hasattr(add, "_saved_self") and not hasattr(add, "_saved_other")


def test_the_inference_error_is_shown_by_its_first_sentence_which_both_releases_print(basics):
    """The whole message is 300 characters on one line (it scrolled); its first sentence is the same on torch 2.6
    and 2.14, so the listing needs no torch_output mark, and the fold says what the rest suggests."""
    from tested_docs.pages import listings

    [item] = [i for i in listings(PAGE_PATH) if any(s.section == "inference-mode" for s in i.sources)]
    assert not item.release_outputs
    assert "RuntimeError: Inference tensors cannot be saved for backward.\n" in item.expected_output
    assert max(map(len, item.expected_output.splitlines())) <= 80
    assert "The listing prints the first sentence of the error" in PAGE
    try:
        basics.y_inference * basics.x1
    except RuntimeError as error:
        message = str(error)
    assert message.startswith("Inference tensors cannot be saved for backward. ")
    assert "make a clone" in message  # "The rest of the message suggests making a clone"
    release = tuple(int(v) for v in torch.__version__.split("+")[0].split(".")[:2])
    suggests_no_grad = "use `torch.no_grad()` instead of `torch.inference_mode()`" in message
    if release == (2, 6) or release >= (2, 14):  # the two releases tried: 2.6 suggests only the clone
        assert suggests_no_grad == (release >= (2, 14)), release
    assert "or using `torch.no_grad()` instead of `torch.inference_mode()`; torch 2.6 suggests only the clone" in PAGE


def test_eval_switches_dropout_and_batch_norm_and_records_as_much():
    from torch import nn

    torch.manual_seed(0)
    dropout = nn.Dropout(p=0.5)
    ones = torch.ones(1000)
    out = dropout(ones)
    assert set(out.unique().tolist()) == {0.0, 2.0}  # "zeroes a random share ... and scales up the rest"
    with torch.no_grad():
        assert (dropout(ones) == 0).any()  # "no_grad() alone leaves dropout on"
    dropout.eval()
    assert torch.equal(dropout(ones), ones)  # "passes everything through"

    norm = nn.BatchNorm1d(3)
    batch = torch.randn(8, 3) * 5 + 2
    train_out = norm(batch)  # the batch's own mean and variance
    torch.testing.assert_close(train_out.mean(dim=0), torch.zeros(3), atol=1e-5, rtol=0)
    norm.eval()
    kept = (batch - norm.running_mean) / torch.sqrt(norm.running_var + norm.eps)
    torch.testing.assert_close(norm(batch), kept)  # "uses averages kept during training"

    net = nn.Sequential(nn.Linear(4, 6), nn.Dropout(p=0.5)).eval()
    out = net(torch.rand(2, 4))
    assert out.grad_fn is not None  # "`eval()` does not stop recording"
    # "`AddmmBackward0` (`addmm` is `nn.Linear`'s matrix multiply plus bias)"; dropout in eval mode adds no node
    assert out.grad_fn.name() == "AddmmBackward0"
    assert "`AddmmBackward0` (`addmm` is `nn.Linear`'s matrix multiply plus bias)" in PAGE
    linear, x = net[0], torch.rand(2, 4)
    torch.testing.assert_close(linear(x), torch.addmm(linear.bias, x, linear.weight.T))
    assert not net.training and net.train().training
    for words in ["*dropout* zeroes a random share of its inputs (and scales up the rest)",
                  "*batch normalization* rescales each batch by that batch's own mean and variance",
                  "`eval()` alone still records a graph, and `no_grad()` alone leaves dropout on"]:
        assert words in PAGE, words
    # the site's spelling, as on the training page
    assert "normalisation" not in PAGE and "normalization" in (PAGE_PATH.parent / "training.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the figures follow their code (issue 20)
def backward_graph(root):
    """The distinct nodes below `root`, and one edge (node, input's node) per input of each: found here, not
    by the snippet. x1 * x1 is two edges to x1's node."""
    nodes, edges, todo = {root}, [], [root]
    while todo:
        node = todo.pop()
        for child, _ in node.next_functions:
            if child is not None:
                edges.append((node, child))
                if child not in nodes:
                    nodes.add(child)
                    todo.append(child)
    return nodes, edges


def drawn_graph(figure):
    """What a draw_graph figure shows: each box's label, and the arrows as (label from, label to) pairs."""
    from collections import Counter

    from matplotlib.patches import FancyArrowPatch

    (ax,) = figure.axes
    nodes = [t for t in ax.texts if t.get_color() != "tab:red"]  # the arrows' labels are red
    at = {tuple(t.get_position()): t.get_text() for t in nodes}
    boxes = [t.get_bbox_patch() for t in nodes if t.get_bbox_patch() is not None]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(ax.patches) == len(arrows), "nothing else is drawn as a patch"
    assert len(at) == len(nodes) == len(boxes), "one boxed label per node, each at its own place"
    for arrow in arrows:  # each arrow runs from a box down to a box in a lower row, clipped at both boxes
        start, end = arrow._posA_posB
        assert tuple(start) in at and tuple(end) in at and start[1] > end[1]
        assert arrow.patchA in boxes and arrow.patchB in boxes and arrow.patchA is not arrow.patchB
    pairs = Counter((at[tuple(a._posA_posB[0])], at[tuple(a._posA_posB[1])]) for a in arrows)
    return [t.get_text() for t in nodes], pairs


def arrow_labels(figure):
    """Each arrow's (label from, label to, the gradient written on it), read off the figure:
    an arrow's label is the red text nearest the middle of its curve."""
    from collections import Counter

    from matplotlib.patches import FancyArrowPatch

    (ax,) = figure.axes
    figure.canvas.draw()
    nodes = {tuple(t.get_position()): t.get_text() for t in ax.texts if t.get_color() != "tab:red"}
    red = [t for t in ax.texts if t.get_color() == "tab:red"]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(red) == len(arrows), "one label per arrow"
    middles = []
    for arrow in arrows:
        start, end = arrow._posA_posB
        path = arrow.get_connectionstyle()(*ax.transData.transform([start, end]))
        assert len(path.vertices) == 3  # arc3: a quadratic curve, its middle is a quarter, a half and a quarter
        middle = 0.25 * path.vertices[0] + 0.5 * path.vertices[1] + 0.25 * path.vertices[2]
        middles.append(((nodes[tuple(start)], nodes[tuple(end)]), middle))
    found = Counter()
    for label in red:  # each label belongs to the arrow whose middle it sits on
        at = ax.transData.transform(label.get_position())
        edge, middle = min(middles, key=lambda m: math.dist(m[1], at))
        assert math.dist(middle, at) < 2
        found[(*edge, label.get_text())] += 1
    return found


def passed_gradients(out, names):
    """(label from, label to, gradient) for every edge, as autograd passes them: hooks on a fresh run."""
    from collections import Counter

    nodes, _ = backward_graph(out.grad_fn)
    sent = {}
    handles = [n.register_hook(lambda gi, go, n=n: sent.update({n: gi})) for n in nodes if n.next_functions]
    out.backward(retain_graph=True)
    for h in handles:
        h.remove()
    edges = Counter()
    for node, grads in sent.items():
        for (child, _), g in zip(node.next_functions, grads):
            if child is not None:
                shown = f"{g.item():.4g}" if g.numel() == 1 else f"shape {tuple(g.shape)}"
                edges[(node, child, shown)] += 1
    return edges


def node_label(node, names, root=None, root_name="y"):
    label = type(node).__name__
    if node is root:
        label += f"\n= {root_name}.grad_fn"
    if hasattr(node, "variable"):
        grad = node.variable.grad
        shown = "None" if grad is None else f"{grad.item():.4f}" if grad.numel() == 1 else f"shape {tuple(grad.shape)}"
        label += f"\n{names.get(id(node.variable), '(unnamed leaf)')}.grad = {shown}"
    return label


def example(basics, extra):
    x1 = torch.tensor(2.0, requires_grad=True)
    x2 = torch.tensor(5.0, requires_grad=True)
    out = basics.f(x1, x2)
    if extra:
        out = out + eval(extra, {"torch": torch, "x1": x1})
    return out, {id(out): "y", id(x1): "x1", id(x2): "x2"}


@pytest.mark.parametrize("extra", [None, "x1 * x1", "torch.exp(x1)"])
def test_the_graph_figure_has_a_box_per_node_of_the_grad_fn_chain_and_an_arrow_per_input(basics, extra):
    """The page's f, and f with one more operation: the figure's boxes, labels and arrows are the graph's,
    and each arrow is labelled with the gradient autograd passes along it (hooks on a second, fresh run)."""
    import matplotlib.pyplot as plt
    from collections import Counter

    out, names = example(basics, extra)
    figure = basics.draw_graph(out, names)
    nodes, edges = backward_graph(out.grad_fn)
    labels, arrows = drawn_graph(figure)
    written = arrow_labels(figure)
    plt.close(figure)
    label = lambda n: node_label(n, names, out.grad_fn)  # noqa: E731
    assert Counter(labels) == Counter(label(n) for n in nodes)
    assert arrows == Counter((label(a), label(b)) for a, b in edges)
    out2, names2 = example(basics, extra)
    passed = passed_gradients(out2, names2)
    expected = Counter({(node_label(a, names2, out2.grad_fn), node_label(b, names2, out2.grad_fn), g): k
                        for (a, b, g), k in passed.items()})
    # every arrow's number is the one autograd passed; where two arrows cross at their middles
    # (the longer examples), the nearest label is ambiguous, so there only the numbers are compared
    assert sorted(g for _, _, g in written.elements()) == sorted(g for _, _, g in expected.elements())
    if extra is None:
        assert written == expected
    x1_grad = 1 / 2 + 5 + {None: 0, "x1 * x1": 2 * 2, "torch.exp(x1)": math.exp(2)}[extra]
    assert f"AccumulateGrad\nx1.grad = {x1_grad:.4f}" in labels
    assert "AccumulateGrad\nx2.grad = 1.7163" in labels  # 2 - cos 5, whatever was added
    texts = sorted(g for _, _, g in written.elements())
    if extra is None:
        assert len(labels) == 7 and len(edges) == 8  # SubBackward0 ... and x1's node shared by two inputs
        assert "SubBackward0\n= y.grad_fn" in labels
        assert texts == sorted(["1", "-1", "1", "1", "0.5", "5", "2", "-0.2837"])
        assert written[("SinBackward0", "AccumulateGrad\nx2.grad = 1.7163", "-0.2837")] == 1
        assert written[("MulBackward0", "AccumulateGrad\nx1.grad = 5.5000", "5")] == 1
        assert 0.5 + 5 == 5.5 and f"{2 - 0.2837:.4f}" == "1.7163"
    elif extra == "x1 * x1":  # one more add, one more product: two more nodes, and a MulBackward0 besides f's
        assert len(labels) == 9 and labels.count("MulBackward0") == 2 and labels.count("AddBackward0\n= y.grad_fn") == 1
        assert x1_grad == 9.5 and len(edges) == 8 + 4  # the new add: f and the product; the product: x1 twice
        assert arrows[("MulBackward0", "AccumulateGrad\nx1.grad = 9.5000")] == 3  # f's product once, x1 * x1 twice
        assert written[("MulBackward0", "AccumulateGrad\nx1.grad = 9.5000", "2")] == 2  # x1 * x1: x1 each way
    else:
        assert len(labels) == 9 and "ExpBackward0" in labels
        assert f"{math.exp(2):.4g}" in texts


def test_the_page_shows_the_graph_figure_and_its_alt_text_names_what_is_drawn(basics):
    from tested_docs.pages import BUILD_FIGURE

    text = PAGE_PATH.read_text(encoding="utf-8")
    figures = {m["file"]: m["alt"] for m in BUILD_FIGURE.finditer(text)}
    x1 = torch.tensor(2.0, requires_grad=True)
    x2 = torch.tensor(5.0, requires_grad=True)
    y = basics.f(x1, x2)
    labels, _ = drawn_graph(basics.draw_graph(y, {id(y): "y", id(x1): "x1", id(x2): "x2"}))
    for label in labels:
        for line in label.split("\n"):
            assert line in figures["autograd_graph.png"], line
    assert text.index('--8<-- "snippets/autograd_basics.py:graph-figure"') < text.index("build-figure: autograd_graph.png")
    assert text.index("build-figure: autograd_graph.png") < text.index('--8<-- "snippets/autograd_basics.py:by-hand"')


def steps_by_hand(start: float, lr: float, steps: int) -> list[float]:
    """The update p <- p - lr * 2p on p**2, in plain Python: no autograd, no snippet."""
    path = [start]
    for _ in range(steps):
        path.append(path[-1] - lr * 2 * path[-1])
    return path


def drawn_descent(figure):
    """Per panel: the title, the points drawn (x, y) and the step numbers written beside them."""
    panels = []
    for ax in figure.axes:
        (points,) = [line for line in ax.lines if line.get_color() == "tab:red"]
        panels.append((ax.get_title(), list(points.get_xdata()), list(points.get_ydata()),
                       [t.get_text() for t in ax.texts]))
    return panels


@pytest.mark.parametrize("learning_rates", [[0.1, 1.1], [0.3, 0.95, 1.05], [0.02]])
def test_the_descent_figure_draws_the_updates_own_steps(basics, learning_rates):
    import matplotlib.pyplot as plt

    figure = basics.draw_descent(basics.parabola, 2.0, learning_rates, steps=4)
    panels = drawn_descent(figure)
    plt.close(figure)
    assert len(panels) == len(learning_rates)
    first = figure.axes[0]
    assert all(ax.get_xlim() == first.get_xlim() and ax.get_ylim() == first.get_ylim() for ax in figure.axes)
    assert all(line.get_label().startswith("_") for ax in figure.axes for line in ax.lines)  # no unused labels
    for lr, (title, xs, ys, numbers) in zip(learning_rates, panels):
        expected = steps_by_hand(2.0, lr, 4)
        assert xs == pytest.approx(expected, rel=1e-5, abs=1e-6)
        assert ys == pytest.approx([p * p for p in expected], rel=1e-5, abs=1e-6)
        assert numbers == ["0", "1", "2", "3", "4"]
        rising = abs(1 - 2 * lr) > 1  # each step multiplies p by 1 - 2 lr
        assert all((b > a) == rising for a, b in zip(ys, ys[1:])), (lr, ys)
        assert title == f"η = {lr}: the loss {'rises' if rising else 'falls'}"


def test_a_too_large_learning_rate_climbs_and_the_page_says_by_how_much(basics):
    import matplotlib.pyplot as plt

    figure = basics.draw_descent(basics.parabola, 2.0, [0.1, 1.1], steps=4)
    (_, good, good_losses, _), (_, bad, bad_losses, _) = drawn_descent(figure)
    plt.close(figure)
    assert good != bad
    assert all(b < a for a, b in zip(good_losses, good_losses[1:]))  # eta = 0.1: the loss falls
    assert all(b > a for a, b in zip(bad_losses, bad_losses[1:]))  # eta = 1.1: it rises, every step
    assert [round(b / a, 4) for a, b in zip(good, good[1:])] == [0.8] * 4
    assert [round(b / a, 4) for a, b in zip(bad, bad[1:])] == [-1.2] * 4
    assert "Each step multiplies \\(p\\) by \\(1 - 2\\eta\\). With \\(\\eta = 0.1\\) that is 0.8" in PAGE
    assert "With \\(\\eta = 1.1\\) it is \\(-1.2\\): each step jumps over the minimum" in PAGE
    assert "With \\(\\eta = 0.9\\) it is \\(-0.8\\)" in PAGE and f"{1 - 2 * 0.9:.1f}" == "-0.8"
    figure = basics.draw_descent(basics.parabola, 2.0, [0.1, 0.9, 1.1], steps=4)
    (_, middle, middle_losses, _) = drawn_descent(figure)[1]
    plt.close(figure)
    assert all(b < a for a, b in zip(middle_losses, middle_losses[1:]))  # overshoots, and still converges
    assert all(a * b < 0 for a, b in zip(middle, middle[1:]))
    text = PAGE_PATH.read_text(encoding="utf-8")
    assert text.index(":descent-figure") < text.index("build-figure: gradient_descent.png")


# ---------------------------------------------------------------- the exercises' arithmetic (issue 20)
def test_the_exercises_arithmetic_is_the_solutions():
    assert "\\(\\partial g / \\partial x_1 = 2 x_1 x_2 = 6\\) and \\(\\partial g / \\partial x_2 = x_1^2 + e^{x_2} = 9 + e\\)" in PAGE
    assert f"{9 + math.e:.4f}" == "11.7183"
    assert "\\(3 \\times 5.5 = 16.5\\) and \\(3 \\times (2 - \\cos 5) \\approx 5.1490\\)" in PAGE
    assert f"{3 * (2 - math.cos(5)):.4f}" == "5.1490"
    assert "784 \\cdot 128 + 128 + 128 \\cdot 128 + 128 + 128 \\cdot 10 + 10 = 118{,}282" in PAGE
    assert 784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10 == 118282
    # "it shrinks while that factor lies between -1 and 1, that is for 0 < eta < 1"
    assert "that is for \\(0 < \\eta < 1\\)" in PAGE
    for lr in (0.01, 0.5, 0.9, 0.99, 1.0, 1.01, 1.1):
        assert (abs(steps_by_hand(2.0, lr, 10)[-1]) < 2.0) == (0 < lr < 1), lr
    assert steps_by_hand(2.0, 0.5, 1) == [2.0, 0.0] and steps_by_hand(2.0, 1.0, 3) == [2.0, -2.0, 2.0, -2.0]


def test_the_graph_figure_shows_a_layers_unnamed_parameters_and_their_gradients_shapes(basics):
    import matplotlib.pyplot as plt
    from torch import nn

    torch.manual_seed(0)
    layer = nn.Linear(3, 2)  # a layer: its weight and bias are unnamed leaves with non-scalar gradients
    loss = F.cross_entropy(layer(torch.rand(4, 3)), torch.tensor([0, 1, 1, 0]))
    nodes, edges = backward_graph(loss.grad_fn)
    figure2 = basics.draw_graph(loss, {})  # runs loss.backward()
    labels, arrows = drawn_graph(figure2)
    written = arrow_labels(figure2)
    title = figure2.axes[0].get_title()
    plt.close(figure2)
    assert sorted(labels) == sorted(node_label(n, {}, loss.grad_fn, "out") for n in nodes)
    assert title == "arrows: the way backward() runs, from the output to the leaves"
    assert any(g.startswith("shape ") for _, _, g in written)
    assert "AccumulateGrad\n(unnamed leaf).grad = shape (2, 3)" in labels
    assert "AccumulateGrad\n(unnamed leaf).grad = shape (2,)" in labels
    assert sum(arrows.values()) == len(edges)
