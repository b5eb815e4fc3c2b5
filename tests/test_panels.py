"""Panels built alone, without rendering: what they draw sits where the trace says.

Each test loads a committed run (tests/control_data), builds one panel, moves the
step clock, runs the panel's updaters and reads positions off the mobjects."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from manim import Mobject

from scenes.clock import StepClock
from scenes.columns import aligned_rows
from scenes.numbers import format_count, parse_shown
from scenes.panels.batch import BatchHighlight, batch_members, used_in_epoch
from scenes.panels.data_plot import DataPlot
from scenes.panels.dots import dot_cloud
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import decade_labels
from scenes.panels.readouts import NAME_GAP, ReadoutColumn, Row
from scenes.readout import glyph_atlas
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA

PLACE = 1e-9  # scene units: positions are exact affine maps of the trace's numbers
CORNER, SIZE = (-5.0, -3.0), (6.0, 4.0)


def run(name: str, index: int = 0) -> Trace:
    """A committed golden-frame run, e.g. `fit_line/fit_line_final`."""
    return Trace.load(CONTROL_DATA / Path(f"{name}-run{index}.npz"))


def at_step(clock: StepClock, value: float, *mobjects: Mobject) -> None:
    """Move the clock and run the mobjects' updaters, as a frame would."""
    clock.tracker.set_value(value)
    for mobject in mobjects:
        for member in mobject.get_family():
            member.update()


def test_data_plot_line_lies_on_the_traces_parameters_at_each_step() -> None:
    trace = run("fit_line/fit_line_final")
    data, clock = DataPlot(DARK, trace, CORNER, SIZE), StepClock([trace])
    _, line = data.moving(clock)
    for step in (0, 3, 20):
        at_step(clock, step, line)
        slope, intercept = trace.params[step]
        for point in line.get_start_and_end():
            x = data.box.x_span[0] + (point[0] - CORNER[0]) / SIZE[0] * np.ptp(
                data.box.x_span
            )
            y = data.box.y_span[0] + (point[1] - CORNER[1]) / SIZE[1] * np.ptp(
                data.box.y_span
            )
            assert y == pytest.approx(slope * x + intercept, abs=1e-9)


def test_data_plot_line_between_steps_is_interpolated() -> None:
    trace = run("fit_line/fit_line_final")
    clock = StepClock([trace])
    at_step(clock, 2.5)
    np.testing.assert_allclose(
        clock.params(trace), trace.params[2:4].mean(axis=0), atol=PLACE
    )


def test_data_plot_residuals_join_every_point_to_the_line() -> None:
    trace = run("fit_line/fit_line_final")
    data, clock = DataPlot(DARK, trace, CORNER, SIZE), StepClock([trace])
    residuals, _ = data.moving(clock)
    at_step(clock, 5, residuals)
    ends = residuals.points[3::4]
    slope, intercept = trace.params[5]
    expected = data.box.to_points(
        trace.x[:, 0], np.clip(slope * trace.x[:, 0] + intercept, *data.box.y_span)
    )
    np.testing.assert_allclose(ends, expected, atol=PLACE)
    np.testing.assert_allclose(residuals.points[0::4], data.points, atol=PLACE)


def test_data_plot_widens_to_keep_a_runaway_line_in_sight() -> None:
    calm = run("fit_line/fit_line_final")
    assert DataPlot(DARK, calm, CORNER, SIZE).view.fixed
    diverged = run("fit_line/fit_line_diverged")
    data, clock = DataPlot(DARK, diverged, CORNER, SIZE), StepClock([diverged])
    assert not data.view.fixed and data.outside_note(clock) == []  # never out of view
    _, line = data.moving(clock)
    for step in range(diverged.n_steps + 1):
        at_step(clock, step, line)
        assert line.has_points()  # some of the line is always on the chart
    spans = [np.ptp(data.view.box(k).y_span) for k in range(diverged.n_steps + 1)]
    assert spans == sorted(spans) and spans[-1] > 100 * spans[0]


