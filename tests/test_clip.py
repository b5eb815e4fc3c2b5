"""A rendered clip in Jupyter: embedded up to 2 MiB, else played from its file."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import av
import numpy as np
import pytest
from PIL import Image

from sgd_anim.clip import EMBED_BYTES, Clip


@pytest.fixture(autouse=True)
def from_tmp_path(in_tmp_path: Path) -> Path:
    """Run every call from an empty folder: the kernel's folder, for relative paths."""
    return in_tmp_path


class Elements(HTMLParser):
    """Each start tag of a piece of HTML, with its attributes, in order."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def write_mp4(path: Path, n_frames: int, width: int = 64, height: int = 48) -> Path:
    """A real H.264 clip; noise frames, losslessly coded, make a large one quickly."""
    rng = np.random.default_rng(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "qp": "0"}
        for _ in range(n_frames):
            pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def write_png(path: Path) -> Path:
    """A real 8 x 6 PNG."""
    Image.new("RGB", (8, 6), "teal").save(path)
    return path


def decoded_frames(path: Path) -> int:
    """How many frames the video at `path` decodes to."""
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def clip_of(path: Path, fmt: str, poster: Path | None = None) -> Clip:
    """A Clip of the file at `path`, no render needed."""
    return Clip(path, "fit_line", fmt, 854, 480, 90, "h264", [], poster=poster)


def test_small_video_embeds_as_a_playing_video_with_its_poster() -> None:
    video = write_mp4(Path("clip.mp4"), 15)
    still = write_png(Path("clip.png"))
    markup = clip_of(video, "mp4", still)._repr_html_()
    (tag, attrs), (inner, source) = Elements(markup).tags
    assert (tag, inner, source["type"]) == ("video", "source", "video/mp4")
    assert "controls" in attrs and "src" not in attrs
    assert attrs["poster"] == "data:image/png;base64," + b64(still)
    # The embedded bytes are the clip itself, and play
    assert source["src"] == "data:video/mp4;base64," + b64(video)
    Path("embedded.mp4").write_bytes(base64.b64decode(source["src"].split(",")[1]))
    assert decoded_frames(Path("embedded.mp4")) == 15


def test_still_embeds_as_an_image() -> None:
    still = write_png(Path("still.png"))
    ((tag, attrs),) = Elements(clip_of(still, "png")._repr_html_()).tags
    assert (tag, attrs["src"]) == ("img", "data:image/png;base64," + b64(still))


def test_large_video_plays_from_its_file_with_a_link_inside() -> None:
    video = write_mp4(Path("big.mp4"), 24, 320, 240)
    assert video.stat().st_size > EMBED_BYTES
    still = write_png(Path("big.png"))
    markup = clip_of(video, "mp4", still)._repr_html_()
    assert "base64," + b64(video)[:100] not in markup
    (tag, attrs), (inner, link) = Elements(markup).tags
    assert (tag, attrs["src"], "controls" in attrs) == ("video", "big.mp4", True)
    assert attrs["poster"] == "data:image/png;base64," + b64(still)
    # The link is what a browser without <video> shows instead
    assert (inner, link["href"]) == ("a", "big.mp4")
    assert markup.endswith("</a></video>")
    assert decoded_frames(Path(attrs["src"])) == 24


def test_large_video_src_is_relative_to_the_kernel_folder_and_quoted(
    in_tmp_path: Path,
) -> None:
    video = write_mp4(in_tmp_path / "my clips" / "big #1.mp4", 24, 320, 240)
    ((tag, attrs), _) = Elements(clip_of(video, "mp4")._repr_html_()).tags
    assert (tag, attrs["src"]) == ("video", "my%20clips/big%20%231.mp4")
    assert Path(unquote(attrs["src"])).resolve() == video.resolve()
    assert "poster" not in attrs


def test_large_gif_shows_from_its_file() -> None:
    Path("big.gif").write_bytes(bytes(EMBED_BYTES + 1))
    ((tag, attrs),) = Elements(clip_of(Path("big.gif"), "gif")._repr_html_()).tags
    assert (tag, attrs["src"]) == ("img", "big.gif")


def test_prores_plays_in_no_browser_so_is_a_link_with_its_poster() -> None:
    Path("edit.mov").write_bytes(b"mov")
    still = write_png(Path("edit.png"))
    markup = clip_of(Path("edit.mov"), "mov", still)._repr_html_()
    (link, link_attrs), (_, _), (image, image_attrs) = Elements(markup).tags
    assert (link, link_attrs["href"]) == ("a", "edit.mov")
    assert (image, image_attrs["src"]) == ("img", "data:image/png;base64," + b64(still))
    assert "<video" not in markup


def b64(path: Path) -> str:
    """The file's bytes in base64, as a data URL holds them."""
    return base64.b64encode(path.read_bytes()).decode("ascii")
