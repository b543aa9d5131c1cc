"""Derive the project's shipped fonts from Charis SIL and Inter: Latin subsets, renamed.

Input: the original font files (Debian packages fonts-sil-charis and fonts-inter, or upstream).
Output: fonts/BriefSerif-*.ttf and fonts/BriefSans-*.otf.

Why: the originals carry large OpenType layout tables for hundreds of scripts, and subsetting
them for every PDF took most of a build's time. These derivatives keep the Latin, punctuation
and symbol ranges a brief uses and the kerning, ligature and mark features. Both fonts are under
the SIL Open Font License 1.1; Charis SIL reserves the names "Charis" and "SIL", so the modified
versions are renamed (OFL condition 3). The licences are kept beside the fonts.

Usage: python scripts/subset_fonts.py CHARIS_DIR INTER_DIR
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2000, 0x2070), 0x20AC, 0x2122,
            0x2190, 0x2192, 0x2212, 0x2264, 0x2265, 0x25CF, 0x25A0, 0x2713, 0x00D7]
FEATURES = ["kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk", "onum", "lnum", "tnum", "pnum"]
OUT = Path(__file__).resolve().parent.parent / "fonts"
FACES = {
    "serif": ("Brief Serif", [("CharisSIL-Regular.ttf", "Regular"), ("CharisSIL-Italic.ttf", "Italic"),
                              ("CharisSIL-Bold.ttf", "Bold"), ("CharisSIL-BoldItalic.ttf", "Bold Italic")]),
    "sans": ("Brief Sans", [("Inter-Regular.otf", "Regular"), ("Inter-Italic.otf", "Italic"),
                            ("Inter-SemiBold.otf", "SemiBold"), ("Inter-Bold.otf", "Bold")]),
}


def rename(font: TTFont, family: str, style: str, origin: str) -> None:
    postscript = f"{family.replace(' ', '')}-{style.replace(' ', '')}"
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    legacy_style = style if style in ("Regular", "Italic", "Bold", "Bold Italic") else "Regular"
    legacy_family = family if legacy_style == style else f"{family} {style}"
    for name_id, value in ((1, legacy_family), (2, legacy_style), (3, f"{postscript};derived from {origin}"),
                           (4, f"{family} {style}"), (6, postscript), (16, family), (17, style)):
        names.setName(value, name_id, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        for attribute, value in (("FullName", f"{family} {style}"), ("FamilyName", family)):
            if hasattr(top, attribute):
                setattr(top, attribute, value)


def main(charis_dir: str, inter_dir: str) -> None:
    for kind, (family, faces) in FACES.items():
        source_dir = Path(charis_dir if kind == "serif" else inter_dir)
        for file_name, style in faces:
            options = subset.Options()
            options.layout_features = FEATURES
            options.name_IDs = ["*"]
            options.name_languages = ["*"]
            options.notdef_outline = True
            options.glyph_names = False
            font = TTFont(source_dir / file_name)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=UNICODES)
            subsetter.subset(font)
            rename(font, family, style, file_name)
            suffix = Path(file_name).suffix
            target = OUT / f"{family.replace(' ', '')}-{style.replace(' ', '')}{suffix}"
            font.save(target)
            print(f"{target.name}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(*sys.argv[1:3])
