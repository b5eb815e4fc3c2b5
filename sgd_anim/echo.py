"""Values typed by a user, repeated in a one-line message: cut to their two ends
however long, and numbers written without hundreds of digits."""

from __future__ import annotations

import math
import re

MOST_ECHOED = 100  # characters of a value a message repeats back (a long path fits)


def clipped(text: str, most: int = MOST_ECHOED) -> str:
    """`text`, or its first and last `most` / 2 characters about an ellipsis: a typed
    value echoed in a one-line message, however long it was; a path keeps its name."""
    if len(text) <= most:
        return text
    return text[: most // 2] + "…" + text[len(text) - most // 2 :]


# A run of more characters than MOST_ECHOED with no space, in a message from elsewhere
# (an OSError's, click's), is a value typed, echoed: it keeps its two ends
LONG_WORD = re.compile(rf"\S{{{MOST_ECHOED + 1},}}")


def clipped_words(message: str) -> str:
    """`message` with each very long word (a value typed, echoed) shortened."""
    return one_line(LONG_WORD.sub(lambda word: clipped(word[0]), message))


def short(value: object, most: int = MOST_ECHOED) -> str:
    """The repr of `value`, cut to `most` characters for a one-line message."""
    return clipped(repr(value), most)


def shown(number: float) -> str:
    """A number in a message: whole numbers without '.0', at most 12 significant
    digits, so a huge or tiny value never prints hundreds of digits."""
    if isinstance(number, int) or (math.isfinite(number) and number.is_integer()):
        whole = int(number)
        return str(whole) if abs(whole) < 10**15 else f"{number:.6g}"
    return f"{number:.12g}"


def one_line(message: str) -> str:
    """`message` with each character that would break or hide its line (a newline,
    a tab, any other control or line separator, echoed from a value typed) written
    as its escape, as Python writes it: `\\n`, `\\t`, `\\x1b`."""
    return "".join(
        repr(char)[1:-1] if not char.isprintable() and char != " " else char
        for char in message
    )
