"""How far a plot's view has zoomed since the clip began, said in words above it.

A view that follows its run (scenes/view.py) rescales its axes as it goes, and its
tick labels alone do not say so: a run settling from w = 2 to w = 0.003 looks the
same at every step. The badge says each axis' zoom, as f's span goes as the square
of w's on a parabola: `zoomed in: w 30×, f 1000×` (or `zoomed out: …`), the first
view's span over the current one, in whole times (two significant digits from 10).
A parabola's view zooms by such round factors only (scenes/curve_views.py), so the
factor said is the ratio of the spans drawn; where a view at rest is not zoomed by
exactly that (a sampled curve's view) it reads `≈8×`. While the axes zoom it says
nothing, so every factor it says is one the plot shows at rest; nor does it speak of
an axis within SHOWN_FROM times of its first.
"""

from __future__ import annotations

from manim import Mobject

from scenes.clock import StepClock
from scenes.numbers import grouped, significant
from scenes.readout import Readout
from scenes.text import readout
from scenes.theme import Palette
from scenes.view import View

SHOWN_FROM = 2.0  # a zoom by less than this either way goes unsaid
EXACT = 1e-6  # relative: a ratio this near the factor said is that factor
BADGE = "zoom badge"  # its role, for layout checks


def zoom_ratio(view: View, value: float, axis: int = 0) -> float:
    """The view's first span of `axis` (0: w, x; 1: f, y) over its span at the
    replay's position `value`: above 1 zoomed in, below 1 zoomed out."""
    spans = view.x if axis == 0 else view.y
    first = spans[0, 1] - spans[0, 0]
    low, high, _ = view.box(value).x_range if axis == 0 else view.box(value).y_range
    return float(first / (high - low))


def times(ratio: float) -> str:
    """`8×`, `12 000×`: how many times, either way, whole, two significant digits
    from 10; `≈8×` where that is not the ratio exactly."""
    size = ratio if ratio > 1 else 1 / ratio
    said = str(round(size)) if size < 10 else significant(size, 2)
    exact = abs(float(said) - size) <= EXACT * size
    about = "" if exact else "≈"
    return about + grouped(said) + "×"


def direction(ratio: float) -> str:
    """`in`, `out`, or nothing within SHOWN_FROM of 1."""
    if 1 / SHOWN_FROM < ratio < SHOWN_FROM:
        return ""
    return "in" if ratio > 1 else "out"


def zoom_words(ratio: float) -> str:
    """`zoomed in 8×`, `zoomed out 12 000×`: one axis' zoom; nothing within
    SHOWN_FROM of 1."""
    way = direction(ratio)
    return f"zoomed {way} {times(ratio)}" if way else ""


def both_words(w_ratio: float, f_ratio: float, short: bool = False) -> str:
    """`zoomed in: w 30×, f 1000×` (`short`: `in: w 30×, f 1000×`): both axes'
    zooms, each named; an axis within SHOWN_FROM of its first goes unsaid, and axes
    zoomed opposite ways say each its own way (`w out 3×, f in 2×`)."""
    ways = [(name, direction(r), r) for name, r in (("w", w_ratio), ("f", f_ratio))]
    said = [(name, way, r) for name, way, r in ways if way]
    if not said:
        return ""
    if len({way for _, way, _ in said}) == 1:
        parts = ", ".join(f"{name} {times(r)}" for name, _, r in said)
        return f"{'' if short else 'zoomed '}{said[0][1]}: {parts}"
    return ", ".join(f"{name} {way} {times(r)}" for name, way, r in said)


FORMS = ("both", "rows", "short", "w")  # the badge's words, longest first


def badge_words(view: View, value: float, form: str = "both") -> str:
    """The badge's words at the replay's position `value`: `both_words` (on one row,
    or on two: `rows`), `short` ones, or (`w`) w's alone (`zoomed in: w 30×`), for a
    badge with no room for f's."""
    # through a zoom, between the ranges of two steps, it says nothing: a factor
    # counted up with the axes is not w's squared, and the next rest's runs ahead
    if not view.at_rest(view.box(value)):
        return ""
    f_ratio = zoom_ratio(view, value, 1) if form != "w" else 1.0
    return both_words(zoom_ratio(view, value, 0), f_ratio, form == "short")


def rows_of(words: str, form: str) -> tuple[str, str]:
    """The badge's words as its two rows (`zoomed in:`, `w 30×, f 1000×`) in the
    `rows` form, else as one (the second)."""
    head, colon, tail = words.partition(": ")
    return (head + colon.strip(), tail) if form == "rows" and colon else ("", words)


def zoom_badge(
    palette: Palette,
    view: View,
    clock: StepClock,
    right: float,
    baseline: float,
    size: float,
    room: float,
    line_gap: float | None = None,
) -> list[Mobject]:
    """The badge, its last character ending at x = `right` on `baseline`, in the muted
    colour, at most `room` wide: nothing for a view that never moves. It names both
    axes' zooms where they fit in `room` at every step: on one row, or with
    `line_gap`, on two (`zoomed out:` that far over the factors), else said shorter,
    else w's alone (a run whose f grows a millionfold). Its glyphs come from the
    atlas, so a change costs no Pango call, and only a change of its words redraws
    it; the last row holds the words said (`said`)."""
    if view.fixed:
        return []
    pitch = readout(palette, 1, palette.muted, "right", size).atlas.pitch
    at = [float(k) for k in range(len(view.y))]  # words said only at rest: each step's
    forms = [form for form in FORMS if form != "rows" or line_gap is not None]
    for form in forms:
        words = [rows_of(badge_words(view, value, form), form) for value in at]
        longest = [max(len(row[i]) for row in words) for i in (0, 1)]
        if (max(longest) + 1) * pitch <= room:
            break
    badge = readout(palette, longest[1] + 1, palette.muted, "right", size)
    badge.put_on_baseline(right, baseline)
    badge.role = BADGE  # type: ignore[attr-defined]
    head = readout(palette, longest[0] + 1, palette.muted, "right", size)
    head.put_on_baseline(right, baseline + (line_gap or 0.0))

    def follow(mobject: Mobject) -> None:
        assert isinstance(mobject, Readout)
        said = badge_words(view, clock.value, form)
        mobject.said = said  # type: ignore[attr-defined]
        mobject.show(rows_of(said, form)[mobject is badge])

    badge.add_updater(follow, call_updater=True)
    if form != "rows":
        return [badge]
    head.add_updater(follow, call_updater=True)
    return [badge, head]
