"""Settings of a run, and the lesson's own runs: plain dataclasses, no torch.

The scene registry reads the named runs below as each scene's default, so `--list`
and the CLI's checks answer without importing torch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from sgdcore.trace import MetaValue

if TYPE_CHECKING:
    from sgdcore.functions import Function1D
    from sgdcore.user_data import Points

OPTIMIZERS = ("gd", "momentum", "adam")
T = TypeVar("T")


@dataclass(frozen=True)
class SGDConfig:
    """Settings of one run; the defaults are the lesson's."""

    learning_rate: float = 0.1
    n_steps: int = 100
    start: tuple[float, ...] = (-1.0, 1.0)  # the lesson's first guess a = (-1, 1)
    batch_size: int | None = (
        None  # None: every sample each step (plain gradient descent)
    )
    seed: int = 42  # feeds the batch sampler; the data has its own seed
    # A loss this many times the starting loss (or 1, whichever is larger) counts as
    # diverged: by then every view has lost the point, and float32 soon overflows.
    divergence_factor: float = 1e6
    # "gd" is the notebook's own update, p.sub_(lr * p.grad); the others are torch.optim.
    # (torch.optim.SGD without momentum is not the same: it lands up to 1 ulp away.)
    optimizer: str = "gd"
    momentum: float = 0.9  # for "momentum": torch.optim.SGD's momentum
    betas: tuple[float, float] = (0.9, 0.999)  # for "adam": torch.optim.Adam's defaults
    # L2 weight decay: torch.optim's `weight_decay` (for "gd", torch.optim.SGD's)
    weight_decay: float = 0.0
    # Weight decay that grows with a polynomial's degree: the coefficient of degree k
    # decays by weight_decay · k**decay_power (0: every coefficient alike, as torch does)
    decay_power: int = 0
    degree: int | None = None  # the model's size where it has one: a polynomial's
    # Set when the learning rate was chosen for the input (sgdcore.curvature): why,
    # and the stable limit it is a share of; both go into the trace's meta
    lr_chosen: str | None = None
    lr_limit: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(
                f"learning rate must be a positive finite number, got {self.learning_rate}"
            )
        if self.n_steps < 1:
            raise ValueError(f"steps must be at least 1, got {self.n_steps}")
        if not self.start or not all(math.isfinite(value) for value in self.start):
            raise ValueError(f"start must be finite numbers, got {self.start}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch size must be at least 1, got {self.batch_size}")
        if not (math.isfinite(self.weight_decay) and self.weight_decay >= 0):
            raise ValueError(
                f"weight decay must be a finite number >= 0, got {self.weight_decay}"
            )
        if self.decay_power < 0:
            raise ValueError(f"decay power must be >= 0, got {self.decay_power}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}"
            )

    def hyperparameters(self) -> dict[str, MetaValue]:
        """The optimiser and its settings, for the trace's metadata."""
        extra: dict[str, MetaValue] = {}
        if self.optimizer == "momentum":
            extra["momentum"] = self.momentum
        elif self.optimizer == "adam":
            extra["betas"] = list(self.betas)
        if self.weight_decay:
            extra["weight_decay"] = self.weight_decay
            if self.decay_power:
                extra["decay_power"] = self.decay_power
        if self.lr_chosen is not None and self.lr_limit is not None:
            extra["lr_chosen"] = self.lr_chosen
            extra["lr_limit"] = self.lr_limit
        return {"optimizer": self.optimizer, **extra}


@dataclass(frozen=True)
class RunOptions:
    """What a user may change about a scene's run; None keeps the scene's default."""

    learning_rate: float | None = None
    n_steps: int | None = None
    start: tuple[float, ...] | None = None
    seed: int = 42
    n: int | None = None  # None: the problem's own (LINE_POINTS or CURVE_POINTS)
    batch_size: int | None = None  # mini-batch scenes only
    epochs: int | None = None  # mini-batch scenes only; sets the steps
    optimizers: tuple[str, ...] | None = None  # the optimizers scene only: which to run
    degree: tuple[int, ...] | None = None  # polynomial scenes: one per distinct degree
    weight_decay: float | None = None  # polynomial scenes: the regularised runs'
    valid_fraction: float = 0.3  # polynomial scenes: the share held out for validation
    data: Points | None = None  # line-fitting scenes: the user's, not the lesson's
    function: Function1D | None = None  # the learning-rate scenes: f(w) instead of w²
    batch_sizes: tuple[int, ...] | None = None  # gradient_noise: the sizes compared

    def points(self, problem: str) -> int:
        """How many data points `problem` gets: the option, or its default."""
        default = CURVE_POINTS if problem == "polynomial" else LINE_POINTS
        return default if self.n is None else self.n


