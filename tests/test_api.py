"""The Python API (issue 17): the CLI's options, defaults and checks, one definition."""

from __future__ import annotations

import base64
import inspect
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import unquote

import av
import click
import numpy as np
import pytest
from PIL import Image

import sgd_anim
from sgd_anim import cli
from sgd_anim.clip import EMBED_BYTES, Clip
from sgd_anim.registry import SCENES, SceneSpec
from sgdcore.trace import Trace
from tests.conftest import assert_usage_error, invoke, parse

SUBPROCESS_TIMEOUT = 120


@pytest.fixture(autouse=True)
def from_tmp_path(in_tmp_path: Path) -> Path:
    """Run every call from an empty folder, so no `renders/` lands in the repo."""
    return in_tmp_path


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Real training, no drawing: a stand-in sgd_anim.files.export records each render."""
    calls: list[dict[str, Any]] = []

    def render_scene(*args: Any, **kwargs: Any) -> SimpleNamespace:
        calls.append(dict(zip(("scene", "traces", "output"), args, strict=False)))
        Path(args[2]).write_bytes(b"not really a video")
        return SimpleNamespace(width=854, height=480, frames=90, codec="h264")

    module = ModuleType("sgd_anim.files.export")
    module.render_scene = render_scene  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgd_anim.files.export", module)
    monkeypatch.setattr(SceneSpec, "scene_class", lambda spec: spec.name)
    return calls


# -- one definition of the options -------------------------------------------------------


def test_every_cli_option_is_a_keyword_with_the_same_default() -> None:
    keywords = inspect.signature(sgd_anim.render).parameters
    defaults = parse("--scene", "fit_line").params
    for param in cli.main.params:
        if not param.expose_value or param.name == "scene":
            continue
        name = str(param.name)
        assert name in keywords, f"{name} is not a keyword of sgd_anim.render"
        assert keywords[name].default == defaults[name], name
    assert set(keywords) == {"scene"} | {
        str(p.name) for p in cli.main.params if p.expose_value
    }


def test_train_takes_the_run_options_with_the_cli_defaults() -> None:
    keywords = inspect.signature(sgd_anim.train).parameters
    defaults = parse("--scene", "fit_line").params
    assert {"lr", "steps", "start", "seed", "n", "data"} <= set(keywords)
    for name, keyword in keywords.items():
        if name != "scene":
            assert keyword.default == defaults[name], name


@pytest.mark.parametrize(
    ("scene", "options", "argv"),
    [
        ("fit_line", {"lr": 0.3, "steps": 20}, ["--lr", "0.3", "--steps", "20"]),
        (
            "minibatch",
            {"batch_size": 4, "epochs": 2, "seed": 7, "n": 40},
            ["--batch-size", "4", "--epochs", "2", "--seed", "7", "--n", "40"],
        ),
        (
            "lr_too_low",
            {"start": (1.5,), "steps": 5},
            ["--start", "1.5", "--steps", "5"],
        ),
        ("optimizers", {"optimizers": ("gd", "adam")}, ["--optimizers", "gd,adam"]),
    ],
)
def test_api_and_cli_save_byte_identical_traces(
    scene: str, options: dict[str, Any], argv: list[str], drawn: list[dict[str, Any]]
) -> None:
    result = invoke("--scene", scene, "-o", "cli.mp4", "--save-trace", "cli.npz", *argv)
    assert result.exit_code == 0, result.output
    clip = sgd_anim.render(scene, output="api.mp4", save_trace="api.npz", **options)
    assert Path("cli.npz").read_bytes() == Path("api.npz").read_bytes()
    assert [call["output"] for call in drawn] == [Path("cli.mp4"), Path("api.mp4")]
    assert clip.traces == drawn[1]["traces"]
    assert (clip.path, clip.size, clip.frames) == (Path("api.mp4"), (854, 480), 90)
    assert result.output.strip() == clip.summary().replace("api.mp4", "cli.mp4")


def test_train_alone_is_not_held_to_a_clip_s_length() -> None:
    (trace,) = sgd_anim.train("lr_too_low", steps=20_000)  # 2.8 hours at its pace
    assert trace.n_steps == 20_000


def test_train_alone_gives_the_scene_runs() -> None:
    (trace,) = sgd_anim.train("lr_too_high")
    (builtin,) = SCENES["lr_too_high"].train()
    assert trace.equals(builtin)
    assert not list(Path().iterdir()), "train() wrote files"


# -- one exception for bad options ------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "api_words", "cli_argv", "cli_words"),
    [
        ({"lr": 0}, "'lr'", ["--lr", "0"], "'--lr'"),
        ({"seed": 3}, "lr_too_high takes no seed", ["--seed", "3"], "no --seed"),
        ({"steps": 0}, "'steps'", ["--steps", "0"], "'--steps'"),
        ({"quality": "8k"}, "'quality'", ["--quality", "8k"], "'--quality'"),
        ({"output": "a.txt"}, "'output'", ["-o", "a.txt"], "'--output'"),
    ],
)
def test_bad_option_is_one_option_error_and_the_cli_exit_2(
    options: dict[str, Any], api_words: str, cli_argv: list[str], cli_words: str
) -> None:
    with pytest.raises(sgd_anim.OptionError) as raised:
        sgd_anim.render("lr_too_high", **options)
    assert api_words in str(raised.value) and "\n" not in str(raised.value)
    assert_usage_error(invoke("--scene", "lr_too_high", *cli_argv), cli_words)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("learning_rate", "lr"), ("format", "fmt"), ("batchsize", "batch_size")],
)
def test_unknown_keyword_suggests_the_one_meant(typed: str, meant: str) -> None:
    with pytest.raises(sgd_anim.OptionError, match=f"no option '{typed}'.*'{meant}'"):
        sgd_anim.render("fit_line", **{typed: 1})


def test_render_only_options_are_not_keywords_of_train() -> None:
    with pytest.raises(sgd_anim.OptionError, match="no option 'quality'"):
        sgd_anim.train("fit_line", quality="low")


def test_every_scene_at_once_is_the_cli_s_business() -> None:
    with pytest.raises(sgd_anim.OptionError, match="--scene all"):
        sgd_anim.render("all")


def test_a_recorded_trace_that_fits_another_scene_is_refused_naming_those(
    tiny_trace: Trace,
) -> None:
    with pytest.raises(sgd_anim.OptionError, match="these runs fit fit_line"):
        sgd_anim.render("lr_compare", trace=tiny_trace)


def test_refusing_bad_options_imports_neither_torch_nor_manim() -> None:
    probe = (
        "import sys, sgd_anim\n"
        "for scene, bad in [('fit_line', {'lr': -1}), ('fit_line', {'data': 'no.csv'}),"
        " ('fit_line', {'data': ([1, 1], [2, 3])}), ('lr_too_low', {'function': 'x'})]:\n"
        "    try:\n        sgd_anim.render(scene, **bad)\n"
        "    except sgd_anim.OptionError as e:\n        print(e)\n"
        "print([m for m in ('torch', 'manim') if m in sys.modules])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 5 and "'lr'" in lines[0], completed.stdout + completed.stderr
    assert lines[-1] == "[]", completed.stdout + completed.stderr


def test_cli_errors_still_name_flags_not_keywords() -> None:
    result = invoke("--scene", "fit_line", "--batch-size", "3")
    assert_usage_error(result, "fit_line takes no --batch-size")
    assert isinstance(parse("--scene", "fit_line"), click.Context)


# -- a clip shows itself in Jupyter ------------------------------------------------------


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
