"""landscape: the fitted line, its path over the loss contours and the loss curve, on one clock."""

from __future__ import annotations

from manim import VGroup

from scenes.clock import StepClock
from scenes.numbers import format_count, format_lr
from scenes.panels.data_plot import DataPlot
from scenes.panels.line_update import LineUpdate
from scenes.panels.loss_plot import LossPlot
from scenes.panels.notes import verdict_note
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.readouts import ReadoutColumn, Row
from scenes.replay import ReplayScene
from scenes.stories import LandscapeStory

# Layout in scene units, inside the safe area (|x| <= 6.40, |y| <= 3.60): the fit top
# left with the update under it and the readouts, two columns of three, under that;
# the contours top right with their keys under them (the paths and contours leave no
# corner of the plane free for every run), and the loss under the keys, 1.64 high
# (221 px at 1080p).
DATA_CORNER, DATA_SIZE = (-5.65, -0.3), (4.85, 2.35)
# The worked lines' names under the rule's left end, not indented: a line of
# UPDATE_CHARS cells then ends left of the loss plot's ticks, room enough for a₁'s
# value to show the decimals that make its results the next readouts, lined up
UPDATE_CHARS = 38
UPDATE_LEFT, UPDATE_TOP = -6.3, -1.02  # the rule's left end and baseline
CONTOUR_CORNER, CONTOUR_SIZE = (1.3, 0.45), (4.55, 1.75)
LOSS_CORNER, LOSS_SIZE = (1.3, -3.23), (4.7, 1.64)
# Each readout column's left and right ends; the rows' baselines from the top
READOUT_COLUMNS = ((-6.3, -3.45), (-2.95, -0.1))
READOUT_TOP, READOUT_ROW = -2.45, 0.45
# The verdict's top right: beside the title, in small type, to stay clear of the
# contours' a₂ name and top
VERDICT_CORNER, VERDICT_WIDTH = (6.4, 3.6), 4.2


class Landscape(ReplayScene):
    """Where gradient descent walks: the same step in the fit, on the loss surface and its curve."""

    def construct(self) -> None:
        trace, palette = self.trace, self.palette
        data = DataPlot(palette, trace, DATA_CORNER, DATA_SIZE)
        plane = ParameterPlane(
            palette, self.traces, CONTOUR_CORNER, CONTOUR_SIZE, zoom=False
        )
        loss = LossPlot(palette, [trace], LOSS_CORNER, LOSS_SIZE)
        readouts = self.make_readouts()
        story = LandscapeStory(trace)
        clock = StepClock(self.traces)
        # The title, then the data, the loss contours at true shape, the loss plot
        self.add_static(self.make_title(), data.names())
        self.add_drawing(clock, *data.drawing(clock))
        self.add_static(plane.names(), plane.keys_below(palette.highlight))
        update = LineUpdate(
            palette,
            trace,
            UPDATE_LEFT,
            UPDATE_TOP,
            gap=0.37,
            chars=UPDATE_CHARS,
            indent=0.0,
        )
        self.add_static(loss.static(), loss.floor(trace))
        self.add_static(*(column.static() for column in readouts))
        self.add_static(update.static())
        self.add_drawing(clock, *plane.drawing(clock))
        # One clock moves the line, the point on the surface and the loss curve
        # together; the arrow is the step's update −lr·∇L
        residuals, line = data.moving(clock)
        # (the subtitle sits right above the data plot: its note goes inside it)
        notes = data.outside_note(clock, above=False)
        notes += verdict_note(
            palette,
            clock,
            story.verdict(),
            VERDICT_CORNER,
            width=VERDICT_WIDTH,
            small=True,
        )
        path = plane.path(clock, trace, palette.fit)
        arrow = plane.update_arrow(clock, trace, palette.highlight)
        self.add_moving(clock, residuals, line, *notes, *path, arrow)
        curve = loss.curve(clock, trace.loss, palette.fit)
        numbers = [n for column in readouts for n in column.moving(clock, trace)]
        self.add_moving(clock, *curve, *numbers, *update.moving(clock))
        self.keep_inside(data.box, residuals, line)
        self.keep_inside(plane.view.box(0), *path, arrow)
        self.keep_inside(loss.box, *curve)
        # The start, the first steps slowly, then time follows the walk; the verdict
        self.watch(line, path[-1])
        self.replay(clock, story)

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
            "each line is a point (a₁, a₂) · "
            f"learning rate {format_lr(self.trace.learning_rate)}",
        )
