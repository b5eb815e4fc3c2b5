"""The rules shown numbers keep over a clip (collected by tests/shown_numbers.py),
each check returning its problems as lines; the rules are listed there."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from tests.shown_numbers import (
    COUNTERS,
    E_NOTATION,
    EQUATION,
    F_NAMES,
    G_NAMES,
    NUMBER,
    Shown,
    decimals_of,
    half_unit,
    key_row,
    value_of,
)


def decimal_problems(shown: Shown) -> list[str]:
    """Rows whose numbers at one place change their number of decimals."""
    problems = []
    for key, seen in shown.rows.items():
        if key[0] == "text":
            continue
        places: dict[tuple[int, bool], set[int]] = {}
        examples: dict[tuple[int, bool], list[str]] = {}
        texts = [text for _, text in seen]
        if key[0] == "ticks":  # one axis in one view: its labels are its numbers
            texts = [" ; ".join(texts[:1])]
        for text in texts:
            numbers = NUMBER.findall(text)
            for position, number in enumerate(numbers):
                # every tick of an axis is one place; a readout's numbers each theirs
                where = (0 if key[0] in ("ticks", "label") else position, "×" in number)
                places.setdefault(where, set()).add(decimals_of(number))
                examples.setdefault(where, []).append(number)
        for where, found in places.items():
            if len(found) > 1:
                sample = ", ".join(dict.fromkeys(examples[where]).keys())
                problems.append(
                    f"{key[0]} {key[1]!r}: decimals {sorted(found)}: {sample[:120]}"
                )
    return problems


def e_problems(shown: Shown) -> list[str]:
    """Texts in e-notation."""
    return sorted(
        f"e-notation: {text!r}" for text in shown.texts if E_NOTATION.search(text)
    )


def equation_problems(shown: Shown) -> list[str]:
    """Worked updates whose shown digits do not give their shown result."""
    problems = []
    for step, text in shown.equations:
        match = EQUATION.fullmatch(text)
        assert match
        a, lr, g, sign, result = match.groups()
        if sign is None:
            continue
        with localcontext(prec=80):
            exact = value_of(a) - value_of(lr) * value_of(g)
        shown_result = value_of(result)
        if sign == "=" and exact != shown_result:
            problems.append(f"step {step}: {text!r} is {exact}, not equal")
        if sign == "≈" and not abs(exact - shown_result) <= half_unit(result):
            problems.append(f"step {step}: {text!r} is {exact}, not about {result}")
        if sign == "≈" and exact == shown_result:
            problems.append(f"step {step}: {text!r} is exact, yet says ≈")
    return problems


def landing_problems(shown: Shown) -> list[str]:
    """Worked updates whose result is not where the next step's numbers put the run:
    the next update's a rounded to r's decimals, and the readouts of a."""
    problems = []
    readouts = {  # a readout's value by the last word of its name: `slope a₁`
        str(key[1][1]).split(" ")[-1]: seen
        for key, seen in shown.rows.items()
        if key[0] == "readout" and isinstance(key[1], tuple)
        if key[1] not in shown.updates and key[1][1]
    }
    for key, seen in shown.updates.items():
        name = str(key[2]) if len(key) > 2 else ""
        lines = {update: text for step, text, update in seen if update >= 0}
        parts = {
            k: match.groups()
            for k, text in lines.items()
            if (match := EQUATION.fullmatch(text))
        }
        for k, (_, _, _, sign, result) in parts.items():
            after = parts.get(k + 1)
            if sign and after and not rounds_to(after[0], result):
                problems.append(f"{name} update {k}: {lines[k]!r}, then a {after[0]}")
        by_step = {step: (text, update) for step, text, update in seen}
        for step, text in readouts.get(name, []) if name else []:
            if step not in by_step or not NUMBER.fullmatch(text.strip()):
                continue
            line, k = by_step[step]
            if k not in parts:
                continue
            a, sign, result = parts[k][0], parts[k][3], parts[k][4]
            # past step k the readouts show where it lands: from half-way (the
            # nearest step), or once it has landed (mid-hop, still where it leaves)
            wants = [result] if step > k and sign else [a]
            if sign and k < step < k + 1:
                wants.append(a)
            if not any(rounds_to(want, text.strip()) for want in wants):
                problems.append(f"{name} step {step}: readout {text!r}, {line!r}")
    return sorted(set(problems))


def rounds_to(fine: str, coarse: str) -> bool:
    """Whether `coarse` is `fine` rounded half up to its decimals (plain numbers)."""
    if "×" in fine + coarse:
        return True
    places = Decimal(1).scaleb(-decimals_of(coarse))
    with localcontext(rounding=ROUND_HALF_UP):
        return value_of(fine).quantize(places) == value_of(coarse)


LOSS_ROWS = ("training", "validation", *F_NAMES)  # besides rows named "... loss ..."


def is_loss(row: object) -> bool:
    """Whether a readout row's name says it shows a loss."""
    name = str(row)
    return "loss" in name.split(" ") or "loss," in name or name in LOSS_ROWS


