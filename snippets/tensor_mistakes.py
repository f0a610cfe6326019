"""Four mistakes with tensors, each with the error or the wrong result it
really gives, and the fix.

Run it:  python tensor_mistakes.py
"""

# --8<-- [start:imports]
import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader
# --8<-- [end:imports]

# --8<-- [start:dtype]
torch.manual_seed(0)
layer = nn.Linear(3, 2)  # its weight and bias are float32
rows = [[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]]
features = torch.from_numpy(np.array(rows))
print(f"features: {features.dtype}")  # float64, NumPy's default
weights = torch.ones(3)  # float32
# * and + convert float32 to float64 without a word
print(f"features * weights: {(features * weights).dtype}")
# ...unless the float64 side has no dimensions (a Python float has none)
scale = torch.tensor(2.0, dtype=torch.float64)
print(f"weights * a 0-dim float64: {(weights * scale).dtype}")
try:
    layer(features)  # a matrix product: the two dtypes must be the same
except RuntimeError as error:
    print(f"RuntimeError: {error}")

output = layer(features.float())  # .float() converts to float32
print(f"with .float(): output of shape {tuple(output.shape)}")
# --8<-- [end:dtype]

# --8<-- [start:view]
grid = torch.arange(6).reshape(2, 3)
transposed = grid.T  # a view that reads the same memory column by column
print(f"strides: {transposed.stride()}")  # 1 to the next row, 3 along it
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
predictions = torch.tensor([[1.0], [2.0], [3.0]])  # shape (3, 1)
targets = torch.tensor([1.0, 2.0, 3.0])  # shape (3,)
difference = predictions - targets  # (3, 1) with (3,) broadcasts to (3, 3)
mse, shape = (difference**2).mean().item(), tuple(difference.shape)
print(f"difference: shape {shape}, mean squared error {mse:.4f}")
difference = predictions.squeeze(1) - targets  # (3,) with (3,)
mse, shape = (difference**2).mean().item(), tuple(difference.shape)
print(f"after squeeze(1): shape {shape}, mean squared error {mse:.4f}")
# --8<-- [end:broadcast]

# --8<-- [start:stack]
# two sentences as word ids, say: 3 and 4 long
sequences = [torch.tensor([1, 2, 3]), torch.tensor([4, 5, 6, 7])]
try:
    torch.stack(sequences)
except RuntimeError as error:
    print(f"RuntimeError: {error}")
try:  # a DataLoader makes its batches the same way
    next(iter(DataLoader(sequences, batch_size=2)))
except RuntimeError as error:
    print(f"RuntimeError: {error}")

print(pad_sequence(sequences, batch_first=True))  # pads with 0 to the longest
# --8<-- [end:stack]
