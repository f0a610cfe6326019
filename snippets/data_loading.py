"""Data: Datasets and DataLoaders, FashionMNIST, transforms, and a Dataset of
your own over image files.

Run it:  python data_loading.py
(The first run downloads FashionMNIST, about 30 MB, into ./data; it also needs
matplotlib.)
"""

# --8<-- [start:imports]
import shutil
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image  # Pillow, which torchvision installs
from torch.utils.data import DataLoader, Dataset, TensorDataset, default_collate
from torchvision import datasets
from torchvision.transforms import ToTensor, v2
# --8<-- [end:imports]

# --8<-- [start:tensor-dataset]
# 10 samples with 1 feature each, and one target per sample
features = torch.arange(10, dtype=torch.float32).unsqueeze(1)
targets = torch.arange(10) * 10
dataset = TensorDataset(features, targets)  # item i: (features[i], targets[i])
print(f"{len(dataset)} samples; dataset[3] = {dataset[3]}")
# --8<-- [end:tensor-dataset]

# --8<-- [start:batches]
loader = DataLoader(dataset, batch_size=4)
for X, y in loader:  # each batch stacks 4 items: X has 4 rows, y 4 targets
    print(f"X: shape {tuple(X.shape)}, y: {y.tolist()}")
# --8<-- [end:batches]

# --8<-- [start:collate]
# two samples of (a float, an int, a string), collated position by position
collated = default_collate([(1.5, 0, "a"), (2.5, 1, "b")])
print(collated)  # floats -> float64, ints -> int64, strings stay strings
# --8<-- [end:collate]

# --8<-- [start:drop-last]
loader = DataLoader(dataset, batch_size=4, drop_last=True)
print(f"{len(loader)} batches of sizes {[len(y) for X, y in loader]}")
# --8<-- [end:drop-last]

# --8<-- [start:shuffle]
generator = torch.Generator().manual_seed(0)  # the loader's own random numbers
loader = DataLoader(dataset, batch_size=4, shuffle=True, generator=generator)
for epoch in range(2):  # each loop over the loader draws a new order
    print(f"epoch {epoch}: {[y.tolist() for X, y in loader]}")
# --8<-- [end:shuffle]

# --8<-- [start:fashion]
to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
training_data = datasets.FashionMNIST(
    root="data", train=True, download=True, transform=to_tensor
)
test_data = datasets.FashionMNIST(
    root="data", train=False, download=True, transform=to_tensor
)

image, label = training_data[0]  # one item: an (image, label) pair
print(f"image: shape {tuple(image.shape)}, dtype {image.dtype}")
print(f"label: {type(label)}")
print(training_data.classes)  # the class names; a label indexes this list
# --8<-- [end:fashion]

# --8<-- [start:raw]
# no transform: the items are pictures
raw_data = datasets.FashionMNIST(root="data", train=True, download=True)
raw_image, _ = raw_data[0]
print(f"without a transform: {type(raw_image)}")
print(f"mode {raw_image.mode}, size {raw_image.size}")

as_image = v2.ToImage()(raw_image)  # a tensor, still holding bytes 0..255
print(f"ToImage: shape {tuple(as_image.shape)}, dtype {as_image.dtype}")
# float32, multiplied by 1/255
scaled = v2.ToDtype(torch.float32, scale=True)(as_image)
in_range = bool(scaled.min() >= 0 and scaled.max() <= 1)
print(f"ToDtype: dtype {scaled.dtype}, in [0, 1]: {in_range}")
# --8<-- [end:raw]

# --8<-- [start:to-tensor]
old_way = ToTensor()(raw_image)
print(f"same as the older ToTensor(): {torch.allclose(scaled, old_way)}")
# --8<-- [end:to-tensor]

# --8<-- [start:loader]
shuffled = torch.Generator().manual_seed(0)
train_loader = DataLoader(
    training_data, batch_size=64, shuffle=True, generator=shuffled
)
test_loader = DataLoader(test_data, batch_size=64)  # evaluation: no shuffle
for name, data_loader in [("train", train_loader), ("test", test_loader)]:
    X, y = next(iter(data_loader))  # the first batch
    print(f"{name}: X {tuple(X.shape)} {X.dtype}, y {tuple(y.shape)} {y.dtype}")
# --8<-- [end:loader]

# --8<-- [start:draw-batch]
import matplotlib.pyplot as plt


