"""What gradient_noise says at each beat: one batch size a beat at the start, then the
smallest and the largest batches trained side by side.

The clip's steps are a LeadClock's: steps 1 to S grow the S batch sizes' clouds,
the runs' update t is clip step S + t. Spreads are written as the spread plot writes
them, and the verdict's ratio is worked out from those shown digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from scenes.noise_geometry import NoiseLevel, arms_words, shown_spreads
from scenes.numbers import format_lr, parse_shown, ratio_shown
from scenes.schedule import Moment
from scenes.words import STEADY, n, point, rose
from sgdcore.trace import Trace

# The spread plot pointed at as its second dot comes (the plane has dots too); why
# a dot is off the maths' curve (it measures one epoch's batches, a sample: its
# key says so) is in the notes
# the ending when both fell: the lesson, said of the one run each
BOTH_DOWNHILL = "Both runs fell, this time."
SAMPLE_WORDS = "At right: the spread for each B."
CHANCE = "Which ends lower varies from run to run."


class NoiseStory:
    """Batch gradients scatter round the full one, less as the batches grow."""

    def __init__(self, traces: Sequence[Trace], levels: Sequence[NoiseLevel]) -> None:
        self.traces, self.levels = tuple(traces), list(levels)
        self.lead = len(self.levels)
        self.spreads, self.expected = shown_spreads(self.levels)
        self.names = tuple(f"B = {t.meta['batch_size']}" for t in self.traces)

    def loss_at(self, run: int, step: int) -> float:
        """Run `run`'s loss on all points at clip step `step` (its start before)."""
        trace = self.traces[run]
        return float(trace.full_loss[min(max(step - self.lead, 0), trace.n_steps)])

    def opening(self) -> str:
        trace, full = self.traces[0], self.levels[0].full
        return (
            f"At a = {point(trace.params[0])}, gradient descent on all "
            f"{len(trace.train_index)} points steps by −lr·∇L = {point(full)} "
            f"(learning rate {format_lr(trace.learning_rate)})."
        )

    def batches(self, k: int) -> str:
        """The note on batch size k (0-based): its batches, spread and mean."""
        level = self.levels[k]
        # the last size's note says why it spreads less than 1/√B alone says
        beyond = k == self.lead - 1 and self.beyond_root()
        sample = (
            f" Only {len(level.steps)} batches: a sample, so the spread lands near "
            f"the {self.expected[k]} expected over all possible batches, not on it."
            if self.off_curve(k)
            else ""
        )
        sample += arms_words(self.traces[0], level) if k == 0 else ""
        return (
            f"Batches of {level.size}: one epoch is {len(level.steps)} batches, each "
            f"its own step. They scatter {self.spreads[k]} around the full step "
            f"(the sampling maths says {self.expected[k]}); their mean step is "
            f"{point(level.mean)}.{sample}"
            + (f" {self.beyond_words()}" if beyond else "")
        )

    def off_curve(self, k: int) -> bool:
        """Whether batch size k's measured spread, as shown, is not the maths'."""
        return self.spreads[k] != self.expected[k]

    def first_steps(self, end: int) -> str:
        return self.batches(end - 1) if end <= self.lead else self.replay(0, end)

    def replay(self, start: int, end: int) -> str:
        if end <= self.lead:
            return self.batches(end - 1)
        losses = "; ".join(
            f"{name}: loss {n(self.loss_at(i, start))} to {n(self.loss_at(i, end))}, "
            + rose(self.rises(i, start, end))
            for i, name in enumerate(self.names)
        )
        first, last = max(start - self.lead, 0), end - self.lead
        return (
            f"Updates {first} to {last}, from the same start. {losses}.{self.read(end)}"
        )

    def read(self, end: int) -> str:
        """What the runs read in all, once clip step `end` is their last; else ""."""
        costs = self.costs()
        done = end - self.lead >= max(trace.n_steps for trace in self.traces)
        return f" In all, {costs}. {CHANCE}" if costs is not None and done else ""

    def moments(self) -> list[Moment]:
        """Each size's whole epoch, held; from the second size on its caption comes
        with its steps, as the plane starts drawing them (the first size's steps have
        their own)."""
        return [
            Moment(k + 1, self.batches(k), self.held(k), led_in=k > 0)
            for k in range(self.lead)
        ]

    def held(self, k: int) -> str:
        """The caption held on batch size k's cloud."""
        if k == 0:  # the steps grew under "Each batch gives its own step."
            return "Their average is the full step."
        if k == self.lead - 1:
            if self.beyond_root():  # more than 1/√B alone: the notes say why
                n = len(self.traces[0].train_index)
                if 2 * self.levels[-1].size == n:
                    return "Half the data: the steps barely scatter."
                return "Batches this big barely scatter."
            return "The spread shrinks like 1/√B."
        if k == 1:  # the spread plot, its second dot drawn, before more come
            return SAMPLE_WORDS
        return "Bigger batches scatter less." if k == 2 else ""

    def fast_forward(self, start: int, end: int) -> str:
        return (
            f"Updates {start - self.lead} to {end - self.lead} change little: "
            + "; ".join(
                f"{name} ends at loss {n(self.loss_at(i, end))}"
                for i, name in enumerate(self.names)
            )
            + "."
            + self.read(end)
        )

    def times(self) -> str | None:
        """How many times the smallest batches' spread the largest's is, worked out
        from the two spreads as shown; None with one size or no spread at all."""
        if len(self.levels) < 2:
            return None
        least = parse_shown(self.spreads[-1])
        if least == 0:
            return None
        return ratio_shown(parse_shown(self.spreads[0]) / least)

    def root(self) -> str:
        """What 1/√B alone says that ratio is: √(largest / smallest size), as shown."""
        big, small = self.levels[-1].size, self.levels[0].size
        return ratio_shown(Decimal(big / small).sqrt())

    def beyond_root(self) -> bool:
        """Whether the largest batches spread visibly less than 1/√B alone says: they
        hold much of the data, and no point twice (the shown ratios differ)."""
        times = self.times()
        return times is not None and Decimal(times) > 1 and times != self.root()

    def rises(self, run: int, start: int = 0, end: int | None = None) -> int:
        """How many of run `run`'s updates from clip step `start` to `end` (the
        last, by default) raised its loss on all points."""
        loss = self.traces[run].full_loss
        first = max(start - self.lead, 0)
        last = len(loss) - 1 if end is None else min(end - self.lead, len(loss) - 1)
        return int(np.count_nonzero(np.diff(loss[first : last + 1]) > 0))

    def verdict(self) -> str:
        """The spreads compared (NoiseStory.times), what the steadier steps cost,
        and, with two runs, where their losses ended."""
        spreads = self.spread_verdict(self.levels[-1], self.levels[0])
        ending = self.ending()
        if ending == BOTH_DOWNHILL:  # the lesson first, then what the steps cost
            return f"{ending} {spreads}"
        return spreads if ending is None else f"{spreads} {ending}"

    def downhill(self, run: int) -> bool:
        """Whether run `run` ends at a lower loss on all points than it started."""
        loss = self.traces[run].full_loss
        return bool(np.isfinite(loss[-1]) and loss[-1] < loss[0])

    def ending(self) -> str | None:
        """Whether each run's loss on all points went downhill in this run; which
        ended lower is left to the loss plot (one run, as many updates each, the
        larger batches reading more points an update: not a fair race). None with
        one run."""
        if len(self.traces) < 2:
            return None
        down = (self.downhill(0), self.downhill(1))
        if not any(down):
            return "Both losses grow."
        if not all(down):
            return f"Only {self.names[down.index(True)]} went downhill."
        return BOTH_DOWNHILL

    def spread_verdict(self, big: NoiseLevel, small: NoiseLevel) -> str:
        """The verdict's sentence on the spreads."""
        steps = f"B = {big.size}'s steps spread {self.spreads[-1]}"
        if len(self.levels) == 1:
            return f"Same direction on average: {steps}."
        times = self.times()
        if times is None and big.size == len(self.traces[0].train_index):
            return f"No noise: {steps}; each batch is the full step."
        if times is None:
            return (
                f"Same direction, far less noise: {steps}, "
                f"B = {small.size}'s {self.spreads[0]}."
            )
        if Decimal(times) <= 1:
            return f"No less noise: {steps}, B = {small.size}'s {self.spreads[0]}."
        # the closing caption and the runs' ending (NoiseStory.ending) say the rest
        cost = ratio_shown(Decimal(big.size) / Decimal(small.size))
        if self.beyond_root():  # more than 1/√B says: the notes say why
            said = f"B = {big.size} scatters {times}× less than B = {small.size}"
            return f"{said}, but reads {cost}× the points."
        read = self.points_read()
        counts = f" ({max(read)} to {min(read)})" if len(read) == 2 else ""
        return (
            f"B = {big.size}'s steps scatter {times}× less than B = {small.size}'s "
            f"but read {cost}× the points{counts}."
        )

    def root_words(self) -> str:
        """`√50 ≈ 7.1×`: the spreads' ratio by 1/√B alone."""
        big, small = self.levels[-1].size, self.levels[0].size
        sizes = str(big) if small == 1 else f"({big}/{small})"
        return f"√{sizes} ≈ {self.root()}×"

    def beyond_words(self) -> str:
        """Why the largest batches spread less than 1/√B alone says, for the notes:
        they hold much of the data, no point twice (the plot's √((n − B)/(n − 1)))."""
        big, small = self.levels[-1].size, self.levels[0].size
        n = len(self.traces[0].train_index)
        return (
            f"B = {big} spreads {self.times()}× less than B = {small}, not "
            f"{self.root_words()}: a batch of {big} of {n} points holds no "
            f"point twice, so it varies (n − B)/(n − 1) times less than σ²/B."
        )

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "opening":
            return "The arrow is the full step."
        if beat in ("first steps", "replay") and end <= self.lead:
            # the first batches' steps come with their own words, not the full
            # step's; later sizes keep the last held caption (the plane names the
            # size) until their own held moment says the point
            return "Each batch gives its own step." if end == 1 else ""
        if beat == "replay":
            return self.replay_caption()
        if beat == "fast forward":
            return STEADY
        return self.closing_caption()

    def replay_caption(self) -> str:
        """What the runs do, by their losses: both downhill, the small batches'
        more often up on the way, or which do not go downhill."""
        if len(self.traces) < 2:
            if self.downhill(0):
                return "Noisy steps, downhill on average."
            return "The loss on all points grows."
        small = self.names[0]
        if not (self.downhill(0) or self.downhill(1)):
            return "Both losses grow, step by step."
        if not (self.downhill(0) and self.downhill(1)):
            return f"Only {self.names[int(self.downhill(1))]}'s loss falls."
        if self.rises(0) > self.rises(1):
            return f"{small} zigzags and sometimes goes uphill."
        return "Both head downhill."

    def closing_caption(self) -> str:
        """The takeaway the loss plot bears out: the small batches' noisy, cheap
        steps still go downhill on average (after what each run read: the loss plot
        counts updates, not points), or, where they do not, that they do not."""
        small = self.names[0]
        if self.downhill(0):
            # with two runs, which ends lower is chance (over seeds 0 to 11 of the
            # default runs, B = 1 ends lower in 5, B = 50 in 7): the notes say so
            return "Noisy, cheap steps still go downhill."
        if len(self.traces) > 1 and self.downhill(1):
            return f"Here {small}'s noisy steps do not go downhill."
        return "Neither run goes downhill here."

    def costs(self) -> str | None:
        """What the two runs read, from their batches (`B = 1 read 30 points, B = 50
        read 1500`); None with one run."""
        if len(self.traces) != 2:
            return None
        (first, second), read = self.names, self.points_read()
        return f"{first} read {read[0]} points, {second} read {read[1]}"

    def points_read(self) -> list[int]:
        """How many points each run's batches read over all its updates."""
        return [int(np.count_nonzero(trace.batch >= 0)) for trace in self.traces]

    def headline(self) -> npt.NDArray[np.float64]:
        last = max(trace.n_steps for trace in self.traces)
        rows = [
            [self.loss_at(i, step) for step in range(last + self.lead + 1)]
            for i in range(len(self.traces))
        ]
        return np.array(rows, dtype=np.float64)
