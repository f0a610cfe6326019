"""Solutions to the exercises of "Datasets and loaders" (datasets.md).

Run it:  python datasets_exercises.py
(The first solution reads FashionMNIST from ./data, where data_loading.py
put it; if it is not there, it downloads it, about 30 MB.)
"""

# --8<-- [start:batch-size]
import torch
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2

to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
test_data = datasets.FashionMNIST(
    root="data", train=False, download=True, transform=to_tensor
)
X, y = next(iter(DataLoader(test_data, batch_size=16)))
print(f"X {tuple(X.shape)}, y {tuple(y.shape)}")  # only dim 0 changes
# --8<-- [end:batch-size]

# --8<-- [start:count]
import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(torch.arange(100))  # 100 samples
for drop_last in (False, True):
    loader = DataLoader(dataset, batch_size=32, drop_last=drop_last)
    sizes = [len(batch[0]) for batch in loader]  # batch: [a tensor]
    print(f"drop_last={drop_last}: {len(loader)} batches of sizes {sizes}")
# --8<-- [end:count]

# --8<-- [start:one-hot]
import torch
import torch.nn.functional as F
from torch import nn

labels = torch.tensor([2, 0, 9])
targets = F.one_hot(labels, num_classes=10)
print(targets)
print(f"shape {tuple(targets.shape)}, dtype {targets.dtype}")

scores = torch.zeros(3, 10)  # a model's scores for 3 images: all equal
loss_fn = nn.CrossEntropyLoss()
try:
    loss_fn(scores, targets)  # int64 targets
except RuntimeError as error:
    print(f"RuntimeError:\n    {error}")
loss = loss_fn(scores, targets.float())
print(f"with .float(): loss {loss.item():.4f}")  # ln 10: 10 equal classes
# --8<-- [end:one-hot]

# --8<-- [start:words]
from torch.utils.data import DataLoader, Dataset


class Words(Dataset):
    """Item i: (the i-th word, its number of letters)."""

    def __init__(self, words):
        self.words = list(words)

    def __len__(self):
        return len(self.words)

    def __getitem__(self, index):
        word = self.words[index]
        return word, len(word)


words = Words(["tensor", "batch", "loss", "epoch", "layer"])
print(len(words), words[1])
for batch in DataLoader(words, batch_size=2):
    print(batch)  # [the words, as a tuple; their lengths, as a tensor]
# --8<-- [end:words]

# --8<-- [start:normalize]
import torch
from torchvision.transforms import v2

generator = torch.Generator().manual_seed(0)
# 100 made-up colour images, their pixels between 0.2 and 0.6
images = 0.2 + 0.4 * torch.rand(100, 3, 28, 28, generator=generator)
# one mean and one std per channel: over N, H and W, dims 0, 2 and 3
mean = images.mean(dim=(0, 2, 3))
std = images.std(dim=(0, 2, 3))


def rounded(values):
    """A tensor's values rounded to 4 places (+ 0.0 turns -0.0 into 0.0)."""
    return [round(value, 4) + 0.0 for value in values.tolist()]


print(f"measured: mean {rounded(mean)}, std {rounded(std)}")
normalize = v2.Normalize(mean=mean.tolist(), std=std.tolist())
result = normalize(images)  # a whole batch at once: N×C×H×W
print(f"normalized: mean {rounded(result.mean(dim=(0, 2, 3)))}, "
      f"std {rounded(result.std(dim=(0, 2, 3)))}")
# --8<-- [end:normalize]
