"""What the home page's "Start here" says about FashionMNIST, tried on the installed torchvision."""

import re

import pytest
from torchvision import datasets

from tested_docs.fixture import write_fashion_mnist
from tested_docs.paths import DOCS

PAGE = (DOCS / "index.md").read_text(encoding="utf-8")
NOTE = " ".join(PAGE.split('!!! tip "If the dataset download fails"')[1].split("\n## ")[0].split())


def test_the_note_names_the_files_torchvision_fetches():
    assert re.findall(r"`([\w-]+\.gz)`", NOTE) == [name for name, _ in datasets.FashionMNIST.resources]


def test_a_failed_download_says_what_the_note_quotes(tmp_path, monkeypatch):
    """Nothing listens on 127.0.0.1:9: the download fails there as it does offline."""
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", ["http://127.0.0.1:9/"])
    with pytest.raises(RuntimeError) as failed:
        datasets.FashionMNIST(root=tmp_path / "data", train=True, download=True)
    quoted = re.search(r"`(RuntimeError: Error downloading [^`]+)`", NOTE)[1]
    assert f"RuntimeError: {failed.value}".startswith(quoted), failed.value
    raw = tmp_path / "data" / "FashionMNIST" / "raw"
    assert raw.is_dir() and not any(raw.iterdir()) and "leaves an empty folder `data/FashionMNIST/raw/` behind" in NOTE


def test_with_the_unpacked_files_in_place_nothing_is_downloaded(tmp_path, monkeypatch):
    """The four unpacked files in data/FashionMNIST/raw/ (the suite's stand-in has that layout): the loader
    reads them and never asks a mirror (any request would fail here)."""
    write_fashion_mnist(tmp_path / "data")
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", ["http://127.0.0.1:9/"])
    data = datasets.FashionMNIST(root=tmp_path / "data", train=True, download=True)
    assert data.raw_folder == str(tmp_path / "data" / "FashionMNIST" / "raw") and "`data/FashionMNIST/raw/`" in NOTE
    assert len(data) > 0


def test_the_first_script_that_downloads_is_the_one_named():
    from tested_docs.browser import site_pages

    scripts = [p.rstrip("/").split("/")[-1] + ".py" for p in site_pages() if p.startswith("notebooks/")]  # path order
    first = next(name for name in scripts if "FashionMNIST(" in (DOCS.parent / "snippets" / name).read_text(encoding="utf-8"))
    assert f"`{first}` is the first" in " ".join(PAGE.split())


def test_the_commands_name_a_script_that_exists_and_the_folder_the_zip_unpacks_to(built_site):
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO((built_site[0] / "downloads" / "deep-notes-scripts.zip").read_bytes()))
    folder = {name.split("/")[0] for name in archive.namelist()}
    assert folder == {"deep-notes-scripts"} and "cd deep-notes-scripts\npython tensor_basics.py" in PAGE
    assert "deep-notes-scripts/tensor_basics.py" in archive.namelist()
