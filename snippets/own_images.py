"""Train a classifier on your own folder of images: one subfolder per class.

Run it: python own_images.py FOLDER  (FOLDER/cat/1.jpg, FOLDER/dog/7.png, ...)
        python own_images.py         (writes own-images/ from FashionMNIST)
Options: --size 28 (the side images are resized to), --epochs 15, --image FILE
(the file to predict; default: the first test image).
"""

# --8<-- [start:imports]
import argparse
import copy
from pathlib import Path

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets
from torchvision.transforms import v2
# --8<-- [end:imports]

# --8<-- [start:arguments]
parser = argparse.ArgumentParser(description="Train on a folder of images.")
parser.add_argument("folder", nargs="?", help="one subfolder per class")
parser.add_argument("--size", type=int, default=28, help="resize to size×size")
parser.add_argument("--epochs", type=int, default=15)
parser.add_argument("--image", help="an image file to predict")
# parse_known_args: a notebook's kernel passes arguments of its own
args, _ = parser.parse_known_args()
# --8<-- [end:arguments]


# --8<-- [start:sample-folder]
def write_sample_folder(folder, per_class=40):
    """Write FashionMNIST images as PNG files, one subfolder per class."""
    fashion = datasets.FashionMNIST(root="data", train=True, download=True)
    wanted = {5: "sandal", 7: "sneaker", 9: "ankle-boot"}  # label: subfolder
    counts = dict.fromkeys(wanted, 0)
    for index, (image, label) in enumerate(fashion):
        if label in wanted and counts[label] < per_class:
            class_folder = Path(folder) / wanted[label]
            class_folder.mkdir(parents=True, exist_ok=True)
            image.save(class_folder / f"{index}.png")  # a 28×28 grayscale PNG
            counts[label] += 1
        if all(n == per_class for n in counts.values()):
            break


folder = args.folder
if folder is None:
    folder = "own-images"
    if not Path(folder).exists():  # never overwrite a folder that is there
        write_sample_folder(folder)
# --8<-- [end:sample-folder]

# --8<-- [start:dataset]
if not Path(folder).is_dir():
    raise SystemExit(f"{folder} is not a folder: give a folder with one "
                     "subfolder of images per class")
images = datasets.ImageFolder(folder)  # items: (PIL image, class index)
classes = images.classes  # the subfolders' names, sorted
print(f"{len(images)} images in {len(classes)} classes: {classes}")

# ImageFolder opens every file as RGB; the first file's mode decides
# whether the images get their single grayscale channel back
first_file = images.samples[0][0]  # (path, class index) of the first image
mode = Image.open(first_file).mode  # "L": grayscale, "RGB": colour, ...
channels = 1 if mode in ("1", "L", "LA") else 3
print(f"channels: {channels} (the first file's mode: {mode})")
# --8<-- [end:dataset]

# --8<-- [start:transforms]
def make_transform(channels, size):
    """PIL image -> channels×size×size float tensor, values in [-1, 1]."""
    return v2.Compose([
        v2.ToImage(),  # a uint8 tensor, C×H×W
        v2.Grayscale(num_output_channels=1) if channels == 1 else v2.RGB(),
        v2.Resize(size),  # the shorter side to size, proportions kept
        v2.CenterCrop(size),  # then the middle size×size
        v2.ToDtype(torch.float32, scale=True),  # pixels in [0, 1]
        v2.Normalize(mean=[0.5] * channels, std=[0.5] * channels),
    ])


images.transform = make_transform(channels, args.size)
x, y = images[0]
print(f"one image: {tuple(x.shape)} {x.dtype}, its class: {classes[y]}")
# --8<-- [end:transforms]

# --8<-- [start:split]
# seeded: the same split on every run, as long as the folder is the same
split_seed = torch.Generator().manual_seed(0)
train_set, val_set, test_set = random_split(images, [0.6, 0.2, 0.2], split_seed)
print(f"train {len(train_set)}, validation {len(val_set)}, "
      f"test {len(test_set)}")
shuffle_seed = torch.Generator().manual_seed(0)  # the order of each epoch
train_loader = DataLoader(train_set, batch_size=16, shuffle=True,
                          generator=shuffle_seed)
val_loader = DataLoader(val_set, batch_size=64)
test_loader = DataLoader(test_set, batch_size=64)
# --8<-- [end:split]

# --8<-- [start:model]
def make_model(features, classes, hidden=64):
    return nn.Sequential(
        nn.Flatten(),  # C×H×W pixels -> one row
        nn.Linear(features, hidden),
        nn.ReLU(),
        nn.Linear(hidden, classes),  # one logit per class
    )


if torch.accelerator.is_available():  # a GPU, if this machine has one
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")
features = x.numel()  # the input size: the values in one transformed image
torch.manual_seed(0)  # the same first weights on every run
model = make_model(features, len(classes)).to(device)
print(f"input features: {features}, classes: {len(classes)}, "
      f"parameters: {sum(p.numel() for p in model.parameters())}")
# --8<-- [end:model]


# --8<-- [start:accuracy]
def accuracy(model, loader):
    """The share of the loader's images the model classifies right."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(dim=1) == y).sum().item()
    return correct / len(loader.dataset)
# --8<-- [end:accuracy]


# --8<-- [start:train]
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
best_accuracy, best_state, best_epoch = -1.0, None, 0
for epoch in range(1, args.epochs + 1):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    train_accuracy = accuracy(model, train_loader)
    val_accuracy = accuracy(model, val_loader)
    print(f"epoch {epoch:2}: train {100 * train_accuracy:5.1f}%, "
          f"validation {100 * val_accuracy:5.1f}%")
    if val_accuracy > best_accuracy:
        # state_dict() holds references to the live weights: copy them
        best_state = copy.deepcopy(model.state_dict())
        best_accuracy, best_epoch = val_accuracy, epoch
print(f"best validation accuracy {100 * best_accuracy:.1f}% "
      f"(epoch {best_epoch})")
# --8<-- [end:train]

# --8<-- [start:test]
model.load_state_dict(best_state)
print(f"test accuracy: {100 * accuracy(model, test_loader):.1f}% "
      f"on {len(test_set)} images")
# the weights, and what it takes to rebuild the model and the transform
torch.save({"state_dict": best_state, "classes": classes,
            "features": features, "channels": channels, "size": args.size},
           "own_images_model.pth")
print("saved own_images_model.pth")
# --8<-- [end:test]

# --8<-- [start:predict]
# map_location: onto the CPU, wherever the weights were saved
saved = torch.load("own_images_model.pth", map_location="cpu",
                   weights_only=True)
model = make_model(saved["features"], len(saved["classes"]))
model.load_state_dict(saved["state_dict"])
model.eval()
transform = make_transform(saved["channels"], saved["size"])

image_file = args.image or images.samples[test_set.indices[0]][0]
image = Image.open(image_file).convert("RGB")  # as ImageFolder opens files
with torch.no_grad():
    x = transform(image).unsqueeze(0)  # a batch of one: 1×C×H×W
    probabilities = model(x).softmax(dim=1)[0]
best = probabilities.argmax().item()
print(f"{image_file}: {saved['classes'][best]} "
      f"({100 * probabilities[best].item():.1f}%)")
# --8<-- [end:predict]
