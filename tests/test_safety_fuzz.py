"""A seeded fuzz test: every field of every data file, replaced by values of the wrong type.

Each mutation must end in exit 1 with one located line per problem (never a traceback), or load and
render cleanly when the value happens to be acceptable."""

from __future__ import annotations

import io
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from policybrief.cli import main
from policybrief.errors import DataError, UsageError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
SEED = 287
PROBLEM_LINE = re.compile(r"^minimal/[\w/.-]+\.yaml(:\d+)?: .+$")
WRONG = [5, -1, 0, 3.5, float("inf"), float("nan"), 10 ** 400, True, None, "", "x" * 500, [], [1, "a"], {},
         {"a": [1, {"b": None}]}, "[@nowhere]", "{fig:nowhere}", "2025-02-30", "**bold** ![i](http://x/y.png)",
         "a\u200bb", "<script>x</script>", ["overview", ["nested"]], {"min": "a", "max": [1]}]


def paths_of(value, prefix=()):
    """Every key path into a YAML document (mapping keys and list indexes), parents first."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_of(item, prefix + (index,))


def replaced(document, path, new):
    if not path:
        return new
    copy = yaml.safe_load(yaml.safe_dump(document))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return copy


def mutations():
    rng = random.Random(SEED)
    cases = []
    for file in sorted(FIXTURE.rglob("*.yaml")):
        document = yaml.safe_load(file.read_text())
        for path in paths_of(document):
            for value in rng.sample(WRONG, 2):
                cases.append((file.relative_to(FIXTURE).as_posix(), path, value))
    return cases


CASES = mutations()


def dump(value) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=1000)
    # PyYAML cannot write integers beyond 64 bits on purpose-free round trips: keep the 400 digits.
    return text


@pytest.mark.parametrize("chunk", range(8))
@pytest.mark.slow
def test_wrong_types_anywhere_are_one_line_problems(tmp_path, chunk, monkeypatch):
    monkeypatch.setenv("POLICYBRIEF_CHART_CACHE", str(tmp_path / "cache"))
    checked = 0
    for index, (name, path, value) in enumerate(CASES):
        if index % 8 != chunk:
            continue
        data = tmp_path / f"case{index}" / "minimal"
        shutil.copytree(FIXTURE, data)
        document = yaml.safe_load((FIXTURE / name).read_text())
        (data / name).write_text(dump(replaced(document, path, value)))
        stdout, stderr = io.StringIO(), io.StringIO()
        code = main(["--data", str(data), "--list-audiences"], stdout=stdout, stderr=stderr)
        err = stderr.getvalue()
        where = f"{name} {'.'.join(map(str, path)) or '(whole file)'} = {value!r:.60}"
        assert "Traceback" not in err, where
        if code == 0:
            # Accepted: the edition must then render without an exception.
            from policybrief.render import BriefOptions, render_html
            from policybrief.validate import load_content

            content = load_content(data)
            for audience in content.audiences:
                try:
                    render_html(content, audience, BriefOptions())
                except (DataError, UsageError):
                    pass
        else:
            assert code == 1, (where, err)
            lines = err.splitlines()
            assert lines[-1].startswith("generate.py: ") and "problem(s) found" in lines[-1], (where, err)
            for line in lines[:-1]:
                assert PROBLEM_LINE.match(line), (where, line)
                assert len(line) <= 400, (where, line)
        checked += 1
        shutil.rmtree(data.parent)
    assert checked > 20
