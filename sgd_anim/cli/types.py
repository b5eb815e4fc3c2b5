"""The command line's parameter types: click's face over the library's parsers.

Each type calls its option's parser (sgd_anim.values, through OPTIONS), so a value
typed after a flag is read exactly as the same value given to `sgd_anim.render()`;
click only adds the metavar and the range --help shows.
"""

from __future__ import annotations

from typing import Any

import click

from sgd_anim.echo import one_line
from sgd_anim.options import OPTIONS, Option
from sgd_anim.values import BadValue


class Parsed(click.ParamType):  # type: ignore[type-arg]  # generic only in stubs
    """A value read by its option's parser; a bad one fails at its parameter."""

    name = "value"

    def __init__(self, option: Option, metavar: str | None = None) -> None:
        self.option = option
        if metavar is not None:
            self.name = metavar

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        try:
            return self.option.parse(value)
        except BadValue as error:
            self.fail(one_line(str(error)), param, ctx)


class Count(Parsed, click.IntRange):
    """A whole number in a range, shown in --help as `[1<=x<=100000]`."""

    name = "integer"

    def __init__(self, option: Option) -> None:
        assert option.bounds is not None, option.name
        Parsed.__init__(self, option)
        low, high, low_open, high_open = option.bounds
        click.IntRange.__init__(self, low, high, low_open, high_open)  # type: ignore[arg-type]


class Real(Parsed, click.FloatRange):
    """A float in a range (a fraction, a weight decay), shown with it in --help."""

    name = "float"

    def __init__(self, option: Option) -> None:
        assert option.bounds is not None, option.name
        Parsed.__init__(self, option)
        low, high, low_open, high_open = option.bounds
        click.FloatRange.__init__(self, low, high, low_open, high_open)


class PositiveFinite(Real):
    """A finite float above 0, at most a limit: a learning rate, a pace."""


class Numbers(Parsed):
    """Comma-separated numbers, such as a starting point `-1,1`."""

    name = "numbers"


class Degrees(Parsed):
    """Comma-separated polynomial degrees, such as `1,5,18`."""

    name = "degrees"


class BatchSizes(Parsed):
    """Comma-separated batch sizes, increasing, such as `1,5,10,50`."""

    name = "sizes"


class Names(Parsed):
    """Comma-separated names, such as `gd,adam`."""

    name = "names"


class Varied(Parsed):
    """A run option and its values, such as `lr=0.02,0.1,0.4`."""

    name = "name=values"


class TraceFile(Parsed):
    """A trace saved with --save-trace (one run or several), loaded safely."""

    name = "trace.npz"


class DataFile(Parsed):
    """Points to fit: a CSV of x, y rows, checked at once."""

    name = "file.csv"


class FilePath(Parsed, click.Path):
    """A file (or, for --scene all, folder) to write."""

    def __init__(self, option: Option) -> None:
        Parsed.__init__(self, option)
        click.Path.__init__(self, dir_okay=option.name == "output")


class Choice(Parsed, click.Choice):  # type: ignore[type-arg]
    """One of a list of names, listed in --help."""

    def __init__(self, option: Option, choices: list[str]) -> None:
        Parsed.__init__(self, option)
        click.Choice.__init__(self, choices)


def type_of(name: str) -> click.ParamType:  # type: ignore[type-arg]
    """The click type of option `name`."""
    from sgd_anim.options import FORMAT_NAMES, QUALITY_NAMES, SCENE_NAMES, THEME_NAMES
    from sgdcore.functions import BUILT_IN

    option = OPTIONS[name]
    choices = {
        "scene": SCENE_NAMES,
        "quality": QUALITY_NAMES,
        "fmt": FORMAT_NAMES,
        "theme": THEME_NAMES,
        "function": list(BUILT_IN),
    }
    kinds: dict[str, type[Parsed]] = {
        "start": Numbers,
        "degree": Degrees,
        "optimizers": Names,
        "batch_sizes": BatchSizes,
        "trace": TraceFile,
        "data": DataFile,
        "vary": Varied,
    }
    if name in choices:
        return Choice(option, choices[name])
    if name in ("output", "save_trace"):
        return FilePath(option)
    if name in kinds:
        return kinds[name](option)
    if name in ("lr", "pace"):
        return PositiveFinite(option)
    if name in ("weight_decay", "valid_fraction"):
        return Real(option)
    if option.bounds is not None:
        return Count(option)
    raise LookupError(f"no click type for {name}")
