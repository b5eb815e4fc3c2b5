"""Where a render writes, checked before it starts (R19, issue 12).

Each folder is proved writable by making and removing a file in it: root passes
every permission check, and /proc or /sys refuse only a real write. Each name fits
the file system's NAME_MAX together with the hidden `.NAME.PID.partial` a render
writes beside it (scenes/export.py), and the output, poster, saved and replayed
traces are distinct files, none of them a folder.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

import click

from cli_types import ALPHA_FORMAT_NAMES, FORMAT_NAMES, parameter

RENDERS = Path("renders")  # the default output folder, made when first needed
# What the render's staged file adds to a name: "." + "." + a PID of up to 7 digits
# (Linux's pid_max is at most 4194304) + ".partial"; tests/test_outputs.py checks it.
PARTIAL_BYTES = len("..") + 7 + len(".partial")
NAME_MAX, PATH_MAX = 255, 4096  # when the file system does not say


def check_alpha(ctx: click.Context, fmt: str, transparent: bool) -> str:
    """`fmt`, unless transparency was asked for and it has no alpha channel."""
    if transparent and fmt not in ALPHA_FORMAT_NAMES:
        message = (
            f"{fmt} has no alpha channel; transparent output needs "
            "--format webm (VP9), mov (ProRes 4444) or png."
        )
        raise click.BadParameter(message, ctx, parameter(ctx, "transparent"))
    return fmt


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder; False for a name the system refuses even to look up."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):  # too long, a NUL byte, no such thing, ...
        return False


def writable_folder(ctx: click.Context, folder: Path, name: str) -> None:
    """Refuse (exit 2) a folder that does not exist or where no file can be made."""
    param = parameter(ctx, name)
    if not is_folder(folder):
        raise click.BadParameter(f"cannot write to folder {folder}.", ctx, param)
    try:
        # mkstemp's random name never meets a user's file; removed at once
        handle, probe = tempfile.mkstemp(prefix=".sgd-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        why = error.strerror or type(error).__name__
        message = f"cannot write to folder {folder} ({why.lower()})."
        raise click.BadParameter(message, ctx, param) from None


def fitting_name(ctx: click.Context, path: Path, name: str, extra: int = 0) -> None:
    """Refuse a file name (plus `extra` bytes for its temporaries) too long to create."""
    folder = path.parent
    name_max = limit(folder, "PC_NAME_MAX", NAME_MAX)
    length = len(os.fsencode(path.name)) + extra
    if length > name_max:
        most = name_max - extra
        message = (
            f"the name {path.name[:24]}... is {length - extra} bytes; at most {most} "
            f"(the file system allows {name_max}, and the render writes a temporary "
            "beside it)."
        )
        raise click.BadParameter(message, ctx, parameter(ctx, name))
    if len(os.fsencode(os.path.abspath(path))) + extra >= limit(
        folder, "PC_PATH_MAX", PATH_MAX
    ):
        message = f"the path {str(path)[:24]}... is too long for the file system."
        raise click.BadParameter(message, ctx, parameter(ctx, name))


def limit(folder: Path, name: str, default: int) -> int:
    """The file system's `pathconf` value for `folder`, else `default`."""
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError):
        return default


def distinct_files(
    ctx: click.Context, paths: Sequence[tuple[str, Path | None]]
) -> None:
    """Refuse two roles (output, poster, traces) on one file, or a role on a folder.

    `paths`: each file with the parameter that names it.
    """
    seen: dict[str, str] = {}
    for name, path in paths:
        if path is None:
            continue
        if is_folder(path):
            raise click.BadParameter(
                f"{path} is a folder; give a file name.", ctx, parameter(ctx, name)
            )
        key = os.path.realpath(path)
        if key in seen:
            other = max(parameter(ctx, seen[key]).opts, key=len)
            message = f"{path} is also the {other} file; give each its own file."
            raise click.BadParameter(message, ctx, parameter(ctx, name))
        seen[key] = name


def output_file(
    ctx: click.Context, scene: str, output: Path | None, fmt: str | None, alpha: bool
) -> tuple[Path, str]:
    """The file to write and its format, from -o and --format; refuse what cannot work."""
    param = parameter(ctx, "output")
    if output is not None and is_folder(output):
        raise click.BadParameter(f"{output} is a folder; give a file name.", ctx, param)
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if output is not None and suffix not in FORMAT_NAMES:
        endings = ", .".join(FORMAT_NAMES)
        raise click.BadParameter(f"{output} must end in one of .{endings}.", ctx, param)
    if fmt is not None and output is not None and suffix != fmt:
        raise click.BadParameter(f"{output} does not end in .{fmt}.", ctx, param)
    fmt = check_alpha(ctx, fmt or suffix or "mp4", alpha)
    if output is None:
        output = RENDERS / f"{scene}.{fmt}"
        output.parent.mkdir(exist_ok=True)
    writable_folder(ctx, output.parent, "output")
    fitting_name(ctx, output, "output", PARTIAL_BYTES)
    return output, fmt


def output_folder(ctx: click.Context, folder: Path | None) -> Path:
    """The folder --scene all writes into, made if missing."""
    folder = folder or RENDERS
    param = parameter(ctx, "output")
    if os.path.lexists(folder) and not is_folder(folder):
        message = f"{folder} is a file; --scene all writes into a folder."
        raise click.BadParameter(message, ctx, param)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        why = (error.strerror or type(error).__name__).lower()
        raise click.BadParameter(f"cannot make {folder} ({why}).", ctx, param) from None
    writable_folder(ctx, folder, "output")
    return folder


def deck_file(ctx: click.Context, scene: str, output: Path | None) -> Path:
    """The deck's .html (its .pptx and NAME_assets/ go beside it)."""
    output = output or RENDERS / f"{'lesson' if scene == 'all' else scene}.html"
    if output.suffix != ".html":
        message = f"{output} must end in .html (the .pptx is written beside it)."
        raise click.BadParameter(message, ctx, parameter(ctx, "output"))
    if output.parent == RENDERS:
        output.parent.mkdir(exist_ok=True)
    writable_folder(ctx, output.parent, "output")
    # manim-slides puts the deck's movies in NAME_assets/
    fitting_name(ctx, output, "output", len("_assets") - len(".html"))
    return output
