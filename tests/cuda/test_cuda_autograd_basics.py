"""autograd_basics.py on an NVIDIA GPU: autograd's gradients there are the CPU's, and they live on the GPU.

The snippet runs as written (on the CPU); its function `f`, its seeded logits and targets, and its
seeded model and batch are then moved to "cuda" and differentiated there, and every result is compared
with the CPU's at rtol = atol = 1e-5 with TF32 off (`torch.set_float32_matmul_precision("highest")`),
as in tests/cuda/test_cuda.py. The scalar function and the cross-entropy gradient are elementwise
float32 arithmetic, a few ulps apart at most. The network's gradients go through float32 matmuls:
measured on the CPU against float64, its pre-activations are off by at most 4.6e-7, while the one nearest
to zero (where ReLU switches) is 8.3e-5 from it, so both devices take the same side of every ReLU;
`test_model_gradients_on_the_gpu` checks that margin before it compares.

Only torch, pytest and the standard library are imported: it runs on a GPU machine without the site's
build tools. Every test skips where torch sees no CUDA device.
"""

import copy
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from as_reader import import_snippet  # tests/as_reader.py

# The repository's snippets/, wherever this file sits under tests/.
SNIPPETS = next(p / "snippets" for p in Path(__file__).resolve().parents if (p / "snippets" / "autograd_basics.py").is_file())
RTOL = ATOL = 1e-5
RELU_MARGIN = 1e-5  # no ReLU input may lie closer to 0 than this, or rounding could flip its side between devices


def on_gpu(*tensors) -> bool:
    return all(t.device.type == "cuda" for t in tensors)


@pytest.fixture(scope="module")
def basics():
    """autograd_basics.py, run as a reader runs it (on the CPU; its folder importable for eager_model)."""
    return import_snippet(SNIPPETS / "autograd_basics.py")


def differentiate_f(f, device: str):
    """y = f(2, 5) on `device`, after y.backward(): (y, dy/dx1, dy/dx2, y's grad_fn name)."""
    x1 = torch.tensor(2.0, device=device, requires_grad=True)
    x2 = torch.tensor(5.0, device=device, requires_grad=True)
    y = f(x1, x2)
    y.backward()
    return y.detach(), x1.grad, x2.grad, type(y.grad_fn).__name__


def test_function_gradients_on_the_gpu(basics):
    gpu = differentiate_f(basics.f, "cuda")
    cpu = differentiate_f(basics.f, "cpu")
    assert on_gpu(*gpu[:3])
    assert gpu[3] == cpu[3] == "SubBackward0"
    for gpu_value, cpu_value in zip(gpu[:3], cpu[:3]):
        torch.testing.assert_close(gpu_value.cpu(), cpu_value, rtol=RTOL, atol=ATOL)
    y, dx1, dx2, _ = gpu
    assert math.isclose(y.item(), math.log(2) + 10 - math.sin(5), rel_tol=1e-6)
    assert math.isclose(dx1.item(), 1 / 2 + 5, rel_tol=1e-6)  # 1/x1 + x2
    assert math.isclose(dx2.item(), 2 - math.cos(5), rel_tol=1e-6)  # x1 - cos x2


def test_accumulation_and_zeroing_on_the_gpu(basics):
    x1 = torch.tensor(2.0, device="cuda", requires_grad=True)
    x2 = torch.tensor(5.0, device="cuda", requires_grad=True)
    basics.f(x1, x2).backward()
    (x1**2).backward()
    assert on_gpu(x1.grad) and math.isclose(x1.grad.item(), 5.5 + 4, rel_tol=1e-6)
    x1.grad = None
    x2.grad = None
    (x1**2).backward()
    assert math.isclose(x1.grad.item(), 4.0, rel_tol=1e-6)
    assert x2.grad is None


def test_no_grad_and_detach_on_the_gpu(basics):
    x1 = torch.tensor(2.0, device="cuda", requires_grad=True)
    x2 = torch.tensor(5.0, device="cuda", requires_grad=True)
    with torch.no_grad():
        plain = basics.f(x1, x2)
    assert on_gpu(plain) and not plain.requires_grad and plain.grad_fn is None
    y = basics.f(x1, x2)
    detached = y.detach()
    assert on_gpu(detached) and not detached.requires_grad and detached.grad_fn is None
    assert detached.data_ptr() == y.data_ptr()
    assert torch.equal(plain, detached)


def test_cross_entropy_gradient_on_the_gpu(basics):
    """The snippet's seeded logits and targets on the GPU: the CPU's gradient, and (softmax - one_hot) / N."""
    logits = basics.logits.detach().to("cuda").requires_grad_()
    targets = basics.targets.to("cuda")
    F.cross_entropy(logits, targets).backward()
    assert on_gpu(logits, targets, logits.grad)
    torch.testing.assert_close(logits.grad.cpu(), basics.logits.grad, rtol=RTOL, atol=ATOL)

    N, C = logits.shape
    formula = (torch.softmax(logits.detach(), dim=1) - F.one_hot(targets, C)) / N
    assert on_gpu(formula)
    assert (logits.grad - formula).abs().max().item() < 1e-6
    assert torch.equal(logits.grad < 0, F.one_hot(targets, C).bool())


def relu_inputs(model: nn.Module, X: torch.Tensor) -> list[torch.Tensor]:
    """The outputs of the Linear layers that a ReLU follows, for input X."""
    stack = list(model.linear_relu_stack)
    found, h = [], model.flatten(X)
    with torch.no_grad():
        for layer, following in zip(stack, stack[1:] + [None]):
            h = layer(h)
            if isinstance(following, nn.ReLU):
                found.append(h)
    return found


def test_model_gradients_on_the_gpu(basics):
    """The seeded model and batch, one backward on each device: the same gradients, each of its parameter's shape."""
    cpu_model = copy.deepcopy(basics.model)  # the snippet's weights (its .grad cleared by model.zero_grad())
    gpu_model = copy.deepcopy(basics.model).to("cuda")
    X, labels = basics.X, basics.labels
    assert all(p.grad is None for p in gpu_model.parameters())
    margin = min(h.abs().min().item() for h in relu_inputs(cpu_model, X))
    assert margin > RELU_MARGIN, f"a ReLU input lies {margin:.1e} from 0: the devices may disagree on its side"

    F.cross_entropy(cpu_model(X), labels).backward()
    gpu_X, gpu_labels = X.to("cuda"), labels.to("cuda")
    gpu_loss = F.cross_entropy(gpu_model(gpu_X), gpu_labels)
    gpu_loss.backward()
    assert on_gpu(gpu_X, gpu_labels, gpu_loss)

    cpu_params = dict(cpu_model.named_parameters())
    gpu_params = dict(gpu_model.named_parameters())
    assert list(gpu_params) == list(cpu_params)
    for name, param in gpu_params.items():
        assert param.grad is not None and on_gpu(param, param.grad), name
        assert param.grad.shape == param.shape == cpu_params[name].grad.shape, name
        torch.testing.assert_close(param.grad.cpu(), cpu_params[name].grad, rtol=RTOL, atol=ATOL,
                                   msg=lambda m, name=name: f"{name}: {m}")

    gpu_model.zero_grad()
    assert all(p.grad is None for p in gpu_model.parameters())
