"""landscape: the fitted line, its path over the loss contours and the loss curve, on one clock."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from manim import DR, LEFT, RIGHT, UP, UR, VGroup

from scenes.clock import StepClock
from scenes.geometry import PlotBox
from scenes.least_squares import quadratic_form
from scenes.numbers import format_count, format_lr
from scenes.panels.batch_legend import backed
from scenes.panels.data_plot import DataPlot
from scenes.panels.level_line import level_line, plane_keys, with_levels
from scenes.panels.line_update import LineUpdate
from scenes.panels.loss_plot import ROOM_ABOVE_STEPS, LossPlot
from scenes.panels.near_bottom import arrival_note, arrival_ring, lit_from_arrival
from scenes.panels.notes import verdict_note
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.plane_layout import (
    CROSS_HALF,
    contour_ink,
    meet,
    rect_of,
)
from scenes.panels.readouts import ReadoutColumn, Row
from scenes.panels.step_marks import plane_marks
from scenes.placement import Ink, Rect, grown
from scenes.replay import ReplayScene
from scenes.schedule import FIRST_STEPS
from scenes.start_view import start_view
from scenes.stories import LandscapeStory
from scenes.text import Holder, held_while
from sgdcore.trace import Trace

# Layout in scene units, inside the safe area (|x| <= 6.40, |y| <= 3.60). The contours
# are the subject: they take the top right and most of the width, at true shape (the
# walk is about three times wider than tall, so the plane's height sets its scale),
# their keys over their top-right corner. The fit is top left; under them the worked
# update and the readouts, two columns of three, bottom left, and the loss bottom
# right, 1.64 high (221 px at 1080p).
DATA_CORNER, DATA_SIZE = (-5.65, -0.4), (3.65, 2.25)
# The worked lines' names under the rule's left end, not indented: a line of
# UPDATE_CHARS cells then ends left of the loss plot's ticks, room enough for a₁'s
# value to show the decimals that make its results the next readouts, lined up
UPDATE_CHARS = 38
UPDATE_LEFT, UPDATE_TOP = -6.3, -1.22  # the rule's left end and baseline
CONTOUR_CORNER, CONTOUR_SIZE = (-0.5, -0.4), (6.25, 2.25)
MINIMUM_ROOM = 0.12  # round the minimum on the plane, of the walk's longer side
LOSS_CORNER, LOSS_SIZE = (1.3, -3.23), (4.7, 1.64)
# Each readout column's left and right ends; the rows' baselines from the top
READOUT_COLUMNS = ((-6.3, -3.45), (-2.95, -0.1))
READOUT_TOP, READOUT_ROW = -2.55, 0.42
# The verdict, in small type, where the last frame leaves room (make_verdict): in
# the loss plot's top right, or down an edge of the plane, AXIS_INSET in from its axes
# and EDGE_INSET from its other edges; VERDICT_CLEARANCE from any curve or text. In
# the loss plot wide, else narrower: that clears the curve's high start with the axis
# raised less (a raised axis squeezes the floor's note under the floor). On the plane
# beside a walk: the widest that fits between the contours and the plane's edge (a
# narrower one wraps to more lines)
VERDICT_WIDTHS, PLANE_VERDICT_WIDTHS = (4.2, 3.3), (2.85, 2.3, 1.9)
AXIS_INSET, EDGE_INSET, VERDICT_CLEARANCE = 0.2, 0.0, 0.2
PLANE_VERDICT_STEP = 0.05  # how far down the plane's edge each try goes


def final_ink(plane: ParameterPlane, box: PlotBox) -> Ink:
    """What the plane shows in `box` once the replay ends (no update arrow is left):
    every walk whole, the minimum's cross and the contours."""
    ink = contour_ink(plane, box)
    for trace in plane.traces:
        with np.errstate(invalid="ignore", over="ignore"):
            points = box.to_points(trace.params[:, 0], trace.params[:, 1])
        for run in box.inside_runs(points):
            ink.add_polyline(run)
    centre = box.c2p(*plane.best)
    for corner in (UR, DR):
        ink.add_segments(
            (centre - CROSS_HALF * corner)[None, :],
            (centre + CROSS_HALF * corner)[None, :],
        )
    return ink


