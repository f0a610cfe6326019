"""Where the page's prose names a shape or a count, it agrees with the code."""


import pytest
from torch import nn

from as_reader import import_snippet
from tested_docs.paths import DOCS, SNIPPETS

PAGE = (DOCS / "eager-mode.md").read_text(encoding="utf-8")


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
    terms = " + ".join(
        f"{m.in_features} \\cdot {m.out_features} + {m.out_features}" for m in linears(model)
    )
    assert f"\\({terms}\\)" in PAGE
    total = sum(p.numel() for p in model.parameters())
    assert eval(terms.replace("\\cdot", "*")) == total
    assert f"Total parameters: {total:,}" in PAGE


def test_softmax_sum_has_ten_terms(model):
    assert f"\\sum_{{j=1}}^{{{linears(model)[-1].out_features}}}" in PAGE


def test_script_count_matches_the_includes():
    from tested_docs.pages import listings

    files = {include.file for item in listings(DOCS / "eager-mode.md") for include in item.sources}
    words = {3: "three", 4: "four", 5: "five"}
    assert f"one of {words[len(files)]} scripts" in PAGE
    assert all(f"`{file.removeprefix('snippets/')}`" in PAGE.split("## Modules")[0] for file in files)
