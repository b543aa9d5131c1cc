"""Shared chart style: the headings' sans font, a palette that survives grayscale, print sizes."""

from __future__ import annotations

from policybrief import resources

FONT_DIR = resources.FONT_DIR
FONT_FILES = ("BriefSans-Regular.otf", "BriefSans-SemiBold.otf")
FONT_FAMILY = "Brief Sans"
# Dark to light: distinct as gray levels (about 15%, 45%, 70% black) as well as in colour.
INK = "#1a1a1a"
PALETTE = ("#1f3b5a", "#5f7f9e", "#a9bfd3")
GRID = "#c8c8c8"
WIDTH_IN = 6.5
SMALLEST_PT = 7.5  # nothing in a chart is set smaller than this


def setup():
    """Import matplotlib with a headless backend and the project's font and sizes; return pyplot."""
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import font_manager, pyplot

    for name in FONT_FILES:
        font_manager.fontManager.addfont(str(FONT_DIR / name))
    matplotlib.rcParams.update({
        "font.family": FONT_FAMILY,
        "font.size": 8.5,
        "axes.titlesize": 9,
        "axes.labelsize": 8.5,
        "xtick.labelsize": SMALLEST_PT + 0.5,
        "ytick.labelsize": SMALLEST_PT + 0.5,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "text.color": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "path",  # text drawn as outlines: identical on every machine
        "svg.hashsalt": "policybrief",  # stable element ids, so builds are byte-identical
        "path.simplify": True,
    })
    return pyplot