class Landscape(ReplayScene):
    """Where gradient descent walks: the same step in the fit, on the loss surface and its curve."""

    def construct(self) -> None:
        trace, palette = self.trace, self.palette
        data = DataPlot(palette, trace, DATA_CORNER, DATA_SIZE)
        plane = ParameterPlane(
            palette,
            self.traces,
            CONTOUR_CORNER,
            CONTOUR_SIZE,
            minimum_room(trace),
            zoom=False,
        )
        plane.level_name = "loss "  # what the contours' numbers are
        plane.view = start_view(plane.view, [trace.params])  # the first steps close in
        loss = LossPlot(palette, [trace], LOSS_CORNER, LOSS_SIZE)
        readouts = self.make_readouts()
        story = LandscapeStory(trace)
        clock = StepClock(self.traces)
        # The title, then the data, the loss contours at true shape, the loss plot
        self.add_static(self.make_title(), data.names())
        self.add_drawing(clock, *data.drawing(clock))
        self.add_static(plane.names())
        self.add_moving(
            clock, *plane_keys(plane, clock, trace, palette.highlight, FIRST_STEPS)
        )
        update = LineUpdate(
            palette,
            trace,
            UPDATE_LEFT,
            UPDATE_TOP,
            gap=0.37,
            chars=UPDATE_CHARS,
            indent=0.0,
        )
        # the verdict's place may raise the loss axis: found before it is drawn
        verdict = self.make_verdict(loss, plane, clock, story)
        self.add_static(loss.static(), loss.floor(trace))
        self.add_static(*(column.static() for column in readouts))
        self.add_static(update.static())
        # the minimum's cross over the walk, so that a run resting on it leaves it seen
        *plane_parts, cross = plane.drawing(
            clock, with_levels(plane, trace, FIRST_STEPS)
        )
        self.add_drawing(clock, *plane_parts)
        # One clock moves the line, the point on the surface and the loss curve
        # together; the arrow is the step's update −lr·∇L
        residuals, line = data.moving(clock)
        # (the subtitle sits right above the data plot: its note goes inside it)
        notes = data.outside_note(clock, above=False)
        path = plane.path(clock, trace, palette.fit)
        path.insert(-1, plane_marks(plane.view, palette, clock, trace, palette.fit))
        arrow = plane.update_arrow(clock, trace, palette.highlight)
        # through the first steps, the contour each leaves from: crossed square on
        level = level_line(plane, clock, trace, palette.highlight, FIRST_STEPS)
        self.add_moving(clock, residuals, line, *notes, *path[:-1])
        self.add_moving(clock, cross, in_intro=True)
        self.add_moving(clock, path[-1])  # the head over the cross: seen at rest on it
        # the contour and the arrow over the head, which slides along the arrow: the
        # right angle where they meet stays in sight through the step
        self.add_moving(clock, level, arrow)
        # the step within 1% of the minimum: the loss readout lit from then on, the
        # curve ringed there (the note comes with the verdict, in its place)
        ring = arrival_ring(loss, palette, clock, story)
        curve = [*ring, *loss.curve(clock, trace.loss, palette.fit)]
        numbers = [n for column in readouts for n in column.moving(clock, trace)]
        lit_from_arrival(numbers, palette, clock, story)
        self.add_moving(clock, *curve, *numbers, *update.moving(clock))
        # the verdict drawn last: its backing hides whatever runs under it
        self.add_moving(clock, *verdict)
        self.keep_inside(data.box, residuals, line)
        self.keep_inside(plane.view.box(0), *path, arrow)
        self.keep_inside(loss.box, *curve)
        # The start, the first steps slowly, then time follows the walk; the verdict
        self.watch(line, path[-1])
        self.replay(clock, story)

    def make_verdict(
        self,
        loss: LossPlot,
        plane: ParameterPlane,
        clock: StepClock,
        story: LandscapeStory,
    ) -> list[Holder]:
        """The closing verdict where the last frame leaves room, and the arrival note
        (scenes/panels/near_bottom.py) before it in the same place: in the loss plot's
        top-right corner, its axis raised up to two decades to clear the curve (a
        run that settles); else at the first spot down the plane's right edge, then
        its left one, clear of the walks, the minimum, the contours and their losses
        (a run that blows up), wrapped narrower until one is clear; else top right
        over the loss plot's raised axis. On backings of the background's colour,
        drawn last: no grid line (nor, there, the curve) runs through them."""
        palette = self.palette

        def notes(width: float, align: str) -> list[Holder]:
            corner = (0.0, 0.0)
            verdict = verdict_note(
                palette, clock, story.verdict(), corner, align, None, width, True
            )
            # short, as narrow as the verdict: the numbers are in the readout and
            # by the floor, and the loss axis is raised no more than for the verdict
            return verdict + arrival_note(
                palette, clock, story, corner, width, align, True, loss.floor_words
            )

        placed = self.verdict_spot(loss, plane, clock, notes)
        backings = [held_while(backed(n.shown, palette), n.condition) for n in placed]
        return [*backings, *placed]

    def verdict_spot(
        self,
        loss: LossPlot,
        plane: ParameterPlane,
        clock: StepClock,
        notes: Callable[[float, str], list[Holder]],
    ) -> list[Holder]:
        """The `notes(width, align)` placed (make_verdict), top-aligned at one spot
        and each clear there, the loss plot's axis raised for them."""
        wide = [notes(width, "right") for width in VERDICT_WIDTHS]
        top = loss.box.y_span[1]
        for rise in range(ROOM_ABOVE_STEPS):
            loss.box, loss.axes = loss.make_axes(top + 0.1 * rise)
            box = loss.box
            for placed in wide:  # the narrower leaves the curve's high start clear
                spots = put(placed, box.c2p(box.x_span[1], box.y_span[1]), UR)
                crowding = loss.ink(box).crowding
                if not any(crowding(grown(spot, VERDICT_CLEARANCE)) for spot in spots):
                    return placed
        plane_box = plane.view.box(float(clock.last_step))
        ink = final_ink(plane, plane_box)
        levels = [rect_of(level) for level in plane.shown_levels(plane_box)]
        left, bottom, right, top_edge = plane_box.scene_bounds
        tries = [
            (width, edge, x)
            for width in PLANE_VERDICT_WIDTHS
            for edge, x in ((RIGHT, right - EDGE_INSET), (LEFT, left + AXIS_INSET))
        ]
        for width, edge, x in tries:
            narrow = notes(width, "right" if edge is RIGHT else "left")
            tallest = max(holder.shown.height for holder in narrow)
            y = top_edge - EDGE_INSET
            while y - tallest >= bottom + AXIS_INSET:  # down the plane's edge
                spots = put(narrow, np.array([x, y, 0.0]), UP + edge)
                if not any(
                    ink.crowding(grown(spot, VERDICT_CLEARANCE))
                    or any(meet(spot, level, VERDICT_CLEARANCE) for level in levels)
                    for spot in spots
                ):
                    loss.box, loss.axes = loss.make_axes(top)
                    return narrow
                y -= PLANE_VERDICT_STEP
        return wide[0]

    def make_readouts(self) -> list[ReadoutColumn]:
        """Step, loss, the parameters and the gradient in two columns under the
        update: a row per kind, a₁'s numbers left of a₂'s."""
        trace = self.trace
        columns: tuple[list[Row], ...] = (
            [
                ("step", format_count),
                ("a₁", trace.params[:, 0]),
                ("∂L/∂a₁", trace.grad[:, 0]),
            ],
            [
                ("loss", trace.loss),
                ("a₂", trace.params[:, 1]),
                ("∂L/∂a₂", trace.grad[:, 1]),
            ],
        )
        return [
            ReadoutColumn(
                self.palette,
                rows,
                left=left,
                right=right,
                top=READOUT_TOP,
                row_height=READOUT_ROW,
                n_chars=9,
                size=self.palette.label_size,
                on_baselines=True,
            )
            for rows, (left, right) in zip(columns, READOUT_COLUMNS, strict=True)
        ]

    def make_title(self) -> VGroup:
        """Title, and the run's settings."""
        return self.title(
            "Where gradient descent walks",
            "each line y = a₁x + a₂ is a point (a₁, a₂) · "
            f"lr {format_lr(self.trace.learning_rate)}",
        )


Point = npt.NDArray[np.float64]


def put(notes: list[Holder], corner: Point, edge: Point) -> list[Rect]:
    """Each of `notes` with its `edge` corner at `corner`; where each lies."""
    for note in notes:
        note.shown.move_to(corner, aligned_edge=edge)
    return [rect_of(note.shown) for note in notes]


def minimum_room(trace: Trace) -> npt.NDArray[np.float64]:
    """Points the contour plane holds round the minimum and the start, MINIMUM_ROOM
    of the walk's longer side each way: the innermost rings stay whole and the first
    guess stands clear of the plot's edges."""
    best = quadratic_form(trace)[1]
    params = trace.params[np.isfinite(trace.params).all(axis=1)]
    reach = MINIMUM_ROOM * float(np.ptp(np.vstack([params, best]), axis=0).max())
    around = reach * np.array([[-1.0, -1.0], [1.0, 1.0]])
    return np.vstack([best + around, params[:1] + around])