# The lesson's line fit exactly: lr 0.1, 100 steps from a = (-1, 1).
LESSON = SGDConfig()
LINE_POINTS = 100  # the lesson's points

# The lesson's last act: polynomials fitted to 30 noisy points of a curve, 30% of them
# held out, each trained the same way from a flat start (all coefficients 0): gradient
# descent with a little momentum, which on Legendre features fits the smooth,
# low-degree shape within a few dozen steps and the noise only slowly after (the
# wiggles lie along the Hessian's small eigenvalues; momentum 0.5 takes them twice as
# fast as plain gradient descent, and hardly rings: 0.9 sloshes for fifty steps).
# 0.75 is a share of the stable limit 2/λ_max (sgdcore.curvature): 0.7 on the default
# points. By 1000 steps degree 18's validation loss is at least 1.5 times its lowest
# for every seed the tests try.
CURVE_POINTS = 30
MAX_CURVE_POINTS = 10_000  # every point is drawn, hollow or filled, in every frame
UNDERFIT, GOOD_FIT, OVERFIT = 1, 5, 18
CURVE_FIT = SGDConfig(
    learning_rate=0.75,
    n_steps=1000,
    start=(0.0,),
    optimizer="momentum",
    momentum=0.5,
    degree=GOOD_FIT,
)
# Trained long, one flexible model: the same training
EARLY_STOPPING = replace(CURVE_FIT, degree=OVERFIT)
# torch's weight decay, one λ for every coefficient, on the same run. On Legendre
# features it is ridge regression, which 1000 steps reach: 0.02 ends below the plain
# model's validation loss for every seed the tests try (seed 3, whose plain model
# barely overfits, by a fifth: 0.0211 against 0.0265), and it keeps the curve within
# the data's range, swinging at the ends less than the plain model (at seed 42 a
# third as much). From 0.03 seed 3 ends above it (0.0275), and no λ flattens the ends
# fully: a decay that grows with the degree (decay_power) does, but is not torch's.
WEIGHT_DECAY = 0.02


# The optimisers scene: the lesson's start and points, each optimiser set to suit this
# bowl (--lr sets all three learning rates). Plain gradient descent keeps the lesson's
# 0.1, and momentum races it fairly: its steps at full speed, lr / (1 − β) times the
# gradient, are 0.02 / (1 − 0.8) = 0.1 times it too, so what it gains it gains from the
# velocity it carries, not from a larger rate. The bowl is nearly round (its Hessian's
# eigenvalues are about 2/3 and 2), where the usual momentum 0.9 and Adam's β₁ 0.9, made
# for long narrow valleys, circle the minimum for 80 steps. Adam's step is at most its
# lr in each coordinate whatever the gradient's size, so its rate is not comparable;
# 0.3 with β₁ 0.8 settles without circling. Momentum reaches the least-squares loss (and
# stays within 1% of it) in under 80% of gradient descent's steps, Adam in under 60%,
# for every seed the tests try (seed 42: 42, 35 and 63 steps).
OPTIMIZER_RUNS = (
    replace(LESSON, n_steps=80),
    replace(LESSON, n_steps=80, optimizer="momentum", learning_rate=0.02, momentum=0.8),
    replace(
        LESSON, n_steps=80, optimizer="adam", learning_rate=0.3, betas=(0.8, 0.999)
    ),
)


# Gradient noise: every batch of one epoch at the lesson's start, batches of 1, 5, 10
# and 50 of its 100 points; then the smallest and largest batches trained side by
# side for as many updates (50 is half the points: a pass is 2 updates, not 100).
NOISE_SIZES = (1, 5, 10, 50)
NOISE_RUNS = tuple(
    replace(LESSON, n_steps=30, batch_size=size)
    for size in (NOISE_SIZES[0], NOISE_SIZES[-1])
)


def held_out_count(n: int, valid_fraction: float) -> int:
    """How many of `n` points a validation set of `valid_fraction` holds (1..n-2)."""
    return min(max(round(n * valid_fraction), 1), n - 2)


