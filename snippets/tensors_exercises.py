"""Solutions to the exercises of "Tensors" (tensors.md).

Run it:  python tensors_exercises.py
"""

# --8<-- [start:shapes]
import torch

t = torch.zeros(2, 3, 4)  # 24 elements
print(f"reshape(4, -1):   {tuple(t.reshape(4, -1).shape)}")  # 24 / 4 = 6
print(f"unsqueeze(1):     {tuple(t.unsqueeze(1).shape)}")
print(f"permute(2, 0, 1): {tuple(t.permute(2, 0, 1).shape)}")
print(f"flatten(1):       {tuple(t.flatten(1).shape)}")  # 3 · 4 = 12
# --8<-- [end:shapes]

# --8<-- [start:cat-stack]
import torch

images = [torch.zeros(1, 28, 28) for _ in range(3)]  # three C×H×W images
print(f"cat:   {tuple(torch.cat(images).shape)}")  # along dim 0, the channels
print(f"stack: {tuple(torch.stack(images).shape)}")  # a new dim 0: N×C×H×W
# --8<-- [end:cat-stack]

# --8<-- [start:broadcast]
import torch

pairs = [((2, 3), (3,)), ((2, 3), (2,)), ((4, 1), (1, 5)), ((2, 3, 4), (3, 1))]
for a, b in pairs:
    try:
        shape = tuple((torch.zeros(a) + torch.zeros(b)).shape)
        print(f"{a} + {b} -> {shape}")
    except RuntimeError as error:
        # the message on lines of its own, broken before "at ..."
        message = str(error).replace(" at ", "\n    at ")
        print(f"{a} + {b} -> RuntimeError:\n    {message}")
# --8<-- [end:broadcast]

# --8<-- [start:matmul]
import torch

x = torch.zeros(64, 784)  # 64 flattened images, one per row
W = torch.zeros(10, 784)  # like nn.Linear(784, 10).weight
print(f"x @ W.T: {tuple((x @ W.T).shape)}")  # (64×784) @ (784×10)
try:
    x @ W  # (64×784) @ (10×784): the inner sizes 784 and 10 differ
except RuntimeError as error:
    print(f"RuntimeError: {error}")
# --8<-- [end:matmul]

# --8<-- [start:centre]
import torch

torch.manual_seed(0)
x = torch.rand(4, 3)  # 4 rows of 3 values
try:
    x - x.mean(dim=1)  # (4, 3) - (4,): 4 lines up with the 3 columns
except RuntimeError as error:
    message = str(error).replace(" at ", "\n    at ")
    print(f"RuntimeError:\n    {message}")

means = x.mean(dim=1, keepdim=True)  # shape (4, 1): one mean per row
centred = x - means  # (4, 3) - (4, 1): each row minus its own mean
print(f"means: {tuple(means.shape)}, centred: {tuple(centred.shape)}")
# 0 up to float rounding, which leaves about 1e-8
zero = torch.allclose(centred.mean(dim=1), torch.zeros(4), atol=1e-6)
print(f"every row's mean is now 0: {zero}")

# a square x does not fail: its 3 row means are taken for column means
square = torch.rand(3, 3)
wrong = square - square.mean(dim=1)  # (3, 3) - (3,): runs, silently wrong
zero = torch.allclose(wrong.mean(dim=1), torch.zeros(3), atol=1e-6)
print(f"square x without keepdim runs; every row's mean is 0: {zero}")
# --8<-- [end:centre]
