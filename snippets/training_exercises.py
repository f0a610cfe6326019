"""Solutions to the exercises of "Training the network" (training.md).

Run it: python training_exercises.py
"""

# --8<-- [start:batches]
import torch
from torch.utils.data import DataLoader, TensorDataset

# 1,000 stand-in images and labels: only their number matters here
data = TensorDataset(torch.zeros(1000, 1, 28, 28),
                     torch.zeros(1000, dtype=torch.int64))
loader = DataLoader(data, batch_size=128)
sizes = [len(X) for X, y in loader]
print(f"{len(loader)} batches, the last of {sizes[-1]} images")
print(f"with drop_last=True: "
      f"{len(DataLoader(data, batch_size=128, drop_last=True))} batches")
# --8<-- [end:batches]

# --8<-- [start:first-loss]
import math

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(  # the page's network, with 4 classes instead of 10
    nn.Flatten(), nn.Linear(784, 512), nn.ReLU(),
    nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 4),
)
X = torch.rand(64, 1, 28, 28)  # random "images"
y = torch.randint(0, 4, (64,))  # and a class in 0..3 for each
loss = nn.CrossEntropyLoss()(model(X), y)
print(f"loss: {loss.item():.2f}, ln 4 = {math.log(4):.4f}")
# --8<-- [end:first-loss]

# --8<-- [start:by-hand]
import torch

w = torch.tensor(1.0, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.01)

# by hand: d/dw (3w - 6)**2 = 2 * (3w - 6) * 3, which is -18 at w = 1
by_hand = 1.0 - 0.01 * (2 * (3 * 1.0 - 6) * 3)  # w - lr * gradient

loss = (3 * w - 6) ** 2
optimizer.zero_grad()
loss.backward()
optimizer.step()
print(f"w.grad: {w.grad.item():.2f}")
print(f"w after step(): {w.item():.4f}, by hand: {by_hand:.4f}")
# --8<-- [end:by-hand]

# --8<-- [start:no-zero-grad]
import torch


def two_steps(clear):
    w = torch.tensor(1.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.01)
    for step in (1, 2):
        if clear:
            optimizer.zero_grad()
        loss = (3 * w - 6) ** 2
        loss.backward()
        print(f"  step {step}: w.grad {w.grad.item():.2f}")
        optimizer.step()
    print(f"  then w = {w.item():.4f}")


print("with zero_grad():")
two_steps(clear=True)
print("without:")
two_steps(clear=False)
# --8<-- [end:no-zero-grad]

# --8<-- [start:optimizers]
from functools import partial

import torch
from torch import nn

# a small seeded task: 256 points of 20 numbers each, in 3 classes
generator = torch.Generator().manual_seed(0)
X = torch.randn(256, 20, generator=generator)
y = (X @ torch.randn(20, 3, generator=generator)).argmax(dim=1)
loss_fn = nn.CrossEntropyLoss()
optimizers = {
    "SGD": torch.optim.SGD,
    # torch.optim.SGD with momentum=0.9 filled in
    "SGD, momentum 0.9": partial(torch.optim.SGD, momentum=0.9),
    "Adam": torch.optim.Adam,
}

for lr in (0.01, 0.1):
    for name, make in optimizers.items():
        torch.manual_seed(0)  # the same starting weights for each
        model = nn.Linear(20, 3)
        optimizer = make(model.parameters(), lr=lr)
        for step in range(50):  # 50 steps, each on all 256 points
            loss = loss_fn(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            final = loss_fn(model(X), y).item()
        print(f"lr {lr:<4} {name:<17}: loss {final:.3f}")
# --8<-- [end:optimizers]
