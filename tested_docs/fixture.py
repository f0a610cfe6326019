"""An offline stand-in for FashionMNIST that is real FashionMNIST: 900 images, written in its on-disk format.

The images come from the sprite the Fashion-MNIST project publishes (zalandoresearch/fashion-mnist,
`doc/img/fashion-mnist-sprite.png`, MIT, Copyright © 2017 Zalando SE; see data/FASHION-MNIST-LICENSE):
a 30 × 30 grid of 28 × 28 images, rows 3k to 3k+2 holding 90 images of class k. Of each class, the
first 80 become training images and the last 10 test images, in an order shuffled with a fixed seed.

torchvision's `FashionMNIST(download=True)` downloads nothing when the four uncompressed IDX files
lie in ROOT/FashionMNIST/raw/; it then parses them as usual, so a reader's loading code runs unchanged.

    python -m tested_docs.fixture DATA_DIR    # writes DATA_DIR/FashionMNIST/raw/
"""

import struct
import sys
from pathlib import Path

import numpy as np

SPRITE = Path(__file__).with_name("data") / "fashion-mnist-sprite.png"
SIDE, GRID, PER_CLASS, TEST_PER_CLASS = 28, 30, 90, 10
RAW_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
TRAIN_SIZE, TEST_SIZE = 10 * (PER_CLASS - TEST_PER_CLASS), 10 * TEST_PER_CLASS
DESCRIPTION = f"a {TRAIN_SIZE + TEST_SIZE}-image sample of FashionMNIST ({TRAIN_SIZE} training, {TEST_SIZE} test images)"


def sample_images() -> tuple[np.ndarray, np.ndarray]:
    """The sprite's 900 images (900×28×28, uint8, 0 = black) and their labels, in grid order."""
    from PIL import Image  # torchvision depends on pillow

    grid = np.asarray(Image.open(SPRITE).convert("L"))
    if grid.shape != (GRID * SIDE, GRID * SIDE):
        raise ValueError(f"{SPRITE} is {grid.shape[1]}×{grid.shape[0]} pixels, not the 840×840 sprite; restore it with git")
    images = grid.reshape(GRID, SIDE, GRID, SIDE).swapaxes(1, 2).reshape(GRID * GRID, SIDE, SIDE)
    labels = np.repeat(np.arange(10), PER_CLASS)  # three rows of 30 per class
    return images, labels.astype(np.uint8)


def split() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"train": (images, labels), "t10k": (...)}: per class, 80 training and 10 test images, shuffled with a fixed seed."""
    images, labels = sample_images()
    position = np.tile(np.arange(PER_CLASS), 10)
    parts = {}
    for name, chosen in (("train", position < PER_CLASS - TEST_PER_CLASS), ("t10k", position >= PER_CLASS - TEST_PER_CLASS)):
        order = np.random.default_rng(0).permutation(int(chosen.sum()))
        parts[name] = (images[chosen][order], labels[chosen][order])
    return parts


def write_idx(path: Path, array: np.ndarray) -> None:
    """IDX: a big-endian magic (0x08 = unsigned bytes, then the number of dimensions), the sizes, the data."""
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def write_fashion_mnist(root: Path) -> Path:
    """Write the stand-in under root/FashionMNIST/raw/ and return that folder."""
    raw = Path(root) / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, (images, labels) in split().items():
        write_idx(raw / f"{name}-images-idx3-ubyte", images)
        write_idx(raw / f"{name}-labels-idx1-ubyte", labels)
    return raw


def has_fashion_mnist(root: Path) -> bool:
    """Whether root holds the four raw files torchvision needs to skip its download."""
    return all((Path(root) / "FashionMNIST" / "raw" / f).is_file() for f in RAW_FILES)


def describe(root: Path) -> str:
    """What FashionMNIST data root holds, in words for a caption (read from the files' headers)."""
    raw = Path(root) / "FashionMNIST" / "raw"
    train, test = (struct.unpack(">I", (raw / f"{s}-images-idx3-ubyte").read_bytes()[4:8])[0] for s in ("train", "t10k"))
    if (train, test) == (60_000, 10_000):
        return "the full FashionMNIST dataset (60,000 training and 10,000 test images)"
    if (train, test) == (TRAIN_SIZE, TEST_SIZE):
        return f"the site's offline stand-in, {DESCRIPTION}, not the full dataset"
    return f"a FashionMNIST-format dataset of {train:,} training and {test:,} test images, not the full dataset"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tested_docs.fixture DATA_DIR   (writes DATA_DIR/FashionMNIST/raw/)")
    print(write_fashion_mnist(Path(sys.argv[1])))
