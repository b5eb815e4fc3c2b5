"""A column of readouts: muted names on the left, live numbers right-aligned on the right.

A row's number is an array of trace values indexed by recorded step (the column
formats it: one number of decimals per row, in the column's width, scenes/numbers.py),
the texts to show at each step (numbers worked out from other shown numbers,
scenes/worked.py), or a function giving the text at step k (a step counter). Number
rows are padded so that their decimal points line up down the column.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import numpy.typing as npt
from manim import LEFT, RIGHT, UP, VGroup

from scenes.clock import StepClock
from scenes.columns import fit_aligned
from scenes.numbers import THIN
from scenes.readout import THIN_CELL, Readout, glyph_atlas
from scenes.text import ink_baseline, label, readout
from scenes.theme import Palette
from scenes.worked import row_decimals
from sgdcore.trace import Trace

TextAt = Callable[[int], str]  # the text shown at recorded step k
Values = npt.NDArray[np.float64]  # a value per recorded step, e.g. trace.loss
Texts = Sequence[str]  # a text per recorded step, one number of decimals
Row = tuple[str, TextAt | Values | Texts]  # a name, and what its number shows
NAME_GAP = 0.3  # scene units, at least, from a name to a number wider than planned
SIZE_STEP = 0.5  # a number too wide for its room shrinks in steps of this size
# A hop this close to its end (in steps) shows its landing's numbers: a moving
# beat's last frame, a tenth of a step or less before the landing, shows the point
# there already
LANDING = 0.1


class ReadoutColumn:
    """Names and numbers in rows `row_height` apart, from `top` down.

    Each number shows its row's text at the recorded step of `trace` nearest the
    replay's position (`moving`), and changes only when that text does. An
    array row shows nothing past its end (`trace.loss[:-1]`: no batch after the last).
    `n_chars` is the width the layout plans for, and number rows are fitted to it.
    A run may show wider texts (a counter of 100 000 steps, worked numbers): the
    numbers then take as many cells as the widest text, at a smaller size if those
    cells no longer fit between the names and `right` (`number_size`). A readout
    never clips.
    """

    def __init__(
        self,
        palette: Palette,
        rows: Sequence[Row],
        *,
        left: float,
        right: float,
        top: float,
        row_height: float,
        n_chars: int,
        size: float | None = None,
        on_baselines: bool = False,
    ) -> None:
        """`on_baselines`: `top` is the first row's baseline; else the first name's centre."""
        self.palette, self.rows = palette, list(rows)
        self.right, self.n_chars = right, n_chars
        self.size = size or palette.body_size
        self.texts = self.format_values()
        self.names = VGroup()
        self.baselines: list[float] = []
        for index, (name, _) in enumerate(self.rows):
            text = label(palette, name, self.size, palette.muted)
            if on_baselines:
                # a name starting with a descender ("gradient") sits on its baseline
                text.shift((top - row_height * index - ink_baseline(text)) * UP)
                text.shift((left - text.get_left()[0]) * RIGHT)
                self.baselines.append(top - row_height * index)
            else:
                text.move_to(
                    np.array([left, top - row_height * index, 0.0]), aligned_edge=LEFT
                )
                self.baselines.append(ink_baseline(text))
            self.names.add(text)

    def format_values(self) -> list[list[str] | None]:
        """Each number row's text at every step (None for a function row), aligned.

        An array row keeps `column_decimals`, or fewer if that (with the padding
        that lines its point up with the other rows') is too wide for the column; a
        value too wide even so (near 1e300 in a crafted trace) is written m×10ⁿ
        (`fit_aligned`).
        """
        numbers = [shows for _, shows in self.rows if not callable(shows)]
        shown = iter(fit_aligned(numbers, self.n_chars))
        return [None if callable(shows) else next(shown) for _, shows in self.rows]

    def text_at(self, row: int, trace: Trace) -> TextAt:
        """What row `row` shows at step k of `trace`."""
        name, shows = self.rows[row]
        texts = self.texts[row]
        if callable(shows):
            return shows
        assert texts is not None
        if len(texts) > trace.n_steps + 1:
            raise ValueError(
                f"readout row {name!r} has {len(texts)} values, but the trace records "
                f"only {trace.n_steps + 1} steps: values are indexed by recorded step"
            )
        return lambda k: texts[k] if k < len(texts) else ""

    def cells(self, trace: Trace) -> tuple[int, float]:
        """The characters the numbers hold over `trace` (`n_chars`, or the most any
        row shows at a step), and the cells the widest takes drawn (a thin space
        between groups of digits takes half a cell)."""
        steps = range(trace.n_steps + 1)
        texts = [
            text_at(k)
            for row in range(len(self.rows))
            for text_at in [self.text_at(row, trace)]
            for k in steps
        ]
        drawn = (len(text) - (1 - THIN_CELL) * text.count(THIN) for text in texts)
        return max(self.n_chars, *map(len, texts)), max(self.n_chars, *drawn)

    def number_size(self, cells: float) -> float:
        """The numbers' font size: the column's, unless `cells` of it reach further
        left than the planned `n_chars` and closer than NAME_GAP to a name."""
        pitch = glyph_atlas(self.palette.mono_font, self.size).pitch
        names_right = max(float(name.get_right()[0]) for name in self.names)
        room = max(self.n_chars * pitch, self.right - names_right - NAME_GAP)
        size = self.size
        # a glyph's pitch is proportional to its size
        if cells * pitch > room:
            size = math.floor(size * room / (cells * pitch) / SIZE_STEP) * SIZE_STEP
        while glyph_atlas(self.palette.mono_font, size).pitch * cells > room:
            size -= SIZE_STEP
        return size

    def row_decimals(self, row: int) -> int:
        """The decimals row `row`'s numbers are written with."""
        texts = self.texts[row] or []
        return row_decimals([text.strip() for text in texts])

    def static(self) -> VGroup:
        """The names."""
        return self.names

    def moving(
        self,
        clock: StepClock,
        trace: Trace,
        latest: bool = False,
        landed: bool = False,
    ) -> list[Readout]:
        """The numbers, following `trace` on the clock: at the recorded step nearest
        the replay's position, the one the plots are closest to (on a moving beat's
        last frames they have all but arrived at it); with `latest`, the latest
        step reached (the numbers of an update under way, such as its batch); with
        `landed`, the step a hop is landing on once it is all but done (`landed_step`:
        a point in the air shows where it left, one on the ground where it is)."""
        step_of = step_reader(clock, latest, landed)
        numbers = []
        cells, drawn = self.cells(trace)
        size = self.number_size(drawn)
        for row, baseline in enumerate(self.baselines):
            text_at = self.text_at(row, trace)
            number = readout(self.palette, cells, size=size)
            number.row = self.rows[row][0]
            number.put_on_baseline(self.right, baseline)
            number.add_updater(
                lambda mob, text_at=text_at: mob.show(text_at(step_of(trace))),
                call_updater=True,
            )
            numbers.append(number)
        return numbers


def step_reader(
    clock: StepClock, latest: bool = False, landed: bool = False
) -> Callable[[Trace], int]:
    """The recorded step numbers read off the clock at, for a trace: the nearest
    (`nearest_step`), the latest reached (`clock.index`), or with `landed` the one
    a hop lands on once it is all but done (`landed_step`). Readouts and the worked
    updates beside them read it alike, so they show one step."""
    if landed:
        return partial(landed_step, clock)
    return clock.index if latest else partial(nearest_step, clock)


def landed_step(clock: StepClock, trace: Trace) -> int:
    """The recorded step of `trace` the replay is at, or lands on within LANDING of
    a step: the last frames of a hop, where the point has all but arrived (of the
    share of the update it hops in, where its plot's view waits for it)."""
    landing = clock.landings.get(id(trace))
    if landing is None:
        return max(0, min(math.floor(clock.value + LANDING + 1e-9), trace.n_steps))
    index, fraction = clock.position(trace)
    landed = fraction + 1e-9 >= (1.0 - LANDING) * landing(index)
    return min(index + int(landed and index < trace.n_steps), trace.n_steps)


def nearest_step(clock: StepClock, trace: Trace) -> int:
    """The recorded step of `trace` nearest the replay's position (halves go up)."""
    return max(0, min(math.floor(clock.value + 0.5 + 1e-9), trace.n_steps))
