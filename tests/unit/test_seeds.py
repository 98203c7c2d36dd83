"""Runs over seeds and their comparison: over_seeds, compare, Comparison."""

import numpy as np
import pytest

from handbook import tuning


def test_over_seeds_calls_train_once_per_seed_in_order():
    called = []

    def train(seed):
        called.append(seed)
        return 0.5 + seed / 10

    scores = tuning.over_seeds(train, range(3))
    assert called == [0, 1, 2]
    assert scores.dtype == np.float64 and np.allclose(scores, [0.5, 0.6, 0.7])


def test_the_bootstrap_of_two_values_is_exact():
    # Resamples of [0, 1]: mean 0, 1/2 or 1 with chances 1/4, 1/2, 1/4.
    comparison = tuning.compare([0.0, 0.0], [0.0, 1.0], rng=0)
    assert comparison.difference == 0.5
    assert (comparison.low, comparison.high) == (0.0, 1.0)
    assert not comparison.decided


def test_a_constant_paired_gain_is_decided_however_noisy_the_seeds():
    rng = np.random.default_rng(1)
    a = rng.normal(0.9, 0.05, size=8)  # seeds that differ a lot
    b = a + 0.01  # B gains 0.01 on every seed
    paired = tuning.compare(a, b, rng=0)
    assert paired.paired and paired.decided
    assert paired.low == pytest.approx(0.01) and paired.high == pytest.approx(0.01)
    unpaired = tuning.compare(a, b, paired=False, rng=0)
    assert not unpaired.paired and not unpaired.decided
    assert unpaired.low < 0 < 0.01 < unpaired.high


def test_the_interval_holds_the_difference_and_narrows_with_more_seeds():
    rng = np.random.default_rng(2)
    widths = []
    for n in (5, 20, 80):
        a = rng.normal(0.0, 1.0, size=n)
        b = a + rng.normal(0.5, 1.0, size=n)
        comparison = tuning.compare(a, b, rng=3)
        assert comparison.low < comparison.difference < comparison.high
        widths.append(comparison.high - comparison.low)
    assert widths[0] > widths[1] > widths[2]


def test_the_level_sets_the_width_and_the_seed_makes_it_repeatable():
    a, b = np.arange(6.0), np.arange(6.0) + np.array([1, -1, 2, 0, 1, 3])
    wide = tuning.compare(a, b, level=0.99, rng=0)
    narrow = tuning.compare(a, b, level=0.5, rng=0)
    assert wide.low < narrow.low < narrow.high < wide.high
    assert tuning.compare(a, b, rng=5) == tuning.compare(a, b, rng=5)


def test_unpaired_scores_may_differ_in_number():
    assert tuning.compare([1, 2, 3], [1, 2], paired=False, rng=0).difference == -0.5


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tuning.over_seeds(lambda s: 1.0, [0]), ValueError,
         r"^over_seeds: seeds must be at least two \(a run each\), got \[0\]$"),
        (lambda: tuning.over_seeds(lambda s: 1.0, [0, -1]), ValueError,
         r"^over_seeds: seeds must be >= 0, got -1$"),
        (lambda: tuning.over_seeds(lambda s: 1.0, "01"), TypeError,
         r"^over_seeds: seeds must be an iterable of seeds"),
        (lambda: tuning.over_seeds(lambda s: 1.0, [0, 1.5]), TypeError,
         r"^over_seeds: seeds must be a whole number"),
        (lambda: tuning.over_seeds("train", range(2)), TypeError,
         r"^over_seeds: train must be a function"),
        (lambda: tuning.over_seeds(lambda s: None, range(2)), TypeError,
         r"^over_seeds: train must be a function returning its score.*got None$"),
        (lambda: tuning.compare([1.0, np.nan], [1.0, 2.0]), ValueError,
         r"^compare: a must be finite everywhere"),
        (lambda: tuning.compare([1.0], [1.0]), ValueError,
         r"^compare: a must be at least two scores \(one per seed\), got 1$"),
        (lambda: tuning.compare([[1.0, 2.0]], [1.0, 2.0]), ValueError,
         r"^compare: a must be 1-dimensional, got shape \(1, 2\)$"),
        (lambda: tuning.compare([1, 2], ["a", "b"]), TypeError,
         r"^compare: b must be an array of real numbers"),
        (lambda: tuning.compare([1, 2], [1, 2, 3]), ValueError,
         r"^compare: b must be one score per seed of a \(2\), for paired=True, "
         r"got 3 scores$"),
        (lambda: tuning.compare([1, 2], [1, 2], level=1), ValueError,
         r"^compare: level must be in \(0, 1\), got 1$"),
        (lambda: tuning.compare([1, 2], [1, 2], resamples=10), ValueError,
         r"^compare: resamples must be >= 100, got 10$"),
        (lambda: tuning.compare([1, 2], [1, 2], paired="yes"), TypeError,
         r"^compare: paired must be True or False"),
        (lambda: tuning.compare([1, 2], [1, 2], rng="x"), TypeError,
         r"^compare: rng must be a seed"),
    ],
)
def test_bad_input_is_refused_by_name(call, error, message):
    with pytest.raises(error, match=message):
        call()

