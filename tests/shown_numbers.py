"""Every number a scene puts on screen over its clip, collected without rendering.

A scene is built with `plan_only` (its schedule is not planned: only what it draws
matters here), moved to each step of its replay and to half-way through each update
(where a view that follows the run is mid-zoom), and walked: every readout's text,
every tick label of every axis, every Pango text. The rules the numbers must keep are
checked in tests/shown_number_rules.py, each returning its problems as lines:

- one number of decimals per row over the whole clip (a readout, each number of a
  worked update), and per axis in each view of a plot (its tick labels);
- one number of decimals for every loss of the clip (training, validation, f(w),
  of every run shown), and for the readouts of one name on one row (the f(w) under
  each of panels side by side);
- in a column of readouts every number's decimal point (or where it would be)
  at one x, over the whole clip;
- no e-notation anywhere (`1.201e7`, `1e7`, `1.5e6`);
- every worked update `= a − lr × g  [=≈] r` recomputes from its shown digits: `=`
  exactly, `≈` within half a unit of r's last digit (and not exactly); `→ r` claims
  no arithmetic, only where the run lands;
- a worked update's result is where the run lands: the next update's a, rounded to
  r's decimals, and the readout of a at the next step (a readout of a is the worked
  a rounded to its decimals);
- on the quadratic, f(w) = c·(w − w*)² and f′(w) = 2c·(w − w*) recomputed from the
  shown w round to the shown f(w) and f′(w);
- f(w) never reads zero beside a w that reads ten units of its last digit or
  more from the minimum (on any f(w) whose lowest value is 0);
- a line saying `w reads r` stands beside a w readout of r and an f′(w) readout
  that reads zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from manim import MarkupText, Mobject, Text, tempconfig

from scenes.numbers import THIN
from scenes.panels.axes import TickLabels
from scenes.panels.zoom_badge import BADGE
from scenes.readout import THIN_CELL, Readout
from scenes.replay import ReplayScene
from scenes.text import Holder, TextPath
from scenes.theme import DARK
from scenes.worked import UPDATE_LABEL_ROW
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
# A shown number: digits grouped by thin spaces or not, decimals, and a power of ten
NUMBER = re.compile(
    r"(?<![\d.])[−-]?\d+(?:\u2009\d{3})*(?:\.\d+)?(?:×10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
)
E_NOTATION = re.compile(r"\d(?:\.\d+)?[eE][−+-]?\d")
# the first number may be padded (rows align their decimal points)
EQUATION = re.compile(
    rf"= +({NUMBER.pattern}) +− ({NUMBER.pattern}) × \(?({NUMBER.pattern})\)?"
    rf"(?: ([=≈→]) ({NUMBER.pattern}))?"
)
RESULT = re.compile(rf"([=≈→]) ({NUMBER.pattern})")
SETTINGS = {"disable_caching": True, "verbosity": "WARNING", "frame_rate": 15}
COUNTERS = ("step", "epoch", "batch")  # whole counts, not lined up with decimals
W_NAMES, F_NAMES, G_NAMES = ("w",), ("f(w)", "loss f(w)"), ("gradient f′(w)",)


def value_of(text: str) -> Decimal:
    """The exact decimal a shown number stands for."""
    mantissa, _, power = text.replace("\u2009", "").replace("−", "-").partition("×10")
    number = Decimal(mantissa)
    return number.scaleb(int(power.translate(SUPERSCRIPTS))) if power else number


def decimals_of(text: str) -> int:
    """Digits after the point of a shown number (of its mantissa, if scaled)."""
    mantissa = text.partition("×")[0]
    return len(mantissa.partition(".")[2])


def half_unit(text: str) -> Decimal:
    """Half a unit in the last shown digit."""
    power = text.partition("×10")[2].translate(SUPERSCRIPTS)
    return Decimal(5).scaleb(-decimals_of(text) - 1 + int(power or 0))


@dataclass
class Shown:
    """What one scene shows over its clip."""

    rows: dict[tuple[object, ...], list[tuple[float, str]]] = field(
        default_factory=dict
    )  # a readout, or an axis in one view: (step, text) each time it is seen
    texts: set[str] = field(default_factory=set)  # every text, numbers or words
    equations: list[tuple[float, str]] = field(default_factory=list)
    # a worked update's row, by the value it works out ("a₁"): (step, text) each time
    # and the update it works out, k of its `step k → k+1` label
    updates: dict[tuple[object, ...], list[tuple[float, str, int]]] = field(
        default_factory=dict
    )
    quadratics: list[tuple[float, str, str, str]] = field(default_factory=list)
    # a column's numbers (by its right edge and size): (step, row, text, x of the
    # right of its units digit) each time a plain number is seen
    columns: dict[tuple[float, float], list[tuple[float, str, str, float]]] = field(
        default_factory=dict
    )

    def count(self) -> int:
        """How many number strings were seen (each distinct text once per row)."""
        return sum(
            len(NUMBER.findall(text))
            for seen in self.rows.values()
            for text in {text for _, text in seen}
        )


def shown_by(scene_name: str, traces: Sequence[Trace]) -> Shown:
    """Build the scene on `traces` and collect what it shows at every step."""
    spec = SCENES[scene_name]
    with tempconfig(SETTINGS):
        scene = spec.scene_class()(
            *traces, pace=spec.pace, palette=DARK, plan_only=True
        )
        scene.replay = lambda *_, **__: None  # type: ignore[method-assign]
        scene.construct()
    return shown_in(scene)


def shown_in(scene: ReplayScene) -> Shown:
    """What a scene built (its schedule planned or not) shows at every step."""
    traces = scene.traces
    shown = Shown()
    with tempconfig(SETTINGS):
        # a scene showing batch gradients first gives each batch size a step
        last = max(trace.n_steps for trace in traces) + len(traces[0].noise_sizes)
        for step in steps_of(last):
            scene.move_to_step(step)
            seen: set[int] = set()
            found = [
                item
                for mobject in [*scene.statics, *scene.movers[1:]]
                for item in walk(mobject, seen)
            ]
            record(shown, step, found, traces)
            for number in moving_readouts(scene.movers[1:]):
                place(shown, step, number)
    return shown


def moving_readouts(movers: Sequence[Mobject]) -> list[Readout]:
    """The readouts among `movers` that follow the run."""
    return [
        part
        for mover in movers
        for part in mover.get_family()
        if isinstance(part, Readout) and part.get_updaters()
    ]


def place(shown: Shown, step: float, number: Readout) -> None:
    """File a readout showing a plain number under its column, with the x at which
    its units digit ends (its decimal point, or where that would be), as drawn."""
    text = number.shown or ""
    if not NUMBER.fullmatch(text.strip()) or "×" in text or number.row in COUNTERS:
        return
    widths = [THIN_CELL if char == THIN else 1.0 for char in text]
    cells = sum(widths)
    pad = number.n_chars - cells if number.align == "right" else 0.0
    body = text.rstrip()
    units = body.index(".") if "." in body else len(body)
    pitch = number.atlas.pitch
    x = float(number.origin[0]) + (pad + sum(widths[:units])) * pitch
    right = float(number.origin[0]) + number.n_chars * pitch
    key = (round(right, 3), round(pitch, 4))
    shown.columns.setdefault(key, []).append((step, number.row, text, x))


def steps_of(last: int, most: int = 160) -> list[float]:
    """Every step and half-step, or `most` of them spread over a long run."""
    if 2 * last <= most:
        return [k / 2 for k in range(2 * last + 1)]
    stride = last / (most // 2)
    steps = {round(k * stride) for k in range(most // 2)} | {last}
    steps |= set(range(min(last, 12) + 1))  # the first steps, one by one
    return sorted({*steps, *(k + 0.5 for k in steps if k < last)})


Item = tuple[str, object, str]  # (kind, key, text)


def walk(mobject: Mobject, seen: set[int]) -> Iterator[Item]:
    """Every readout, tick row and text under `mobject`, once each."""
    if id(mobject) in seen:
        return
    seen.add(id(mobject))
    if isinstance(mobject, TickLabels):
        rows = getattr(mobject, "rows", [])
        for axis, row in enumerate(rows):
            key = (id(mobject), axis, mobject.version)
            yield "ticks", key, " ".join(row)
        for text in getattr(mobject, "words", []):
            yield "text", id(mobject), text
        return
    if isinstance(mobject, Readout):
        if getattr(mobject, "role", "") == BADGE:  # words: `w 10×, f 100×`
            yield "text", id(mobject), mobject.shown or ""
        elif mobject.get_updaters():
            quantity = getattr(mobject, "quantity", "")
            key = (id(mobject), mobject.row, quantity, round(mobject.origin[1], 3))
            yield "readout", key, mobject.shown or ""
        else:  # a static label: a tick of a 3-D axis, grouped by its axis
            yield "label", mobject.row or id(mobject), mobject.shown or ""
        return
    if isinstance(mobject, (Text, MarkupText)):
        yield "text", id(mobject), str(mobject.original_text)
        return
    if isinstance(mobject, TextPath):
        yield "text", id(mobject), mobject.words
        return
    if isinstance(mobject, Holder):
        yield from walk(mobject.shown, seen)
    for child in mobject.submobjects:
        yield from walk(child, seen)


def record(
    shown: Shown, step: float, found: list[Item], traces: Sequence[Trace]
) -> None:
    """File one step's items: rows, texts, worked updates, the quadratic's rows."""
    readouts = [(key, text) for kind, key, text in found if kind == "readout"]
    for kind, key, text in found:
        shown.texts.add(text)
        if kind == "ticks":
            shown.rows.setdefault(("ticks", key), []).append((step, text))
        elif kind == "label":
            shown.rows.setdefault(("label", key), []).append((step, text))
    # A worked update may take two readouts: `= a − lr × g`, then `= r`
    labels = [text for _, key, text in found if key_row(key) == UPDATE_LABEL_ROW]
    made = re.search(r"(\d[\d\u2009]*) →", labels[0]) if labels else None
    update = int(made[1].replace("\u2009", "")) if made else -1
    index = 0
    while index < len(readouts):
        key, text = readouts[index]
        follows = readouts[index + 1][1] if index + 1 < len(readouts) else ""
        if EQUATION.fullmatch(text) and RESULT.fullmatch(follows):
            text = f"{text} {follows}"
            index += 1
        if EQUATION.fullmatch(text):
            shown.equations.append((step, text))
            shown.updates.setdefault(key, []).append((step, text, update))
        if text:
            shown.rows.setdefault(("readout", key), []).append((step, text))
        index += 1
    quadratic = [t for t in traces if t.problem in ("quadratic", "function")]
    if quadratic:
        by_name: dict[str, list[str]] = {}
        for key, text in readouts:
            name = str(key[1]) if isinstance(key, tuple) else ""
            name = name or NUMBER.split(text)[0].strip()  # "w    2.000": its name
            number = NUMBER.search(text)
            by_name.setdefault(name, []).append(number[0] if number else "")
        ws = [w for n in W_NAMES for w in by_name.get(n, [])]
        fs = [f for n in F_NAMES for f in by_name.get(n, [])]
        gs = [g for n in G_NAMES for g in by_name.get(n, [])] or [""] * len(ws)
        for w, f, g in zip(ws, fs, gs, strict=False):
            if w:
                shown.quadratics.append((step, w, f, g))


# -- the rules -----------------------------------------------------------------------


def key_row(key: object) -> object:
    """The row name in a readout's key, if it has one."""
    return key[1] if isinstance(key, tuple) and len(key) > 1 else None
