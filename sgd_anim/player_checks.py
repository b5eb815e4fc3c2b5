"""The lecture player's checks: what `--format html` and `--vary` take, before any work.

A player is one scene's clip in one HTML file (sgd_anim.files.player); `--vary`
makes a run per value of one run option, each checked as if typed alone
(`--lr 0.02`, then `--lr 0.1`, ...). Messages spell options as the caller does.
"""

from __future__ import annotations

from dataclasses import replace

from sgd_anim.errors import OptionError
from sgd_anim.options import RenderOptions
from sgd_anim.registry import SceneSpec
from sgd_anim.run_checks import Spell, checked_run
from sgdcore.config import RunOptions

PLAYER = "html"
PLAYER_QUALITY = "medium"  # 720p30: a player of four runs stays near 10 MB


def default_format(options: RenderOptions) -> str | None:
    """The format when none is given: a player with --vary and no -o, else as before."""
    if options.fmt is None and options.output is None and options.vary is not None:
        return PLAYER
    return options.fmt


def player_quality(options: RenderOptions, fmt: str) -> str:
    """The quality: a player's own unless --quality was given."""
    if fmt == PLAYER and "quality" not in options.given:
        return PLAYER_QUALITY
    return options.quality


def check_player(options: RenderOptions, fmt: str, spell: Spell = str) -> None:
    """Refuse what a player cannot carry, and --vary anywhere but in a player."""
    if options.vary is not None:
        vary = spell("vary")
        if options.scene == "all" or options.slides:
            where = "--scene all" if options.scene == "all" else spell("slides")
            raise OptionError(
                f"{vary} makes one scene's player; not with {where}.", "vary"
            )
        if fmt != PLAYER:
            message = f"{vary} puts its runs in one player: use {spell('fmt')} html."
            raise OptionError(message, "vary")
        if options.trace is not None:
            message = f"{vary} trains a run per value; {spell('trace')} replays one."
            raise OptionError(message, "vary")
        if options.save_trace is not None:
            message = f"{vary} trains several runs; {spell('save_trace')} saves one."
            raise OptionError(message, "vary")
        if options.vary.name in options.given:
            name = spell(options.vary.name)
            message = f"{name} is given and varied; give it only in {vary}."
            raise OptionError(message, "vary")
    if fmt == PLAYER and options.scene != "all" and not options.slides:
        for name, why in (
            ("transparent", "its video is an mp4, which has no alpha channel"),
            ("poster", "it opens on the start of the run"),
            ("captions", "it carries its captions inside"),
        ):
            if name in options.given:
                raise OptionError(
                    f"{spell(name)} does not apply to a player: {why}.", name
                )


def varied_runs(
    options: RenderOptions, specs: list[SceneSpec], spell: Spell = str
) -> tuple[RunOptions, ...]:
    """A run's options per value of --vary, each checked as if typed alone."""
    if options.vary is None:
        return ()
    name = options.vary.name
    runs = []
    for value in options.vary.values:
        alone = replace(options, **{name: value}, given=options.given | {name})
        try:
            runs.append(checked_run(alone, specs, spell))
        except OptionError as error:
            raise OptionError(error.message, "vary") from None
    return tuple(runs)
