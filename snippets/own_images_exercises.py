"""Solutions to the exercises of "Your own images" (own-images.md).

Run it: python own_images_exercises.py
"""

# --8<-- [start:size]
from torch import nn

size, channels, classes = 14, 1, 3
features = channels * size * size  # what x.numel() gives after the transforms
model = nn.Sequential(
    nn.Flatten(), nn.Linear(features, 64), nn.ReLU(), nn.Linear(64, classes)
)
print(f"input features: {features}, "
      f"parameters: {sum(p.numel() for p in model.parameters())}")
# --8<-- [end:size]

# --8<-- [start:split]
import torch
from torch.utils.data import random_split

for n in (100, 101, 104):
    parts = random_split(range(n), [0.6, 0.2, 0.2],
                         torch.Generator().manual_seed(0))
    print(n, "images ->", [len(part) for part in parts])
# --8<-- [end:split]

# --8<-- [start:references]
import copy

import torch
from torch import nn

torch.manual_seed(0)
layer = nn.Linear(2, 1)
optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
kept = layer.state_dict()  # references to the layer's own tensors
copied = copy.deepcopy(layer.state_dict())  # tensors of its own

layer(torch.ones(1, 2)).sum().backward()
optimizer.step()  # changes the weights in place
weight = layer.weight  # after the step
print("kept equals it:  ", torch.equal(kept["weight"], weight))
print("copied equals it:", torch.equal(copied["weight"], weight))
# --8<-- [end:references]

# --8<-- [start:unknown]
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 3)
)
noise = torch.rand(1, 1, 28, 28)  # a picture of none of the classes
with torch.no_grad():
    probabilities = model(noise).softmax(dim=1)[0]
print(f"probabilities: {[round(p, 3) for p in probabilities.tolist()]}")
print(f"they sum to {probabilities.sum().item():.4f}: "
      "one of the 3 classes always wins")
# --8<-- [end:unknown]
