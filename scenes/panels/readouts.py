"""A column of readouts: muted names on the left, live numbers right-aligned on the right.

A row's number is an array of trace values indexed by recorded step (the column
formats it: one number of decimals per row, in the column's width, scenes/numbers.py),
the texts to show at each step (numbers worked out from other shown numbers,
scenes/worked.py), or a function giving the text at step k (a step counter). Number
rows are padded so that their decimal points line up down the column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from manim import LEFT, VGroup

from scenes.clock import StepClock
from scenes.numbers import aligned, column_decimals, fit_row
from scenes.readout import Readout
from scenes.text import baseline_of, label, put_on_baseline, readout
from scenes.theme import Palette
from scenes.worked import row_decimals
from sgdcore.trace import Trace

TextAt = Callable[[int], str]  # the text shown at recorded step k
Values = npt.NDArray[np.float64]  # a value per recorded step, e.g. trace.loss
Texts = Sequence[str]  # a text per recorded step, one number of decimals
Row = tuple[str, TextAt | Values | Texts]  # a name, and what its number shows


class ReadoutColumn:
    """Names and numbers in rows `row_height` apart, from `top` down.

    Each number shows its row's text at the latest recorded step of `trace` the
    replay has reached, and changes only when that text does (R12). An array row
    shows nothing at steps past its end (`trace.loss[:-1]`: no batch after the last).
    Every text a row can show must fit in `n_chars` cells, or building the column
    (values) or its numbers (functions, checked at each step of the trace) raises
    ValueError: a readout never clips silently.
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
        for (name, _), texts in zip(self.rows, self.texts, strict=True):
            if texts is not None:
                self.check_width(name, texts)
        self.names = VGroup()
        self.baselines: list[float] = []
        for index, (name, _) in enumerate(self.rows):
            text = label(palette, name, self.size, palette.muted)
            if on_baselines:
                put_on_baseline(text, left, top - row_height * index)
                self.baselines.append(top - row_height * index)
            else:
                text.move_to(
                    np.array([left, top - row_height * index, 0.0]), aligned_edge=LEFT
                )
                self.baselines.append(baseline_of(text))
            self.names.add(text)

    def format_values(self) -> list[list[str] | None]:
        """Each number row's text at every step (None for a function row), aligned.

        An array row keeps `column_decimals`, or fewer if that is too wide for the
        column; a value too wide even so (near 1e300 in a crafted trace) is written
        m×10ⁿ (`fit_row`).
        """
        numbers = [
            fit_row(shows, column_decimals(shows), self.n_chars)
            if isinstance(shows, np.ndarray)
            else list(shows)
            for _, shows in self.rows
            if not callable(shows)
        ]
        shown = iter(aligned(numbers, self.n_chars))
        return [None if callable(shows) else next(shown) for _, shows in self.rows]

    def check_width(self, name: str, texts: Sequence[str]) -> None:
        """Raise ValueError if any of row `name`'s texts is wider than the column."""
        widest = max(texts, key=len, default="")
        if len(widest) > self.n_chars:
            raise ValueError(
                f"readout row {name!r} shows {widest.rstrip()!r}, {len(widest)} cells "
                f"with its alignment, in a column of n_chars={self.n_chars}: "
                f"give the column n_chars >= {len(widest)}"
            )

    def text_at(self, row: int, trace: Trace) -> TextAt:
        """What row `row` shows at step k of `trace`, checked to fit at every step."""
        name, shows = self.rows[row]
        texts = self.texts[row]
        if callable(shows):
            self.check_width(name, [shows(k) for k in range(trace.n_steps + 1)])
            return shows
        assert texts is not None
        if len(texts) > trace.n_steps + 1:
            raise ValueError(
                f"readout row {name!r} has {len(texts)} values, but the trace records "
                f"only {trace.n_steps + 1} steps: values are indexed by recorded step"
            )
        return lambda k: texts[k] if k < len(texts) else ""

    def row_decimals(self, row: int) -> int:
        """The decimals row `row`'s numbers are written with."""
        texts = self.texts[row] or []
        return row_decimals([text.strip() for text in texts])

    def static(self) -> VGroup:
        """The names."""
        return self.names

    def moving(self, clock: StepClock, trace: Trace) -> list[Readout]:
        """The numbers, following `trace` on the clock."""
        numbers = []
        for row, baseline in enumerate(self.baselines):
            text_at = self.text_at(row, trace)
            number = readout(self.palette, self.n_chars, size=self.size)
            number.row = self.rows[row][0]
            number.put_on_baseline(self.right, baseline)
            number.add_updater(
                lambda mob, text_at=text_at: mob.show(text_at(clock.index(trace))),
                call_updater=True,
            )
            numbers.append(number)
        return numbers
