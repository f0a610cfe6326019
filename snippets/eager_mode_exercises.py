"""Solutions to the exercises of "Building a network in eager mode"
(eager-mode.md).

Run it:  python eager_mode_exercises.py   (eager_model.py must sit beside it)
"""

# --8<-- [start:batch-size]
import torch

from eager_model import NeuralNetwork

torch.manual_seed(0)
model = NeuralNetwork()
X = torch.rand(5, 1, 28, 28)  # a batch of five images (N×C×H×W)
logits = model(X)
print(f"logits: shape {tuple(logits.shape)}")
# --8<-- [end:batch-size]

# --8<-- [start:layer-parameters]
from torch import nn

for layer in [nn.Linear(512, 10), nn.ReLU(), nn.Flatten()]:
    found = [(name, tuple(p.shape)) for name, p in layer.named_parameters()]
    print(f"{type(layer).__name__}: {found}")
# --8<-- [end:layer-parameters]

# --8<-- [start:narrower]
from torch import nn

narrow = nn.Sequential(
    nn.Flatten(),
    nn.Linear(784, 256),
    nn.ReLU(),
    nn.Linear(256, 256),
    nn.ReLU(),
    nn.Linear(256, 10),
)
# Each Linear: a weight of (out × in) values and one bias value per output
by_hand = 256 * 784 + 256 + 256 * 256 + 256 + 10 * 256 + 10
by_code = sum(p.numel() for p in narrow.parameters())
print(f"by hand: {by_hand:,}, by code: {by_code:,}")
# --8<-- [end:narrower]

# --8<-- [start:deeper-or-wider]
from torch import nn


def network(width, hidden_layers):
    """Flatten, then `hidden_layers` Linear+ReLU pairs of `width` outputs,
    then a Linear to the 10 logits."""
    layers = [nn.Flatten()]
    features = 784
    for _ in range(hidden_layers):
        layers += [nn.Linear(features, width), nn.ReLU()]
        features = width
    layers.append(nn.Linear(features, 10))
    return nn.Sequential(*layers)


for name, width, hidden_layers in [("the page's", 512, 2),
                                   ("deeper", 512, 3),
                                   ("wider", 1024, 2)]:
    model = network(width, hidden_layers)
    total = sum(p.numel() for p in model.parameters())
    print(f"{name} network: {total:,} parameters")
# --8<-- [end:deeper-or-wider]
