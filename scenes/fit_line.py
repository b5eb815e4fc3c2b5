"""fit_line: the lesson's line fit, replayed step by step from a torch trace."""

from __future__ import annotations

from manim import VGroup

from scenes.clock import StepClock
from scenes.numbers import format_count, format_lr, format_number
from scenes.panels.batch_legend import backed
from scenes.panels.data_plot import DataPlot
from scenes.panels.line_update import LineUpdate
from scenes.panels.loss_plot import LossPlot
from scenes.panels.near_bottom import arrival_note, arrival_ring, lit_from_arrival
from scenes.panels.notes import verdict_note
from scenes.panels.readouts import ReadoutColumn
from scenes.replay import ReplayScene
from scenes.stories import LineFitStory

# Layout in scene units (the frame is 14.2 wide and 8 high, centred on 0; everything
# stays inside its safe area: 5% of the width in from either side, |x| <= 6.40, and
# 5% of the height from top and bottom, |y| <= 3.60). The data left with the update
# under it; on the right the readouts, the verdict under them, and the loss plot at
# the bottom, 1.64 high (221 px at 1080p), its tick labels just above y = -3.60.
DATA_CORNER, DATA_SIZE = (-5.6, -1.72), (6.2, 3.82)
UPDATE_LEFT, UPDATE_TOP = -6.3, -2.72  # the rule's left end and baseline
LOSS_CORNER, LOSS_SIZE = (2.4, -3.23), (3.8, 1.64)
READOUT_LEFT, READOUT_RIGHT, READOUT_TOP, READOUT_ROW = (
    1.75,
    6.4,
    2.15,
    0.36,
)  # top: the first baseline
VERDICT_CORNER = (READOUT_RIGHT, 0.12)  # its top right: under the readouts
VERDICT_WIDTH = 5.7  # the verdict's, and the arrival note's before it in its place


class FitLine(ReplayScene):
    """Points, the fitted line at every step, and the loss falling beside them."""

    def construct(self) -> None:
        trace, palette = self.trace, self.palette
        data = DataPlot(palette, trace, DATA_CORNER, DATA_SIZE)
        loss = LossPlot(palette, [trace], LOSS_CORNER, LOSS_SIZE)
        readouts = self.make_readouts()
        update = self.make_update(readouts)
        story = LineFitStory(trace)
        clock = StepClock(self.traces)
        # The title, then the noisy points and the empty loss plot: drawn once
        self.add_static(self.make_title(), data.names())
        self.add_static(loss.static(), loss.floor(trace), readouts.static())
        self.add_static(update.static())
        self.add_drawing(clock, *data.drawing(clock))
        # the legend over the grid, on a backing: no gridline runs through its words
        legend = data.model_legend()
        self.add_moving(clock, backed(legend, palette), legend, in_intro=True)
        # Each step nudges the line downhill; the loss curve and the numbers follow
        residuals, line = data.moving(clock)
        verdict = verdict_note(
            palette, clock, story.verdict(), VERDICT_CORNER, width=VERDICT_WIDTH
        )
        # The step within 1% of the minimum: the loss readout lit from then on, the
        # curve ringed there, and a note where the verdict comes at the close (in
        # two lines, as the verdict: three would crowd the loss plot's caption)
        verdict += arrival_note(
            palette,
            clock,
            story,
            VERDICT_CORNER,
            VERDICT_WIDTH,
            "right",
            step_apart=False,
        )
        self.add_moving(clock, residuals, line, *data.outside_note(clock), *verdict)
        ring = arrival_ring(loss, palette, clock, story)
        curve = [*ring, *loss.curve(clock, trace.loss, palette.fit)]
        numbers = readouts.moving(clock, trace)
        lit_from_arrival(numbers, palette, clock, story)
        self.add_moving(clock, *curve, *numbers, *update.moving(clock))
        self.keep_inside(data.box, residuals, line)
        self.keep_inside(loss.box, *curve)
        # The start, the first steps slowly, then time follows the line; the verdict
        self.watch(line)
        self.replay(clock, story)

    def make_readouts(self) -> ReadoutColumn:
        """Step, loss, the line's parameters and the loss' gradient, top right."""
        trace = self.trace
        return ReadoutColumn(
            self.palette,
            [
                ("step", lambda k: format_count(k, trace.n_steps)),
                ("loss", trace.loss),
                ("slope a₁", trace.params[:, 0]),
                ("intercept a₂", trace.params[:, 1]),
                ("∂L/∂a₁", trace.grad[:, 0]),
                ("∂L/∂a₂", trace.grad[:, 1]),
            ],
            left=READOUT_LEFT,
            right=READOUT_RIGHT,
            top=READOUT_TOP,
            row_height=READOUT_ROW,
            n_chars=11,
            size=self.palette.label_size,
            on_baselines=True,
        )

    def make_update(self, readouts: ReadoutColumn) -> LineUpdate:
        """The update worked out under the data, a and ∂L/∂a written as the readouts
        write them."""
        same = [
            (readouts.row_decimals(row), readouts.row_decimals(row + 2))
            for row in (2, 3)
        ]
        shown = [readouts.texts[row] or [] for row in (2, 3)]
        return LineUpdate(
            self.palette,
            self.trace,
            UPDATE_LEFT,
            UPDATE_TOP,
            decimals=same,
            shown=shown,
        )

    def make_title(self) -> VGroup:
        """Title, and a subtitle with the run's settings."""
        start = ", ".join(
            format_number(value, 3, trim=True) for value in self.trace.params[0]
        )
        return self.title(
            "Gradient descent fits a line",
            f"MSE loss · learning rate {format_lr(self.trace.learning_rate)}"
            f" · {len(self.trace.y)} points · start a = ({start})",
        )
