"""A rendered clip: where it is, what it holds, and how it shows itself in Jupyter."""

from __future__ import annotations

import base64
import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sgdcore.trace import Trace

# Jupyter's server drops output past 1 MB/s over a 3 s window (iopub_data_rate_limit),
# and base64 adds a third: a clip up to 2 MiB embeds; a larger one plays from its file.
EMBED_BYTES = 2 * 2**20
MIME_TYPES = {
    "mp4": "video/mp4",
    "webm": "video/webm",
    "gif": "image/gif",
    "png": "image/png",
}  # mov (ProRes) plays in no browser: it is always a link
# A player shows its video at most this tall in a notebook, with its controls and
# numbers (about 16 lines of text) below it
PLAYER_VIDEO_HEIGHT = 480
PLAYER_CONTROLS_HEIGHT = 280


@dataclass(frozen=True)
class Clip:
    """A finished render: its file, size, frames, and the runs it shows."""

    path: Path
    scene: str
    fmt: str  # mp4, webm, mov, gif, png or html (the lecture player)
    width: int
    height: int
    frames: int  # 1 for a png
    codec: str
    traces: list[Trace] = field(repr=False)
    poster: Path | None = None  # the last frame as a PNG, when asked for
    captions: list[Path] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.width, self.height

    @property
    def trace(self) -> Trace:
        """The first (for most scenes the only) run shown."""
        return self.traces[0]

    def summary(self) -> str:
        """What render.py prints: the file, its size and frames, then the extra files."""
        frames = f", {self.frames} frames" if self.fmt != "png" else ""
        extra = [self.poster] if self.poster else []
        first = f"{self.path}  ({self.width}x{self.height}{frames}, {self.codec})"
        return "\n".join([first, *map(str, extra + self.captions)])

    def _repr_html_(self) -> str:
        """Jupyter's view: the clip embedded when small, else played from its file."""
        if self.fmt == "html":
            return self.player_html()
        mime = MIME_TYPES.get(self.fmt)
        if mime is None:
            return self.link_html()
        small = self.path.stat().st_size <= EMBED_BYTES
        source = data_url(self.path, mime) if small else file_url(self.path)
        if self.fmt in ("gif", "png"):
            return f'<img src="{source}" alt="{self.scene}" width="{self.width}">'
        poster = self.poster_attribute()
        if small:
            return (
                f'<video controls width="{self.width}"{poster} '
                f'title="{self.scene}"><source src="{source}" type="{mime}"></video>'
            )
        # Too large to embed: the page loads the file, as Manim's %%manim does
        return (
            f'<video src="{source}" controls width="{self.width}"{poster} '
            f'title="{self.scene}">{self.link()}</video>'
        )

    def player_html(self) -> str:
        """The player in a frame: the page itself when small, else from its file."""
        height = min(self.height, PLAYER_VIDEO_HEIGHT) + PLAYER_CONTROLS_HEIGHT
        title = html.escape(f"{self.scene}: lecture player", quote=True)
        frame = f'<iframe title="{title}" width="100%" height="{height}" '
        frame += 'style="border: 0" allow="fullscreen"'
        if self.path.stat().st_size <= EMBED_BYTES:
            page = self.path.read_text(encoding="utf-8")
            return f'{frame} srcdoc="{html.escape(page, quote=True)}"></iframe>'
        # Too large to embed: the notebook's server sends the file
        return f'{frame} src="{file_url(self.path)}"></iframe><br>{self.link()}'

    def poster_attribute(self) -> str:
        """The video's poster attribute: embedded when small, else from its file."""
        poster = self.poster
        if poster is None:
            return ""
        if poster.stat().st_size <= EMBED_BYTES:
            return f' poster="{data_url(poster, "image/png")}"'
        return f' poster="{file_url(poster)}"'

    def link(self) -> str:
        """A link to the file, with its name and size."""
        mib = self.path.stat().st_size / 2**20
        text = html.escape(f"{self.scene}: {self.path} ({mib:.1f} MiB)")
        return f'<a href="{file_url(self.path)}">{text}</a>'

    def link_html(self) -> str:
        """The link, and the poster frame if any, for a file no browser plays."""
        poster = self.poster
        if poster is None:
            return self.link()
        small = poster.stat().st_size <= EMBED_BYTES
        source = data_url(poster, "image/png") if small else file_url(poster)
        return f'{self.link()}<br><img src="{source}">'


def data_url(path: Path, mime: str) -> str:
    """The file as a `data:` URL (Colab plays only what the notebook embeds)."""
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def file_url(path: Path) -> str:
    """The file's URL from the kernel's folder (the notebook's), quoted for HTML."""
    try:
        relative = Path(os.path.relpath(path)) if path.is_absolute() else path
    except ValueError:  # on another Windows drive: no relative path exists
        relative = path
    return html.escape(quote(relative.as_posix()), quote=True)
