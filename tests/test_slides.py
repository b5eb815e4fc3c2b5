"""Slide decks: an offline reveal.js deck and a PowerPoint file, from the same scenes."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from scenes.theme import PALETTES
from tests.browser import Browser, chromium
from tests.conftest import REPO
from tests.decks import check_deck


def deck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """render.py --slides at low quality, in a subprocess."""
    command = [
        sys.executable,
        str(REPO / "render.py"),
        "--slides",
        "--quality",
        "low",
        *args,
    ]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_deck_has_a_slide_per_beat_titled_after_the_scene(tmp_path: Path) -> None:
    result = deck("--scene", "lr_too_high", "-o", "talk.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["talk.html", "talk.pptx"]
    # opening, first step, the overshoot held, two more, the rest, the verdict
    check_deck(tmp_path / "talk.html", expected_slides=6)
    html = (tmp_path / "talk.html").read_text()
    assert "<title>Learning rate too high: each hop lands farther out</title>" in html
    # a beat's sentence as speaker notes
    assert "an overshoot, farther out than it started" in html


@pytest.mark.slow
@pytest.mark.skipif(
    chromium() is None, reason="needs Chromium: apt-get install chromium"
)
def test_deck_opened_from_disk_shows_each_slide_its_caption(tmp_path: Path) -> None:
    # Browsers load no track files for a page from file://: the captions travel
    # inside the deck, and the page's own script attaches them to each video
    result = deck("--scene", "lr_too_low", "-o", "lr.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with Browser() as browser:
        browser.open((tmp_path / "lr.html").as_uri(), "window.Reveal?.isReady()")
        dom = browser.evaluate("document.documentElement.outerHTML")
    videos = re.findall(r"<video[^>]*>", dom)
    assert videos and all('data-captioned="yes"' in video for video in videos)


def shown(browser: Browser, png: Path) -> np.ndarray:
    """The page as Chromium draws it now (RGB)."""
    browser.screenshot(png)
    return np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)


@pytest.mark.slow
@pytest.mark.skipif(
    chromium() is None, reason="needs Chromium: apt-get install chromium"
)
def test_deck_writes_each_caption_below_the_video_off_the_axis_labels(
    tmp_path: Path,
) -> None:
    # fit_line's x-axis labels and worked update are at the bottom of its frame
    result = deck("--scene", "fit_line", "-o", "fit.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = tmp_path / "fit.html"
    # One browser: the first slide once its caption is written and its video shows a
    # frame, then the same slide with the caption band hidden
    with Browser(1920, 1080) as browser:
        browser.open(
            html.as_uri(),
            "document.querySelector('.deck-caption')?.textContent"
            " && document.querySelector('video')?.readyState >= 2",
        )
        with_caption = shown(browser, tmp_path / "fit.png")
        browser.evaluate(
            "document.querySelector('.deck-caption').style.visibility = 'hidden';"
            " new Promise((done) => requestAnimationFrame(() =>"
            " requestAnimationFrame(() => done(true))))"
        )
        without = shown(browser, tmp_path / "bare.png")
    # the first slide holds the start: the video's frame is the same in both
    caption_rows = np.flatnonzero(
        (np.abs(with_caption - without).max(axis=2) > 60).any(axis=1)
    )
    background = np.array(
        [int(PALETTES["dark"].background[i : i + 2], 16) for i in (1, 3, 5)]
    )
    drawn_rows = np.flatnonzero(
        (np.abs(without - background).max(axis=2) > 60).any(axis=1)
    )
    assert caption_rows.size and drawn_rows.size
    assert caption_rows.min() > drawn_rows.max(), (
        f"the caption (rows {caption_rows.min()}-{caption_rows.max()}) overlaps "
        f"what the video draws (down to row {drawn_rows.max()})"
    )
    assert caption_rows.max() < with_caption.shape[0]  # inside the window
    assert drawn_rows.max() > 0.75 * with_caption.shape[0]  # the video fills the slide


@pytest.mark.slow
def test_deck_opens_on_the_start_and_each_poster_is_its_beats_last_frame(
    tmp_path: Path,
) -> None:
    result = deck("--scene", "lr_too_low", "-o", "lr.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    slides = Presentation(str(tmp_path / "lr.pptx")).slides
    for index, slide in enumerate(slides):
        (movie,) = [
            shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA
        ]
        blip = movie._element.xpath(".//a:blip/@r:embed")[0]
        poster = np.asarray(
            Image.open(io.BytesIO(slide.part.related_part(blip).blob)).convert("RGB"),
            dtype=np.int16,
        )
        video = next(
            rel.target_part.blob
            for rel in slide.part.rels.values()
            if rel.reltype.endswith("/video")
        )
        with av.open(io.BytesIO(video)) as container:
            frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        last, first = frames[-1].astype(np.int16), frames[0]
        assert np.abs(poster - last).mean() < 3, f"slide {index}: not its last frame"
        if index == 0:  # the deck opens on the start: the plots are already there
            assert first.std() > 10
