"""The editing loop (--watch): a data folder and the project's templates -> the chosen editions, rebuilt
after every change, with the data validated first and its problems reported without ending the watch.

Only a signal ends it: Ctrl-C (SIGINT) or SIGTERM reaches the caller as `Interrupted`, so the command
line exits 130 or 143 as for any other run, and a brief being built when it arrives is not replaced by an
unfinished one."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterable

from . import interrupt, resources
from .errors import DataError, UsageError

LOG = logging.getLogger(__name__)
TICK_MS = 500  # how often the wait for changes wakes to notice a signal (and, first, to start building)
OUTPUTS = (".pdf", ".html", ".docx", ".txt", ".tmp", ".previous")  # what builds write: no reason to build again
SOURCES_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".j2", ".css")  # files a build reads


def _is_input(change, path: str) -> bool:
    """Every change under the watched folders except what builds write and editors' own scratch files."""
    import watchfiles

    return Path(path).suffix.lower() not in OUTPUTS and watchfiles.DefaultFilter()(change, path)


def _named(paths: Iterable[str], folders: list[Path]) -> str:
    """The changed files as a user knows them ('data/blocks/overview.yaml'), without an editor's or a
    tool's temporary files that came and went (sed's, say)."""
    shown = []
    paths = set(paths)
    kept = {path for path in paths if Path(path).suffix.lower() in SOURCES_SUFFIXES} or paths
    for path in sorted(kept):
        for folder in folders:
            try:
                shown.append((folder.name + "/" + Path(path).relative_to(folder).as_posix()))
                break
            except ValueError:
                continue
        else:
            shown.append(Path(path).name)
    return ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")


@dataclass(frozen=True)
class WatchEvent:
    """What the watch did: 'built' (in `seconds`), 'changed' (`files`, as a user knows them, before a
    build), or 'failed' (`error`: the data's problems, or an option an edit made wrong; the previous brief
    is unchanged and the watch goes on)."""

    kind: str
    seconds: float = 0.0
    files: str = ""
    error: DataError | UsageError | None = None


def _build_once(build: Callable[[], int], on_event: Callable[[WatchEvent], None], *, first: bool) -> None:
    """One build; problems in the data are reported and the watch goes on."""
    started = time.monotonic()
    try:
        build()
    except DataError as error:
        on_event(WatchEvent("failed", error=error))
        return
    except UsageError as error:
        if first:  # a wrong option is the command's mistake, not an edit's: stop as a normal run does
            raise
        on_event(WatchEvent("failed", error=error))
        return
    on_event(WatchEvent("built", seconds=time.monotonic() - started))


def watch(build: Callable[[], int], data_dir: Path, *, on_event: Callable[[WatchEvent], None],
          files: Iterable[Path] = (), debounce_ms: int = 1600, step_ms: int = 50) -> int:
    """Run `build` once, then after every change under `data_dir` or the project's templates, or to one of
    `files` (the --local-facts file, wherever it is), until a signal arrives (raised as `Interrupted`);
    `on_event` hears what happened."""
    import watchfiles

    folders = [Path(data_dir).resolve(), resources.TEMPLATE_DIR.resolve()]
    missing = [folder for folder in folders if not folder.is_dir()]
    if missing:
        raise UsageError(f"--watch: no such folder: {missing[0]}")
    # A file outside the watched folders is watched through its folder (an editor saves by replacing the
    # file, which a watch on the file itself would lose), and only that file's changes count there.
    extra = {Path(file).resolve() for file in files}
    outside = {file for file in extra if not any(file.is_relative_to(folder) for folder in folders)}
    parents = sorted({file.parent for file in outside})

    def is_input(change, path: str) -> bool:
        if any(Path(path).is_relative_to(folder) for folder in folders):
            return _is_input(change, path)
        return Path(path) in outside

    built = False
    try:
        # The watcher starts before the first build, so a file saved while that build runs is not missed;
        # it wakes every TICK_MS with no change (an empty set) to notice signals.
        for changes in watchfiles.watch(*folders, *parents, watch_filter=is_input, debounce=debounce_ms,
                                        step=step_ms, rust_timeout=TICK_MS, yield_on_timeout=True,
                                        raise_interrupt=True):
            interrupt.check()
            if not built:
                built = True
                LOG.info("watching %s", ", ".join(str(folder) for folder in folders))
                _build_once(build, on_event, first=True)
                continue
            if not changes:
                continue
            on_event(WatchEvent("changed", files=_named((path for _, path in changes), folders)))
            _build_once(build, on_event, first=False)
    except KeyboardInterrupt:  # watchfiles noticed the signal our handler recorded
        pass
    interrupt.check()  # the signal that ended the watch: Interrupted, exit 130 or 143
    return 0
