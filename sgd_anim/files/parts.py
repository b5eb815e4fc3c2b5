"""The processes that draw parts of one clip: started by fork, waited for, stopped.

A part's process is forked by the process drawing the clip, in the middle of its
render (sgd_anim/files/chunked.py), and draws its frames from there. It writes only
into the clip's work folder, which its parent removes, however the render ends. It
ignores Ctrl-C, which reaches the whole process group: its parent stops it (SIGTERM)
and waits for it on every way out, an error or an interrupt. It dies with its parent,
even by SIGKILL (cleanup.end_with). Plain os and signal: no manim.
"""

from __future__ import annotations

import os
import signal
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from sgd_anim.cleanup import end_with

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@dataclass
class Part:
    """A running process drawing part `index` of a clip."""

    index: int
    pid: int
    running: bool = True


def fork_part(index: int) -> Part | None:
    """Fork a process for part `index`: the Part in this process, None in the new one,
    which then goes on from here and must end with `exit_part`."""
    parent = os.getpid()
    # No signal reaches the new process before it has set its own handlers
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        raise
    if pid != 0:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        return Part(index, pid)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        end_with(parent)
    except BaseException:
        os._exit(1)
    return None


def exit_part(folder: Path, index: int, error: BaseException | None = None) -> NoReturn:
    """End part `index`'s process, leaving `error`'s message in `folder`, without
    running anything of its parent's (its clean-ups, its atexit)."""
    code = 0 if error is None else 1
    try:
        if error is not None:
            message = str(error) or type(error).__name__
            error_file(folder, index).write_text(message)
    finally:
        os._exit(code)


def error_file(folder: Path, index: int) -> Path:
    """Where part `index` leaves the message of its failure."""
    return folder / f"part_{index}.error"


def wait(parts: list[Part], folder: Path) -> None:
    """Wait for every part's process to exit; raise the first failure."""
    failures = []
    for part in parts:
        _, status = os.waitpid(part.pid, 0)
        part.running = False
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            message = read_error(error_file(folder, part.index))
            failures.append(message or f"its process ended with {code}")
    if failures:
        raise RuntimeError(f"a part of the clip failed: {failures[0]}")


def read_error(path: Path) -> str:
    """The message a part left, or ''."""
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def stop(parts: list[Part]) -> None:
    """Stop the parts still running (SIGTERM ends them at once) and reap them."""
    for part in parts:
        if part.running:
            with suppress(ProcessLookupError):
                os.kill(part.pid, signal.SIGTERM)
    for part in parts:
        if part.running:
            with suppress(ChildProcessError):
                os.waitpid(part.pid, 0)
            part.running = False