def draw_batch(batch, per_row=4):
    """The images of an N×C×H×W batch in rows, its four sizes labelled."""
    n, c, h, w = batch.shape  # every number in the figure comes from here
    # text at 13 points: about 13 px still when a phone shrinks the figure
    gap = w / 4  # space between two images
    columns = min(n, per_row)
    rows = (n + columns - 1) // columns  # enough rows for all n images
    width = columns * w + (columns - 1) * gap
    height = rows * h + (rows - 1) * gap
    figure, axis = plt.subplots(figsize=(5, 1.6 + 1.3 * rows))
    for i, image in enumerate(batch):
        left = (i % columns) * (w + gap)
        top = (i // columns) * (h + gap)
        # C×H×W -> H×W×C, the order matplotlib wants
        pixels = image.permute(1, 2, 0).numpy()
        # extent: x from left to left + w, y from top + h (bottom) up to top
        axis.imshow(pixels.squeeze(2) if c == 1 else pixels, cmap="gray",
                    extent=(left, left + w, top + h, top))
    # for H and W: a two-headed arrow (annotate with no text) and a label
    arrow = dict(arrowstyle="<->", color="tab:blue")
    axis.annotate("", (-0.15 * h, 0), (-0.15 * h, h), arrowprops=arrow)
    axis.text(-0.25 * h, h / 2, f"H = {h}\nrows", ha="right", va="center",
              size=13)
    axis.annotate("", (0, -0.15 * h), (w, -0.15 * h), arrowprops=arrow)
    axis.text(0, -0.25 * h, f"W = {w} columns", va="bottom", size=13)
    axis.text(width / 2, height + 0.15 * h, f"N = {n} images in the batch",
              ha="center", va="top", size=13)
    if c == 1:
        channels = "C = 1 channel (grayscale; a colour image has 3)"
    else:
        channels = f"C = {c} channels"
    axis.text(width / 2, height + 0.45 * h, channels, ha="center", va="top",
              size=13)
    axis.set_title(f"shape (N, C, H, W) = {tuple(batch.shape)}", pad=8, size=13)
    axis.set(xlim=(-0.2 * h, width), ylim=(height + 0.7 * h, -0.6 * h))
    axis.axis("off")
    return figure


# --8<-- [end:draw-batch]

# --8<-- [start:batch-figure]
few = DataLoader(training_data, batch_size=8, shuffle=True,
                 generator=torch.Generator().manual_seed(0))
images, _ = next(iter(few))  # one batch of 8, and its labels
print(f"images: shape {tuple(images.shape)}")
figure = draw_batch(images)
figure.savefig("batch_nchw.png", dpi=100, bbox_inches="tight")
print("saved batch_nchw.png")
# --8<-- [end:batch-figure]

# --8<-- [start:normalize]
# one mean and one standard deviation per channel: FashionMNIST has 1
normalize = v2.Normalize(mean=[0.5], std=[0.5])
pixels = torch.tensor([0.0, 0.25, 0.5, 1.0]).reshape(1, 1, 4)  # 1 channel, 1×4
print(normalize(pixels))

to_float = v2.ToDtype(torch.float32, scale=True)
pipeline = v2.Compose([v2.ToImage(), to_float, normalize])
normalized = pipeline(raw_image)
in_range = bool(normalized.min() >= -1 and normalized.max() <= 1)
print(f"normalized: shape {tuple(normalized.shape)}, in [-1, 1]: {in_range}")
# --8<-- [end:normalize]

# --8<-- [start:target-transform]
def one_hot(label):
    classes = len(training_data.classes)
    return F.one_hot(torch.tensor(label), num_classes=classes).float()

print(one_hot(3))
one_hot_data = datasets.FashionMNIST(
    root="data", train=True, download=True,
    transform=to_tensor, target_transform=one_hot,
)
_, target = one_hot_data[0]
total = target.sum().item()
print(f"target: shape {tuple(target.shape)}, dtype {target.dtype}, sum {total}")
# --8<-- [end:target-transform]

# --8<-- [start:write-files]
folder = Path(tempfile.mkdtemp())  # a new, empty temporary folder
generator = torch.Generator().manual_seed(0)
lines = ["file,label"]
for i in range(6):
    size = (28, 28)
    noise = torch.randint(0, 256, size, dtype=torch.uint8, generator=generator)
    # a 28×28 grayscale PNG
    Image.fromarray(noise.numpy()).save(folder / f"image{i}.png")
    lines.append(f"image{i}.png,{i % 3}")
(folder / "labels.csv").write_text("\n".join(lines) + "\n")
print(sorted(path.name for path in folder.iterdir()))
# --8<-- [end:write-files]

# --8<-- [start:custom-dataset]
class ImageFolderCSV(Dataset):
    """Images listed in labels.csv (file,label) inside a folder."""

    def __init__(self, folder, transform=None, target_transform=None):
        self.folder = Path(folder)
        text = (self.folder / "labels.csv").read_text()
        rows = [row.split(",") for row in text.splitlines()[1:]]  # no header
        self.items = [(name, int(label)) for name, label in rows]
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        name, label = self.items[index]
        with Image.open(self.folder / name) as file:
            # a grayscale PIL image, read in full; then the file is closed
            image = file.convert("L")
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label
# --8<-- [end:custom-dataset]

# --8<-- [start:use-custom]
# the same transform as for FashionMNIST
my_data = ImageFolderCSV(folder, transform=to_tensor)
image, label = my_data[0]
print(f"{len(my_data)} items; label {label}")
print(f"image: shape {tuple(image.shape)}, dtype {image.dtype}")
my_loader = DataLoader(my_data, batch_size=4)
for X, y in my_loader:
    print(f"X: shape {tuple(X.shape)}, y: {y.tolist()}")
shutil.rmtree(folder)  # delete the temporary files
# --8<-- [end:use-custom]
