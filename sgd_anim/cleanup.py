"""Clean-up on every way out: SIGTERM as Ctrl-C, and what killed runs left behind.

A child of --scene all ends when its parent does, however the parent ends, and never
moves a file into place after it (end_with_parent, move_into_place); so does a process
drawing a part of a clip (end_with, sgd_anim/files/parts.py).

A render works in `$TMPDIR/sgd-render-PID-XXXXXXXX` (a deck in `sgd-deck-PID-...`)
and stages its file as `.NAME.PID.partial` beside the output (scenes/export.py,
scenes/slides.py); both go when it ends, however it ends, except by SIGKILL or a
power cut. So each run first sweeps what such a run left: a folder or a staged file
is stale when the process named in it is gone and it is older than STALE_SECONDS
(a second guard, should a PID be read from a folder another machine shares). Only
our own user's entries are touched, and nothing else in those folders.
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

STALE_SECONDS = 60.0
TEMP_FOLDER = re.compile(r"sgd-(?:render|deck|frame)-([0-9]{1,7})-[^/]+")
# A staged video, poster, caption or saved trace: .NAME.mp4.1234.partial
STAGED_FILE = re.compile(
    r"\..+\.(?:mp4|webm|mov|gif|png|vtt|srt|npz)\.([0-9]{1,7})\.partial"
)


def unused_folder(kind: str) -> Path:
    """A temporary folder's path, not made yet: `$TMPDIR/sgd-KIND-PID-XXXXXXXX`.

    Make it (`mkdir(mode=0o700)`) first thing inside the `try` whose `finally`
    removes it: a signal that came between `tempfile.mkdtemp` and its `try` left the
    folder behind, as nothing named it yet. Our PID in the name keeps every other
    live process off it."""
    while True:
        name = f"sgd-{kind}-{os.getpid()}-{secrets.token_hex(4)}"
        path = Path(tempfile.gettempdir()) / name
        if not path.exists():  # one a killed process of our PID left
            return path


def process_gone(pid: int) -> bool:
    """Whether no process `pid` exists (one of another user's still counts)."""
    if pid <= 0:  # os.kill(0) would signal our own process group
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def stale_entries(folder: Path, pattern: re.Pattern[str]) -> Iterator[Path]:
    """Entries of `folder` matching `pattern` whose process is gone, ours and old."""
    now, uid = time.time(), os.getuid()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or not process_gone(int(match[1])):
            continue
        path = folder / name
        with suppress(OSError):
            status = path.lstat()
            if status.st_uid == uid and now - status.st_mtime > STALE_SECONDS:
                yield path


def sweep_leftovers(*output_folders: Path) -> None:
    """Remove what killed runs left: temporary folders, and files staged beside outputs."""
    for path in stale_entries(Path(tempfile.gettempdir()), TEMP_FOLDER):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
    for folder in dict.fromkeys(output_folders):  # each folder once, in order
        for path in stale_entries(folder, STAGED_FILE):
            if path.is_file() and not path.is_symlink():
                with suppress(OSError):
                    path.unlink()


# Set by the first SIGTERM or Ctrl-C: process-wide, as a signal's disposition is. The
# KeyboardInterrupt the handler raises can be lost: raised inside a __del__ (tqdm's
# progress bar has one) it is printed and ignored, and the render would go on to the
# end. So what matters checks this too (stop_if_interrupted).
INTERRUPTED = threading.Event()


def interrupt(_signum: int, _frame: FrameType | None) -> None:
    """Turn SIGTERM (and Ctrl-C) into KeyboardInterrupt, so clean-up runs as for Ctrl-C."""
    # Once: a second signal must not cut the clean-up short (SIGKILL still can). Ctrl-C
    # reaches a whole process group, so a --scene all child gets SIGINT and then its
    # parent's SIGTERM while it is still removing its files.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_IGN)
    INTERRUPTED.set()
    raise KeyboardInterrupt


def stop_if_interrupted() -> None:
    """Raise KeyboardInterrupt if a signal came, even if its own was swallowed: called
    between scenes and before a file moves into place."""
    if INTERRUPTED.is_set():
        raise KeyboardInterrupt


def default_handlers_in_child() -> None:
    """A forked child (a deck's worker pool, say) ends on SIGTERM and Ctrl-C as
    processes do: the handler above is for the process that set it, whose clean-up it
    runs."""
    if signal.getsignal(signal.SIGTERM) in (interrupt, signal.SIG_IGN):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if signal.getsignal(signal.SIGINT) is interrupt:
        signal.signal(signal.SIGINT, signal.default_int_handler)


os.register_at_fork(after_in_child=default_handlers_in_child)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises KeyboardInterrupt, as Ctrl-C does, and the first of
    either makes the process deaf to both; the old handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a test runner's thread, say)
        return
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, interrupt)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        # (a SIGINT ignored, as under nohup, stays ignored)
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, interrupt)
    INTERRUPTED.clear()
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        interrupted = INTERRUPTED.is_set()
        INTERRUPTED.clear()
    if interrupted:  # the body ran to its end through a swallowed interrupt
        raise KeyboardInterrupt


# -- a child render and its parent ------------------------------------------------------

PARENT_VARIABLE = "SGD_ANIM_PARENT"  # the PID of the --scene all that started a child
PR_SET_PDEATHSIG = 1  # prctl(2)


def end_with_parent() -> None:
    """In a child of --scene all: be sent SIGTERM when the parent dies, however it dies
    (SIGKILL included), and stop at once if it has died already."""
    expected = os.environ.get(PARENT_VARIABLE)
    if expected is not None:
        end_with(int(expected))


def end_with(parent: int) -> None:
    """In a child process of `parent`: be sent SIGTERM when it dies, however it dies,
    and raise KeyboardInterrupt if it has died already."""
    with suppress(OSError, AttributeError):  # Linux only; elsewhere the check below
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # died before the prctl: no signal will come
        raise KeyboardInterrupt


def orphaned() -> bool:
    """Whether this is a --scene all child whose parent has gone (it was re-parented)."""
    expected = os.environ.get(PARENT_VARIABLE)
    return expected is not None and str(os.getppid()) != expected


def move_into_place(staged: Path, target: Path) -> None:
    """`os.replace(staged, target)`, unless this child's parent has died or a signal
    came: a run nobody waits for any more must not replace a file."""
    if orphaned():
        raise KeyboardInterrupt
    stop_if_interrupted()
    os.replace(staged, target)
