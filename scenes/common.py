"""What every scene shares: the TraceScene base, axes with atlas tick labels, clipping."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from manim import (
    DOWN,
    LEFT,
    UL,
    Circle,
    Line,
    ManimColor,
    Mobject,
    Scene,
    Text,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
)
from manim.scene.scene_file_writer import SceneFileWriter

from scenes.camera import KeptPathCamera
from scenes.encoder import StreamingFileWriter, StreamingRenderer
from scenes.readout import Readout, format_number, format_tick, number_label
from scenes.theme import DARK, Palette
from sgdcore.trace import Trace


class TraceScene(Scene):
    """A scene that replays one recorded Trace, driven by a single step tracker."""

    problem: ClassVar[str] = "linear_regression"
    n_traces: ClassVar[int] = 1  # how many runs the scene shows side by side (at most)
    any_fewer: ClassVar[bool] = False  # True: 1..n_traces runs (optimizers picks which)
    own_learning_rates: ClassVar[bool] = False  # True: --lr would erase the point
    file_writer_class: ClassVar[type[SceneFileWriter]] = StreamingFileWriter
    renderer_camera: ClassVar[type[Any]] = KeptPathCamera  # ThreeDCamera for 3-D scenes
    in_slides: ClassVar[bool] = False  # slide decks pause the replay (scenes/slides.py)
    default_pace: ClassVar[float] = 12.5  # steps per second of video

    def __init__(
        self,
        *traces: Trace,
        palette: Palette = DARK,
        pace: float | None = None,
        hold_seconds: float = 2.0,
        transparent: bool = False,
        **kwargs: Any,
    ) -> None:
        if not (1 <= len(traces) <= self.n_traces if self.any_fewer else len(traces) == self.n_traces):
            raise ValueError(f"{type(self).__name__} shows {self.n_traces} trace(s), got {len(traces)}")
        for trace in traces:
            if trace.problem != self.problem:
                raise ValueError(
                    f"{type(self).__name__} replays {self.problem} traces, "
                    f"got a {trace.problem} trace"
                )
        self.traces = traces
        self.trace = traces[0]
        self.palette = palette
        self.steps_per_second = pace or self.default_pace
        self.hold_seconds = hold_seconds
        self.transparent = transparent
        renderer = StreamingRenderer(
            file_writer_class=self.file_writer_class, camera_class=self.renderer_camera
        )
        super().__init__(renderer=renderer, **kwargs)

    def setup(self) -> None:
        """Paint the palette's background, or none for a transparent clip."""
        self.camera.background_color = ManimColor(self.palette.background)
        self.camera.background_opacity = 0.0 if self.transparent else 1.0

    def add_static(self, *mobjects: Mobject) -> None:
        """Add mobjects that never change, before anything that moves (R9).

        Manim then paints them once per animation, and suspending their updating spares
        the per-frame `update` walk through every dot and glyph they contain.
        """
        for mobject in mobjects:
            mobject.suspend_updating()
        self.add(*mobjects)

    @staticmethod
    def shown_while(mobject: Mobject, condition: Callable[[], bool]) -> VGroup:
        """A holder containing `mobject` only while `condition()` is true.

        Hiding by removal, not by opacity, means a hidden text costs nothing per frame
        (a zero-opacity one is still recoloured and traced glyph by glyph).
        """

        shown = one_path(mobject) if isinstance(mobject, Text) else mobject

        def toggle(holder: VGroup) -> None:
            if condition() != bool(holder.submobjects):
                holder.add(shown) if not holder.submobjects else holder.remove(shown)

        return VGroup().add_updater(toggle, call_updater=True)

    # -- the clock ---------------------------------------------------------------
    def replay(self, step: ValueTracker) -> None:
        """Move `step` from 0 to the last recorded step at a steady pace, then hold.

        In a slide deck the replay also pauses before it starts, at each of the scene's
        telling steps, and before the final hold.
        """
        last = max(trace.n_steps for trace in self.traces)
        stops = [s for s in self.telling_steps() if 0 < s < last] if self.in_slides else []
        self.pause()
        start = 0
        for stop in [*stops, last]:
            run_time = max((stop - start) / self.steps_per_second, 0.5)
            replay = step.animate(run_time=run_time, rate_func=linear, name="training replay")
            self.play(replay.set_value(stop))
            if stop != last:
                self.pause()
            start = stop
        self.pause()
        self.wait(self.hold_seconds)

    def telling_steps(self) -> list[int]:
        """Steps worth stopping at in a slide deck (the first overshoot, say); none here."""
        return []

    def pause(self) -> None:
        """Where a lecturer would talk: a new slide in a deck, nothing in a video."""

    def replay_finished(self, step: ValueTracker) -> bool:
        """True once the tracker has reached the last recorded step of every trace."""
        return step.get_value() >= max(trace.n_steps for trace in self.traces) - 1e-6

    def step_index(self, step: ValueTracker, trace: Trace | None = None) -> int:
        """The latest recorded step of `trace` (default: the first) the replay has reached."""
        trace = trace or self.trace
        return min(math.floor(step.get_value() + 1e-9), trace.n_steps)

    def step_fraction(self, step: ValueTracker, trace: Trace | None = None) -> tuple[int, float]:
        """The update in progress, `(index, fraction done)`; `(n_steps, 0)` once finished."""
        trace = trace or self.trace
        value = min(max(step.get_value(), 0.0), float(trace.n_steps))
        index = min(math.floor(value), trace.n_steps)
        return index, value - index

    def params_at(self, step: ValueTracker, trace: Trace | None = None) -> npt.NDArray[np.float64]:
        """Parameters between recorded steps, interpolated linearly for smooth motion."""
        trace = trace or self.trace
        index, fraction = self.step_fraction(step, trace)
        before = trace.params[index]
        if fraction <= 0.0:
            return before
        return before + fraction * (trace.params[index + 1] - before)

    # -- text ----------------------------------------------------------------------
    def text(self, words: str, size: float | None = None, color: str | None = None) -> Text:
        """A Pango text in the palette's font (built once; never in an updater)."""
        return Text(
            words,
            font=self.palette.font,
            font_size=size or self.palette.body_size,
            color=color or self.palette.ink,
        )

    def title_block(self, title: str, subtitle: str) -> VGroup:
        """The scene's title over a muted subtitle, in the top-left corner."""
        lines = VGroup(
            self.text(title, self.palette.title_size),
            self.text(subtitle, self.palette.label_size, self.palette.muted),
        )
        return lines.arrange(DOWN, aligned_edge=LEFT, buff=0.16).to_corner(UL, buff=0.4)

    def readout(
        self, n_chars: int, color: str | None = None, align: str = "right", size: float | None = None
    ) -> Readout:
        """A number readout in the palette's monospace font."""
        return Readout(
            n_chars,
            color or self.palette.ink,
            self.palette.mono_font,
            size or self.palette.body_size,
            align=align,
        )

    def label_column(
        self, names: list[str], left: float, top: float, row_height: float
    ) -> tuple[VGroup, list[float]]:
        """Muted names stacked from (left, top), and each one's baseline for its readout."""
        labels = VGroup(*(self.text(name, color=self.palette.muted) for name in names))
        for row, label in enumerate(labels):
            label.move_to([left, top - row_height * row, 0], aligned_edge=LEFT)
        return labels, [baseline_of(label) for label in labels]

    @staticmethod
    def put_on_baseline(text: Text, left: float, baseline: float) -> Text:
        """Move a text so its left edge is at `left` and it sits on `baseline`."""
        return text.shift([left - text.get_left()[0], baseline - baseline_of(text), 0.0])

    def number(self, value: float, digits: int = 4, trim: bool = False) -> str:
        """The one formatter for numbers from the trace (R13); `trim` drops trailing zeros."""
        return format_number(value, digits, trim)

    # -- plots -------------------------------------------------------------------
    def make_plot(
        self,
        x_range: tuple[float, float, float],
        y_range: tuple[float, float, float],
        corner: tuple[float, float],
        size: tuple[float, float],
        y_labels: dict[float, str] | None = None,
    ) -> tuple[PlotBox, VGroup]:
        """A plot box with its bottom-left corner at `corner`, L-shaped axes and ticks."""
        box = PlotBox(x_range, y_range, corner, size)
        (x_low, x_high, _), (y_low, y_high, _) = x_range, y_range
        style = {"color": self.palette.muted, "stroke_width": 2}
        frame = VGroup(
            Line(box.c2p(x_low, y_low), box.c2p(x_high, y_low), **style),
            Line(box.c2p(x_low, y_low), box.c2p(x_low, y_high), **style),
        )
        for value in tick_values(x_range):
            at = box.c2p(value, y_low)
            frame.add(Line(at, at + 0.08 * DOWN, **style))
            frame.add(self.tick_label(format_tick(value)).next_to(at, DOWN, buff=0.14))
        y_ticks = y_labels or {value: format_tick(value) for value in tick_values(y_range)}
        for value, text in y_ticks.items():
            at = box.c2p(x_low, value)
            frame.add(Line(at, at + 0.08 * LEFT, **style))
            frame.add(Line(at, box.c2p(x_high, value), color=self.palette.grid, stroke_width=1))
            frame.add(self.tick_label(text).next_to(at, LEFT, buff=0.14))
        return box, frame

    def tick_label(self, text: str) -> Readout:
        """A small static number in the muted colour."""
        return number_label(text, self.palette.muted, self.palette.mono_font, self.palette.tick_size)