def loss_decimal_problems(shown: Shown) -> list[str]:
    """Loss readouts written with more than one number of decimals over the clip
    (panels side by side may each keep their own)."""
    return quantity_decimal_problems(shown, losses=True)


def quantity_decimal_problems(shown: Shown, losses: bool = False) -> list[str]:
    """Readouts of one quantity (rows of one name: `w` in every panel; with
    `losses`, each loss readout) written with more than one number of decimals."""
    places: dict[str, dict[int, list[str]]] = {}
    for key, seen in shown.rows.items():
        name = str(key_row(key[1])) if key[0] == "readout" else ""
        if not name or is_loss(name) != losses:
            continue
        quantity = places.setdefault(f"losses {key[1]}" if losses else name, {})
        for _, text in seen:
            number = text.strip()
            if NUMBER.fullmatch(number) and "×" not in number:
                quantity.setdefault(decimals_of(number), []).append(f"{name} {number}")
    return [
        f"{quantity} with {count} decimals: {', '.join(dict.fromkeys(texts))}"[:160]
        for quantity, counts in places.items()
        if len(counts) > 1
        for count, texts in sorted(counts.items())
    ]


def row_decimal_problems(shown: Shown) -> list[str]:
    """Readouts of one name on one row (the f(w) under each of panels side by
    side) written with more than one number of decimals between them."""
    rows: dict[tuple[str, float], dict[int, list[str]]] = {}
    for key, seen in shown.rows.items():
        if key[0] != "readout" or not isinstance(key[1], tuple) or len(key[1]) < 4:
            continue
        name = str(key_row(key[1]) or "")
        if name in F_NAMES:  # alike only where every run's stays true to its loss
            continue
        places = rows.setdefault((name, key[1][3]), {})
        for _, text in seen if name and name not in COUNTERS else []:
            if NUMBER.fullmatch(number := text.strip()) and "×" not in number:
                places.setdefault(decimals_of(number), []).append(number)
    return [
        f"row {name!r} at y = {y}: {count} decimals: {', '.join(dict.fromkeys(texts))}"[
            :160
        ]
        for (name, y), counts in rows.items()
        if len(counts) > 1
        for count, texts in sorted(counts.items())
    ]


def alignment_problems(shown: Shown, tolerance: float = 1e-6) -> list[str]:
    """Columns of readouts whose numbers' decimal points are not at one x."""
    problems = []
    for key, seen in shown.columns.items():
        xs = [x for *_, x in seen]
        if max(xs) - min(xs) > tolerance:
            left = min(seen, key=lambda item: item[3])
            right = max(seen, key=lambda item: item[3])
            problems.append(
                f"column ending at x = {key[0]}: step {left[0]} {left[1]} "
                f"{left[2]!r} has its point {right[3] - left[3]:.3f} left of "
                f"step {right[0]} {right[1]} {right[2]!r}'s"
            )
    return problems


STILL = "under "  # a worked update's result line once the readouts stand still


def settled_problems(shown: Shown) -> list[str]:
    """`by under b` lines where, at that step, the gradient readout does not read
    zero, or b is not a positive number under the gradient's last shown digit (a
    step that moves w further would show; tests/test_update_rule.py checks b
    against the recorded steps)."""
    by_step: dict[tuple[float, str], str] = {}
    for key, seen in shown.rows.items():
        if key[0] == "readout":
            for step, text in seen:
                by_step[(step, str(key_row(key[1])))] = text.strip()
    problems = []
    for (step, _), text in by_step.items():
        if not text.startswith(STILL):
            continue
        grad = next((by_step[(step, g)] for g in G_NAMES if (step, g) in by_step), "")
        bound = text.removeprefix(STILL).removesuffix(".")
        still = NUMBER.fullmatch(grad) and value_of(grad) == 0
        if (
            not still
            or not NUMBER.fullmatch(bound)
            or not 0 < value_of(bound) < Decimal(1).scaleb(-decimals_of(grad))
        ):
            problems.append(f"step {step}: {text!r} beside f′(w) {grad!r}")
    return problems
