"""The numbers a rendered scene shows at each step, read off its own readouts.

The player's panel repeats what the clip's readouts show (scenes/panels/readouts.py,
the worked updates), so its digits are the clip's: the scene is moved to each
recorded step and every live readout's text is taken as it is. Nothing is formatted
again here. Readouts are grouped by the column they stand in (left to right), rows
top to bottom; unnamed lines that follow one another (a worked update's two halves)
join into one row, `update`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from manim import Mobject

from scenes.panels.axes import TickLabels
from scenes.readout import Readout
from scenes.replay import ReplayScene

COLUMN_GAP = 0.5  # scene units: readouts whose left ends are this close share a column
MOST_STEPS = 5000  # a longer run's panel shows steps up to here (the clip's motion too)
UPDATE = "update"


@dataclass(frozen=True)
class ShownRow:
    """One row of the panel: its name and its text at each step."""

    name: str
    texts: tuple[str, ...]


def live_readouts(scene: ReplayScene) -> list[Readout]:
    """Every readout the clock changes (not tick labels), each once."""
    seen: set[int] = set()

    def walk(mobject: Mobject) -> Iterator[Readout]:
        if id(mobject) in seen or isinstance(mobject, TickLabels):
            return
        seen.add(id(mobject))
        if isinstance(mobject, Readout):
            if mobject.get_updaters():
                yield mobject
            return
        for child in mobject.submobjects:
            yield from walk(child)

    return [found for mobject in scene.movers[1:] for found in walk(mobject)]


def shown_columns(scene: ReplayScene) -> list[list[ShownRow]]:
    """What the scene's readouts show at each step, column by column.

    The scene is left at its last step, as its last frame shows it.
    """
    readouts = live_readouts(scene)
    last = min(max(trace.n_steps for trace in scene.traces), MOST_STEPS)
    texts: list[list[str]] = [[] for _ in readouts]
    for step in range(last + 1):
        scene.move_to_step(step)
        for row, readout in enumerate(readouts):
            texts[row].append((readout.shown or "").strip())
    scene.move_to_step(max(trace.n_steps for trace in scene.traces))
    places = [(float(r.origin[0]), -float(r.origin[1])) for r in readouts]
    columns: list[list[int]] = []
    for index in sorted(range(len(readouts)), key=lambda i: places[i][0]):
        if columns and places[index][0] - places[columns[-1][0]][0] < COLUMN_GAP:
            columns[-1].append(index)
        else:
            columns.append([index])
    for column in columns:  # top to bottom
        column.sort(key=lambda i: places[i][1])
    shown = [rows_of([readouts[i].row for i in c], texts, c) for c in columns]
    # the column with the step counter first, then left to right
    return sorted(shown, key=lambda rows: all(row.name != "step" for row in rows))


def rows_of(
    names: list[str], texts: list[list[str]], indices: list[int]
) -> list[ShownRow]:
    """A column's rows in order, runs of unnamed lines joined into one `update` row."""
    rows: list[ShownRow] = []
    previous = None
    for name, index in zip(names, indices, strict=True):
        if not name and previous == "":
            joined = zip(rows[-1].texts, texts[index], strict=True)
            rows[-1] = ShownRow(UPDATE, tuple(f"{a} {b}".strip() for a, b in joined))
        else:
            rows.append(ShownRow(name or UPDATE, tuple(texts[index])))
        previous = name
    return rows
