"""Slide decks: scenes cut at their beats, made into reveal.js HTML and PowerPoint.

A deck has a slide per beat of each scene (scenes/schedule.py), so it stops where a
lecturer talks. Each scene is rendered once, as a video file is, its beats written as
videos of their own (beat_videos.py); manim-slides' converters make the two decks of
them. Each slide carries its beat's sentence as speaker notes and its caption in a
band under the video (and as WebVTT beside it), the PowerPoint shows each beat's last
frame as its poster, and the HTML deck is titled after the scene. The HTML deck loads
reveal.js from a folder beside it, copied from the package's own copy (revealjs/,
beside this module), so it plays with no network at all.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any, NamedTuple
from unittest.mock import patch

import av
from PIL import Image

from scenes.replay import ReplayScene
from scenes.theme import DARK, Palette
from sgd_anim.cleanup import stop_if_interrupted, unused_folder
from sgd_anim.files.beat_videos import SceneBeats, render_beats
from sgd_anim.files.captions import CAPTION_TRACK, webvtt
from sgdcore.trace import Trace

LESSON_TITLE = "Lesson 2: stochastic gradient descent"  # a deck of several scenes
REVEAL_FOLDER = "reveal.js"  # beside the deck; the HTML refers to it relatively
# reveal.js 6.0.1 as manim-slides 5.7.0 expects it, package data: any install has it
VENDORED_REVEAL = Path(__file__).resolve().parent / "revealjs"


class SlidesMissing(RuntimeError):
    """manim-slides, or the reveal.js files, are not installed."""


class Converters(NamedTuple):
    """The manim-slides classes a deck is made with."""

    presentation: Any  # PresentationConfig: one scene's slides
    slide: Any  # SlideConfig: one slide's video and notes
    reveal_js: Any  # the HTML deck
    power_point: Any  # the .pptx


def slide_converters() -> Converters:
    """manim-slides' configs and converters, or SlidesMissing."""
    try:
        from manim_slides.config import PresentationConfig, SlideConfig
        from manim_slides.convert import PowerPoint, RevealJS
        from manim_slides.logger import logger
    except ImportError:
        raise SlidesMissing(
            "slide decks need manim-slides: run ./scripts/setup (or pip install '.[slides]')"
        ) from None
    logger.setLevel(logging.WARNING)  # its INFO lines would bury the two paths we print
    if not (VENDORED_REVEAL / "dist" / "reveal.js").exists():
        raise SlidesMissing(
            f"reveal.js is missing from this install ({VENDORED_REVEAL}): "
            "reinstall sgd-anim"
        )
    return Converters(PresentationConfig, SlideConfig, RevealJS, PowerPoint)


def presentation(converters: Converters, scene: SceneBeats, palette: Palette) -> Any:
    """A manim-slides presentation config of the scene's beats, one slide each."""
    slides = [
        # No reversed videos: neither converter plays them
        converters.slide(file=beat.video, rev_file=beat.video, notes=beat.notes)
        for beat in scene.beats
    ]
    return converters.presentation(
        slides=slides,
        resolution=scene.resolution,
        background_color=palette.background,
    )


@contextmanager
def posters_from(scenes: list[SceneBeats]) -> Iterator[None]:
    """While inside, manim-slides' PowerPoint shows each movie's poster, the beat's
    last frame (what a slide shows before and after it plays: where its beat ends)
    kept when it was rendered, instead of decoding the movie for its first."""
    from manim_slides import convert

    posters = {beat.video: beat.poster for scene in scenes for beat in scene.beats}

    def poster(file: Path, frame_index: Any = None) -> Image.Image:
        return Image.open(posters[Path(file)])

    with patch.object(convert, "read_image_from_video_file", poster):
        yield


def build_deck(
    scenes: list[tuple[type[ReplayScene], list[Trace], float]],
    html: Path,
    quality: str = "high",
    palette: Palette = DARK,
) -> tuple[Path, Path]:
    """Render `(scene class, traces, pace)` in order into one deck (reveal.js HTML, .pptx)."""
    converters = slide_converters()
    pptx = html.with_suffix(".pptx")
    # Our PID in its name: a later run removes what a killed one left (render_cleanup)
    work = unused_folder("deck")
    try:
        work.mkdir(mode=0o700)
        # A folder per scene: scenes of one class (the learning rates) name beats alike
        rendered = []
        for index, (scene_class, traces, pace) in enumerate(scenes):
            folder = work / f"scene{index}"
            rendered.append(
                render_beats(scene_class, traces, folder, quality, palette, pace)
            )
            stop_if_interrupted()  # a signal whose interrupt a __del__ swallowed
        configs = [presentation(converters, scene, palette) for scene in rendered]
        # Build both files in the work folder, then move them (and their assets) into place
        staged_html = work / "deck" / html.name
        staged_html.parent.mkdir()
        theme = "white" if palette.name == "light" else "black"
        headings = [scene.heading for scene in rendered]
        title = headings[0] if len(headings) == 1 else LESSON_TITLE
        reveal = converters.reveal_js(
            presentation_configs=configs,
            cdn_url=REVEAL_FOLDER,
            reveal_theme=theme,
            title=title,
        )
        reveal.convert_to(staged_html)
        captions = [beat.caption for scene in rendered for beat in scene.beats]
        add_captions(staged_html, captions, palette)
        with posters_from(rendered), quiet_progress():
            converters.power_point(presentation_configs=configs).convert_to(
                work / "deck" / pptx.name
            )
        shutil.copytree(VENDORED_REVEAL, work / "deck" / REVEAL_FOLDER)
        stop_if_interrupted()  # nothing moves into place after a signal
        for item in sorted((work / "deck").iterdir()):
            target = html.parent / item.name
            if target.is_dir():
                shutil.rmtree(target)
            shutil.move(str(item), str(target))
        return html, pptx
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def quiet_progress() -> Iterator[None]:
    """While inside, manim-slides' converters draw no progress bars (on stderr)."""
    from manim_slides import convert

    def silent(iterable: Any, *args: Any, **kwargs: Any) -> Any:
        return iterable

    with patch.object(convert, "tqdm", silent):
        yield


