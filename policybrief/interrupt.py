"""SIGINT and SIGTERM as an exception the pipeline can clean up after, and a flag it can check.

WeasyPrint catches BaseException while it draws an SVG image, so an interrupt raised there is swallowed;
the flag set by the handler survives, and `check()` (called after rendering and before any output
replaces a previous one) raises it again. Only the first signal raises: a second one during the clean-up
is remembered but does not interrupt the clean-up itself.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Callable

from .errors import Interrupted

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state = {"pending": None, "raised": False, "in_job": True, "on_idle": None}


def pending() -> int | None:
    """The number of the signal that arrived, if any."""
    return _state["pending"]


def check() -> None:
    """Raise `Interrupted` if a signal arrived (even one whose exception something swallowed)."""
    if _state["pending"] is not None:
        raise Interrupted(_state["pending"])


def _handler(signum, frame) -> None:
    first = _state["pending"] is None
    if first:
        _state["pending"] = signum
    if not _state["in_job"]:
        on_idle: Callable[[int], None] | None = _state["on_idle"]
        if on_idle is not None:
            on_idle(signum)
        return
    if first and not _state["raised"]:
        _state["raised"] = True
        raise Interrupted(signum)


def _unraisable_hook(default):
    """An `Interrupted` raised where Python cannot propagate it (a weakref callback, a __del__) is not
    printed: the flag it came from is still set, and the next `check()` raises it where it can be handled."""
    def hook(unraisable) -> None:
        if not isinstance(unraisable.exc_value, Interrupted):
            default(unraisable)
    hook.keeps_interrupts = True
    return hook


def install(*, worker: bool = False, on_idle: Callable[[int], None] | None = None) -> Callable[[], None]:
    """Route SIGINT and SIGTERM through `_handler`; returns a function that restores the old handlers.

    In a worker process (`worker`), a signal that arrives between jobs calls `on_idle` (which should
    clean up and exit) instead of raising into the pool's own machinery."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    _state.update(pending=None, raised=False, in_job=not worker, on_idle=on_idle)
    if not getattr(sys.unraisablehook, "keeps_interrupts", False):
        sys.unraisablehook = _unraisable_hook(sys.unraisablehook)
    previous = {number: signal.getsignal(number) for number in SIGNALS}
    for number in SIGNALS:
        signal.signal(number, _handler)

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        _state.update(pending=None, raised=False, in_job=True, on_idle=None)

    return restore


@contextmanager
def polled(on_signal: Callable[[int], None] | None = None):
    """Inside this block a signal sets the flag and calls `on_signal` (which must not raise), and the
    block's own loop calls `check()`. For the parent's wait on its workers: raising from the handler there
    lands in whatever runs at that instant (a weakref callback of the pool, say), where Python prints the
    exception and carries on."""
    saved = _state["in_job"], _state["on_idle"]
    _state.update(in_job=False, on_idle=on_signal)
    try:
        yield
    finally:
        _state.update(in_job=saved[0], on_idle=saved[1])


@contextmanager
def deferred():
    """Hold SIGINT and SIGTERM back until the block ends (they are delivered then). For steps that
    start subprocesses or temporary files a signal could orphan, such as the first import of
    WeasyPrint (ctypes runs the compiler to find libraries) or drawing a chart."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def job():
    """In a worker: signals raise `Interrupted` inside this block, and call `on_idle` outside it."""
    _state["in_job"] = True
    try:
        check()
        yield
        check()
    finally:
        _state["in_job"] = False


def exit_now(signum: int) -> None:
    """Leave a worker process at once with the conventional status (128 + signal)."""
    os._exit(128 + signum)
