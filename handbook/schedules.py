r"""Learning-rate schedules: callables of the epoch or step number
$t = 1, 2, \dots$

``hb.fit`` sets ``optimizer.lr = schedule(epoch)`` before epochs 1, 2, 3, ...; the
formulas are those of the course, where ``epoch_num`` starts at 1. With lr0 = 0.2
and decay_rate = 1, for example, inverse time decay gives 0.1, 0.0667, 0.05, 0.04
for epochs 1 to 4.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from handbook import validation as check


def real_number(value: Any) -> bool:
    """A real number, and not a bool (True would be a rate of 1).

    Args:
        value: anything, such as what a schedule returned.

    Returns:
        Whether ``value`` is a real number other than a bool.
    """
    return isinstance(value, numbers.Real) and not isinstance(
        value, (bool, np.bool_)
    )


def step_number(who: Any, t: float) -> int | float:
    """The epoch or step number t as a Python int or float: a real number >= 0
    that a float can hold (the formulas compute in floats; 10**400 has no float,
    and NumPy scalars would warn where Python floats overflow quietly to inf).

    Args:
        who: the caller, as messages name it (a schedule, by its repr).
        t: the epoch or step number.

    Returns:
        ``t`` as an int if it is a whole number, else as a float.

    Raises:
        TypeError: if t is not a real number.
        ValueError: if t is negative or beyond every float.
    """
    check.number(who, "the epoch or step number t", t, low=0)
    return int(t) if isinstance(t, numbers.Integral) else float(t)


def rate_at(
    who: Any, name: str, formula: Callable[[int], float], t: float
) -> float:
    """``formula(t)`` as a float, if it is a learning rate: a finite real number
    >= 0 (a NaN or negative rate would wreck the parameters at the next step).

    Args:
        who: the caller, as messages name it.
        name: the formula's name in the message: "formula(4) must be finite".
        formula: the function of t to evaluate.
        t: the epoch or step number.

    Returns:
        The rate ``formula(t)``, a float.

    Raises:
        TypeError: if the rate is not a real number.
        ValueError: if the rate is negative or not finite.
    """
    return float(check.non_negative(who, f"{name}({t})", formula(t)))


class Schedule:
    r"""A learning rate as a function of the epoch (or step) number
    $t = 1, 2, \dots$

    Calling it, ``schedule(t)``, gives the rate as a float and refuses a t below 0
    or a rate that is negative or not finite (TypeError or ValueError).

    Args:
        formula: the rate as a function of t, such as ``lambda t: 0.1 / t``.
        description: what its repr shows, such as ``"step(lr0=0.1, ...)"``.

    Raises:
        TypeError: if formula is not callable, or description is not a string.
    """

    def __init__(self, formula: Callable[[int], float], description: str):
        check.function("Schedule", "formula", formula, "lambda t: 0.1 / t")
        if not isinstance(description, str):
            check.fail(
                "Schedule", "description", "a string", description, TypeError
            )
        self.formula, self.description = formula, description

    def __call__(self, t: int) -> float:
        return rate_at(self, "formula", self.formula, step_number(self, t))

    def __repr__(self) -> str:
        return self.description

    @staticmethod
    def of(
        who: str, schedule: Schedule | Callable[[int], float] | float
    ) -> Schedule:
        """A rate as a function of t: a schedule as it is, a number as a constant,
        a function as a Schedule named after it that checks every rate it gives
        (under ``who``'s name: "warmup: schedule(4) must be finite").

        The schedule is tried at t = 1, so that a factory passed uncalled
        (``hb.schedules.step`` for ``hb.schedules.step(0.1)``) is refused here,
        not at the first epoch.

        Args:
            who: the caller's name, for messages (``"warmup"``).
            schedule: a Schedule, a function of t giving rates, or a constant
                rate > 0.

        Returns:
            A Schedule: ``schedule`` itself if it is one.

        Raises:
            TypeError: if schedule is neither a number nor callable, raises
                TypeError at t = 1 (a factory not called), or gives no real
                number there.
            ValueError: if the constant is not positive and finite, or the rate
                at t = 1 is negative or not finite.
        """
        if not callable(schedule):
            lr = float(check.positive(who, "schedule", schedule))
            return Schedule(lambda t: lr, repr(schedule))
        expectation = (
            "a rate or a function of t giving one, such as "
            "hb.schedules.step(0.1) (a factory must be called)"
        )
        name = getattr(schedule, "__name__", repr(schedule))
        try:
            rate = schedule(1)
        except TypeError as error:
            check.fail(
                who,
                "schedule",
                expectation,
                f"{name}, which raised: {error}",
                TypeError,
                described=True,
            )
        if not real_number(rate):
            check.fail(
                who,
                "schedule",
                expectation,
                f"{name}, which gives {rate!r} at t = 1",
                TypeError,
                described=True,
            )
        check.non_negative(who, "schedule(1)", rate)
        if isinstance(schedule, Schedule):
            return schedule
        return Schedule(lambda t: rate_at(who, "schedule", schedule, t), name)


# --8<-- [start:decay]
def inverse_time(lr0: float, decay_rate: float) -> Schedule:
    r"""$\alpha = \alpha_0 / (1 + \text{decay\_rate} \cdot \text{epoch})$.

    Args:
        lr0: the rate at epoch 0, > 0.
        decay_rate: how fast the rate falls, >= 0 (0 keeps it at lr0).

    Returns:
        The Schedule, a function of the epoch.

    Raises:
        TypeError: if lr0 or decay_rate is not a real number.
        ValueError: if lr0 <= 0 or decay_rate < 0 (or either is not finite).
    """
    check.positive("inverse_time", "lr0", lr0)
    check.non_negative("inverse_time", "decay_rate", decay_rate)
    return Schedule(
        lambda t: lr0 / (1 + decay_rate * t),
        f"inverse_time(lr0={lr0}, decay_rate={decay_rate})",
    )


def exponential(lr0: float, base: float = 0.95) -> Schedule:
    r"""$\alpha = \text{base}^{\,\text{epoch}}\, \alpha_0$.

    Args:
        lr0: the rate at epoch 0, > 0.
        base: the factor per epoch, in (0, 1].

    Returns:
        The Schedule, a function of the epoch.

    Raises:
        TypeError: if lr0 or base is not a real number.
        ValueError: if lr0 <= 0 or base is outside (0, 1].
    """
    check.positive("exponential", "lr0", lr0)
    check.number("exponential", "base", base, low=0, high=1, low_open=True)
    return Schedule(lambda t: lr0 * base**t, f"exponential(lr0={lr0}, base={base})")


def inverse_sqrt(lr0: float, k: float = 1.0) -> Schedule:
    r"""$\alpha = \frac{k}{\sqrt{t}}\, \alpha_0$, with $t$ the epoch or mini-batch
    number (from 1).

    Args:
        lr0: the base rate, > 0.
        k: a factor on it, > 0; the rate at $t = 1$ is $k\, \alpha_0$.

    Returns:
        The Schedule, a function of t (t = 0 gives the rate of t = 1).

    Raises:
        TypeError: if lr0 or k is not a real number.
        ValueError: if lr0 or k is not positive (or not finite).
    """
    check.positive("inverse_sqrt", "lr0", lr0)
    check.positive("inverse_sqrt", "k", k)
    return Schedule(
        lambda t: k / math.sqrt(max(t, 1)) * lr0, f"inverse_sqrt(lr0={lr0}, k={k})"
    )


def step(lr0: float, drop: float = 0.5, every: int = 10) -> Schedule:
    r"""Staircase: $\alpha = \alpha_0 \cdot \text{drop}^n$, with
    $n = \lfloor (\text{epoch} - 1) / \text{every} \rfloor$.

    With the defaults, the rate is halved every 10 epochs.

    Args:
        lr0: the rate of the first ``every`` epochs, > 0.
        drop: the factor at each stair, in (0, 1].
        every: the epochs per stair, a whole number >= 1.

    Returns:
        The Schedule, a function of the epoch.

    Raises:
        TypeError: if lr0 or drop is not a real number, or every not a whole one.
        ValueError: if lr0 <= 0, drop is outside (0, 1], or every < 1.
    """
    check.positive("step", "lr0", lr0)
    check.number("step", "drop", drop, low=0, high=1, low_open=True)
    check.whole("step", "every", every)
    return Schedule(
        lambda t: lr0 * drop ** (max(t - 1, 0) // every),
        f"step(lr0={lr0}, drop={drop}, every={every})",
    )


def linear(lr0: float, lr_min: float, steps: int) -> Schedule:
    r"""Linear decay to a floor:
    $\alpha_t = (1 - t/k)\, \alpha_0 + (t/k)\, \alpha_\text{min}$.

    That is for $t \le k = \text{steps}$; after that, $\alpha_\text{min}$.

    Args:
        lr0: the rate at t = 0, > 0.
        lr_min: the floor, in [0, lr0].
        steps: $k$, the epochs or steps to reach the floor, a whole number >= 1.

    Returns:
        The Schedule, a function of t.

    Raises:
        TypeError: if lr0 or lr_min is not a real number, or steps not a whole one.
        ValueError: if lr0 <= 0, lr_min is outside [0, lr0], or steps < 1.
    """
    check.positive("linear", "lr0", lr0)
    check.number("linear", "lr_min", lr_min, low=0, high=lr0)  # a decay goes down
    check.whole("linear", "steps", steps)
    return Schedule(
        lambda t: (1 - min(t / steps, 1.0)) * lr0 + min(t / steps, 1.0) * lr_min,
        f"linear(lr0={lr0}, lr_min={lr_min}, steps={steps})",
    )


def cosine(lr0: float, steps: int, lr_min: float = 0.0) -> Schedule:
    """Half a cosine from lr0 at t = 0 down to lr_min at t = steps, then lr_min.

    Args:
        lr0: the rate at t = 0, > 0.
        steps: the epochs or steps to reach lr_min, a whole number >= 1.
        lr_min: the floor, in [0, lr0].

    Returns:
        The Schedule, a function of t.

    Raises:
        TypeError: if lr0 or lr_min is not a real number, or steps not a whole one.
        ValueError: if lr0 <= 0, lr_min is outside [0, lr0], or steps < 1.
    """
    check.positive("cosine", "lr0", lr0)
    check.whole("cosine", "steps", steps)
    check.number("cosine", "lr_min", lr_min, low=0, high=lr0)
    return Schedule(
        lambda t: (
            lr_min
            + (lr0 - lr_min) * (1 + math.cos(math.pi * min(t / steps, 1.0))) / 2
        ),
        f"cosine(lr0={lr0}, steps={steps}, lr_min={lr_min})",
    )


def warmup(schedule: Schedule | float, warmup_steps: int) -> Schedule:
    """Ramp linearly from 0 up to the wrapped schedule over the first warmup_steps.

    ``schedule`` may also be a constant rate.

    Args:
        schedule: the schedule to reach: a Schedule, a function of t, or a rate.
        warmup_steps: the epochs or steps of the ramp, a whole number >= 1.

    Returns:
        The Schedule, a function of t: ``target(t) * min(t / warmup_steps, 1)``.

    Raises:
        TypeError: if warmup_steps is not a whole number, or schedule is not a rate
            or a function of t (see ``Schedule.of``).
        ValueError: if warmup_steps < 1, or schedule's rate is not >= 0 and finite.
    """
    check.whole("warmup", "warmup_steps", warmup_steps)
    target = Schedule.of("warmup", schedule)
    return Schedule(
        lambda t: target(t) * min(t / warmup_steps, 1.0),
        f"warmup({target!r}, {warmup_steps})",
    )


# --8<-- [end:decay]


# --8<-- [start:one-cycle]
def one_cycle(
    lr_max: float,
    steps: int,
    pct_start: float = 0.3,
    div: float = 25.0,
    final_div: float = 1e4,
) -> Schedule:
    r"""Smith and Topin (2019)'s one-cycle policy, as PyTorch's ``OneCycleLR``
    computes it with cosine annealing: up from $\alpha_0 = \alpha_\text{max} / d$
    to $\alpha_\text{max}$ over the first pct_start of the steps, then down to
    $\alpha_\text{end} = \alpha_0 / d_\text{final}$ at the last step ($d$ is div,
    $d_\text{final}$ final_div).

    With $k = t - 1$, the peak at $k_1 = \text{pct\_start} \cdot \text{steps} - 1$
    (not always a whole number) and $c(p) = (1 + \cos \pi p) / 2$, which falls
    from 1 to 0 as $p$ goes from 0 to 1, the rate is
    $\alpha_\text{max} - (\alpha_\text{max} - \alpha_0)\, c(k / k_1)$ up to the
    peak, then $\alpha_\text{end} + (\alpha_\text{max} - \alpha_\text{end})\, c(p)$
    with $p = (k - k_1) / (\text{steps} - 1 - k_1)$.

    Steps count from 1, as ``hb.fit`` counts epochs: $t = 1$ has $\alpha_0$,
    $t = \text{steps}$ has $\alpha_\text{end}$, and later steps keep it. PyTorch
    counts from 0: its rate after $k$ calls of ``scheduler.step()`` is this
    schedule's at $t = k + 1$. The momentum that PyTorch cycles against the rate
    (``cycle_momentum``) is left out.

    Args:
        lr_max: the peak rate, > 0.
        steps: the steps (or epochs) of the cycle, a whole number >= 2.
        pct_start: the share of the steps spent rising, in (0, 1), with
            $k_1 > 0$ (PyTorch's rise would otherwise divide by zero or skip).
        div: $\alpha_\text{max} / \alpha_0$, >= 1.
        final_div: $\alpha_0 / \alpha_\text{end}$, >= 1.

    Returns:
        The Schedule, a function of t (t = 0 gives the rate of t = 1).

    Raises:
        TypeError: if lr_max, pct_start, div or final_div is not a real number,
            or steps not a whole one.
        ValueError: if lr_max <= 0, steps < 2, pct_start is outside (0, 1) or
            $k_1 \le 0$, or div or final_div < 1.
    """
    check.positive("one_cycle", "lr_max", lr_max)
    check.whole("one_cycle", "steps", steps, low=2)
    check.number(
        "one_cycle",
        "pct_start",
        pct_start,
        low=0,
        high=1,
        low_open=True,
        high_open=True,
    )
    check.number("one_cycle", "div", div, low=1)
    check.number("one_cycle", "final_div", final_div, low=1)
    peak = float(pct_start * steps) - 1  # k_1, PyTorch's step of the peak
    if peak <= 0:
        check.fail(
            "one_cycle",
            "pct_start * steps",
            "> 1, for a rise of more than one step",
            f"{pct_start} * {steps} = {pct_start * steps:g}",
            described=True,
        )
    lr0 = lr_max / div
    lr_end = lr0 / final_div

    def rate(t: float) -> float:
        k = min(max(t, 1), steps) - 1  # PyTorch's step number, from 0
        if k <= peak:
            start, end, pct = lr0, lr_max, k / peak
        else:
            start, end, pct = lr_max, lr_end, (k - peak) / (steps - 1 - peak)
        return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)

    return Schedule(
        rate,
        f"one_cycle(lr_max={lr_max}, steps={steps}, pct_start={pct_start}, "
        f"div={div}, final_div={final_div})",
    )


# --8<-- [end:one-cycle]
