"""Checks of the run options: which a scene takes, which clash, whether saved runs fit.

Messages spell options as the caller does (`spell`: `--batch-size` on the command
line, `batch_size` from Python).
"""

from __future__ import annotations

from collections.abc import Callable

from sgd_anim.errors import OptionError
from sgd_anim.options import RenderOptions
from sgd_anim.registry import RUN_OPTIONS, SCENES, SceneSpec
from sgd_anim.values import SavedRuns
from sgdcore.config import RunOptions, chosen_configs
from sgdcore.trace_consistency import check_consistency

Spell = Callable[[str], str]  # an option's name as the caller writes it


def checked_run(
    options: RenderOptions, specs: list[SceneSpec], spell: Spell = str
) -> RunOptions:
    """The run options, refused where a scene does not take one or two clash."""
    given = frozenset(name for name in RUN_OPTIONS if name in options.given)
    check_run_options(spell, specs, given, every=options.scene == "all")
    if "data" in given:
        why = f"{spell('data')} brings its own points; {{}} cannot change how many."
        refuse(spell, sorted(given), ("n",), why)
    return RunOptions(
        learning_rate=options.lr,
        n_steps=options.steps,
        start=options.start,
        seed=options.seed,
        n=options.n,
        batch_size=options.batch_size,
        epochs=options.epochs,
        optimizers=options.optimizers,
        degree=options.degree,
        weight_decay=options.weight_decay,
        valid_fraction=options.valid_fraction,
        data=options.data,
        function=options.function,
        batch_sizes=options.batch_sizes,
    )


def refuse(spell: Spell, typed: list[str], names: tuple[str, ...], why: str) -> None:
    """Refuse if the caller set any of `names`: `why` says why, naming the first."""
    for name in names:
        if name in typed:
            raise OptionError(why.format(spell(name)))


def check_run_options(
    spell: Spell, specs: list[SceneSpec], given: frozenset[str], every: bool
) -> None:
    """Refuse a run option that a scene does not take (with --scene all: any scene)."""
    for name in (name for name in RUN_OPTIONS if name in given):
        refusing = [spec.name for spec in specs if name not in spec.options]
        if not refusing:
            continue
        option = spell(name)
        if every:
            message = (
                f"cannot apply to all: {', '.join(refusing)} "
                f"take{'s' * (len(refusing) == 1)} no {option}."
            )
        else:
            taken = ", ".join(spell(o) for o in RUN_OPTIONS if o in specs[0].options)
            message = f"{refusing[0]} takes no {option} (it takes {taken})."
        raise OptionError(message, name)


def check_trace(
    spell: Spell, spec: SceneSpec, replay: SavedRuns, given: frozenset[str]
) -> None:
    """Refuse saved runs that `spec` cannot replay, or run options that would change them."""
    if given:
        names = ", ".join(spell(name) for name in RUN_OPTIONS if name in given)
        raise OptionError(f"--trace replays a recorded run; {names} cannot change it.")
    where = replay.path or "the recorded run"
    try:
        spec.check_traces(replay.traces)
    except ValueError as error:
        fitting = [s.name for s in SCENES.values() if s.replays(replay.traces)]
        fits = ", ".join(fitting) or "no scene"
        raise OptionError(
            f"{where}: {error} (these runs fit {fits}).", "trace"
        ) from None


def check_consistent(replay: SavedRuns) -> None:
    """Refuse saved runs whose numbers disagree with each other, naming the first step
    and quantity (sgdcore.trace_consistency)."""
    where = replay.path or "the recorded run"
    for index, trace in enumerate(replay.traces):
        try:
            check_consistency(trace)
        except ValueError as error:
            run = f"run {index}, " if len(replay.traces) > 1 else ""
            raise OptionError(f"{where}: {run}{error}.", "trace") from None


def check_runs_of_every_scene(run: RunOptions) -> None:
    """Refuse run options that some scene's runs cannot take, before anything renders."""
    for spec in SCENES.values():
        try:
            chosen_configs(spec.runs, run)
        except ValueError as error:
            raise OptionError(
                f"--scene all gives every scene the same run options; {spec.name}: "
                f"{error}."
            ) from None
