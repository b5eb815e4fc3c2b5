"""How far a plot's view has zoomed since the clip began, said in words above it.

A view that follows its run (scenes/view.py) rescales its axes as it goes, and its
tick labels alone do not say so: a run settling from w = 2 to w = 0.003 looks the
same at every step. The badge reads `w axis zoomed in 80×` (or `zoomed out 12×`):
the first view's w span over the current one, the scale a student reads along the
run, naming its axis as f's span goes as its square on a parabola, in whole times
(two significant digits from 10). It follows the view as it eases, so it counts up
while the axes zoom, and says nothing while the view is within SHOWN_FROM times of
its first.
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
BADGE = "zoom badge"  # its role, for layout checks


def zoom_ratio(view: View, value: float) -> float:
    """The view's first w (x) span over its span at the replay's position `value`:
    above 1 zoomed in, below 1 zoomed out."""
    first = view.x[0, 1] - view.x[0, 0]
    low, high, _ = view.box(value).x_range
    return float(first / (high - low))


def times(ratio: float) -> str:
    """`8×`, `12 000×`: how many times, either way, whole, two significant digits
    from 10."""
    size = ratio if ratio > 1 else 1 / ratio
    return grouped(str(round(size)) if size < 10 else significant(size, 2)) + "×"


def zoom_words(ratio: float) -> str:
    """`zoomed in 8×`, `zoomed out 12 000×`: one view's zoom; nothing within
    SHOWN_FROM of 1."""
    if 1 / SHOWN_FROM < ratio < SHOWN_FROM:
        return ""
    return f"zoomed {'in' if ratio > 1 else 'out'} {times(ratio)}"


def badge_words(view: View, value: float, axis: str = "w axis") -> str:
    """`w axis zoomed in 8×`: the badge's words at the replay's position `value`.
    It names its `axis`: f's zooms as the square of w's on a parabola, and its tick
    labels say so."""
    words = zoom_words(zoom_ratio(view, value))
    return f"{axis} {words}" if words else ""


def zoom_badge(
    palette: Palette,
    view: View,
    clock: StepClock,
    right: float,
    baseline: float,
    size: float,
    axis: str = "w axis",
) -> list[Mobject]:
    """The badge, its last character ending at x = `right` on `baseline`, in the muted
    colour, its axis named `axis` (a narrow panel's: `w`): nothing for a view that
    never moves. Its glyphs come from the atlas, so a change costs no Pango call, and
    only a change of its words redraws it."""
    if view.fixed:
        return []
    # the longest words at a step, and a cell for an eased `9.9×` between `80×` and 1
    longest = max(len(badge_words(view, k, axis)) for k in range(len(view.y)))
    badge = readout(palette, longest + 1, palette.muted, "right", size)
    badge.put_on_baseline(right, baseline)
    badge.role = BADGE  # type: ignore[attr-defined]

    def follow(mobject: Mobject) -> None:
        assert isinstance(mobject, Readout)
        mobject.show(badge_words(view, clock.value, axis))

    badge.add_updater(follow, call_updater=True)
    return [badge]