# The lesson's quadratic is f(w) = w**2 (sgdcore.runs.QUADRATIC), so f'(w) = 2w and each
# step multiplies w by (1 - 2 * lr). Plain gradient descent is stable only for lr < 1.
QUADRATIC_START = (2.0,)
# 1.1: every jump overshoots and lands 1.2 times further out (factor -1.2).
TOO_HIGH = SGDConfig(learning_rate=1.1, n_steps=10, start=QUADRATIC_START)
# 0.02: each step keeps 96% of the distance; after 20 steps w is still 0.88 away.
TOO_LOW = SGDConfig(learning_rate=0.02, n_steps=20, start=QUADRATIC_START)
# 0.4: each step keeps 20% of the distance: within 0.01 of the minimum in 4 steps,
# six steps in all (further ones change only digits past what the readouts show).
JUST_RIGHT = SGDConfig(learning_rate=0.4, n_steps=6, start=QUADRATIC_START)


def pick(override: T | None, default: T) -> T:
    """The user's value when given (even 0, which the config then refuses), else the default."""
    return default if override is None else override


def chosen_configs(
    defaults: Sequence[SGDConfig], options: RunOptions
) -> tuple[SGDConfig, ...]:
    """The default runs, with the user's overrides applied and checked."""
    n_params = len(defaults[0].start)
    if options.start is not None and len(options.start) != n_params:
        raise ValueError(f"the start is {n_params} number(s), got {len(options.start)}")
    if options.epochs is not None and options.n_steps is not None:
        raise ValueError("give --epochs or --steps, not both")
    batch_size = next((c.batch_size for c in defaults if c.batch_size), None)
    if batch_size is not None:
        batch_size = pick(options.batch_size, batch_size)
        if not 1 <= batch_size <= options.points("linear_regression"):
            n = options.points("linear_regression")
            raise ValueError(
                f"batch size must be between 1 and n = {n}, got {batch_size}"
            )
    n_steps = options.n_steps
    if options.epochs is not None and batch_size is not None:
        n_steps = options.epochs * math.ceil(
            options.points("linear_regression") / batch_size
        )  # updates per epoch
    configs = tuple(defaults)
    if defaults[0].degree is not None:
        configs = polynomial_configs(configs, options)
    if options.optimizers is not None:
        offered = [config.optimizer for config in configs]
        unknown = [name for name in options.optimizers if name not in offered]
        if unknown or not options.optimizers:
            given = ", ".join(options.optimizers) or "none"
            raise ValueError(
                f"optimizers must be some of {', '.join(offered)}, got {given}"
            )
        configs = tuple(c for c in configs if c.optimizer in options.optimizers)
    return tuple(
        replace(
            config,
            learning_rate=pick(options.learning_rate, config.learning_rate),
            n_steps=pick(n_steps, config.n_steps),
            start=pick(options.start, config.start)
            if config.degree is None
            else (0.0,) * (config.degree + 1),  # a polynomial starts flat
            batch_size=batch_size if config.batch_size else None,
            seed=options.seed,
        )
        for config in configs
    )


def polynomial_configs(
    configs: tuple[SGDConfig, ...], options: RunOptions
) -> tuple[SGDConfig, ...]:
    """Polynomial runs with the user's degrees and weight decay, checked against n.

    The degrees replace the runs' distinct degrees in order (underfit_overfit takes
    three, the others one); each must be at least 1 and below the training points.
    """
    n = options.points("polynomial")
    if not 0 < options.valid_fraction < 1:
        raise ValueError(
            f"the validation fraction must be between 0 and 1, got {options.valid_fraction:g}"
        )
    if not 4 <= n <= MAX_CURVE_POINTS:
        raise ValueError(
            f"a curve to fit and validate needs n from 4 to {MAX_CURVE_POINTS:,} "
            f"points, got {n:,}"
        )
    n_train = n - held_out_count(n, options.valid_fraction)
    distinct = list(dict.fromkeys(config.degree for config in configs))
    degrees = pick(options.degree, tuple(d for d in distinct if d is not None))
    if len(degrees) != len(distinct):
        raise ValueError(
            f"give {len(distinct)} degree(s), one per model the scene shows "
            f"(like {','.join(map(str, distinct))}), not {len(degrees)}"
        )
    for degree in degrees:
        if not 1 <= degree < n_train:
            raise ValueError(
                f"a degree must be from 1 to {n_train - 1} (below the {n_train} "
                f"training points of n = {n}), got {degree}"
            )
    if options.weight_decay is not None and options.weight_decay < 0:
        raise ValueError(f"weight decay must be >= 0, got {options.weight_decay:g}")
    chosen = dict(zip(distinct, degrees, strict=True))
    return tuple(
        replace(
            config,
            degree=chosen[config.degree],
            weight_decay=pick(options.weight_decay, config.weight_decay)
            if config.weight_decay
            else 0.0,
        )
        for config in configs
    )
