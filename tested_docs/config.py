"""mkdocs.yml, loaded and validated by mkdocs itself: the one reading of the site's configuration
(pymdownx.snippets' settings, the nav, site_url). Inside a build, the build's own config is used
(hooks/check_includes.py registers it), so mkdocs.yml is never read twice in one process."""

from functools import cache
from pathlib import Path

from .paths import ROOT

_building: dict[Path, object] = {}


def building(config) -> None:
    """The config of the build running in this process (its mkdocs.yml's folder is the root)."""
    _building[Path(config["config_file_path"]).resolve().parent] = config


def mkdocs_config(root: Path = ROOT):
    return _building.get(Path(root).resolve()) or _loaded(Path(root).resolve())


@cache
def _loaded(root: Path):
    from mkdocs.config import load_config

    return load_config(str(root / "mkdocs.yml"))
