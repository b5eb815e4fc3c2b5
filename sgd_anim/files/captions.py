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


# Where a two-line caption breaks: as even as it goes, better after a clause's
# punctuation, never between a word and the number it names ("step / 7") nor after a
# word of a letter or two or one that leads into the next ("w / reaches", "at the /
# minimum"), nor inside a noun's phrase ("the better / one") or a verb's ("catches /
# up"): each a penalty in characters of unevenness
CLAUSE_END, NUMBER_ALONE, SHORT_WORD = -24, 40, 16
LEADING = {"the", "and", "for", "from", "with", "than", "its", "but"}
ARTICLES = {"the", "a", "an", "its", "their"}  # a line ending "the better" splits one
PARTICLES = {"up", "out", "off", "down"}  # a line starting with one splits its verb


def break_cost(first: str, second: str) -> int:
    """How bad a break between two caption lines reads (lower is better)."""
    cost = abs(len(first) - len(second))
    if first[-1] in ",;:.":
        cost += CLAUSE_END
    if second[0].isdigit() or second[0] in "−-+×":
        cost += NUMBER_ALONE
    last = first.rsplit(" ", 1)[-1]
    if (len(last) <= 2 and last.isalpha()) or last.lower() in LEADING:
        cost += SHORT_WORD
    before = first.split()[-2:-1]
    if before and before[0].lower() in ARTICLES:
        cost += SHORT_WORD
    if second.split(" ", 1)[0].lower() in PARTICLES:
        cost += SHORT_WORD
    return cost


def lines(text: str) -> str:
    """`text` broken into lines of at most LINE_CHARS characters, at spaces: two
    where two do, at the break that reads best (`break_cost`); else as even as they
    go, no word left alone on a last line that could share it."""
    words = text.split()
    pairs = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
    fitting = [pair for pair in pairs if max(map(len, pair)) <= LINE_CHARS]
    if len(text) > LINE_CHARS and fitting:
        return "\n".join(min(fitting, key=lambda pair: break_cost(*pair)))
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
