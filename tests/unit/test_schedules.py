"""Learning-rate schedules against their formulas."""

import numpy as np
import pytest

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
