"""Outputs -> disk: each file, or each set of files, written whole or not at all, the previous one kept on failure."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from . import interrupt
from .errors import DataError, Problem


def write_temporary(path: Path, data: bytes) -> Path:
    """`data` in a new temporary file beside `path` (same folder, so a rename replaces `path` atomically)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def cannot_write(path: Path, error: OSError) -> DataError:
    """The one-line problem for an output that could not be written, by the system's reason."""
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
              errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
              errno.EISDIR: "it is a folder"}.get(error.errno, error.strerror or str(error))
    return DataError([Problem(str(path), f"cannot write the output: {reason}; the previous file, if any, is "
                                         "left as it was")])


def write_outputs(outputs: list[tuple[Path, bytes]]) -> None:
    """Write every output (a PDF and its HTML edition) or none: each goes to a temporary file beside
    its target first; only when all are on disk, and no SIGINT or SIGTERM is pending, are they moved into
    place. If a move fails, the files already moved are put back as they were."""
    outputs = [(Path(path), data) for path, data in outputs]
    temporaries: list[Path] = []
    replaced: list[tuple[Path, Path | None]] = []  # (target, a hard link to its previous content)
    try:
        for path, _ in outputs:
            if path.is_dir():
                raise DataError([Problem(str(path), "cannot write the output: it is a folder; name a file, or "
                                                    "remove the folder")])
        try:
            for path, data in outputs:
                path.parent.mkdir(parents=True, exist_ok=True)
                # A signal between the temporary file's creation and its entry in the list would leave it
                # behind: it waits until the file is listed (and is then raised, and the file removed).
                with interrupt.deferred():
                    temporaries.append(write_temporary(path, data))
        except OSError as error:
            raise cannot_write(path, error) from None
        interrupt.check()
        try:
            for (path, _), temporary in zip(outputs, temporaries):
                backup = None
                if len(outputs) > 1 and os.path.lexists(path):
                    backup = path.with_name(f".{path.name}.{os.getpid()}.previous")
                    backup.unlink(missing_ok=True)
                    os.link(path, backup)
                try:
                    os.replace(temporary, path)
                except BaseException:
                    if backup is not None:
                        backup.unlink(missing_ok=True)
                    raise
                replaced.append((path, backup))
        except OSError as error:
            for target, backup in reversed(replaced):  # put back what was already moved
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
            replaced.clear()
            raise cannot_write(path, error) from None
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        for _, backup in replaced:
            if backup is not None:
                backup.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` only once the new bytes are fully on disk; a failure leaves the old file."""
    write_outputs([(Path(path), data)])