def test_loss_curve_head_sits_at_the_log_loss_of_the_step() -> None:
    trace = run("fit_line/fit_line_final")
    loss, clock = LossPlot(DARK, [trace], CORNER, SIZE), StepClock([trace])
    finished, leg, head = loss.curve(clock, trace.loss, DARK.fit)
    for step in (0, 7, trace.n_steps):
        at_step(clock, step, finished, leg, head)
        np.testing.assert_allclose(
            head.get_center(),
            loss.box.c2p(step, math.log10(trace.loss[step])),
            atol=PLACE,
        )
        assert len(finished.points) // 4 == step  # one straight cubic per finished step


def test_decade_labels_are_plain_to_1000_else_all_powers_and_at_most_five() -> None:
    assert decade_labels(-2, 1) == {-2.0: "0.01", -1.0: "0.1", 0.0: "1", 1.0: "10"}
    assert decade_labels(0, 8) == {
        0.0: "10⁰",
        2.0: "10²",
        4.0: "10⁴",
        6.0: "10⁶",
        8.0: "10⁸",
    }
    assert decade_labels(-6, -5) == {-6.0: "10⁻⁶", -5.0: "10⁻⁵"}


def readout_column(rows: list[Row], n_chars: int = 10) -> ReadoutColumn:
    """A column at a fixed place, as a scene would build it."""
    return ReadoutColumn(
        DARK, rows, left=0, right=5, top=2, row_height=0.5, n_chars=n_chars
    )


def test_readout_column_shows_the_trace_numbers_of_the_step() -> None:
    trace = run("fit_line/fit_line_final")
    column = readout_column(
        [
            ("step", lambda k: f"{k} / {trace.n_steps}"),
            ("loss", trace.loss),
            ("slope a₁", trace.params[:, 0]),
        ]
    )
    clock = StepClock([trace])
    step_number, loss_number, slope_number = column.moving(clock, trace)
    loss, slope = aligned_rows([trace.loss, trace.params[:, 0]])
    # the step the line is nearest: 6 until half-way to 7, then 7
    for value, nearest in [(6.4, 6), (6.5, 7), (6.99, 7), (20.0, 20)]:
        at_step(clock, value, step_number, loss_number, slope_number)
        assert (step_number.shown, loss_number.shown, slope_number.shown) == (
            f"{nearest} / 20",
            loss[nearest],
            slope[nearest],
        )
    # with `latest`, an update's own numbers: those of the step it starts from
    (latest,) = readout_column([("loss", trace.loss)]).moving(clock, trace, True)
    at_step(clock, 6.99, latest)
    assert latest.shown == loss[6]
    assert len(column.static()) == 3 and column.baselines[0] > column.baselines[1]


def test_readout_numbers_keep_their_decimals_and_line_up_on_the_point() -> None:
    trace = run("lr_too_high/lr_too_high_final")
    rows: list[Row] = [("w", trace.params[:, 0]), ("loss", trace.loss)]
    column, clock = readout_column(rows), StepClock([trace])
    numbers = column.moving(clock, trace)
    points = set()
    for step in range(trace.n_steps + 1):
        at_step(clock, step, *numbers)
        for number in numbers:
            assert number.shown is not None and "e" not in number.shown
            points.add(len(number.shown) - number.shown.index("."))
    assert len(points) == 1
    assert numbers[0].shown == "12.383" and numbers[1].shown == "153.35 "


def test_readout_row_wider_than_its_column_keeps_fewer_decimals_all_alike() -> None:
    trace = run("lr_too_high/lr_too_high_final")
    (texts,) = readout_column([("w", trace.params[:, 0])], n_chars=6).texts
    assert texts is not None and texts[-2:] == ["−10.32", "12.38"]
    assert {len(text.strip().partition(".")[2]) for text in texts} == {2}