# A browser draws a video's own captions over the bottom of the picture, where the
# plots' x-axis labels are. So the video is fitted into the slide above a band
# CAPTION_BAND high, and the caption is written in that band, in the palette's ink on
# its background, where it covers nothing.
CAPTION_BAND = 14  # per cent of the window's height: two lines of captions
CAPTIONS_STYLE = """
    <style>
      .reveal .backgrounds .slide-background-content {{
        height: calc(100% - {band}vh);
      }}
      .deck-caption {{
        position: fixed; left: 0; right: 0; bottom: 0; height: {band}vh;
        box-sizing: border-box; padding: 0 12vw;
        display: flex; align-items: center; justify-content: center;
        text-align: center; font-family: "{font}", sans-serif;
        font-size: {size}vh; line-height: 1.3; color: {ink};
        pointer-events: none;
      }}
    </style>
  </head>"""
# reveal.js makes the <video> of a background video itself, so a track is attached
# when it has. A <track src> is refused when the deck is opened from disk (file://
# pages may not load text tracks), so the caption travels inside the deck, in each
# section's data-caption: the band shows the current slide's, and each video gets a
# hidden track with it, made in script by captions.js (which the lecture player uses
# too), for players and screen readers; shown, it would cover the plot. The WebVTT
# file beside each video (data-captions) is for players that read files.
CAPTIONS_SCRIPT = """
    <div class="deck-caption" aria-live="polite"></div>
    <script>
{caption_track}
      // Each slide's caption, from its section's data-caption.
      function addCaptions() {
        const caption = Reveal.getCurrentSlide()?.dataset.caption ?? "";
        document.querySelector(".deck-caption").textContent = caption;
        document.querySelectorAll("section[data-caption]").forEach((section) => {
          const video = Reveal.getSlideBackground(section)?.querySelector("video");
          if (!video || video.dataset.captioned) return;
          video.dataset.captioned = "yes";
          showCaptions(video, [[0, 86400, section.dataset.caption]], "hidden");
        });
      }
      Reveal.on("ready", addCaptions);
      Reveal.on("slidechanged", addCaptions);
      // a page parsed slowly may be ready before this script runs
      if (Reveal.isReady()) addCaptions();
    </script>
  </body>"""


def add_captions(
    html: Path, sentences: list[str], palette: Palette = DARK
) -> list[Path]:
    """Give each slide its caption, in a band under its video, in `palette`'s ink;
    and each video a WebVTT file of it.

    `sentences` holds one caption per slide, in order. Returns the files written.
    """
    text = html.read_text(encoding="utf-8")
    videos = re.findall(r'data-background-video="([^"]+)"', text)
    if len(videos) != len(sentences):
        raise RuntimeError(
            f"{len(videos)} slides but {len(sentences)} beats to caption"
        )
    written = []
    for video, sentence in zip(videos, sentences, strict=True):
        captions = Path(video).with_suffix(".vtt").as_posix()
        duration = video_seconds(html.parent / video)
        (html.parent / captions).write_text(
            webvtt([(0.0, duration, sentence)]), "utf-8"
        )
        written.append(html.parent / captions)
        attributes = (
            f'data-background-video="{video}"\n'
            f'          data-captions="{captions}"\n'
            f'          data-caption="{escape(sentence, quote=True)}"'
        )
        text = text.replace(f'data-background-video="{video}"', attributes, 1)
    style = CAPTIONS_STYLE.format(
        band=CAPTION_BAND, size=CAPTION_BAND / 4, font=palette.font, ink=palette.ink
    )
    text = text.replace("</head>", style.strip("\n").lstrip(), 1)
    script = CAPTIONS_SCRIPT.replace(
        "{caption_track}", CAPTION_TRACK.read_text(encoding="utf-8")
    )
    text = text.replace("</body>", script.strip("\n").lstrip(), 1)
    html.write_text(text, encoding="utf-8")
    return written


def video_seconds(path: Path) -> float:
    """A video file's length."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for packet in container.demux(stream) if packet.size > 0)
        return frames / float(stream.average_rate or 1)
