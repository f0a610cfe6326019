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
    assert f"= \\frac{{1}}{{2}} + 5 = {d1:g}" in PAGE
    assert f"= 2 - \\cos 5 \\approx {d2:.4f}" in PAGE
    # the by-hand section computes the same two numbers in plain Python
    assert math.isclose(basics.dy_dx1, d1, rel_tol=1e-12) and math.isclose(basics.dy_dx2, d2, rel_tol=1e-12)
    # and the float32 tensors of the script agree with them
    assert basics.x1.dtype == torch.float32 and (basics.a, basics.b) == (2.0, 5.0)


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
    assert "Each leaf is reached along two paths" in PAGE


def test_accumulation_numbers(basics):
    _, d1, _ = autograd_at(basics.f, 2.0, 5.0)
    x1 = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (x1**2).backward()
    dz = x1.grad.item()
    assert dz == 2 * 2.0
    assert f"\\partial z / \\partial x_1 = 2 x_1 = {dz:g}" in PAGE
    assert f"\\({d1:g} + {dz:g} = {d1 + dz:g}\\)" in PAGE
    assert f"x1.grad after y.backward() and z.backward(): {d1 + dz:.4f}" in PAGE


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


def test_mistake_count_matches_the_script_and_headings():
    from tested_docs.sections import sections as snippet_sections

    sections = [s.name for s in snippet_sections(SNIPPETS / "autograd_mistakes.py") if s.name != "imports"]
    mistakes = PAGE.split("## Common mistakes")[1].split("## Next")[0]
    headings = re.findall(r"(?:^| )### ", mistakes)
    words = {5: "Five", 6: "Six", 7: "Seven"}
    assert len(sections) == len(headings) == 6
    assert f"{words[len(sections)]} mistakes" in mistakes

