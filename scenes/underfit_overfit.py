"""underfit_overfit: three polynomials on the same points, trained side by side.

A line cannot bend to the data (both losses stay high); a few degrees fit it; many
degrees chase every training point and miss the held-out ones. All three train the
same way from a flat start, by gradient descent with momentum, which fits the smooth
shape first: degree 18 starts as smooth as degree 5 and its wiggles grow with the
steps, as its validation loss climbs.
"""

from __future__ import annotations

import numpy as np
from manim import VGroup, VMobject

from scenes.clock import MORPH_SHARE, StepClock, log_time
from scenes.fit_stories import CURVE_RAMP_STEPS, ComparedFitsStory, best_step
from scenes.fit_verdicts import (
    OVERFITS,
    judge,
    noise_floor,
    verdict_ranks,
    verdict_words,
)
from scenes.numbers import format_lr
from scenes.panels.curve_fit import CurveFit, curve_fits_in_a_row, shared_decimals
from scenes.panels.fit_header import point_keys, step_counter
from scenes.panels.legend import optimizer_name
from scenes.panels.notes import verdict_note
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.words import sentence
from sgdcore.trace import Trace

# Three panels across the frame (14.2 wide; everything within |x| <= 6.4, |y| <= 3.6),
# as tall as the names above them (under the step counter) and, under them, the
# tick labels, two readouts and a three-line verdict allow
PANEL_LEFTS, PANEL_WIDTH = (-5.95, -1.55, 2.85), 3.45
PANEL_BOTTOM, PANEL_HEIGHT = -1.14, 2.86
NAME_GAP = 0.26  # from a plot's top to its name's baseline: no tick label at the top
# first baseline under a panel, clear of the tick labels by 0.15; row spacing
READOUT_TOP, READOUT_ROW = PANEL_BOTTOM - 0.75, 0.4
VERDICT_TOP = READOUT_TOP - READOUT_ROW - 0.21  # clear of the readouts above by 0.2
# On log time (scenes.clock.log_time) each decade of steps takes at least this long:
# the good fit forms in steps 3 to 30, one by one, and degree 18's wiggles grow
# over the two decades after
SECONDS_PER_DECADE = 2.2


def model_name(trace: Trace) -> str:
    """`degree 5` (`a line` for degree 1)."""
    degree = int(trace.meta["degree"])  # type: ignore[arg-type]
    return "degree 1 (a line)" if degree == 1 else f"degree {degree}"


class UnderfitOverfit(ReplayScene):
    """Underfitting, a good fit and overfitting, each judged by its held-out points."""

    def construct(self) -> None:
        palette, traces = self.palette, list(self.traces)
        clock = StepClock(traces, MORPH_SHARE)
        floor = noise_floor(traces)
        verdicts = [judge(trace, floor) for trace in traces]
        panels = curve_fits_in_a_row(
            palette,
            traces,
            PANEL_LEFTS,
            PANEL_BOTTOM,
            (PANEL_WIDTH, PANEL_HEIGHT),
        )
        self.add_static(self.make_title())
        for panel in panels:
            name = panel.name_above(model_name(panel.trace), NAME_GAP)
            self.add_static(panel.static(names=False), name)
        counter, count = step_counter(palette, clock, self.trace)
        self.add_static(counter)
        self.add_moving(clock, *count)
        decimals = shared_decimals(traces)
        said = verdict_words(traces, verdicts)
        ranks = verdict_ranks(traces)
        for panel, rank, words in zip(panels, ranks, said, strict=True):
            model = panel.model(clock)
            self.add_moving(clock, model, *self.readouts(panel, clock, decimals))
            # the points over the curve: a wild one hides none of them
            self.add_moving(clock, panel.points(), in_intro=True)
            self.add_moving(clock, *self.verdict(panel, clock, rank, words))
            self.keep_inside(panel.box, model)
            self.watch(model)
        names = [f"degree {trace.meta['degree']}" for trace in traces]
        # what each panel says at the close, named
        closing = sentence(
            "; ".join(
                f"{name} {words}".replace("\n", " ")
                for name, words in zip(names, said, strict=True)
            )
        )
        story = ComparedFitsStory(traces, names, closing)
        if verdicts[-1] == OVERFITS:  # the one to watch while they train
            where = " at the edges of the data" if swings_at_edges(traces[-1]) else ""
            story.during = f"{sentence(names[-1])[:-1]}'s swings grow{where}."
        self.replay(
            clock,
            story,
            ramp_steps=CURVE_RAMP_STEPS,
            least_seconds=log_time(clock.last_step, SECONDS_PER_DECADE),
        )

    def make_title(self) -> VGroup:
        """Title, and what every panel shares (and what its numbers are)."""
        trace = self.trace
        held_out = len(trace.valid_index)
        return self.title(
            "Underfitting and overfitting",
            f"{len(trace.y)} points, {held_out} held out · "
            f"{optimizer_name(trace)}, lr {format_lr(trace.learning_rate)} · "
            "MSE loss under each plot",
        )

    def readouts(
        self, panel: CurveFit, clock: StepClock, decimals: tuple[int, int]
    ) -> list[Readout]:
        """Training and validation loss under the panel; the names drawn once."""
        names, numbers = panel.loss_readouts(
            clock, ("training", "validation"), READOUT_TOP, READOUT_ROW, decimals
        )
        self.add_static(names, *point_keys(panel, READOUT_TOP, READOUT_ROW))
        return numbers

    def verdict(
        self, panel: CurveFit, clock: StepClock, rank: int, words: str
    ) -> list[VMobject]:
        """The panel's verdict (`words`), once the replay ends, coloured by its run's
        validation loss among the three (`verdict_ranks`): green the lowest,
        vermillion the others."""
        palette = self.palette
        color = palette.lr_good if rank == -1 else palette.warning
        left = panel.box.corner[0]
        return list(
            verdict_note(
                palette,
                clock,
                words,
                (left, VERDICT_TOP),
                align="left",
                color=color,
                width=PANEL_WIDTH,
            )
        )


EDGE_SHARE = 0.15  # of the x range at each end: the grid's ends, where points thin out


def swings_at_edges(trace: Trace) -> bool:
    """Whether the model's curve moves most, from its best validation step to its
    last, within EDGE_SHARE of either end of its grid."""
    grid = trace.grid
    moved = np.abs(trace.curve[-1] - trace.curve[best_step(trace)])
    at = float(grid[int(np.argmax(moved))])
    low, high = float(grid.min()), float(grid.max())
    return min(at - low, high - at) <= EDGE_SHARE * (high - low)
