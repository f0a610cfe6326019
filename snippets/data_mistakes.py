"""Two mistakes with data, each with the error or the wrong result it really
gives, and the fix.

Run it:  python data_mistakes.py
(It reads FashionMNIST from ./data, downloading it, about 30 MB, if it is not
there.)
"""

# --8<-- [start:imports]
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2
# --8<-- [end:imports]

# --8<-- [start:no-transform]
# no transform: the items are PIL images
no_transform = datasets.FashionMNIST(root="data", train=True, download=True)
try:
    next(iter(DataLoader(no_transform, batch_size=4)))
except TypeError as error:
    print(f"TypeError: {error}")

to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
with_transform = datasets.FashionMNIST(
    root="data", train=True, download=True, transform=to_tensor
)
X, y = next(iter(DataLoader(with_transform, batch_size=4)))
print(f"with a transform: X of shape {tuple(X.shape)}")
# --8<-- [end:no-transform]

# --8<-- [start:not-assigned]
# .to treats a dtype as it treats a device, and shows the mistake anywhere
X = torch.ones(2, 3)
X.to(torch.float64)  # returns a converted tensor, which nobody keeps
print(f"after X.to(torch.float64):     X is {X.dtype}")
X = X.to(torch.float64)  # keep it
print(f"after X = X.to(torch.float64): X is {X.dtype}")

layer = nn.Linear(3, 2)
layer.to(torch.float64)  # a module is different: it changes itself
print(f"after layer.to(torch.float64): its weight is {layer.weight.dtype}")
# --8<-- [end:not-assigned]