@dataclass(frozen=True)
class PlotBox:
    """An affine map from data coordinates to scene points for one plot."""

    x_range: tuple[float, float, float]
    y_range: tuple[float, float, float]
    corner: tuple[float, float]  # scene position of (x_range[0], y_range[0])
    size: tuple[float, float]  # scene width and height

    def c2p(self, x: float, y: float) -> npt.NDArray[np.float64]:
        """The scene point of one data coordinate."""
        return self.to_points(np.array([x]), np.array([y]))[0]

    def to_points(
        self, xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Scene points, shape (m, 3), for arrays of data coordinates, shape (m,)."""
        (x_low, x_high, _), (y_low, y_high, _) = self.x_range, self.y_range
        scene_x = self.corner[0] + (xs - x_low) / (x_high - x_low) * self.size[0]
        scene_y = self.corner[1] + (ys - y_low) / (y_high - y_low) * self.size[1]
        return np.stack([scene_x, scene_y, np.zeros_like(scene_x)], axis=1)

    @property
    def x_span(self) -> tuple[float, float]:
        """The data x-interval shown."""
        return (self.x_range[0], self.x_range[1])

    @property
    def y_span(self) -> tuple[float, float]:
        """The data y-interval shown."""
        return (self.y_range[0], self.y_range[1])


def dot_radius(n_points: int) -> float:
    """Dot size for a cloud of `n_points`: smaller as the cloud gets denser."""
    return 0.06 if n_points <= 200 else 0.035 if n_points <= 2000 else 0.018


def dot_cloud(
    points: npt.NDArray[np.float64], radius: float, color: str, opacity: float = 1.0
) -> VMobject:
    """Many dots as one path (one Cairo call), built from a single circle's outline."""
    circle = Circle(radius=radius).points
    path = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
    if len(points):
        path.set_points((points[:, None, :] + circle[None, :, :]).reshape(-1, 3))
    return path


def one_path(text: Text) -> VMobject:
    """A one-colour text as a single path: one Cairo call per frame instead of one per glyph."""
    glyphs = text.family_members_with_points()
    path = VMobject(fill_color=glyphs[0].get_fill_color(), fill_opacity=1.0, stroke_width=0)
    return path.set_points(np.vstack([glyph.points for glyph in glyphs]))


def baseline_of(text: Text) -> float:
    """A text's baseline: the bottom of its first glyph (texts here start without a descender)."""
    return float(text[0].get_bottom()[1])


def segment_curves(
    starts: npt.NDArray[np.float64], ends: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Cubic Bézier control points, shape (4 m, 3), for m straight segments."""
    thirds = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, :, None]
    return (starts[:, None, :] + thirds * (ends - starts)[:, None, :]).reshape(-1, 3)


def polyline_curves(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Cubic Bézier control points, shape (4 (m - 1), 3), for a polyline of m points."""
    return segment_curves(points[:-1], points[1:])


def tick_values(axis_range: tuple[float, float, float]) -> list[float]:
    """The tick positions of an axis range `(start, stop, step)`, ends included."""
    start, stop, step = axis_range
    count = round((stop - start) / step)
    return [round(start + index * step, 10) for index in range(count + 1)]


def nice_range(low: float, high: float, max_ticks: int = 7) -> tuple[float, float, float]:
    """Round `[low, high]` outward to a 1-2-5 tick step with at most `max_ticks` ticks."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        low, high = (low - 1.0, low + 1.0) if math.isfinite(low) else (-1.0, 1.0)
    raw_step = (high - low) / (max_ticks - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    return (math.floor(low / step) * step, math.ceil(high / step) * step, step)


def visible_span(
    slope: float, intercept: float, x_range: tuple[float, float], y_range: tuple[float, float]
) -> tuple[float, float] | None:
    """The x-interval where the line `slope * x + intercept` lies inside the box, or None."""
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        return None
    (x_low, x_high), (y_low, y_high) = x_range, y_range
    if slope == 0.0:
        return (x_low, x_high) if y_low <= intercept <= y_high else None
    at_low, at_high = (y_low - intercept) / slope, (y_high - intercept) / slope
    start, stop = max(x_low, min(at_low, at_high)), min(x_high, max(at_low, at_high))
    return (start, stop) if start < stop else None
