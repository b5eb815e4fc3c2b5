"""Where a render writes, checked before it starts.

Each folder is proved writable by making and removing a file in it: root passes
every permission check, and /proc or /sys refuse only a real write. Each name fits
the file system's NAME_MAX together with the hidden `.NAME.PID.partial` a render
writes beside it (scenes/export.py), and the output, poster, saved and replayed
traces are distinct files, none of them a folder.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sgd_anim.echo import clipped
from sgd_anim.errors import OptionError
from sgd_anim.options import ALPHA_FORMAT_NAMES, FORMAT_NAMES

if TYPE_CHECKING:
    from sgd_anim.run_checks import Spell

RENDERS = Path("renders")  # the default output folder, made when first needed
# What the render's staged file adds to a name: "." + "." + a PID of up to 7 digits
# (Linux's pid_max is at most 4194304) + ".partial"; tests/test_outputs.py checks it.
PARTIAL_BYTES = len("..") + 7 + len(".partial")
NAME_MAX, PATH_MAX = 255, 4096  # when the file system does not say
# A file system with less than this free after a failure was what failed it: Cairo and
# Pango write their SVGs in C and report no error, so a full $TMPDIR shows up later as
# a truncated SVG ("unclosed token: line 93") that says nothing of the disk.
FULL_BYTES = 4 * 2**20


def check_alpha(fmt: str, transparent: bool) -> str:
    """`fmt`, unless transparency was asked for and it has no alpha channel."""
    if transparent and fmt not in ALPHA_FORMAT_NAMES:
        message = (
            f"{fmt} has no alpha channel; transparent output needs "
            "--format webm (VP9), mov (ProRes 4444) or png."
        )
        raise OptionError(message, "transparent")
    return fmt


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder; False for a name the system refuses even to look up."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):  # too long, a NUL byte, no such thing, ...
        return False


# What each kind of file that is not a regular one is called in a message
SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def special_kind(path: Path) -> str | None:
    """What `path` is if it exists and is not a regular file (links followed), else None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # nothing there (or a dangling link): a new file
        return None
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in SPECIAL_KINDS if test(mode)), "not a file")


def replaceable(path: Path, name: str) -> None:
    """Refuse writing `path` where something other than a regular file already is."""
    kind = special_kind(path)
    if kind is not None:
        message = (
            f"{clipped(str(path))} is {kind}, not a regular file; give a file name."
        )
        raise OptionError(message, name)


def replaceable_folder(path: Path, name: str) -> None:
    """Refuse writing the folder `path` where something other than a folder is."""
    if os.path.lexists(path) and not is_folder(path):
        kind = special_kind(path) or "a file"
        message = f"{clipped(str(path))} is {kind}; the render writes a folder there."
        raise OptionError(message, name)


def nearest_existing(folder: Path) -> Path:
    """`folder`, or the closest folder above it that exists (where it would be made)."""
    folder = Path(os.path.abspath(folder))
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def writable_folder(folder: Path, name: str) -> None:
    """Refuse a folder where no file can be made, or that cannot be made.

    A missing folder is made when the render starts (sgd_anim.request), as Manim
    makes its media folders; here the closest existing folder above it must be a
    folder and writable.
    """
    existing = nearest_existing(folder)
    if not is_folder(existing):
        what = "is a file" if os.path.lexists(existing) else "does not exist"
        message = f"cannot write to folder {clipped(str(folder))} ({clipped(str(existing))} {what})."
        raise OptionError(message, name)
    try:
        # mkstemp's random name never meets a user's file; removed at once
        handle, probe = tempfile.mkstemp(prefix=".sgd-probe-", dir=existing)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        why = error.strerror or type(error).__name__
        message = f"cannot write to folder {clipped(str(folder))} ({why.lower()})."
        raise OptionError(message, name) from None


