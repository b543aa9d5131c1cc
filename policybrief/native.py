"""Import WeasyPrint without the processes its library look-up starts, and without modules it never uses.

WeasyPrint opens Pango, HarfBuzz and Fontconfig through cffi, trying several names per library
(`libpango-1.0-0`, `pango-1.0`, ..., `libpango-1.0.so.0`). Each name the dynamic loader does not know
goes to `ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then `gcc` and `ld` — about 54
processes per import, a third of it. Every one of those names stands for a library whose soname is
fixed by its ABI (`libpango-1.0.so.0`), which `find_library` would have answered anyway (on Linux it
returns the soname, never a path), so while WeasyPrint imports, a known library's name is answered with
its soname directly; any other name still goes to `find_library`. On macOS and Windows `find_library`
searches in-process and is left alone.

`fontTools.subset` (imported by WeasyPrint's font writer for its fallback when HarfBuzz's subsetter is
missing) is loaded lazily: it costs nothing until something uses it.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from contextlib import contextmanager

# The libraries WeasyPrint opens, by the stem `library_stem` makes of any name it tries, and their sonames.
SONAMES = {
    "gobject-2.0": "libgobject-2.0.so.0",
    "pango-1.0": "libpango-1.0.so.0",
    "pangoft2-1.0": "libpangoft2-1.0.so.0",
    "harfbuzz": "libharfbuzz.so.0",
    "harfbuzz-subset": "libharfbuzz-subset.so.0",
    "harfbuzz-vector": "libharfbuzz-vector.so.0",
    "fontconfig": "libfontconfig.so.1",
}
LAZY_MODULES = ("fontTools.subset",)


def library_stem(name: str) -> str:
    """'libpango-1.0-0', 'pango-1.0-0', 'pango-1.0', 'libpango-1.0.so.0', 'libpango-1.0.dylib' -> 'pango-1.0';
    'libharfbuzz.0.dylib', 'harfbuzz-0.0' -> 'harfbuzz'."""
    name = re.sub(r"\.(?:so(?:\.\d+)*|dylib|dll)$", "", name.rsplit("/", 1)[-1])
    name = re.sub(r"^(.*-\d+\.\d+|[^.]*[^.\d])\.\d+$", r"\1", name)  # a macOS version: libharfbuzz.0
    name = name[3:] if name.startswith("lib") else name
    return re.sub(r"-(?:\d|0\.0)$", "", name)


@contextmanager
def sonames_for_known_libraries():
    """While the block runs (on Linux), `ctypes.util.find_library` answers WeasyPrint's libraries by
    soname, without starting a process; other names go to the real look-up."""
    import ctypes.util

    if not sys.platform.startswith("linux"):
        yield
        return
    real = ctypes.util.find_library

    def find_library(name):
        soname = SONAMES.get(library_stem(name))
        return soname if soname is not None else real(name)

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = real


def defer_unused_modules() -> None:
    """Register `LAZY_MODULES` so that importing one runs its code only when an attribute is first used."""
    for name in LAZY_MODULES:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            continue
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


def import_weasyprint():
    """`import weasyprint`, without compiler processes and without loading what it does not use."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    defer_unused_modules()
    with sonames_for_known_libraries():
        import weasyprint
    return weasyprint
