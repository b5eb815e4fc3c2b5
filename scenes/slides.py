"""Slide decks: scenes as manim-slides Slides, converted to reveal.js HTML and PowerPoint.

A deck pauses where a lecturer talks: before training starts, at the scene's telling
step (the first overshoot, the first epoch boundary) and before the final hold. The
HTML deck loads reveal.js from a folder beside it, copied from the files the set-up
installed from npm, so it plays with no network at all.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from manim import config, tempconfig
from manim.scene.scene_file_writer import SceneFileWriter

from scenes.export import QUALITIES
from scenes.replay import ReplayScene
from scenes.theme import DARK, Palette
from sgdcore.trace import Trace

REVEAL_FOLDER = "reveal.js"  # beside the deck; the HTML refers to it relatively
# Where scripts/setup puts reveal.js (npm package reveal.js, version manim-slides expects).
INSTALLED_REVEAL = (
    Path(__file__).resolve().parent.parent / ".venv" / "share" / "reveal.js"
)


class SlidesMissing(RuntimeError):
    """manim-slides, or the reveal.js files, are not installed."""


def slide_class(scene_class: type[ReplayScene]) -> type[Any]:
    """`scene_class` as a manim-slides Slide: Manim's own file writer, pauses as slides."""
    try:
        from manim_slides.slide import Slide
    except ImportError:
        raise SlidesMissing(
            "slide decks need manim-slides: run ./scripts/setup (or pip install '.[slides]')"
        ) from None

    def pause(self: Any) -> None:
        self.wait(1 / config.frame_rate)  # every slide needs an animation of its own
        self.next_slide()

    attributes = {
        "file_writer_class": SceneFileWriter,
        "in_slides": True,
        "pause": pause,
    }
    return type(f"{scene_class.__name__}Slides", (Slide, scene_class), attributes)


def build_deck(
    scenes: list[tuple[type[ReplayScene], list[Trace], float]],
    html: Path,
    quality: str = "high",
    palette: Palette = DARK,
) -> tuple[Path, Path]:
    """Render `(scene class, traces, pace)` in order into one deck (reveal.js HTML, .pptx)."""
    from manim_slides.config import PresentationConfig
    from manim_slides.convert import PowerPoint, RevealJS
    from manim_slides.logger import logger

    logger.setLevel(logging.WARNING)  # its INFO lines would bury the two paths we print

    if not (INSTALLED_REVEAL / "dist" / "reveal.js").exists():
        raise SlidesMissing(
            f"reveal.js is not installed at {INSTALLED_REVEAL}: run ./scripts/setup"
        )
    pptx = html.with_suffix(".pptx")
    # Our PID in its name: a later run removes what a killed one left (render_cleanup)
    work = Path(tempfile.mkdtemp(prefix=f"sgd-deck-{os.getpid()}-"))
    try:
        configs = []
        for scene_class, traces, pace in scenes:
            settings = {
                "quality": QUALITIES[quality],
                "media_dir": str(work / "media"),
                "disable_caching": True,
                "verbosity": "WARNING",
                "progress_bar": "none",
            }
            with tempconfig(settings):
                slides = slide_class(scene_class)
                scene = slides(
                    *traces, output_folder=work / "slides", palette=palette, pace=pace
                )
                scene.render()
            configs.append(
                PresentationConfig.from_file(
                    work / "slides" / f"{slides.__name__}.json"
                )
            )
        # Build both files in the work folder, then move them (and their assets) into place
        staged_html = work / "deck" / html.name
        staged_html.parent.mkdir()
        theme = "white" if palette.name == "light" else "black"
        reveal = RevealJS(
            presentation_configs=configs, cdn_url=REVEAL_FOLDER, reveal_theme=theme
        )
        reveal.convert_to(staged_html)
        PowerPoint(presentation_configs=configs).convert_to(work / "deck" / pptx.name)
        shutil.copytree(INSTALLED_REVEAL, work / "deck" / REVEAL_FOLDER)
        for item in sorted((work / "deck").iterdir()):
            target = html.parent / item.name
            if target.is_dir():
                shutil.rmtree(target)
            shutil.move(str(item), str(target))
        return html, pptx
    finally:
        shutil.rmtree(work, ignore_errors=True)
