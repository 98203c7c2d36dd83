"""Learning-rate schedules against their formulas."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import handbook as hb
from handbook import schedules


def test_the_course_example_of_inverse_time_decay():
    s = schedules.inverse_time(0.2, decay_rate=1.0)
    assert [round(s(e), 4) for e in (1, 2, 3, 4)] == [0.1, 0.0667, 0.05, 0.04]
    assert s(0) == 0.2


def test_exponential_inverse_sqrt_and_staircase():
    assert schedules.exponential(1.0)(3) == pytest.approx(0.95**3)
    assert schedules.inverse_sqrt(0.5, k=2.0)(4) == pytest.approx(0.5)
    staircase = schedules.step(0.8, drop=0.5, every=10)
    assert [staircase(e) for e in (1, 10, 11, 21)] == [0.8, 0.8, 0.4, 0.2]


def test_linear_decay_reaches_the_floor_at_k_and_stays():
    s = schedules.linear(1.0, 0.1, steps=10)
    assert s(0) == 1.0 and s(5) == pytest.approx(0.55) and s(10) == pytest.approx(0.1) and s(50) == pytest.approx(0.1)


def test_cosine_and_warmup():
    c = schedules.cosine(1.0, steps=10, lr_min=0.0)
    assert c(0) == 1.0 and c(5) == pytest.approx(0.5) and c(10) == pytest.approx(0.0)
    w = schedules.warmup(0.4, warmup_steps=4)
    assert [w(t) for t in (1, 2, 4, 9)] == pytest.approx([0.1, 0.2, 0.4, 0.4])
    wc = schedules.warmup(c, 5)
    assert wc(5) == pytest.approx(c(5)) and wc(1) == pytest.approx(c(1) / 5)


def test_schedules_validate_and_print():
    with pytest.raises(ValueError, match=r"^exponential: lr0 must be > 0, got 0.0$"):
        schedules.exponential(0.0)
    with pytest.raises(ValueError, match="must be >= 0"):
        schedules.exponential(1.0)(-1)
    assert repr(schedules.step(0.1, 0.5, 3)) == "step(lr0=0.1, drop=0.5, every=3)"


@pytest.mark.parametrize("make, culprit", [
    (lambda: schedules.inverse_time(0.1, -0.5), "inverse_time: decay_rate must be >= 0"),
    (lambda: schedules.exponential(0.1, base=1.5), "exponential: base must be in (0, 1]"),
    (lambda: schedules.exponential(0.1, base=-0.5), "exponential: base must be in (0, 1]"),
    (lambda: schedules.step(0.1, drop=0.0), "step: drop must be in (0, 1]"),
    (lambda: schedules.step(0.1, every=0), "step: every must be >= 1"),
    (lambda: schedules.linear(0.1, lr_min=-0.01, steps=10), "linear: lr_min must be in [0, 0.1]"),
    (lambda: schedules.linear(0.1, lr_min=0.5, steps=10), "linear: lr_min must be in [0, 0.1]"),
    (lambda: schedules.cosine(0.1, steps=10, lr_min=-1.0), "cosine: lr_min must be in [0, 0.1]"),
    (lambda: schedules.cosine(0.1, steps=10, lr_min=0.5), "cosine: lr_min must be in [0, 0.1]"),
    (lambda: schedules.warmup(-0.1, 5), "warmup: schedule must be > 0"),
    (lambda: schedules.warmup(0.1, 0), "warmup: warmup_steps must be >= 1"),
    (lambda: schedules.inverse_sqrt(float("inf")), "inverse_sqrt: lr0 must be finite"),
])
def test_a_schedule_that_would_give_a_negative_or_undefined_rate_is_refused(make, culprit):
    with pytest.raises(ValueError) as caught:
        make()
    assert str(caught.value).startswith(culprit)


def test_a_fractional_step_count_is_a_type_error():
    with pytest.raises(TypeError, match="^linear: steps must be a whole number"):
        schedules.linear(0.1, 0.0, steps=2.5)


def test_fit_applies_the_schedule_every_epoch(rng):
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, 20)
    model = hb.Sequential(hb.Dense(3, 2, rng=0))
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), lr=1.0), X, y,
                     epochs=4, batch_size=5, schedule=schedules.inverse_time(0.2, 1.0), rng=0)
    np.testing.assert_allclose(history.lr, [0.1, 0.2 / 3, 0.05, 0.04])


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize("schedule, error, message", [
    (schedules.step, TypeError, r"^warmup: schedule must be a rate or a function of t giving one, such as "
                                r"hb.schedules.step\(0.1\) \(a factory must be called\), got step, which gives "
                                r"step\(lr0=1, drop=0.5, every=10\) at t = 1$"),
    (schedules.linear, TypeError, r"^warmup: schedule .*a factory must be called\), got linear, which raised: "
                                  r"linear\(\) missing 2 required positional arguments"),
    (lambda t: "0.1", TypeError, r"^warmup: schedule .*, got <lambda>, which gives '0.1' at t = 1$"),
    (lambda t: None, TypeError, r"^warmup: schedule .*, got <lambda>, which gives None at t = 1$"),
    (lambda t: -0.1, ValueError, r"^warmup: schedule\(1\) must be >= 0, got -0.1$"),
    (lambda t: float("nan"), ValueError, r"^warmup: schedule\(1\) must be finite, got nan$"),
    ("0.1", TypeError, r"^warmup: schedule must be a real number, got '0.1'$"),
    (0.0, ValueError, r"^warmup: schedule must be > 0, got 0.0$"),
])
def test_warmup_checks_what_it_wraps_when_made(schedule, error, message):
    with pytest.raises(error, match=message):
        schedules.warmup(schedule, 5)


def test_warmup_wraps_any_function_of_t_giving_a_rate():
    w = schedules.warmup(lambda t: 0.5 / t, 2)
    assert [w(t) for t in (1, 2, 4)] == pytest.approx([0.25, 0.25, 0.125])


def test_a_schedule_is_made_of_a_formula_and_a_description_and_gives_real_numbers():
    with pytest.raises(TypeError, match=r"^Schedule: formula must be a function \(lambda t: 0.1 / t\), got float 0.1$"):
        schedules.Schedule(0.1, "constant")
    with pytest.raises(TypeError, match=r"^Schedule: description must be a string, got 3$"):
        schedules.Schedule(lambda t: 0.1, 3)
    with pytest.raises(TypeError, match=r"^mine: formula\(2\) must be a real number, got None$"):
        schedules.Schedule(lambda t: None, "mine")(2)
    with pytest.raises(TypeError, match=r"^mine: the epoch or step number t must be a real number, got '3'$"):
        schedules.Schedule(lambda t: 0.1, "mine")("3")
    assert schedules.Schedule(lambda t: np.float32(0.5), "mine")(1) == 0.5


# --- a schedule's rate at any t: a finite real number >= 0, or an error naming it


@pytest.mark.parametrize(
    "rate, error, shown",
    [
        (float("nan"), ValueError, "must be finite, got nan"),
        (float("inf"), ValueError, "must be finite, got inf"),
        (np.float32("nan"), ValueError, "must be finite, got "),
        (-0.1, ValueError, "must be >= 0, got -0.1"),
        (True, TypeError, "must be a real number, got True"),
        ("0.1", TypeError, "must be a real number, got '0.1'"),
    ],
)
def test_a_schedule_refuses_a_rate_that_is_no_learning_rate(rate, error, shown):
    with pytest.raises(
        error, match=rf"^my_schedule: formula\(3\) {re.escape(shown)}"
    ):
        schedules.Schedule(lambda t: rate, "my_schedule")(3)


def test_warmup_checks_the_rate_of_the_function_it_wraps_at_every_t():
    w = schedules.warmup(lambda t: 0.1 if t < 3 else float("nan"), 5)
    assert w(2) == pytest.approx(0.04)
    with pytest.raises(
        ValueError, match=r"^warmup: schedule\(4\) must be finite, got nan$"
    ):
        w(4)
    w = schedules.warmup(lambda t: 0.1 - 0.05 * t, 5)
    with pytest.raises(
        ValueError, match=r"^warmup: schedule\(3\) must be >= 0, got -0.05"
    ):
        w(3)


# --- t beyond a float's range: refused, named; a huge float t gives the limit


ALL_SCHEDULES = [
    schedules.inverse_time(0.1, 1e10),
    schedules.exponential(0.1),
    schedules.inverse_sqrt(0.1),
    schedules.step(0.1, every=1),
    schedules.linear(0.1, 0.01, 10),
    schedules.cosine(0.1, 10),
    schedules.warmup(schedules.cosine(0.1, 10), 5),
    schedules.warmup(lambda t: 0.1, 5),
    schedules.one_cycle(0.1, 10),
]


@pytest.mark.parametrize("schedule", ALL_SCHEDULES, ids=repr)
@pytest.mark.parametrize("digits", [400, 5000])  # 10**5000 has no str()
def test_a_t_that_no_float_holds_is_refused_by_name(schedule, digits):
    with pytest.raises(ValueError) as caught:
        schedule(10**digits)
    message = str(caught.value)
    assert message.startswith(
        f"{schedule!r}: the epoch or step number t must be finite (at most 1.8e308 in size)"
    )
    assert message.endswith(f"got about 10**{digits}")


@pytest.mark.parametrize("schedule", ALL_SCHEDULES, ids=repr)
@given(
    t=st.one_of(
        st.integers(0, 2**1023),
        st.floats(0, 1.7e308),
        st.floats(0, 1.7e308).map(
            np.float64
        ),  # NumPy scalars would warn at overflow
        st.integers(0, 10**6).map(np.int64),
    )
)
@settings(max_examples=60, deadline=None)
def test_every_schedule_gives_a_finite_rate_at_any_t_a_float_holds(schedule, t):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rate = schedule(t)
    assert type(rate) is float and np.isfinite(rate) and 0 <= rate <= 0.1 + 1e-12


def test_warmup_names_what_it_wraps_without_a_memory_address():
    def my_rate(t):
        return 0.1

    assert repr(schedules.warmup(my_rate, 3)) == "warmup(my_rate, 3)"
    assert repr(schedules.warmup(lambda t: 0.1, 5)) == "warmup(<lambda>, 5)"
    assert repr(schedules.warmup(0.1, 20)) == "warmup(0.1, 20)"
    assert repr(schedules.warmup(schedules.step(0.1), 2)) == "warmup(step(lr0=0.1, drop=0.5, every=10), 2)"


# --- one cycle


def test_one_cycle_rises_from_lr_max_over_div_to_lr_max_then_falls_to_the_end_rate():
    s = schedules.one_cycle(0.1, steps=100, pct_start=0.3, div=25.0, final_div=1e4)
    assert s(1) == pytest.approx(0.1 / 25, rel=1e-12)
    assert s(30) == pytest.approx(0.1, rel=1e-12)  # PyTorch's step 29 = 0.3 * 100 - 1
    assert s(100) == pytest.approx(0.1 / 25 / 1e4, rel=1e-12)
    assert s(0) == s(1) and s(150) == s(100) and s(10**6) == s(100)
    # halfway up and halfway down, the cosine is at its middle
    half_up = schedules.one_cycle(1.0, steps=21, pct_start=0.5, div=10.0, final_div=1.0)
    assert half_up(1 + 4.75) == pytest.approx((1.0 + 0.1) / 2, rel=1e-12)  # peak at k = 9.5
    assert half_up(21) == pytest.approx(0.1)
    rates = np.array([s(t) for t in range(1, 101)])
    assert np.all(np.diff(rates[:30]) > 0) and np.all(np.diff(rates[29:]) < 0)
    assert rates.max() == s(30)
    assert repr(s) == "one_cycle(lr_max=0.1, steps=100, pct_start=0.3, div=25.0, final_div=10000.0)"


def test_one_cycle_with_a_peak_between_two_steps():
    s = schedules.one_cycle(0.2, steps=10, pct_start=0.25)  # the peak at k = 1.5
    rates = [s(t) for t in range(1, 11)]
    assert rates[0] == pytest.approx(0.2 / 25)
    assert max(rates) < 0.2 and rates.index(max(rates)) in (1, 2)
    assert rates[-1] == pytest.approx(0.2 / 25 / 1e4)


def test_fit_follows_one_cycle_epoch_by_epoch(rng):
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, 20)
    model = hb.Sequential(hb.Dense(3, 2, rng=0))
    cycle = schedules.one_cycle(0.5, steps=6, pct_start=0.4)
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), lr=1.0),
                     X, y, epochs=6, batch_size=5, schedule=cycle, rng=0)
    np.testing.assert_allclose(history.lr, [cycle(t) for t in range(1, 7)])


@pytest.mark.parametrize("steps, pct_start, div, final_div", [
    (100, 0.3, 25.0, 1e4),
    (50, 0.25, 10.0, 100.0),
    (7, 0.5, 25.0, 1e4),
    (13, 0.2, 1.0, 1.0),
    (1000, 0.1, 25.0, 1e5),
])
def test_one_cycle_gives_pytorchs_one_cycle_lr_with_cosine_annealing(steps, pct_start, div, final_div):
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    optimizer = torch.optim.SGD([p], lr=0.1)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=0.3, total_steps=steps, pct_start=pct_start, div_factor=div,
        final_div_factor=final_div, anneal_strategy="cos", cycle_momentum=False,
        three_phase=False)
    theirs = []
    for _ in range(steps):
        theirs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    ours = schedules.one_cycle(0.3, steps, pct_start, div, final_div)
    np.testing.assert_allclose([ours(t) for t in range(1, steps + 1)], theirs, rtol=1e-12)


@pytest.mark.parametrize("make, error, message", [
    (lambda: schedules.one_cycle(0.0, 10), ValueError, r"^one_cycle: lr_max must be > 0, got 0.0$"),
    (lambda: schedules.one_cycle("0.1", 10), TypeError, r"^one_cycle: lr_max must be a real number"),
    (lambda: schedules.one_cycle(0.1, 1), ValueError, r"^one_cycle: steps must be >= 2, got 1$"),
    (lambda: schedules.one_cycle(0.1, 10.0), TypeError, r"^one_cycle: steps must be a whole number"),
    (lambda: schedules.one_cycle(0.1, 10, pct_start=0), ValueError,
     r"^one_cycle: pct_start must be in \(0, 1\), got 0$"),
    (lambda: schedules.one_cycle(0.1, 10, pct_start=1.0), ValueError,
     r"^one_cycle: pct_start must be in \(0, 1\), got 1.0$"),
    (lambda: schedules.one_cycle(0.1, 10, pct_start=0.1), ValueError,
     r"^one_cycle: pct_start \* steps must be > 1, for a rise of more than one step, "
     r"got 0.1 \* 10 = 1$"),
    (lambda: schedules.one_cycle(0.1, 3, pct_start=0.3), ValueError,
     r"^one_cycle: pct_start \* steps must be > 1, .*got 0.3 \* 3 = 0.9$"),
    (lambda: schedules.one_cycle(0.1, 10, div=0.5), ValueError, r"^one_cycle: div must be >= 1, got 0.5$"),
    (lambda: schedules.one_cycle(0.1, 10, final_div=np.inf), ValueError,
     r"^one_cycle: final_div must be finite, got inf$"),
])
def test_one_cycle_refuses_what_would_not_make_a_cycle(make, error, message):
    with pytest.raises(error, match=message):
        make()
