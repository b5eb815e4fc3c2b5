"""The scene registry: one entry per scene, everything about it in one place.

Each entry names the scene class, the problem its runs solve, the default runs it
shows, the run options it accepts and its default pace. `--list`, the CLI's checks,
training (`train_runs`) and `--scene all` all read `SCENES`. Importing this module
loads neither torch nor manim: scene classes are imported only when rendered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sgd_anim.scene_spec import RUN_OPTIONS, SceneSpec
from sgdcore.config import (
    CURVE_FIT,
    EARLY_STOPPING,
    GOOD_FIT,
    JUST_RIGHT,
    LESSON,
    NOISE_RUNS,
    NOISE_SIZES,
    OPTIMIZER_RUNS,
    OVERFIT,
    TOO_HIGH,
    TOO_LOW,
    UNDERFIT,
    WEIGHT_DECAY,
    RunOptions,
)
from sgdcore.trace_checks import same_problem

__all__ = ["RUN_OPTIONS", "SCENES", "SceneSpec", "same_problem", "train_runs"]

if TYPE_CHECKING:
    from sgdcore.trace import Trace

LINE_FIT_OPTIONS = frozenset({"lr", "steps", "start", "seed", "n", "data"})
QUADRATIC_OPTIONS = frozenset({"lr", "steps", "start"})
CURVE_OPTIONS = frozenset({"lr", "steps", "seed", "n", "degree", "valid_fraction"})
FUNCTION_OPTIONS = QUADRATIC_OPTIONS | {"function"}  # one scene draws any f(w)


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
            "a learning rate above 1/c: each hop lands farther out",
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
            pace=6.0,  # later epochs, each in under 2 s; the first: a batch a second
            needs=("batch_size", "batches_per_epoch"),  # its title and epoch counter
            redraws=True,
        ),
        SceneSpec(
            "gradient_noise",
            "why mini-batches work: batch gradients scatter around the full one",
            "scenes.gradient_noise:GradientNoise",
            "linear_regression",
            NOISE_RUNS,
            LINE_FIT_OPTIONS | {"batch_sizes"},
            pace=12.0,
            needs=("batch_size",),  # each run's name on screen
            batch_sizes=NOISE_SIZES,
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
            pace=8.0,  # 80 steps in 10 s: slow enough to follow three paths racing
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
            "degree 18 with and without weight decay",
            "scenes.regularization:Regularization",
            "polynomial",
            (EARLY_STOPPING, replace(EARLY_STOPPING, weight_decay=WEIGHT_DECAY)),
            CURVE_OPTIONS | {"weight_decay"},
            pace=250.0,
            needs=("degree",),
        ),
    )
}


def train_runs(scene: str, options: RunOptions = RunOptions()) -> list[Trace]:
    """Train the runs behind `scene` with the user's overrides (imports torch)."""
    return SCENES[scene].train(options)
