"""Six mistakes with tensors and data, each with the error or the wrong result it really gives, and the fix.

Run it:  python data_mistakes.py
(It reads FashionMNIST from ./data, downloading it, about 30 MB, if it is not there.)
"""

# --8<-- [start:imports]
import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2
# --8<-- [end:imports]

# --8<-- [start:dtype]
torch.manual_seed(0)
layer = nn.Linear(3, 2)  # its weight and bias are float32
features = torch.from_numpy(np.array([[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]]))
print(f"features: {features.dtype}")  # float64, NumPy's default
try:
    layer(features)
except RuntimeError as error:
    print(f"RuntimeError: {error}")

output = layer(features.float())  # .float() converts to float32
print(f"with .float(): output of shape {tuple(output.shape)}")
# --8<-- [end:dtype]

# --8<-- [start:view]
grid = torch.arange(6).reshape(2, 3)
transposed = grid.T  # a view that reads the same memory column by column
print(f"contiguous: {transposed.is_contiguous()}")
try:
    transposed.view(6)
except RuntimeError as error:
    print(f"RuntimeError: {error}")

print(transposed.reshape(6))  # reshape copies when a view is impossible
# --8<-- [end:view]

# --8<-- [start:broadcast]
batch = torch.zeros(2, 4)  # 2 samples with 4 features each
bias = torch.tensor([1.0, 2.0, 3.0])  # one value short
try:
    batch + bias
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# Worse: shapes that broadcast when they should not, and no error at all.
predictions = torch.tensor([[1.0], [2.0], [3.0]])  # a model's output: shape (3, 1)
targets = torch.tensor([1.0, 2.0, 3.0])  # shape (3,)
difference = predictions - targets  # (3, 1) with (3,) broadcasts to (3, 3)
print(f"difference: shape {tuple(difference.shape)}, mean squared error {(difference ** 2).mean().item():.4f}")
difference = predictions.squeeze(1) - targets  # (3,) with (3,)
print(f"after squeeze(1): shape {tuple(difference.shape)}, mean squared error {(difference ** 2).mean().item():.4f}")
# --8<-- [end:broadcast]

# --8<-- [start:stack]
sequences = [torch.tensor([1, 2, 3]), torch.tensor([4, 5, 6, 7])]  # e.g. two sentences as word ids
try:
    torch.stack(sequences)
except RuntimeError as error:
    print(f"RuntimeError: {error}")
try:
    next(iter(DataLoader(sequences, batch_size=2)))  # batching stacks the items the same way
except RuntimeError as error:
    print(f"RuntimeError: {error}")

print(pad_sequence(sequences, batch_first=True))  # pads with 0 up to the longest
# --8<-- [end:stack]

# --8<-- [start:no-transform]
no_transform = datasets.FashionMNIST(root="data", train=True, download=True)  # items are PIL images
try:
    next(iter(DataLoader(no_transform, batch_size=4)))
except TypeError as error:
    print(f"TypeError: {error}")

to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
with_transform = datasets.FashionMNIST(root="data", train=True, download=True, transform=to_tensor)
X, y = next(iter(DataLoader(with_transform, batch_size=4)))
print(f"with a transform: X of shape {tuple(X.shape)}")
# --8<-- [end:no-transform]

# --8<-- [start:not-assigned]
# "meta" stands in for a GPU: a device other than the CPU, on any machine.
x = torch.ones(2, 3)
x.to("meta")  # returns a moved tensor, which nobody keeps
print(f"after x.to('meta'):     x is on {x.device}")
x = x.to("meta")  # keep it
print(f"after x = x.to('meta'): x is on {x.device}")

layer = nn.Linear(3, 2)
layer.to("meta")  # a module is different: it moves its own parameters
print(f"after layer.to('meta'): its weight is on {layer.weight.device}")
# --8<-- [end:not-assigned]
