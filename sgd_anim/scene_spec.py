"""What one scene of the registry is (sgd_anim.registry): a SceneSpec, and the run
options a scene may take.

Importing this module loads neither torch nor manim: a scene's class is imported only
when rendered, its runs' trainer only when trained.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sgdcore.config import RunOptions, SGDConfig
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
    "batch_sizes",
)


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
    batch_sizes: tuple[int, ...] = ()  # the batch sizes whose gradients it shows at
    # the start (--batch-sizes); its runs then take the smallest and the largest

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
        if self.batch_sizes and not first.noise_sizes.size:
            raise ValueError(
                f"run 0 records no batch gradients at its start, which {self.name} "
                "shows"
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
        if self.batch_sizes:
            from sgdcore.gradient_noise import noise_traces

            return noise_traces(self.problem, self.runs, options, self.batch_sizes)
        from sgdcore.runs import build_traces

        return build_traces(self.problem, self.runs, options)
