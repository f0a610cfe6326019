"""Take the network apart: push three FashionMNIST images through each layer
by hand.

Run it:  python network_components.py
(The first run downloads FashionMNIST, about 30 MB, into ./data; it also needs
matplotlib.)
"""

# --8<-- [start:imports]
import torch
from torch import nn
from torchvision import datasets
from torchvision.transforms import v2
# --8<-- [end:imports]

# --8<-- [start:data]
training_data = datasets.FashionMNIST(
    root="data",
    train=True,  # a bool: the string "False" would count as true
    download=True,
    # PIL image -> float tensor of shape 1×28×28, values in [0, 1]
    # (torchvision's v2 transforms)
    transform=v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)]),
)

# Three different indices, the same on every run of the same dataset: which
# three depends on its length (the full 60,000 images or a smaller sample)
generator = torch.Generator().manual_seed(0)
indices = torch.randperm(len(training_data), generator=generator)[:3]
# (image, label) pairs; each image 1×28×28
samples = [training_data[i] for i in indices.tolist()]
# N×C×H×W: 3×1×28×28, as a DataLoader stacks them
images = torch.stack([image for image, _ in samples])
labels = [label for _, label in samples]
print(f"images: shape {tuple(images.shape)}, dtype {images.dtype}")
in_range = bool(images.min() >= 0 and images.max() <= 1)
print(f"pixel values in [0, 1]: {in_range}")
# --8<-- [end:data]

# --8<-- [start:figure]
# Imported here, not with the others: only this figure needs matplotlib, and
# the page shows this section alone
import matplotlib.pyplot as plt

figure, axes = plt.subplots(1, 3, figsize=(6, 2.4))
for axis, image, label in zip(axes, images, labels):
    # 1×28×28 -> the 28×28 pixels
    axis.imshow(image.squeeze(0).numpy(), cmap="gray")
    axis.set_title(training_data.classes[label])
    axis.axis("off")
figure.savefig("fashion_samples.png", dpi=100, bbox_inches="tight")
plt.close(figure)  # saved: free its memory
print("saved fashion_samples.png")
# --8<-- [end:figure]

# --8<-- [start:flatten]
# start_dim=1 (its default): keeps dim 0, the batch, and flattens the rest
flatten = nn.Flatten()
flat_images = flatten(images)
print(f"flat_images: shape {tuple(flat_images.shape)}")
# Tensor.flatten() and torch.flatten start at dim 0: the batch goes too
print(f"images.flatten(): shape {tuple(images.flatten().shape)}")
# --8<-- [end:flatten]

# --8<-- [start:linear]
torch.manual_seed(0)  # the same layer weights on every run
layer1 = nn.Linear(in_features=28 * 28, out_features=512)
W, b = layer1.weight, layer1.bias
print(f"weight W: shape {tuple(W.shape)}, bias b: shape {tuple(b.shape)}")
hidden1 = layer1(flat_images)
print(f"hidden1: shape {tuple(hidden1.shape)}")
by_hand = flat_images @ W.T + b  # b (512 values) is added to each of the 3 rows
print(f"equals flat_images @ W.T + b: {torch.allclose(hidden1, by_hand)}")
# --8<-- [end:linear]

# --8<-- [start:relu]
relu = nn.ReLU()
activated = relu(hidden1)  # a new tensor: hidden1 keeps its negative values
print(f"negative values before ReLU: {bool((hidden1 < 0).any())}")
print(f"negative values after ReLU:  {bool((activated < 0).any())}")

# The values of a small seeded tensor show what ReLU does to each entry.
torch.manual_seed(1)
sample = torch.randn(2, 5)
print("before ReLU:", sample, sep="\n")
print("after ReLU:", relu(sample), sep="\n")
# --8<-- [end:relu]

# --8<-- [start:sequential]
seq_modules = nn.Sequential(
    flatten,  # 3×1×28×28 -> 3×784
    layer1,  # 3×784 -> 3×512 (the same layer object as above, same weights)
    nn.ReLU(),
    nn.Linear(512, 10),  # 3×512 -> 3×10: one logit per class
)
logits = seq_modules(images)
print(f"logits: shape {tuple(logits.shape)}")
# --8<-- [end:sequential]

# --8<-- [start:softmax]
# dim=1: each image's 10 values sum to 1. As a module; logits.softmax(dim=1)
# computes the same
softmax = nn.Softmax(dim=1)
probabilities = softmax(logits)
print(f"probabilities: shape {tuple(probabilities.shape)}")
in_range = bool(probabilities.min() >= 0 and probabilities.max() <= 1)
print(f"all in [0, 1]: {in_range}")
sums_to_1 = torch.allclose(probabilities.sum(dim=1), torch.ones(3))
print(f"each row sums to 1: {sums_to_1}")
# --8<-- [end:softmax]
