"""Where the tool's own files are (templates, fonts, charts, the default data folder) and where it writes
by default (briefs/, the chart cache): the one module that knows either layout.

In a checkout of the repository those folders sit at its top level, beside `policybrief/`, and briefs go
to the repository's `briefs/`. An installed copy (`pip install .`) carries them inside the package, found
through `importlib.resources`; it writes briefs to `briefs/` in the current folder and caches charts in
the user's cache folder, never into the installation.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from importlib import resources as _resources
from pathlib import Path

import platformdirs

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE_DIR.parent
# A checkout: the repository's pyproject.toml and top-level templates/ and charts/ beside the package.
IN_CHECKOUT = all((_CHECKOUT / name).exists() for name in ("pyproject.toml", "templates", "charts", "fonts"))


def _installed_root() -> Path:
    """The installed package's folder, which holds templates/, fonts/, charts/ and data/."""
    root = _resources.files(__package__ or "policybrief")
    if not isinstance(root, Path):  # a zip import: WeasyPrint and matplotlib need real files
        raise RuntimeError("policybrief must be installed as files (not imported from a zip archive)")
    return root


# The folder holding templates/, fonts/, charts/ and data/: the repository, or the installed package.
ROOT = _CHECKOUT if IN_CHECKOUT else _installed_root()
TEMPLATE_DIR = ROOT / "templates"
FONT_DIR = ROOT / "fonts"
CHART_DIR = ROOT / "charts"
DEFAULT_DATA = ROOT / "data"  # read-only when installed: pass --data DIR for a data folder of your own


def _user_cache() -> Path:
    """The user's cache folder for this tool, as the platform names it (~/.cache/policybrief-287g, or under
    $XDG_CACHE_HOME, on Linux; ~/Library/Caches on macOS; %LOCALAPPDATA% on Windows)."""
    return Path(platformdirs.user_cache_dir("policybrief-287g", appauthor=False))


DEFAULT_OUT = ROOT / "briefs" if IN_CHECKOUT else Path("briefs")  # installed: briefs/ in the current folder
DEFAULT_CHART_CACHE = ROOT / ".cache" / "charts" if IN_CHECKOUT else _user_cache() / "charts"

_CHARTS = "policybrief.charts"


def chart_package():
    """The package of chart modules (`policybrief.charts`, from the repository's charts/ in a checkout).

    An installed copy imports it as any subpackage. A checkout maps it when the editable install has
    not (or when the repository runs without being installed), from charts/ and nowhere else."""
    if _CHARTS in sys.modules:
        return sys.modules[_CHARTS]
    if not IN_CHECKOUT:
        return importlib.import_module(_CHARTS)
    spec = importlib.util.spec_from_file_location(_CHARTS, CHART_DIR / "__init__.py",
                                                  submodule_search_locations=[str(CHART_DIR)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[_CHARTS] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[_CHARTS]
        raise
    setattr(sys.modules[__package__ or "policybrief"], "charts", module)  # as an import would
    return module


def chart_module(name: str):
    """One chart's module (`policybrief.charts.<name>`), or the shared style (`_style`)."""
    chart_package()
    return importlib.import_module(f"{_CHARTS}.{name}")
