"""The scene registry: one entry per scene, everything about it in one place.

Each entry names the scene class, the problem its runs solve, the default runs it
shows, the run options it accepts and its default pace. `--list`, the CLI's checks,
training (`train_runs`) and `--scene all` all read `SCENES`. Importing this module
loads neither torch nor manim: scene classes are imported only when rendered.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sgdcore.config import (
    CURVE_FIT,
    DECAY_POWER,
    EARLY_STOPPING,
    GOOD_FIT,
    JUST_RIGHT,
    LESSON,
    OPTIMIZER_RUNS,
    OVERFIT,
    TOO_HIGH,
    TOO_LOW,
    UNDERFIT,
    WEIGHT_DECAY,
    RunOptions,
    SGDConfig,
)
from sgdcore.trace_checks import DRAWABLE, has_floor, largest_drawn, same_problem

if TYPE_CHECKING:
    from scenes.replay import ReplayScene
    from sgdcore.trace import Trace

# Run options a user may set, by the CLI's parameter names; each scene takes a subset.
RUN_OPTIONS = (
    "lr",
    "steps",
    "start",
    "seed",
    "n",
    "batch_size",
    "epochs",
    "optimizers",
    "degree",
    "weight_decay",
    "valid_fraction",
    "data",
    "function",
)
LINE_FIT_OPTIONS = frozenset({"lr", "steps", "start", "seed", "n", "data"})
QUADRATIC_OPTIONS = frozenset({"lr", "steps", "start"})
CURVE_OPTIONS = frozenset({"lr", "steps", "seed", "n", "degree", "valid_fraction"})
FUNCTION_OPTIONS = QUADRATIC_OPTIONS | {"function"}  # one scene draws any f(w)


@dataclass(frozen=True)
class SceneSpec:
    """What one scene is: its class, its problem, the runs it shows and how fast."""

    name: str  # the CLI name, `--scene NAME`
    description: str  # one line for `--list`
    scene: str  # "module:Class", imported only to render
    problem: str  # what every run it shows solves
    runs: tuple[SGDConfig, ...]  # the default runs, one per trace shown
    options: frozenset[str]  # the run options (RUN_OPTIONS) it accepts
    pace: float  # steps shown per second of video, unless --pace says otherwise
    fewer_runs: bool = False  # True: any non-empty subset of the runs (--optimizers)
    needs: tuple[str, ...] = ()  # meta fields a replayed run must have, besides the
    # problem's own (sgdcore.trace.REQUIRED_META checks those when it loads)
    redraws: bool = False  # draws a residual per point of each step's batch (of its
    # first run) in every frame: the render's time grows with the points (render_limits)
    needs_floor: bool = False  # divides by the least-squares loss (surface_3d's bowl
    # height), so the data must not lie exactly on a line
    also: tuple[str, ...] = ()  # other problems it replays (--function's f(w))

    def __post_init__(self) -> None:
        unknown = self.options - set(RUN_OPTIONS)
        if unknown:
            raise ValueError(f"{self.name}: unknown run options {sorted(unknown)}")
        if not self.runs or self.pace <= 0 or ":" not in self.scene:
            raise ValueError(
                f"{self.name}: needs runs, a positive pace and module:Class"
            )

    @property
    def n_runs(self) -> int:
        """How many runs the scene shows by default (its most)."""
        return len(self.runs)

    def shows(self, count: int) -> bool:
        """Whether the scene can show `count` runs."""
        return 1 <= count <= self.n_runs if self.fewer_runs else count == self.n_runs

    def check_traces(self, traces: Sequence[Trace]) -> None:
        """Raise ValueError unless the scene can replay `traces` (checked Traces).

        The right number of runs of its problem, each with at least one step and the
        meta fields it reads, and all on the one data set (or quadratic) it draws.
        """
        count = f"1 to {self.n_runs}" if self.fewer_runs else str(self.n_runs)
        if not self.shows(len(traces)):
            raise ValueError(
                f"{self.name} replays {count} {self.problem} run(s), not {len(traces)}"
            )
        first = traces[0]
        for index, trace in enumerate(traces):
            run = f"run {index}" if len(traces) > 1 else "the run"
            if trace.problem not in (self.problem, *self.also):
                raise ValueError(
                    f"{run} is {trace.problem}; {self.name} replays {self.problem}"
                )
            if trace.n_steps < 1:
                raise ValueError(f"{run} records no steps; {self.name} replays steps")
            missing = [name for name in self.needs if name not in trace.meta]
            if missing:
                raise ValueError(
                    f"{run}'s meta lacks {missing[0]!r}, which {self.name} shows"
                )
            if not same_problem(trace, first):
                raise ValueError(
                    f"runs 0 and {index} solve different problems; {self.name} draws one"
                )
            if largest_drawn(trace) > DRAWABLE:
                raise ValueError(
                    f"{run} holds parameters or data past ±{DRAWABLE:g}, beyond any "
                    f"plot {self.name} draws"
                )
        if self.needs_floor and not has_floor(first):
            raise ValueError(
                f"its data lie on a line; {self.name}'s bowl needs a least-squares "
                "loss above 0"
            )

    def replays(self, traces: Sequence[Trace]) -> bool:
        """Whether the scene can replay `traces` (check_traces without the reason)."""
        try:
            self.check_traces(traces)
        except ValueError:
            return False
        return True

    def scene_class(self) -> type[ReplayScene]:
        """The scene's class (imports manim and the scene's module)."""
        module, name = self.scene.split(":")
        scene: type[ReplayScene] = getattr(importlib.import_module(module), name)
        return scene

    def train(self, options: RunOptions = RunOptions()) -> list[Trace]:
        """Train the scene's runs with `options` (imports torch)."""
        from sgdcore.runs import build_traces

        return build_traces(self.problem, self.runs, options)


