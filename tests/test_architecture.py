"""The house's structure (docs/architecture.md): layers that point down, no cycles, no private names
across modules, special blocks from a registry and reserved block names refused."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from policybrief import model, render
from helpers import run as run_cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "policybrief"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def test_the_import_contracts_are_kept():
    """Layers point down, no import cycle (imports inside functions included), WeasyPrint in layout only.
    In a process of its own: import-linter configures logging, which would silence this process's loggers."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                           "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True))",
                           str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_every_module_sits_in_a_layer():
    """A new module must be placed in the layer contract, or it would escape it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(contract for contract in config if contract["id"] == "layers")["layers"]
    listed = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
    for name in _modules():
        if name == "policybrief":
            continue
        assert any(name == layer or name.startswith(layer + ".") for layer in listed), name


def test_no_private_name_crosses_a_module():
    """`from x import _name` and `module._name` between the package's modules: helpers two modules need
    are public in the lower one."""
    modules = _modules()
    offences = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        package_parts = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = package_parts[:len(package_parts) - node.level + 1] if node.level else []
                source = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
                if not (source or "").startswith("policybrief"):
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__") and source != name:
                        offences.append(f"{path.name}:{node.lineno}: from {source} import {alias.name}")
                    if f"{source}.{alias.name}" in modules:
                        aliases.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                aliases.update(alias.asname or alias.name for alias in node.names if alias.name.startswith("policybrief"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                offences.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert offences == []


def test_special_blocks_come_from_one_registry():
    assert set(render.SPECIAL_SECTIONS) == model.SPECIAL_BLOCKS


def test_the_renderers_own_names_are_reserved():
    """Every method of the edition builder is a reserved block name, so a data block cannot be taken for one."""
    names = {name.lstrip("_") for name in vars(render.EditionBuilder) if not name.startswith("__")}
    assert names <= model.RESERVED_BLOCK_IDS, sorted(names - model.RESERVED_BLOCK_IDS)


@pytest.mark.parametrize("name", ["section", "measure_keys", "timeline", "local_section"])
def test_a_block_named_like_an_internal_is_refused(minimal_data, tmp_path, name):
    (minimal_data / "blocks" / f"{name}.yaml").write_text(f"id: {name}\ntitle: T\ntext: A paragraph.\n")
    code, out, err = run_cli("--data", str(minimal_data), "--out", str(tmp_path / "b.pdf"), "--date", "2025-10-01")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"data/blocks/{name}.yaml:1: id: expected a block name not reserved for the brief's own parts (chart_data, "
        "key_figures, local, models_table, perspectives, sources, state_table, suggested_citation, timeline and the "
        f"renderer's names), got '{name}': rename the file and its id",
        "generate.py: 1 problem(s) found; nothing was written"]
    assert not (tmp_path / "b.pdf").exists()


def test_only_the_command_line_prints_or_exits():
    """print(), sys.stdout/sys.stderr and sys.exit appear in cli.py only: the layers below return data or
    raise errors that carry their exit status (a pool worker ended by a signal leaves through interrupt)."""
    offences = []
    for name, path in _modules().items():
        if name == "policybrief.cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offences.append(f"{path.name}:{node.lineno}: print()")
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys"
                    and node.attr in ("stdout", "stderr", "exit")):
                offences.append(f"{path.name}:{node.lineno}: sys.{node.attr}")
    assert offences == []
