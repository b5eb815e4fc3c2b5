"""The numbers a rendered scene shows at each step, read off its own readouts.

The player's panel repeats what the clip's readouts show (scenes/panels/readouts.py,
the worked updates), so its digits are the clip's: the scene is moved to each
recorded step and every live readout's text is taken as it is. Nothing is formatted
again here. Readouts are grouped by the column they stand in (left to right), rows
top to bottom; a worked update is one row, `update`, its result joined to it. Columns
of one run each are titled by the run's name. A clip that shows no numbers but its
step gets each run's loss, formatted as its readouts format numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from manim import Mobject

from scenes.columns import format_column
from scenes.panels.axes import TickLabels
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.worked import UPDATE_LABEL_ROW
from sgdcore.trace import Trace

COLUMN_GAP = 0.5  # scene units: readouts whose left ends are this close share a column
MOST_STEPS = 5000  # a longer run's panel shows steps up to here (the clip's motion too)
UPDATE, STEP = "update", "step"


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
            # the `step k → k+1` beside a worked update: the panel shows the step
            if mobject.get_updaters() and mobject.row != UPDATE_LABEL_ROW:
                yield mobject
            return
        for child in mobject.submobjects:
            yield from walk(child)

    return [found for mobject in scene.movers[1:] for found in walk(mobject)]


def shown_columns(scene: ReplayScene) -> list[ShownColumn]:
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
    shown = [
        ShownColumn("", rows_of([readouts[i].row for i in c], texts, c))
        for c in columns
    ]
    if not any(row.name not in (STEP, UPDATE) for c in shown for row in c.rows):
        shown += loss_columns(scene.traces, last)  # a clip that shows no numbers
    shown = titled(shown, run_names(scene))
    # the step counter first, then left to right, the worked updates last
    return sorted(shown, key=lambda c: (not c.has(STEP), c.only(UPDATE)))


@dataclass(frozen=True)
class ShownColumn:
    """Rows the clip shows together; titled by its run when each run has one."""

    title: str
    rows: list[ShownRow]

    def has(self, name: str) -> bool:
        """Whether a row is called `name`."""
        return any(row.name == name for row in self.rows)

    def only(self, name: str) -> bool:
        """Whether every row is called `name` (or continues one that is)."""
        return all(row.name in (name, "") for row in self.rows)


def rows_of(
    names: list[str], texts: list[list[str]], indices: list[int]
) -> list[ShownRow]:
    """A column's rows in order; an unnamed line that is only a result (`≈ 4.147`)
    joins the worked update above it, and a further update has no name of its own."""
    rows: list[ShownRow] = []
    for name, index in zip(names, indices, strict=True):
        line = texts[index]
        if not name and rows and rows[-1].name in (UPDATE, "") and is_result(line):
            joined = zip(rows[-1].texts, line, strict=True)
            joined_texts = tuple(f"{a} {b}".strip() for a, b in joined)
            rows[-1] = ShownRow(rows[-1].name, joined_texts)
        elif not name:
            first = not any(row.name == UPDATE for row in rows)
            rows.append(ShownRow(UPDATE if first else "", tuple(line)))
        else:
            rows.append(ShownRow(name, tuple(line)))
    return rows


def is_result(texts: list[str]) -> bool:
    """Whether a line shows only where an update lands (`= −2.400`, `≈ 4.147`)."""
    return all(text[:1] in "=≈" and "×" not in text for text in texts if text)


def run_names(scene: ReplayScene) -> list[str]:
    """Each run's name as the clip's story says it, else `run 1`, `run 2`, ..."""
    names = getattr(scene.story, "names", None)
    if isinstance(names, list | tuple) and len(names) == len(scene.traces):
        return [str(name) for name in names]
    return [f"run {index}" for index in range(1, len(scene.traces) + 1)]


def titled(columns: list[ShownColumn], names: list[str]) -> list[ShownColumn]:
    """Columns of one run each (as many as runs, alike) titled by their runs' names."""
    per_run = [c for c in columns if not c.has(STEP) and not c.only(UPDATE)]
    shapes = {tuple(row.name for row in c.rows) for c in per_run}
    if len(names) < 2 or len(per_run) != len(names) or len(shapes) != 1:
        return columns
    titles = iter(names)
    return [ShownColumn(next(titles), c.rows) if c in per_run else c for c in columns]


def loss_columns(traces: Sequence[Trace], last: int) -> list[ShownColumn]:
    """Each run's loss at every step, in the digits the clip's readouts would use."""
    columns = []
    for trace in traces:
        shown = format_column(trace.loss)
        texts = tuple(shown[min(step, len(shown) - 1)] for step in range(last + 1))
        columns.append(ShownColumn("", [ShownRow("loss", texts)]))
    return columns
