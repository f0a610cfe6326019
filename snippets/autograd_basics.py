"""Let autograd differentiate a small function and a network, and check its answers by hand.

Run it:  python autograd_basics.py   (eager_model.py must sit beside it)
"""

# --8<-- [start:imports]
import math

import torch
import torch.nn.functional as F

from eager_model import NeuralNetwork
# --8<-- [end:imports]

# --8<-- [start:leaves]
x1 = torch.tensor(2.0, requires_grad=True)  # record every operation on x1 and x2
x2 = torch.tensor(5.0, requires_grad=True)
print(f"x1: requires_grad={x1.requires_grad}, is_leaf={x1.is_leaf}, grad_fn={x1.grad_fn}, grad={x1.grad}")
# --8<-- [end:leaves]

# --8<-- [start:forward]
def f(x1, x2):
    return torch.log(x1) + x1 * x2 - torch.sin(x2)


y = f(x1, x2)
print(f"y = {y.item():.4f}")
print(f"y: requires_grad={y.requires_grad}, is_leaf={y.is_leaf}, grad_fn={y.grad_fn.name()}")
# --8<-- [end:forward]

# --8<-- [start:graph]
def show_graph(node, names, depth=0):
    """Print the backward graph below `node`, one operation per line; leaves by their names."""
    label = type(node).__name__
    if hasattr(node, "variable"):  # an AccumulateGrad node: it writes into a leaf's .grad
        label += f" -> {names[id(node.variable)]}.grad"
    print("    " * depth + label)
    for child, _ in node.next_functions:
        if child is not None:
            show_graph(child, names, depth + 1)


show_graph(y.grad_fn, {id(x1): "x1", id(x2): "x2"})
# --8<-- [end:graph]

# --8<-- [start:backward]
y.backward()  # fills x1.grad and x2.grad with dy/dx1 and dy/dx2
print(f"dy/dx1 = {x1.grad.item():.4f}")
print(f"dy/dx2 = {x2.grad.item():.4f}")
# --8<-- [end:backward]

# --8<-- [start:by-hand]
a, b = 2.0, 5.0
dy_dx1 = 1 / a + b  # the partial derivatives worked out on paper
dy_dx2 = a - math.cos(b)
print(f"by hand: dy/dx1 = {dy_dx1:.4f}, dy/dx2 = {dy_dx2:.4f}")
print("autograd agrees:", math.isclose(x1.grad.item(), dy_dx1, rel_tol=1e-6)
      and math.isclose(x2.grad.item(), dy_dx2, rel_tol=1e-6))
# --8<-- [end:by-hand]

# --8<-- [start:accumulate]
z = x1 ** 2  # a second function of x1: dz/dx1 = 2 * x1 = 4
z.backward()
print(f"x1.grad after y.backward() and z.backward(): {x1.grad.item():.4f}")  # 5.5 + 4: added up
# --8<-- [end:accumulate]

# --8<-- [start:zero]
x1.grad = None  # what model.zero_grad() and optimizer.zero_grad() do to every parameter
x2.grad = None
z = x1 ** 2
z.backward()
print(f"x1.grad after zeroing, then z.backward(): {x1.grad.item():.4f}")
print(f"x2.grad: {x2.grad}")  # z does not depend on x2: no gradient reached it
# --8<-- [end:zero]

# --8<-- [start:no-grad]
with torch.no_grad():  # compute without recording a graph
    y_plain = f(x1, x2)
print(f"under no_grad: y = {y_plain.item():.4f}, requires_grad={y_plain.requires_grad}, grad_fn={y_plain.grad_fn}")

y = f(x1, x2)
y_detached = y.detach()  # the same numbers, cut off from the graph
print(f"detached: y = {y_detached.item():.4f}, requires_grad={y_detached.requires_grad}, grad_fn={y_detached.grad_fn}")
print("detach shares y's memory:", y_detached.data_ptr() == y.data_ptr())
# --8<-- [end:no-grad]

# --8<-- [start:cross-entropy]
generator = torch.Generator().manual_seed(0)
logits = torch.randn(4, 3, generator=generator, requires_grad=True)  # 4 samples, 3 classes
targets = torch.tensor([0, 2, 1, 2])  # the true class of each sample
loss = F.cross_entropy(logits, targets)  # the mean over the 4 samples
loss.backward()

N, C = logits.shape
formula = (torch.softmax(logits.detach(), dim=1) - F.one_hot(targets, C)) / N
print(f"logits.grad: shape {tuple(logits.grad.shape)}")
print(logits.grad)
print("max abs difference from (softmax - one_hot) / N < 1e-6:", (logits.grad - formula).abs().max().item() < 1e-6)
print("negative exactly at the targets:", torch.equal(logits.grad < 0, F.one_hot(targets, C).bool()))
# --8<-- [end:cross-entropy]

# --8<-- [start:model-grads]
torch.manual_seed(0)  # the same weights as in eager_model.py
model = NeuralNetwork()
X = torch.rand(4, 28, 28)  # a batch of 4 random "images"
labels = torch.randint(0, 10, (4,))  # and a class for each
print("parameters require grad:", all(p.requires_grad for p in model.parameters()), "| X requires grad:", X.requires_grad)
print("before backward, every .grad is None:", all(p.grad is None for p in model.parameters()))

loss = F.cross_entropy(model(X), labels)
loss.backward()
for name, param in model.named_parameters():
    print(f"{name}: parameter {tuple(param.shape)}, grad {tuple(param.grad.shape)}")
# --8<-- [end:model-grads]

# --8<-- [start:model-zero]
model.zero_grad()  # set_to_none=True, the default since torch 2.0: every .grad becomes None again
print("after model.zero_grad(), every .grad is None:", all(p.grad is None for p in model.parameters()))
# --8<-- [end:model-zero]
