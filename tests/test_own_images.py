"""own-images.md: the script trains on any folder of one subfolder per class, unchanged; the page's numbers are
the script's.

The second folder differs from the page's sample in every way the page says does not matter: colour (RGB, not
grayscale), size (40×30, not 28×28), classes (four, not three) and their names. The script is run through the
one runner, as `python own_images.py FOLDER`.
"""

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tested_docs.paths import SNIPPETS
from tested_docs.runner import run_snippets

PAGE = " ".join((Path(__file__).parents[1] / "docs" / "own-images.md").read_text(encoding="utf-8").split())
SCRIPT = SNIPPETS / "own_images.py"
COLOURS = {"red": (200, 40, 40), "green": (40, 180, 60), "blue": (40, 60, 200), "yellow": (210, 200, 40)}
PER_CLASS, WIDTH, HEIGHT = 15, 40, 30


def write_colour_folder(folder: Path) -> Path:
    """Four classes of 40×30 RGB images, each a noisy version of its class's colour (seeded)."""
    rng = np.random.default_rng(0)
    for name, rgb in COLOURS.items():
        (folder / name).mkdir(parents=True)
        for k in range(PER_CLASS):
            pixels = np.clip(np.array(rgb) + rng.normal(0, 40, (HEIGHT, WIDTH, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels, "RGB").save(folder / name / f"{k}.jpg")
    return folder


@pytest.fixture(scope="module")
def colour_run(tmp_path_factory, reader_dir, run_cache):
    folder = write_colour_folder(tmp_path_factory.mktemp("colour") / "photos")
    run = run_snippets([SCRIPT], reader_dir / "data", run_cache, argv=[str(folder)])[SCRIPT.name]
    assert run.status == 0, run.failure()
    return run


def test_a_folder_of_other_colours_sizes_and_classes_trains_unchanged(colour_run):
    out = colour_run.stdout
    n = len(COLOURS) * PER_CLASS
    assert f"{n} images in 4 classes: {sorted(COLOURS)}" in out
    assert "channels: 3 (the first file's mode: RGB)" in out
    assert "one image: (3, 28, 28) torch.float32" in out  # resized to --size, 28 by default
    assert f"train {int(0.6 * n)}, validation {int(0.2 * n)}, test {int(0.2 * n)}" in out
    features = 3 * 28 * 28
    assert f"input features: {features}, classes: 4, parameters: {features * 64 + 64 + 64 * 4 + 4}" in out
    assert f"on {int(0.2 * n)} images" in out and "saved own_images_model.pth" in out
    prediction = re.search(r": (\w+) \((\d+\.\d)%\)\n\Z", out)
    assert prediction and prediction[1] in COLOURS, out[-300:]
    # the colours are easy to tell apart: far above chance (25 %) on the held-out images
    assert float(re.search(r"test accuracy: ([\d.]+)%", out)[1]) >= 75


def test_a_missing_folder_says_what_to_give(tmp_path, reader_dir, run_cache):
    run = run_snippets([SCRIPT], reader_dir / "data", run_cache, argv=[str(tmp_path / "no-such-folder")])[SCRIPT.name]
    assert run.status != 0 and "is not a folder: give a folder with one subfolder of images per class" in run.failure()


def test_the_page_sample_run_and_its_numbers_agree(snippet_runs):
    out = snippet_runs[SCRIPT.name].stdout
    total = int(re.search(r"(\d+) images in 3 classes", out)[1])
    train, val, test = map(int, re.search(r"train (\d+), validation (\d+), test (\d+)", out).groups())
    assert (train, val, test) == (0.6 * total, 0.2 * total, 0.2 * total)  # "60 %", "20 %", "20 %"
    assert "40 images each of sandals, sneakers and ankle boots" in PAGE and total == 3 * 40
    assert "784 × 64 + 64 weights and biases in the first layer and 64 × 3 + 3 in the second" in PAGE
    assert f"parameters: {784 * 64 + 64 + 64 * 3 + 3}" in out
    assert f"With {test} test images, one image more or less right moves the accuracy by about 4 points" in PAGE
    assert round(100 / test) == 4
    assert "more than five times as many weights" in PAGE and 5 < (64 * 64) / (28 * 28) < 6


def test_the_kept_epoch_is_the_best_by_validation(snippet_runs, colour_run):
    """"keeps a copy of the weights whenever the validation accuracy is the best so far", and the test score is
    of those weights: on both folders, the reported best is the log's first highest validation accuracy."""
    for run in (snippet_runs[SCRIPT.name], colour_run):
        epochs = [(int(e), float(v)) for e, v in re.findall(r"epoch +(\d+): train +[\d.]+%, validation +([\d.]+)%", run.stdout)]
        assert len(epochs) == 15  # --epochs' default
        best = max(v for _, v in epochs)
        assert f"best validation accuracy {best:.1f}% (epoch {next(e for e, v in epochs if v == best)})" in run.stdout


def test_the_exercises_arithmetic_is_the_solutions():
    assert "196 × 64 + 64 + 64 × 3 + 3 = 12,803: a quarter of the pixels, about a quarter of the parameters" in PAGE
    assert 14 * 14 == 196 and 196 * 64 + 64 + 64 * 3 + 3 == 12803 and round(12803 / 50435, 2) == 0.25


def test_a_trained_model_can_be_very_sure_of_a_picture_it_never_learned(snippet_runs):
    """Exercise 4's why: the build's saved model gives an all-black image to one class with more than 90 %."""
    import torch

    run = snippet_runs[SCRIPT.name]
    saved = torch.load(run.folder / "own_images_model.pth", map_location="cpu", weights_only=True)
    assert "gives an all-black image to one class with more than 90 %" in PAGE
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(saved["features"], 64), torch.nn.ReLU(),
                                torch.nn.Linear(64, len(saved["classes"])))
    model.load_state_dict(saved["state_dict"])
    black = torch.full((1, saved["channels"], saved["size"], saved["size"]), -1.0)  # 0 normalized to [-1, 1]
    with torch.no_grad():
        assert model(black).softmax(dim=1).max() > 0.9