def fitting_name(path: Path, name: str, extra: int = 0) -> None:
    """Refuse a file name (plus `extra` bytes for its temporaries) too long to create."""
    folder = nearest_existing(path.parent)
    name_max = limit(folder, "PC_NAME_MAX", NAME_MAX)
    length = len(os.fsencode(path.name)) + extra
    if length > name_max:
        most = name_max - extra
        message = (
            f"the name {clipped(path.name)} is {length - extra} bytes; at most {most} "
            f"(the file system allows {name_max}, and the render writes a temporary "
            "beside it)."
        )
        raise OptionError(message, name)
    if len(os.fsencode(os.path.abspath(path))) + extra >= limit(
        folder, "PC_PATH_MAX", PATH_MAX
    ):
        message = f"the path {clipped(str(path))} is too long for the file system."
        raise OptionError(message, name)


def limit(folder: Path, name: str, default: int) -> int:
    """The file system's `pathconf` value for `folder`, else `default`."""
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError):
        return default


def distinct_files(spell: Spell, paths: Sequence[tuple[str, Path | None]]) -> None:
    """Refuse two roles (output, poster, traces) on one file, or a role on a folder.

    `paths`: each file with the parameter that names it.
    """
    seen: dict[str, str] = {}
    for name, path in paths:
        if path is None:
            continue
        if is_folder(path):
            raise OptionError(
                f"{clipped(str(path))} is a folder; give a file name.", name
            )
        key = os.path.realpath(path)
        if key in seen:
            other = spell(seen[key])
            message = f"{clipped(str(path))} is also the {other} file; give each its own file."
            raise OptionError(message, name)
        seen[key] = name


def output_file(
    scene: str, output: Path | None, fmt: str | None, alpha: bool
) -> tuple[Path, str]:
    """The file to write and its format, from -o and --format; refuse what cannot work."""
    if output is not None and is_folder(output):
        raise OptionError(
            f"{clipped(str(output))} is a folder; give a file name.", "output"
        )
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if output is not None and suffix not in FORMAT_NAMES:
        endings = ", .".join(FORMAT_NAMES)
        raise OptionError(
            f"{clipped(str(output))} must end in one of .{endings}.", "output"
        )
    if fmt is not None and output is not None and suffix != fmt:
        raise OptionError(f"{clipped(str(output))} does not end in .{fmt}.", "output")
    fmt = check_alpha(fmt or suffix or "mp4", alpha)
    output = output or RENDERS / f"{scene}.{fmt}"
    writable_folder(output.parent, "output")
    fitting_name(output, "output", PARTIAL_BYTES)
    return output, fmt


def output_folder(folder: Path | None) -> Path:
    """The folder --scene all writes into (made when the render starts)."""
    folder = folder or RENDERS
    if os.path.lexists(folder) and not is_folder(folder):
        message = f"{clipped(str(folder))} is a file; --scene all writes into a folder."
        raise OptionError(message, "output")
    writable_folder(folder, "output")
    return folder


def deck_file(scene: str, output: Path | None) -> Path:
    """The deck's .html (its .pptx and NAME_assets/ go beside it)."""
    output = output or RENDERS / f"{'lesson' if scene == 'all' else scene}.html"
    if output.suffix != ".html":
        message = f"{clipped(str(output))} must end in .html (the .pptx is written beside it)."
        raise OptionError(message, "output")
    if is_folder(output):
        raise OptionError(
            f"{clipped(str(output))} is a folder; give a file name.", "output"
        )
    writable_folder(output.parent, "output")
    # the deck's movies go in NAME_assets/
    fitting_name(output, "output", len("_assets") - len(".html"))
    return output


@contextmanager
def no_space_named(*folders: Path) -> Iterator[None]:
    """Re-raise a failure inside as ENOSPC when one of `folders` has (almost) no room
    left, whatever the failure said."""
    try:
        yield
    except Exception as error:
        full = next((folder for folder in folders if nearly_full(folder)), None)
        if full is None or getattr(error, "errno", None) == errno.ENOSPC:
            raise
        raise OSError(errno.ENOSPC, "No space left on device", str(full)) from error


def nearly_full(folder: Path) -> bool:
    """Whether the file system holding `folder` has less than FULL_BYTES free."""
    try:
        status = os.statvfs(folder)
    except OSError:
        return False
    return status.f_bavail * status.f_frsize < FULL_BYTES
