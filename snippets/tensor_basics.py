"""Tensors: create them, read their shape, dtype and device, index and reshape
them, combine and multiply them, move them, and share memory with NumPy.

Run it:  python tensor_basics.py
"""

# --8<-- [start:imports]
import numpy as np
import torch
# --8<-- [end:imports]

# --8<-- [start:create]
# nested lists: one inner list per row
from_list = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(from_list)
print(from_list.dtype)  # whole numbers become int64
print(torch.tensor([0.5, 1.5]).dtype)  # decimals: the default float dtype

array = np.array([[1.0, 2.0], [3.0, 4.0]])
from_numpy = torch.from_numpy(array)
print(from_numpy.dtype)  # NumPy's default float is float64; the tensor keeps it

print(torch.zeros(2, 3))  # also torch.ones, torch.full, torch.arange, ...
torch.manual_seed(0)  # the same "random" numbers on every run
print(torch.rand(2, 3))  # uniform in [0, 1)
# --8<-- [end:create]

# --8<-- [start:attributes]
values = torch.rand(3, 4)
print(f"shape:  {values.shape}")
print(f"dtype:  {values.dtype}")
print(f"device: {values.device}")
print(f"{values.ndim} dimensions, {values.numel()} elements")
# --8<-- [end:attributes]

# --8<-- [start:indexing]
t = torch.arange(12).reshape(3, 4)  # the numbers 0 to 11 as 3 rows of 4
print(t)
print(t[0])  # the first row
print(t[:, 1])  # the second column
print(t[1, 2])  # one element: still a tensor, with no dimensions
print(t[1:, :2])  # rows 1 and 2, columns 0 and 1
print(t[t > 8])  # a boolean mask picks the matching elements
print(t[0].flip(0))  # reversed, a copy (a negative step is an error)
# --8<-- [end:indexing]

# --8<-- [start:reshape]
numbers = torch.arange(6)
grid = numbers.view(2, 3)  # the same 6 numbers read as 2 rows of 3
print(grid)
# strides: 3 elements on to the next row, 1 to the next column
print(f"strides: {grid.stride()}")
# -1: "whatever fits"
print(f"reshape(3, -1): {tuple(numbers.reshape(3, -1).shape)}")

grid[0, 0] = 100  # a view shares memory with the tensor it came from...
print(numbers)  # ...so numbers has changed too

image = torch.rand(28, 28)  # one grayscale image
# add a channel and a batch dimension in front
batch = image.unsqueeze(0).unsqueeze(0)
print(f"unsqueeze twice: {tuple(batch.shape)}")
# squeeze() drops every dimension of size 1, the batch's too;
# squeeze(1) drops only dimension 1
print(f"squeeze:         {tuple(batch.squeeze().shape)}")
print(f"squeeze(1):      {tuple(batch.squeeze(1).shape)}")
# flatten(1) keeps dimension 0 and flattens the rest into one
print(f"flatten(1):      {tuple(batch.flatten(1).shape)}")

# height × width × colour, the order of a NumPy array of a colour image
photo = torch.rand(28, 28, 3)
# colour × height × width: channels first
print(f"permute(2, 0, 1): {tuple(photo.permute(2, 0, 1).shape)}")
# --8<-- [end:reshape]

# --8<-- [start:cat-stack]
a, b, c = torch.zeros(2, 4), torch.ones(2, 4), torch.full((2, 4), 2.0)
print(f"cat:          {tuple(torch.cat([a, b, c]).shape)}")  # along dim 0
print(f"cat, dim=1:   {tuple(torch.cat([a, b, c], dim=1).shape)}")
print(f"stack:        {tuple(torch.stack([a, b, c]).shape)}")  # a new dim 0
print(f"stack, dim=1: {tuple(torch.stack([a, b, c], dim=1).shape)}")
print(torch.cat([a, b]))
# --8<-- [end:cat-stack]

# --8<-- [start:broadcasting]
matrix = torch.tensor([[1, 2, 3], [4, 5, 6]])  # shape (2, 3)
row = torch.tensor([10, 20, 30])  # shape (3,): added to every row
column = torch.tensor([[100], [200]])  # shape (2, 1): added to every column
print(matrix + row)
print(matrix + column)
print(matrix * 2)  # a plain number broadcasts to every element
both = torch.zeros(3, 1) + torch.zeros(4)
print(f"(3, 1) + (4,) -> {tuple(both.shape)}")
# row read as broadcasting reads it: 2 rows, 0 steps apart in memory
print(f"row.expand(2, 3): strides {row.expand(2, 3).stride()}")
# --8<-- [end:broadcasting]

# --8<-- [start:matmul]
A = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # 2×3
B = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # 3×2
print(A @ B)  # matrix product: (2×3) @ (3×2) -> 2×2
print(A * A)  # element by element: both 2×3, result 2×3
print(f"A @ A.T: {tuple((A @ A.T).shape)}")  # .T transposes a 2-D tensor
# --8<-- [end:matmul]

# --8<-- [start:reduce]
# 2 rows of 3 scores
scores = torch.tensor([[0.1, 2.0, -1.0], [3.0, 0.5, 0.2]])
print(scores.sum(dim=0))  # dim=0 is summed away: one sum per column
# dim=1 is reduced: one maximum per row; with a dim, max returns
# two tensors, .values (the maxima) and .indices (where they are)
print(scores.max(dim=1).values)
print(scores.argmax(dim=1))  # where each row's maximum is
top = scores.max()
# item(): a tensor of one element -> a Python number
print(top, top.item(), type(top.item()))
# --8<-- [end:reduce]

# --8<-- [start:device]
# an accelerator (a GPU, say) if the machine has one, else the CPU
device = (torch.accelerator.current_accelerator()
          if torch.accelerator.is_available() else torch.device("cpu"))
print(f"Using {device.type} device")

x = torch.ones(2, 3)
x_on_device = x.to(device)  # a tensor on the device; x stays where it was
print(f"x: {x.device}, x_on_device: {x_on_device.device}")

as_double = x.to(torch.float64)  # .to converts dtypes the same way
print(f"x: {x.dtype}, as_double: {as_double.dtype}")
# nothing to change: x itself comes back, no copy
print(f"x.to(x.device) is x: {x.to(x.device) is x}")
# --8<-- [end:device]

# --8<-- [start:meta]
on_meta = x.to("meta")  # a shape and a dtype, but no data
print(on_meta)
try:
    on_meta.to("cpu")  # there are no values to bring back
except NotImplementedError as error:
    print(f"NotImplementedError: {error}")
# --8<-- [end:meta]

# --8<-- [start:numpy-bridge]
ones = torch.ones(3)
ones_np = ones.numpy()  # the array uses the tensor's memory
ones.add_(1)  # an in-place operation (trailing _) changes the tensor...
print(ones_np)  # ...and so the array

zeros_np = np.zeros(3)
shared = torch.from_numpy(zeros_np)  # shares memory with zeros_np
copied = torch.tensor(zeros_np)  # copies the data
zeros_np += 5  # change the array in place
print(shared)
print(copied)

weights = torch.ones(3, requires_grad=True)  # records operations on it
try:
    weights.numpy()
except RuntimeError as error:
    print(f"RuntimeError: {error}")
print(weights.detach().numpy())  # detach(): the same values, not recorded
# --8<-- [end:numpy-bridge]