SCENES: dict[str, SceneSpec] = {
    spec.name: spec
    for spec in (
        SceneSpec(
            "fit_line",
            "gradient descent fits a line to 100 noisy points",
            "scenes.fit_line:FitLine",
            "linear_regression",
            (LESSON,),
            LINE_FIT_OPTIONS,
            pace=12.5,  # the lesson's 100 steps in 8 s
            redraws=True,
        ),
        SceneSpec(
            "lr_too_high",
            "a learning rate above 1/c: every jump overshoots",
            "scenes.learning_rate:LearningRate",
            "quadratic",
            (TOO_HIGH,),
            FUNCTION_OPTIONS,
            pace=1.25,  # hops per second: slow enough to follow each jump
            also=("function",),
        ),
        SceneSpec(
            "lr_too_low",
            "a tiny learning rate crawls towards the minimum",
            "scenes.learning_rate:LearningRate",
            "quadratic",
            (TOO_LOW,),
            FUNCTION_OPTIONS,
            pace=4.0,  # twenty alike tiny hops: the point is made in the first few
            also=("function",),
        ),
        SceneSpec(
            "lr_just_right",
            "a good learning rate: the minimum in a few steps",
            "scenes.learning_rate:LearningRate",
            "quadratic",
            (JUST_RIGHT,),
            FUNCTION_OPTIONS,
            pace=1.25,
            also=("function",),
        ),
        SceneSpec(
            "lr_compare",
            "too low, just right and too high, side by side",
            "scenes.lr_compare:LrCompare",
            "quadratic",
            # Same start and step count for all three, so the panels stay in sync;
            # no --lr: the scene exists to compare its own three.
            tuple(replace(c, n_steps=12) for c in (TOO_LOW, JUST_RIGHT, TOO_HIGH)),
            QUADRATIC_OPTIONS - {"lr"},
            pace=1.25,
        ),
        SceneSpec(
            "minibatch",
            "stochastic gradient descent: a random mini-batch per step",
            "scenes.minibatch:Minibatch",
            "linear_regression",
            # Batches of 10 of the 100 points, 6 epochs = 60 updates at lr 0.1; the
            # second run is plain gradient descent over as many updates, as a ghost.
            (replace(LESSON, n_steps=60, batch_size=10), replace(LESSON, n_steps=60)),
            LINE_FIT_OPTIONS | {"batch_size", "epochs"},
            pace=12.0,  # later epochs; the first goes at a batch a second
            needs=("batch_size", "batches_per_epoch"),  # its title and epoch counter
            redraws=True,
        ),
        SceneSpec(
            "landscape",
            "the line, its path over the loss contours and the loss curve, in step",
            "scenes.landscape:Landscape",
            "linear_regression",
            (LESSON,),
            LINE_FIT_OPTIONS,
            pace=12.5,
            redraws=True,
        ),
        SceneSpec(
            "surface_3d",
            "the loss surface in 3-D, gradient descent rolling down it",
            "scenes.surface_3d:Surface3D",
            "linear_regression",
            (LESSON,),
            LINE_FIT_OPTIONS,
            pace=10.0,
            needs_floor=True,  # its height is log10(1 + excess / least-squares loss)
        ),
        SceneSpec(
            "optimizers",
            "gradient descent, momentum and Adam on the same contours",
            "scenes.optimizers:Optimizers",
            "linear_regression",
            # Each at its own learning rate (sgdcore.config); --lr sets all three
            OPTIMIZER_RUNS,
            LINE_FIT_OPTIONS | {"optimizers"},
            pace=8.0,  # 80 steps in 10 s: slow enough to follow three paths
            fewer_runs=True,
            needs=("optimizer",),  # each path's colour and name
        ),
        SceneSpec(
            "underfit_overfit",
            "a line, degree 5 and 18 on the same points: underfit, fit, overfit",
            "scenes.underfit_overfit:UnderfitOverfit",
            "polynomial",
            tuple(replace(CURVE_FIT, degree=d) for d in (UNDERFIT, GOOD_FIT, OVERFIT)),
            CURVE_OPTIONS,
            pace=250.0,  # log time gives the 1000 steps their time (the scene's)
            needs=("degree",),
        ),
        SceneSpec(
            "validation",
            "a flexible model trained long: the validation loss turns up; stop there",
            "scenes.validation:Validation",
            "polynomial",
            # Smooth first, the wiggles growing with the steps
            (EARLY_STOPPING,),
            CURVE_OPTIONS,
            pace=160.0,  # 1000 steps in about 6 s; the first, where the model
            # forms, go slowly
            needs=("degree",),
        ),
        SceneSpec(
            "regularization",
            "degree 18 with and without weight decay that grows with the degree",
            "scenes.regularization:Regularization",
            "polynomial",
            tuple(
                replace(EARLY_STOPPING, weight_decay=decay, decay_power=power)
                for decay, power in ((0.0, 0), (WEIGHT_DECAY, DECAY_POWER))
            ),
            CURVE_OPTIONS | {"weight_decay"},
            pace=250.0,
            needs=("degree",),
        ),
    )
}


def train_runs(scene: str, options: RunOptions = RunOptions()) -> list[Trace]:
    """Train the runs behind `scene` with the user's overrides (imports torch)."""
    return SCENES[scene].train(options)
