"""The lecture player: one self-contained HTML file that plays a clip and knows its steps.

Each run is rendered to an mp4 (sgd_anim.files.export), and while its scene is still
at hand the plan's frames (step_frames.py) and the numbers its readouts show at each
step (shown_steps.py) are taken from it. The page is the package's template
(player/player.html, with its CSS and script beside it) filled with one JSON value
that holds everything: the clips (base64), the frame where each step and beat
starts, the captions and the numbers. It loads nothing else, so it plays from disk
with the network off, and the same runs give the same bytes.

Several runs (`--vary lr=...`) render in parallel, `jobs` at a time, each in its own
process: Manim's configuration is global to a process.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from scenes.replay import ReplayScene
from scenes.theme import Palette
from sgd_anim.cleanup import move_into_place, unused_folder
from sgd_anim.files.captions import CAPTION_TRACK
from sgd_anim.files.export import VideoInfo, render_scene, staged_path
from sgd_anim.files.shown_steps import shown_columns
from sgd_anim.files.step_frames import (
    Chapter,
    chapter_name,
    chapters,
    step_frames,
)
from sgdcore.trace import Trace

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "player" / "player.html"
STYLE = HERE / "player" / "player.css"
SCRIPT = HERE / "player" / "player.js"
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class PlayerRun:
    """One run of the player: its label and the traces its scene replays."""

    label: str
    traces: tuple[Trace, ...]


@dataclass(frozen=True)
class RenderedRun:
    """One run rendered: its clip's bytes and what the page needs to know of it."""

    video: bytes
    info: VideoInfo
    heading: str
    page: dict[str, Any]


def build_player(
    scene_name: str,
    runs: Sequence[PlayerRun],
    output: Path,
    quality: str,
    palette: Palette,
    pace: float,
    jobs: int = 1,
    vary: str | None = None,
    progress: bool = False,
) -> VideoInfo:
    """Render each run and write the player to `output`; the first run's VideoInfo.

    `vary`: the name of the setting the runs differ in (shown beside the run slider).
    The old file survives any failure.
    """
    tasks = [(scene_name, run.traces, quality, palette, pace) for run in runs]
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(min(jobs, len(tasks)), get_context("spawn")) as pool:
            rendered = list(pool.map(render_run, *zip(*tasks, strict=True)))
    else:
        rendered = [render_run(*task, progress=progress) for task in tasks]
    data = page_data(rendered, [run.label for run in runs], vary)
    text = page_html(rendered[0].heading, palette, data)
    staged = staged_path(output)
    try:
        staged.write_bytes(text.encode("utf-8"))
        move_into_place(staged, output)
    finally:
        staged.unlink(missing_ok=True)
    return rendered[0].info


def render_run(
    scene_name: str,
    traces: tuple[Trace, ...],
    quality: str,
    palette: Palette,
    pace: float,
    progress: bool = False,
) -> RenderedRun:
    """Render one run to an mp4 and read its steps, beats and numbers off its scene."""
    from sgd_anim.registry import SCENES

    found: dict[str, Any] = {}

    def read_scene(scene: ReplayScene) -> None:
        assert scene.schedule is not None  # replay() planned it
        found["schedule"], found["heading"] = scene.schedule, scene.heading
        found["columns"] = shown_columns(scene)

    # the renders' own prefix: a later run sweeps what a killed one left
    folder = unused_folder("render")
    video = folder / "run.mp4"
    try:
        folder.mkdir(mode=0o700)
        info = render_scene(
            SCENES[scene_name].scene_class(),
            list(traces),
            video,
            quality,
            progress=progress,
            palette=palette,
            pace=pace,
            inspect=read_scene,
        )
        clip = video.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    schedule = found["schedule"]
    beats = chapters(schedule)
    page = {
        "frames": info.frames,
        "steps": len(step_frames(schedule)) - 1,
        "stepFrames": step_frames(schedule),
        "chapters": [
            {
                "frame": beat.frame,
                "name": chapter_label(beat),
                "sentence": beat.sentence,
                "caption": beat.caption,
            }
            for beat in beats
        ],
        "cues": [[round(a, 3), round(b, 3), text] for a, b, text in schedule.cues()],
        "columns": [
            {
                "title": column.title,
                "rows": [{"name": r.name, "texts": r.texts} for r in column.rows],
            }
            for column in found["columns"]
        ],
    }
    return RenderedRun(clip, info, found["heading"], page)


def chapter_label(chapter: Chapter) -> str:
    """A beat as the list of beats names it: where it is, then its sentence (once)."""
    where = chapter_name(chapter)
    if chapter.sentence.lower().startswith(where.lower()):
        return chapter.sentence
    return f"{where}: {chapter.sentence}"


def page_data(
    rendered: Sequence[RenderedRun], labels: Sequence[str], vary: str | None
) -> dict[str, Any]:
    """The page's one JSON value: every run, its clip, frames, beats and numbers."""
    first = rendered[0].info
    return {
        "title": rendered[0].heading,
        "fps": first.fps,
        "width": first.width,
        "height": first.height,
        "vary": {"name": vary, "title": SETTING_TITLES.get(vary, vary)}
        if vary
        else None,
        "runs": [
            {
                "label": label,
                **run.page,
                "video": base64.b64encode(run.video).decode("ascii"),
            }
            for run, label in zip(rendered, labels, strict=True)
        ],
    }


# How the run slider names the setting it moves
SETTING_TITLES = {
    "lr": "learning rate",
    "steps": "steps",
    "start": "start",
    "seed": "seed",
    "n": "points",
    "batch_size": "batch size",
    "epochs": "epochs",
    "degree": "degree",
    "weight_decay": "weight decay",
    "valid_fraction": "held out",
}


def page_html(title: str, palette: Palette, data: dict[str, Any]) -> str:
    """The template filled in: title, colours, style, scripts and the JSON value."""
    # "<" written as its escape: no text inside the JSON can end the <script>
    json_text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    values = {
        "title": escape_text(title),
        "background": palette.background,
        "ink": palette.ink,
        "muted": palette.muted,
        "grid": palette.grid,
        "accent": palette.data,
        "css": STYLE.read_text(encoding="utf-8"),
        "captions_script": CAPTION_TRACK.read_text(encoding="utf-8"),
        "script": SCRIPT.read_text(encoding="utf-8"),
        "data": json_text.replace("<", "\\u003c"),
    }
    return fill(TEMPLATE.read_text(encoding="utf-8"), values)


def fill(template: str, values: dict[str, str]) -> str:
    """`{{name}}` replaced by `values[name]` in one pass; a name not given raises."""
    missing = set(PLACEHOLDER.findall(template)) - set(values)
    if missing:
        raise KeyError(f"the player template needs {sorted(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def escape_text(text: str) -> str:
    """`text` safe inside an HTML element."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
