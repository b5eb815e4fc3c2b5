"""Checks of a written deck: the reveal.js page plays offline, the PowerPoint holds a
movie a slide, each slide has its caption (as a track and inside the page) and notes.
Used by tests/test_slides.py and by the README's own deck of every scene
(tests/test_readme.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from sgd_anim.registry import SCENES


def references(html: Path) -> list[str]:
    """Every src, href and background video outside HTML comments."""
    text = re.sub(r"<!--.*?-->", "", html.read_text(), flags=re.S)
    return re.findall(r'(?:src|href|data-background-video)="([^"]+)"', text)


def check_deck(html: Path, expected_slides: int | None = None) -> int:
    """The HTML plays offline and the .pptx holds one movie per slide; return the count."""
    links = references(html)
    assert not [link for link in links if re.match(r"(https?:)?//", link)], links
    missing = [link for link in links if not (html.parent / link).exists()]
    assert not missing, f"the deck refers to files that do not exist: {missing}"
    assert any(link.endswith("reveal.js/dist/reveal.js") for link in links)
    videos = [link for link in links if link.endswith(".mp4")]
    slides = Presentation(str(html.with_suffix(".pptx"))).slides
    assert len(slides) == len(videos)
    for slide in slides:
        media = [
            shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA
        ]
        assert len(media) == 1
    # Each slide's video has its beat's sentence as a caption track and speaker notes
    text = html.read_text()
    tracks = re.findall(r'data-captions="([^"]+)"', text)
    assert len(tracks) == len(videos) and all(t.endswith(".vtt") for t in tracks)
    for track in tracks:
        cue = (html.parent / track).read_text()
        assert (
            cue.startswith("WEBVTT\n") and "-->" in cue and cue.split("\n")[4].strip()
        )
    # ... and inside the deck, for a deck opened from disk, which loads no track files
    inline = re.findall(r'data-caption="([^"]+)"', text)
    assert len(inline) == len(videos) and all(caption.strip() for caption in inline)
    assert "addTextTrack" in text and "new VTTCue" in text
    notes = re.findall(r'<aside class="notes"[^>]*>(.*?)</aside>', text, flags=re.S)
    assert len(notes) == len(videos) and all(note.strip() for note in notes)
    if expected_slides is not None:
        assert len(videos) == expected_slides
    return len(videos)


def check_lesson_deck(html: Path) -> None:
    """A deck of every scene: at least an intro, opening, first steps and closing
    slide each, the lesson's title, and each slide its own video (scenes of one
    class, the learning rates, name their beats' videos alike: none overwrites
    another's)."""
    count = check_deck(html)
    assert count >= 4 * len(SCENES)
    assert "<title>Lesson 2: stochastic gradient descent</title>" in html.read_text()
    videos = [link for link in references(html) if ".mp4" in link]
    contents = {
        hashlib.sha256((html.parent / video).read_bytes()).digest() for video in videos
    }
    assert len(contents) == len(videos)
