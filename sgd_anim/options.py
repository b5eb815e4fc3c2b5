"""One render's options, parsed: `RenderOptions`, frozen, with the names the caller set.

Each value goes through its option's parser (sgd_anim.option_table.OPTIONS); the
checks that need several options or the scene registry are sgd_anim.request's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sgd_anim import values
from sgd_anim.errors import OptionError
from sgd_anim.option_table import (
    ALPHA_FORMAT_NAMES,
    FORMAT_NAMES,
    OPTIONS,
    QUALITY_NAMES,
    SCENE_NAMES,
    THEME_NAMES,
    Option,
)
from sgd_anim.values import SavedRuns
from sgd_anim.vary import Vary

if TYPE_CHECKING:
    from sgdcore.functions import Function1D
    from sgdcore.user_data import Points

__all__ = [
    "ALPHA_FORMAT_NAMES",
    "FORMAT_NAMES",
    "OPTIONS",
    "QUALITY_NAMES",
    "SCENE_NAMES",
    "THEME_NAMES",
    "Option",
    "OptionError",
    "RenderOptions",
]
# Names people reach for (RunOptions', Python's) and the keyword they mean
ALIASES = {"learning_rate": "lr", "n_steps": "steps", "format": "fmt"}


@dataclass(frozen=True)
class RenderOptions:
    """One render's options, each parsed; `given`: the names the caller set."""

    scene: str
    quality: str = "high"
    output: Path | None = None
    fmt: str | None = None
    transparent: bool = False
    theme: str = "dark"
    poster: bool = False
    captions: bool = False
    pace: float | None = None
    jobs: int = 1
    slides: bool = False
    vary: Vary | None = None
    lr: float | None = None
    steps: int | None = None
    start: tuple[float, ...] | None = None
    seed: int = 42
    n: int | None = None
    batch_size: int | None = None
    epochs: int | None = None
    optimizers: tuple[str, ...] | None = None
    degree: tuple[int, ...] | None = None
    weight_decay: float | None = None
    valid_fraction: float = 0.3
    data: Points | None = field(default=None, repr=False)
    function: Function1D | None = None
    batch_sizes: tuple[int, ...] | None = None
    trace: SavedRuns | None = field(default=None, repr=False)
    save_trace: Path | None = None
    given: frozenset[str] = frozenset()

    @classmethod
    def parse(
        cls,
        scene: str,
        keywords: Mapping[str, Any],
        allowed: Mapping[str, Option] = OPTIONS,
        defaults: Mapping[str, Any] | None = None,
    ) -> RenderOptions:
        """Parse keywords (text or Python values) into options; None means unset.

        `defaults` replaces some defaults (a notebook's quality, say) without
        counting as given.
        """
        unknown = [name for name in keywords if name not in allowed or name == "scene"]
        if unknown:
            raise OptionError(unknown_message(unknown[0], list(allowed)))
        parsed: dict[str, Any] = {"scene": parse_one("scene", scene)}
        parsed.update(defaults or {})
        given = set()
        for name, value in keywords.items():
            if value is None or (value is False and OPTIONS[name].default is False):
                continue  # left at its default, as on the command line
            parsed[name] = parse_one(name, value)
            given.add(name)
        return cls(**parsed, given=frozenset(given))


def parse_one(name: str, value: Any) -> Any:
    """`value` parsed by option `name`'s parser; a bad one is an OptionError."""
    try:
        return OPTIONS[name].parse(value)
    except values.BadValue as error:
        raise OptionError(str(error), name) from None


def unknown_message(name: str, allowed: list[str]) -> str:
    """ "no option 'x'", with the closest keyword or the list of them."""
    keywords = [key for key in allowed if key != "scene"]
    close = [ALIASES[name]] if name in ALIASES else []
    close = close or get_close_matches(name, keywords, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; one of {keywords}"
    return f"no option {name!r}{hint}"


FIELD_NAMES = [item.name for item in fields(RenderOptions) if item.name != "given"]
assert list(OPTIONS) == FIELD_NAMES, "RenderOptions' fields follow OPTIONS"
