"""How many digits a line update's worked rows show, chosen for the rows together.

Each parameter's row (`= v − lr × g ≈ r`) may show its value and gradient to a few
more decimals than their readouts, one number of decimals for the whole clip: more
decimals make more results the next readout, but take cells. The rows' first numbers
are padded to one field so that their decimal points line up (`aligned_values`), and
the padding takes cells too. So the rows' decimals are chosen together, the padding
counted: the fewest lines that say `→ r` first, then one number of decimals for the
rows' first numbers (`−1.000000` above `1.000000`, not `1.00000`), then rows lined
up, then one number for their gradients, then the fewest decimals, every line within
its cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from scenes.numbers import shown_decimals
from scenes.worked import exact, landing_update, near, rounds_to

Cost = tuple[
    int, int, int, int
]  # `→` lines, decimals added, to the gradient, cells cut


@dataclass(frozen=True)
class RowChoice:
    """One way to write a row: every step's line, unpadded, and what it costs."""

    lines: tuple[str, ...]
    cost: Cost
    rest: int  # the widest padded line's cells besides its first number
    plain: int  # the widest line with no first number to pad (`→ r`, or empty)
    whole: int  # cells of the first numbers' widest whole part (sign included)
    fraction: int  # cells of their widest point and decimals
    places: frozenset[int]  # the decimals its first numbers are written with
    grad_places: frozenset[int]  # and its gradients

    @classmethod
    def of(cls, lines: Sequence[str], cost: Cost) -> RowChoice:
        """A choice of `lines`, measured."""
        parts = [(line, value_parts(line)) for line in lines]
        values = [(line, part[1]) for line, part in parts if part]
        grads = [part[2].split(" ")[2].strip("()") for _, part in parts if part]
        return cls(
            tuple(lines),
            cost,
            places=frozenset(shown_decimals(value) for _, value in values),
            grad_places=frozenset(map(shown_decimals, grads)),
            rest=max((len(line) - len(value) for line, value in values), default=0),
            plain=max((len(line) for line, part in parts if not part), default=0),
            whole=max((len(value.partition(".")[0]) for _, value in values), default=0),
            fraction=max(
                (len(value) - len(value.partition(".")[0]) for _, value in values),
                default=0,
            ),
        )


def value_parts(line: str) -> tuple[str, str, str] | None:
    """`= v rest` as `=`, v and the rest; None for a line with no first number."""
    words = line.split(" ", 2)
    if len(words) < 3 or words[0] != "=":
        return None
    return words[0], words[1], words[2]


def aligned_values(rows: list[list[str]]) -> list[list[str]]:
    """The worked lines (`= v − lr × g ≈ r`) with each line's first number padded
    to one field for all rows and steps, its decimal point in one column: the rows'
    operators line up though one parameter's value shows more decimals."""
    parts = [part for lines in rows for part in map(value_parts, lines) if part]
    if not parts:
        return rows
    whole = max(len(value.split(".")[0]) for _, value, _ in parts)
    fraction = max(len(value) - len(value.split(".")[0]) for _, value, _ in parts)

    def padded(line: str) -> str:
        part = value_parts(line)
        if part is None:
            return line
        sign, value, rest = part
        head, dot, tail = value.partition(".")
        return f"{sign} {head.rjust(whole)}{(dot + tail).ljust(fraction)} {rest}"

    return [[padded(line) for line in lines] for lines in rows]


def padded_widths(choices: Sequence[RowChoice]) -> list[int]:
    """Each row's widest line once the rows' first numbers are lined up."""
    field = max(c.whole for c in choices) + max(c.fraction for c in choices)
    return [max(c.rest + field if c.rest else 0, c.plain) for c in choices]


Shown = Callable[[int, int], Sequence[str]]  # (cells, more decimals) -> every step's


def row_choices(
    values: Shown,
    grads: Shown,
    lr: str,
    lands: Sequence[str],
    chars: int,
    cells: Sequence[int],
    most: tuple[int, int],
) -> list[RowChoice]:
    """The ways to write a row within `chars` cells a line, cheapest first: up to
    the cells a number of the first whose every result is the next readout (each
    such choice of decimals at those cells, so that the rows can agree on theirs),
    else all and the row of `→ r`.

    `values(n, d)`, `grads(n, d)`: the operands at every step, each in at most n
    cells (`cells`, most first) with d decimals more than their readouts (at most
    `most`); `lands`: the parameter as its readout writes it at every step. A choice
    must show values that round to their readouts, and put every result where the
    next readout does or say `→ r` within a unit of it; each line is one more than
    the updates, the last made kept on when the run is over.
    """
    values_in, grads_in = cache(values), cache(grads)  # each written once
    extra = sorted(
        itertools.product(range(most[0] + 1), range(most[1] + 1)),
        key=lambda pair: (sum(pair), pair[1]),  # the fewest, the value's first
    )
    choices, seen, true_at = [], set(), None
    for cut, n in enumerate(cells):
        if true_at is not None:  # the fewest decimals that make every result true
            return choices
        for to_value, to_grad in extra:
            shown, steps = values_in(n, to_value), grads_in(n, to_grad)
            key = (tuple(shown), tuple(steps))
            if key in seen or not all(map(rounds_to, shown, lands)):
                continue
            seen.add(key)
            pairs = [
                landing_update(value, lr, grad, land)
                for value, grad, land in zip(
                    shown[:-1], steps[:-1], lands[1:], strict=False
                )
            ]
            lines = [f"{first} {second}".strip() for first, second in pairs]
            if any(len(line) > chars for line in lines):
                continue
            if not all(map(near, pairs, lands[1:])):
                continue
            misses = sum(second.startswith("→") for _, second in pairs)
            cost = (misses, cut, to_value + to_grad, to_grad)
            if true_at is None or not misses:
                choices.append(RowChoice.of(kept_on(lines), cost))
            if not misses:
                true_at = n
    if true_at is not None:
        return choices
    # no worked line at all (a learning rate of 10⁵ on a far start needs more digits
    # of the gradient than there is room for): each line says where its update lands
    arrows = [f"→ {text}" if exact(text) is not None else "" for text in lands[1:]]
    fallback = (len(arrows), len(cells), sum(most) + 1, 0)
    return [*choices, RowChoice.of(kept_on(arrows), fallback)]


def kept_on(lines: list[str]) -> list[str]:
    """The lines and the last again: no blank row once the run is over."""
    return [*lines, lines[-1] if lines else ""]


def chosen_rows(rows: Sequence[Sequence[RowChoice]], chars: int) -> list[list[str]]:
    """One choice per row, the cheapest together: the fewest `→` lines, then one
    number of decimals for the rows' first numbers, then lined up (`aligned_values`)
    if every padded line stays within `chars` cells, then one number of decimals for
    their gradients, then the most cells a number, then the fewest decimals added."""

    def cost(combo: tuple[RowChoice, ...]) -> tuple[int, ...]:
        lined_up = max(padded_widths(combo)) <= chars
        total = [sum(c.cost[k] for c in combo) for k in range(4)]
        places = len(frozenset().union(*(c.places for c in combo)))
        grads = len(frozenset().union(*(c.grad_places for c in combo)))
        return (total[0], places > 1, not lined_up, grads > 1, *total[1:])

    best = min(itertools.product(*rows), key=cost)
    lines = [list(choice.lines) for choice in best]
    return aligned_values(lines) if not cost(best)[2] else lines
