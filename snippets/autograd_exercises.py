"""Solutions to the exercises of "Gradients with autograd" (autograd.md).

Run it: python autograd_exercises.py
"""

# --8<-- [start:another-function]
import math

import torch

a, b = 3.0, 1.0
x1 = torch.tensor(a, requires_grad=True)
x2 = torch.tensor(b, requires_grad=True)
g = x1 ** 2 * x2 + torch.exp(x2)
g.backward()
print(f"autograd: dg/dx1 = {x1.grad.item():.4f}, "
      f"dg/dx2 = {x2.grad.item():.4f}")
# on paper: dg/dx1 = 2 * x1 * x2 and dg/dx2 = x1 ** 2 + exp(x2)
print(f"by hand:  dg/dx1 = {2 * a * b:.4f}, "
      f"dg/dx2 = {a ** 2 + math.exp(b):.4f}")
# --8<-- [end:another-function]

# --8<-- [start:two-backwards]
import torch


def f(x1, x2):
    return torch.log(x1) + x1 * x2 - torch.sin(x2)


x1 = torch.tensor(2.0, requires_grad=True)
x2 = torch.tensor(5.0, requires_grad=True)
f(x1, x2).backward()  # adds 5.5 and 1.7163
(2 * f(x1, x2)).backward()  # a fresh graph; adds twice as much
print(f"x1.grad = {x1.grad.item():.4f}, x2.grad = {x2.grad.item():.4f}")
# --8<-- [end:two-backwards]

# --8<-- [start:narrower-network]
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(  # the page's network, with 128 units instead of 512
    nn.Flatten(),
    nn.Linear(28 * 28, 128), nn.ReLU(),
    nn.Linear(128, 128), nn.ReLU(),
    nn.Linear(128, 10),
)
X = torch.rand(4, 1, 28, 28)  # N×C×H×W, as on the page
F.cross_entropy(model(X), torch.randint(0, 10, (4,))).backward()
for name, param in model.named_parameters():
    print(f"{name}: grad {tuple(param.grad.shape)}")
print("numbers in all gradients:",
      sum(p.grad.numel() for p in model.parameters()))
# --8<-- [end:narrower-network]

# --8<-- [start:learning-rates]
import torch

for lr in (0.5, 0.9, 1.0, 1.1):
    p = torch.tensor(2.0, requires_grad=True)
    for _ in range(10):
        (p ** 2).backward()
        with torch.no_grad():
            p -= lr * p.grad  # p becomes p * (1 - 2 * lr)
        p.grad = None
    print(f"lr = {lr}: p after 10 steps = {p.item():.4f}")
# --8<-- [end:learning-rates]

# --8<-- [start:loop]
import torch


def count_nodes(node, seen):
    """How many distinct nodes the backward graph below `node` has."""
    if node is None or node in seen:
        return 0
    seen.add(node)
    return 1 + sum(count_nodes(c, seen) for c, _ in node.next_functions)


x = torch.tensor(1.5, requires_grad=True)
for n in (1, 2, 3):
    p = x
    for _ in range(n):  # n multiplications: p = x ** (n + 1)
        p = p * x
    x.grad = None
    p.backward()
    print(f"n = {n}: {count_nodes(p.grad_fn, set())} nodes, "
          f"grad {x.grad.item():.4f}, by hand {(n + 1) * 1.5 ** n:.4f}")
# --8<-- [end:loop]
