"""Captions from a schedule's cues: WebVTT (HTML5 <track>, PowerPoint) and SubRip (.srt).

Plain Python: a cue is (start seconds, end seconds, caption). A caption is written
on at most two lines of LINE_CHARS, as broadcast captions are.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

Cue = tuple[float, float, str]
LINE_CHARS = 42
# The script that gives a <video> its cues inside a page (decks and the player)
CAPTION_TRACK = Path(__file__).resolve().parent / "captions.js"


def lines(text: str) -> str:
    """`text` broken into lines of at most LINE_CHARS characters, at spaces, as even
    as they go: no word left alone on a last line that could share it."""
    wrapped = textwrap.wrap(text, LINE_CHARS)
    for width in range(max(1, len(text) // len(wrapped or [""])), LINE_CHARS):
        even = textwrap.wrap(text, width, break_long_words=False)
        if len(even) == len(wrapped):
            return "\n".join(even)
    return "\n".join(wrapped) or text


def timestamp(seconds: float, decimal: str) -> str:
    """hh:mm:ss.mmm (WebVTT, `decimal` ".") or hh:mm:ss,mmm (SubRip, ",")."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"


def webvtt(cues: Sequence[Cue]) -> str:
    """The cues as a WebVTT file."""
    blocks = ["WEBVTT"]
    for index, (start, end, text) in enumerate(cues, 1):
        span = f"{timestamp(start, '.')} --> {timestamp(end, '.')}"
        blocks.append(f"{index}\n{span}\n{lines(text)}")
    return "\n\n".join(blocks) + "\n"


def subrip(cues: Sequence[Cue]) -> str:
    """The cues as a SubRip file."""
    blocks = []
    for index, (start, end, text) in enumerate(cues, 1):
        span = f"{timestamp(start, ',')} --> {timestamp(end, ',')}"
        blocks.append(f"{index}\n{span}\n{lines(text)}")
    return "\n\n".join(blocks) + "\n"
