"""`--vary lr=0.02,0.1,0.4`: one run option set to each of a few values, a run each.

The lecture player (`--format html`) renders the scene once per value and puts a
slider over the runs. Each value is read by its own option's parser
(sgd_anim.option_table.OPTIONS), exactly as `--lr 0.02` would read it; values are
separated by commas, or by semicolons for an option whose own value holds commas
(`--vary "start=-1,1;2,0.5"`). From Python: `vary={"lr": [0.02, 0.1, 0.4]}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sgd_anim.echo import short, shown
from sgd_anim.values import SPACE, BadValue

MIN_RUNS, MAX_RUNS = 2, 9
# RunOptions' own names for the options called otherwise on the command line
RUN_FIELDS = {"lr": "learning_rate", "steps": "n_steps"}


@dataclass(frozen=True)
class Vary:
    """A run option and the values it takes, one run each, with their labels."""

    name: str  # a run option (sgd_anim.registry.RUN_OPTIONS)
    values: tuple[Any, ...]  # each as its option's parser returned it
    labels: tuple[str, ...]  # each as the run slider shows it

    @property
    def field(self) -> str:
        """The RunOptions field this option sets."""
        return RUN_FIELDS.get(self.name, self.name)


def vary(value: Any) -> Vary:
    """`name=v1,v2,...` as text, or `{name: [v1, v2, ...]}` from Python."""
    from sgd_anim.option_table import OPTIONS
    from sgd_anim.registry import RUN_OPTIONS

    if isinstance(value, Vary):
        return value
    name, items = split(value)
    if name not in RUN_OPTIONS:
        raise BadValue(
            f"{short(name)} is not a run option; one of {', '.join(RUN_OPTIONS)}."
        )
    if not MIN_RUNS <= len(items) <= MAX_RUNS:
        raise BadValue(f"{MIN_RUNS} to {MAX_RUNS} values of {name}, not {len(items)}.")
    parsed = []
    for item in items:
        try:
            parsed.append(OPTIONS[name].parse(item))
        except BadValue as error:
            raise BadValue(f"{name}: {error}") from None
    labels = tuple(
        label(item, number) for item, number in zip(items, parsed, strict=True)
    )
    if len(set(labels)) < len(labels):
        raise BadValue(f"each value of {name} once, not {', '.join(labels)}.")
    return Vary(name, tuple(parsed), labels)


def split(value: Any) -> tuple[str, list[Any]]:
    """The option's name and its values, not yet parsed."""
    if isinstance(value, str):
        name, equals, rest = value.partition("=")
        if not equals or not rest.strip(SPACE):
            raise BadValue(f"{short(value)} is not NAME=VALUE,VALUE (lr=0.02,0.1,0.4).")
        separator = ";" if ";" in rest else ","
        items = [item.strip(SPACE) for item in rest.split(separator)]
        return name.strip(SPACE), items
    if isinstance(value, Mapping) and len(value) == 1:
        ((name, items),) = value.items()
        if isinstance(items, Sequence) and not isinstance(items, str):
            return str(name), list(items)
    raise BadValue(
        f"{short(value)} is not {{name: [values]}} (one option) or 'name=v1,v2'."
    )


def label(given: Any, parsed: Any) -> str:
    """A value as the run slider shows it: as typed, else written out."""
    if isinstance(given, str):
        return given
    if isinstance(parsed, bool) or parsed is None:
        return str(parsed)
    if isinstance(parsed, int | float):
        return shown(parsed)
    if isinstance(parsed, tuple):
        return ", ".join(
            shown(item) if isinstance(item, int | float) else str(item)
            for item in parsed
        )
    return getattr(parsed, "name", None) or type(parsed).__name__
