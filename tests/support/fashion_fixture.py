"""A small stand-in for FashionMNIST, written in its real on-disk format (IDX), for offline tests.

torchvision's FashionMNIST loader skips its download when the four uncompressed IDX files
already lie in ROOT/FashionMNIST/raw/, then parses them as usual: the reader's loading code
runs unchanged against this fixture. The images are crude silhouettes of the ten classes with a
diagonal hatch, so a picture of them reads as clothing but never passes for the real dataset.
"""

import struct
from pathlib import Path

import numpy as np

TRAIN_IMAGES = 60  # six of each class; the real training set has 60,000
TEST_IMAGES = 10
SIDE = 28


def _silhouette(label: int) -> np.ndarray:
    """A 28×28 mask roughly shaped like FashionMNIST class `label`."""
    y, x = np.mgrid[0:SIDE, 0:SIDE]
    m = np.zeros((SIDE, SIDE), bool)
    if label in (0, 2, 4, 6):  # T-shirt/top, Pullover, Coat, Shirt: a body and two sleeves
        m |= (abs(x - 13.5) <= 6) & (y >= 5) & (y <= 25)
        sleeve = {0: 9, 2: 21, 4: 24, 6: 20}[label]
        m |= (abs(x - 13.5) <= 11) & (y >= 5) & (y <= sleeve) & (abs(x - 13.5) >= 6)
        m &= ~((abs(x - 13.5) <= 2) & (y <= 7))  # a neckline
    elif label == 1:  # Trouser: two legs
        m |= (abs(x - 13.5) <= 6) & (y >= 2) & (y <= 26) & ~((abs(x - 13.5) <= 1) & (y >= 9))
    elif label == 3:  # Dress: widening towards the hem
        m |= (abs(x - 13.5) <= 3 + (y - 2) * 0.35) & (y >= 2) & (y <= 26)
    elif label in (5, 7, 9):  # Sandal, Sneaker, Ankle boot: a sole and an upper
        m |= (y >= 19) & (y <= 22) & (x >= 2) & (x <= 25)
        top = {5: 16, 7: 13, 9: 4}[label]
        m |= (y >= top) & (y <= 19) & (x >= 4) & (x <= (14 if label == 9 else 20))
        if label == 5:
            m &= ~((y < 19) & (x % 4 == 0))  # straps
    elif label == 8:  # Bag: a box with a handle
        m |= (y >= 10) & (y <= 25) & (x >= 4) & (x <= 23)
        m |= (abs(np.hypot(x - 13.5, y - 10) - 6) <= 1) & (y < 10)
    return m


def images_and_labels(count: int, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    labels = (np.arange(count) + offset) % 10
    rng = np.random.default_rng(offset)
    hatch = np.where((np.add.outer(np.arange(SIDE), np.arange(SIDE)) // 2) % 2 == 0, 255, 170)
    images = np.stack([_silhouette(int(label)) * hatch for label in labels])
    noise = rng.integers(0, 30, size=images.shape)
    images = np.where(images > 0, images - noise, 0)
    return images.astype(np.uint8), labels.astype(np.uint8)


def write_idx(path: Path, array: np.ndarray) -> None:
    """IDX: a big-endian magic (0x08 = unsigned bytes, then the number of dimensions), the sizes, the data."""
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def write_fashion_mnist(root: Path) -> Path:
    """Write the fixture under root/FashionMNIST/raw/ and return that folder."""
    raw = Path(root) / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for split, count, offset in (("train", TRAIN_IMAGES, 0), ("t10k", TEST_IMAGES, 7)):
        images, labels = images_and_labels(count, offset)
        write_idx(raw / f"{split}-images-idx3-ubyte", images)
        write_idx(raw / f"{split}-labels-idx1-ubyte", labels)
    return raw