def test_readout_text_wider_than_its_column_widens_it_and_shrinks_to_fit() -> None:
    trace = run("lr_too_high/lr_too_high_final")
    # a counter as wide as a run of 100 000 steps shows, beside a long name
    rows: list[Row] = [
        ("step", lambda k: format_count(k + 99_990, 100_000)),
        ("gradient f′(w)", trace.grad[:, 0]),
    ]
    column, clock = readout_column(rows, n_chars=9), StepClock([trace])
    counter, gradient = column.moving(clock, trace)
    at_step(clock, trace.n_steps, counter, gradient)
    assert counter.shown == "100\u2009000 / 100\u2009000" and counter.n_chars == 17
    assert gradient.shown is not None and gradient.n_chars == 17
    names_right = max(name.get_right()[0] for name in column.names)
    for number in (counter, gradient):
        assert number.get_left()[0] >= names_right + NAME_GAP - 1e-6
        assert number.get_right()[0] <= 5 + 1e-6  # the column's right edge
    assert counter.atlas.pitch < glyph_atlas(DARK.mono_font, DARK.body_size).pitch
    # a column that has room keeps its size
    (short,) = readout_column([("step", lambda k: f"{k} / 10")]).moving(clock, trace)
    assert short.n_chars == 10 and short.atlas.digit_height == pytest.approx(
        glyph_atlas(DARK.mono_font, DARK.body_size).digit_height
    )


def test_readout_of_an_extreme_value_is_written_with_a_power_of_ten_to_fit() -> None:
    # a crafted trace's loss near 1e300: 301 digits would not fit
    values = np.array([0.5, -8.2318e300, 1.25])
    column = readout_column([("loss", values), ("w", np.array([0.12, 0.5, 2.0]))], 10)
    texts = column.format_values()[0]
    assert texts is not None and texts[1] == "−8.2×10³⁰⁰"
    assert all(len(text) <= 10 for text in texts)
    assert parse_shown(texts[1]) == Decimal("-8.2e300")


def test_readout_row_shows_nothing_past_its_values_and_rejects_extra_ones() -> None:
    trace = run("minibatch/minibatch_final")
    column, clock = (
        readout_column([("this batch", trace.loss[:-1])]),
        StepClock([trace]),
    )
    (number,) = column.moving(clock, trace)
    at_step(clock, trace.n_steps - 1, number)
    assert number.shown
    at_step(clock, trace.n_steps, number)
    assert number.shown == ""
    longer = readout_column([("loss", np.append(trace.loss, 1.0))])
    with pytest.raises(ValueError, match=r"indexed by recorded step"):
        longer.moving(clock, trace)


def test_batch_highlight_lights_exactly_the_steps_batch() -> None:
    trace = run("minibatch/minibatch_final")
    data, clock = DataPlot(DARK, trace, CORNER, SIZE), StepClock([trace])
    residuals, _ = BatchHighlight(data).moving(clock)
    for step in (0, 9, trace.n_steps):
        at_step(clock, step, residuals)
        members = batch_members(trace, step)
        assert len(residuals.points) == 4 * len(members)
        if len(members):
            np.testing.assert_allclose(
                residuals.points[0::4], data.points[members], atol=PLACE
            )
    assert len(batch_members(trace, 0)) == trace.meta["batch_size"]


def test_points_used_in_the_epoch_are_marked_all_at_its_end_then_cleared() -> None:
    trace = run("minibatch/minibatch_final")
    data, clock = DataPlot(DARK, trace, CORNER, SIZE), StepClock([trace])
    used = BatchHighlight(data).used(clock)
    per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
    per_dot = len(dot_cloud(np.zeros((1, 3)), 0.1, DARK.muted).points)
    for step, expected in [
        (0, 0),
        (3, 30),
        (per_epoch - 1, 90),
        (per_epoch, 100),  # on the step that ends the epoch: every point it used
        (per_epoch + 0.5, 0),
    ]:
        at_step(clock, step, used)
        assert len(used.points) == expected * per_dot
    at_step(clock, 3, used)
    assert (
        len(set(map(int, used_in_epoch(trace, 3)))) == 30
    )  # three batches, no repeats
