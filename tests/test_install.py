"""The installed tool: `pip install .` (not editable) gives a `policybrief` command that finds its
templates, fonts, charts and default data inside the package, and writes nothing into the installation."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow  # builds a wheel, installs it and runs the installed command

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "briefs", ".cache", "build", "*.egg-info", "__pycache__",
                                    ".pytest_cache", "tests", "bench")


def _run(*command: str, cwd: Path, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def _build_wheel(folder: Path) -> Path:
    """Build the wheel from a copy of the sources (offline: the test environment has setuptools)."""
    source = folder / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", str(folder / "dist"), str(source), cwd=folder)
    [wheel] = (folder / "dist").glob("policybrief_287g-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(run_cache) -> Path:
    """The wheel, built once a run (both tests read it; neither changes it)."""
    return run_cache.get("install: wheel", _build_wheel)


def test_wheel_carries_templates_fonts_charts_and_data_under_one_top_level_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    top_level = {name.split("/")[0] for name in names}
    assert top_level == {"policybrief", next(n for n in top_level if n.endswith(".dist-info"))}
    assert not any(name.startswith("charts/") for name in names)
    for path in ("templates/base.html.j2", "templates/council.html.j2", "templates/print.css",
                 "fonts/BriefSerif-Regular.ttf", "fonts/BriefSans-Regular.otf",
                 "charts/__init__.py", "charts/_style.py", "charts/agreements_over_time.py",
                 "data/brief.yaml", "data/sources.yaml", "data/audiences/council.yaml",
                 "data/agreements/participating.csv", "data/ice_counts/lists.csv", "ice/workbook.py", "cli.py"):
        assert f"policybrief/{path}" in names, path
    shipped = {path.relative_to(ROOT).as_posix() for folder in ("data", "templates", "fonts")
               for path in (ROOT / folder).rglob("*") if path.is_file() and path.name != "README.md"}
    missing = sorted(path for path in shipped if f"policybrief/{path}" not in names)
    assert not missing, f"files of the repository missing from the wheel: {missing}"


def test_installed_command_builds_a_brief_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                        cwd=tmp_path).stdout.strip())
    # The new environment sees this one's dependencies (offline, fast), but not the repository: a .pth
    # line adds a folder to sys.path without running that folder's own .pth files (the editable finder).
    here = dict.fromkeys((sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]))
    (purelib / "_dependencies.pth").write_text("".join(f"{path}\n" for path in here))
    _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel), cwd=tmp_path)

    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "POLICYBRIEF_CHART_CACHE", "XDG_CACHE_HOME", "VIRTUAL_ENV")}
    env.update(HOME=str(home), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    probe = _run(str(python), "-c", "import importlib.util, sys, policybrief.resources as r; "
                 "print(r.__file__); print(r.IN_CHECKOUT); print(importlib.util.find_spec('charts')); "
                 "print('\\n'.join(sys.path))", cwd=work, env=env).stdout.splitlines()
    assert probe[0].startswith(str(purelib / "policybrief")), probe
    assert probe[1:3] == ["False", "None"], probe  # not the checkout's layout; no top-level 'charts'
    assert not any(line.startswith(str(ROOT)) and not line.startswith(str(ROOT / ".venv")) for line in probe[3:]), \
        f"the repository is importable in the new environment: {probe[3:]}"

    result = _run(str(venv / "bin" / "policybrief"), "--audience", "council", "--date", "2026-12-01",
                  cwd=work, env=env)
    assert re.match(r"council: wrote briefs/council\.pdf \(\d+ pages, \d+ notes\)$", result.stdout.strip()), result.stdout
    from pypdf import PdfReader

    reader = PdfReader(work / "briefs" / "council.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    audience = yaml.safe_load((ROOT / "data" / "audiences" / "council.yaml").read_text(encoding="utf-8"))
    assert " ".join(audience["title"].split()).casefold() in text.casefold()
    assert "287(g)" in text and "Sources" in text
    fonts = {str(font.get("/BaseFont")) for page in reader.pages
             for font in (page.get("/Resources") or {}).get("/Font", {}).values()
             for font in [font.get_object()]}
    assert any("Brief-Serif" in font for font in fonts), fonts  # the packaged fonts were found and embedded
    # Charts were drawn with the packaged fonts and cached in the user's cache, not in the installation.
    assert list((home / ".cache" / "policybrief-287g" / "charts").glob("*.svg"))
    written = [path for path in venv.rglob("*") if path.suffix in (".pdf", ".svg", ".html") or path.name == ".secret"]
    assert not written, f"files written into the installation: {written}"
    # Importing ICE's list into the installed data folder would write into site-packages: refused.
    refused = subprocess.run([str(venv / "bin" / "policybrief"), "update-agreements", "participatingAgencies.xlsx"],
                             cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert refused.stderr == (f"generate.py: error: the installed tool's data folder ({purelib / 'policybrief' / 'data'}) "
                              "is part of the installation: copy it to a folder of your own and pass --data DIR\n")
