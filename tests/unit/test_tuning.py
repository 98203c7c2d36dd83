"""Samplers on the right scale, random and grid search, coarse to fine."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import handbook as hb
from handbook import tuning


def test_log_uniform_gives_every_decade_the_same_share():
    rng = np.random.default_rng(0)
    alpha = tuning.log_uniform(1e-4, 1.0)(rng, 100_000)
    shares = np.histogram(np.log10(alpha), bins=[-4, -3, -2, -1, 0])[0] / len(alpha)
    np.testing.assert_allclose(shares, 0.25, atol=0.01)
    assert np.mean(rng.uniform(1e-4, 1, 100_000) >= 0.1) == pytest.approx(0.9, abs=0.005)


def test_beta_sampler_splits_evenly_between_0_9_0_99_and_0_99_0_999():
    beta = tuning.one_minus_log_uniform(0.9, 0.999)(np.random.default_rng(0), 100_000)
    assert beta.min() >= 0.9 and beta.max() <= 0.999
    assert np.mean(beta < 0.99) == pytest.approx(0.5, abs=0.01)


def test_random_search_tries_more_distinct_values_than_a_grid():
    seen = []
    train = lambda lr, eps: seen.append(lr) or -abs(np.log10(lr) + 2.3)
    grid = tuning.grid_search(train, {"lr": list(np.logspace(-4, 0, 5)), "eps": list(np.logspace(-8, -4, 5))})
    assert len(grid) == 25 and len(set(seen)) == 5
    seen.clear()
    found = tuning.random_search(train, {"lr": tuning.log_uniform(1e-4, 1), "eps": tuning.log_uniform(1e-8, 1e-4)},
                                 25, rng=0)
    assert len(set(seen)) == 25
    assert found[0].score > grid[0].score  # the grid never lands near 10^-2.3
    assert found[0].score == max(t.score for t in found)


def test_coarse_to_fine_zooms_in_and_improves():
    target = np.array([-2.3, -5.6])
    train = lambda lr, decay: -np.sum((np.log10([lr, decay]) - target) ** 2)
    rounds = tuning.coarse_to_fine(train, {"lr": (1e-4, 1.0), "decay": (1e-8, 1e-2)}, trials=20, rng=0)
    assert len(rounds) == 2
    assert rounds[1][0].score > rounds[0][0].score


def test_a_trial_shows_its_settings_and_score():
    assert repr(tuning.Trial({"lr": 0.01, "hidden": 64}, 0.5)) == "Trial(lr=0.01, hidden=64, score=0.5000)"


# ------------------------------------------------------------------ bad input: samplers


@pytest.mark.parametrize("make, error, message", [
    (lambda: tuning.log_uniform(0, 1), ValueError, r"^log_uniform: low must be > 0, got 0$"),
    (lambda: tuning.log_uniform(-1e-3, 1), ValueError, r"^log_uniform: low must be > 0"),
    (lambda: tuning.log_uniform(np.nan, 1), ValueError, r"^log_uniform: low must be finite, got nan$"),
    (lambda: tuning.log_uniform(1e-3, np.inf), ValueError, r"^log_uniform: high must be finite, got inf$"),
    (lambda: tuning.log_uniform("1e-4", 1), TypeError, r"^log_uniform: low must be a real number, got '1e-4'$"),
    (lambda: tuning.log_uniform(1e-1, 1e-4), ValueError, r"^log_uniform: high must be > 0.1, got 0.0001$"),
    (lambda: tuning.log_uniform(1e-2, 1e-2), ValueError, r"^log_uniform: high must be > 0.01"),
    (lambda: tuning.uniform(1, 0), ValueError, r"^uniform: high must be > 1, got 0$"),
    (lambda: tuning.uniform(0, np.nan), ValueError, r"^uniform: high must be finite, got nan$"),
    (lambda: tuning.uniform(None, 1), TypeError, r"^uniform: low must be a real number, got None$"),
    (lambda: tuning.one_minus_log_uniform(0.9, 1.0), ValueError,
     r"^one_minus_log_uniform: high must be in \(0.9, 1\), got 1.0$"),
    (lambda: tuning.one_minus_log_uniform(-0.1, 0.9), ValueError, r"^one_minus_log_uniform: low must be in \[0, 1\)"),
    (lambda: tuning.one_minus_log_uniform(0.99, 0.9), ValueError, r"^one_minus_log_uniform: high must be in \(0.99, 1\)"),
    (lambda: tuning.integers(5, 1), ValueError, r"^integers: high must be >= 5, got 1$"),
    (lambda: tuning.integers(1.5, 3), TypeError, r"^integers: low must be a whole number"),
])
def test_a_sampler_checks_its_bounds_when_made(make, error, message):
    with pytest.raises(error, match=message):
        make()


@given(st.floats(1e-8, 1e3), st.floats(1.001, 1e4))
def test_log_uniform_stays_within_any_valid_range(low, factor):
    high = low * factor
    drawn = tuning.log_uniform(low, high)(np.random.default_rng(0), 50)
    assert np.all(np.isfinite(drawn))
    assert np.all(drawn >= low * (1 - 1e-12)) and np.all(drawn <= high * (1 + 1e-12))


@given(st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_uniform_refuses_exactly_the_ranges_that_are_not_increasing(low, width):
    if width > 0 and low + width > low:
        drawn = tuning.uniform(low, low + width)(np.random.default_rng(0), 20)
        assert np.all((low <= drawn) & (drawn <= low + width))
    else:
        with pytest.raises(ValueError, match="^uniform: high must be > "):
            tuning.uniform(low, low + width)


# --- bounds NumPy cannot sample: refused when the sampler is made, not when it draws


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda: tuning.integers(0, 2**63),
            ValueError,
            r"^integers: high must be at most 9.22e\+18 \(2\*\*63 - 1\), got 9223372036854775808$",
        ),
        (
            lambda: tuning.integers(0, 10**30),
            ValueError,
            r"^integers: high must be at most 9.22e\+18",
        ),
        (
            lambda: tuning.uniform(-1e308, 1e308),
            ValueError,
            r"^uniform: high - low must be finite, got inf$",
        ),
        (
            lambda: tuning.uniform(np.float64(-1e308), np.float64(1e308)),
            ValueError,
            r"^uniform: high - low must be finite",
        ),
    ],
)
def test_a_range_numpy_cannot_sample_is_refused_when_the_sampler_is_made(
    make, error, message
):
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error"
        )  # NumPy's overflow warning for float64 bounds
        with pytest.raises(error, match=message):
            make()


def test_the_widest_ranges_numpy_can_sample_are_sampled():
    rng = np.random.default_rng(0)
    top = 2**63 - 1
    assert np.all(tuning.integers(top, top)(rng, 3) == top)
    drawn = tuning.integers(0, top)(rng, 1000)
    assert drawn.dtype == np.int64 and drawn.min() >= 0
    wide = tuning.uniform(-8e307, 8e307)(rng, 1000)
    assert np.all(np.isfinite(wide)) and wide.min() < 0 < wide.max()


@given(st.integers(0, 2**63 - 1), st.integers(0, 2**63 - 1))
def test_integers_draws_within_any_range_it_accepts_both_ends_included(a, b):
    low, high = min(a, b), max(a, b)
    drawn = tuning.integers(low, high)(np.random.default_rng(0), 20)
    assert np.all((low <= drawn) & (drawn <= high))
    assert tuning.integers(0, 1)(np.random.default_rng(0), 200).max() == 1


# --------------------------------------------------------- bad input: the space searched


def count_calls():
    calls = []
    return calls, lambda lr: calls.append(lr) or 1.0


@pytest.mark.parametrize("space, error, message", [
    ({"lr": 0.01}, TypeError, r"^random_search: space\['lr'\] must be a sampler f\(rng\).*fixed value.*got 0.01$"),
    ({"lr": [0.1, 0.01]}, TypeError, r"^random_search: space\['lr'\] must be a sampler.*use grid_search\), got \[0.1"),
    ({"lr": (1e-4, 1e-1)}, TypeError, r"^random_search: space\['lr'\] must be .*log_uniform\(0.0001, 0.1\)"),
    ({"lr": tuning.log_uniform}, TypeError,
     r"^random_search: space\['lr'\] must be a sampler f\(rng\), such as log_uniform\(1e-4, 1e-1\) "
     r"\(a factory must be called\), got log_uniform, which raised: .*'high'"),
    ({"lr": tuning.integers}, TypeError, r"^random_search: space\['lr'\] .*factory must be called\), got integers"),
    ({}, ValueError, r"^random_search: space must be a non-empty dict"),
    ([("lr", tuning.uniform(0, 1))], TypeError, r"^random_search: space must be a dict \{name: ...\}, got list$"),
    ({1: tuning.uniform(0, 1)}, TypeError, r"^random_search: space must be a dict whose keys are names"),
])
def test_random_search_refuses_a_space_that_is_not_samplers_before_training(space, error, message):
    calls, train = count_calls()
    with pytest.raises(error, match=message):
        tuning.random_search(train, space, 3, rng=0)
    assert calls == []


@pytest.mark.parametrize("grid, error, message", [
    ({"lr": 0.1}, TypeError, r"^grid_search: grid\['lr'\] must be a non-empty list of values, got 0.1$"),
    ({"lr": "0.1"}, ValueError, r"^grid_search: grid\['lr'\] must be a non-empty list of values, got '0.1'$"),
    ({"lr": []}, ValueError, r"^grid_search: grid\['lr'\] must be a non-empty list of values, got \[\]$"),
    ({}, ValueError, r"^grid_search: grid must be a non-empty dict"),
])
def test_grid_search_refuses_a_grid_that_is_not_lists_before_training(grid, error, message):
    calls, train = count_calls()
    with pytest.raises(error, match=message):
        tuning.grid_search(train, grid)
    assert calls == []


@pytest.mark.parametrize("ranges, error, message", [
    ({"lr": 1e-3}, TypeError, r"^coarse_to_fine: ranges\['lr'\] must be a pair \(low, high\), got 0.001$"),
    ({"lr": (1e-1, 1e-4)}, ValueError, r"^coarse_to_fine: ranges\['lr'\] must be a pair \(low, high\) with low < high"),
    ({"lr": (0, 1)}, ValueError, r"^coarse_to_fine: ranges\['lr'\] must be .* 0 < low \(a log scale\), got \(0, 1\)$"),
    ({"lr": (1e-4, 1e-2, 1)}, ValueError, r"^coarse_to_fine: ranges\['lr'\] must be a pair"),
    ({"lr": (1e-4, np.nan)}, ValueError, r"^coarse_to_fine: ranges\['lr'\] must be finite"),
    ({"lr": tuning.log_uniform(1e-4, 1)}, TypeError, r"^coarse_to_fine: ranges\['lr'\] must be a pair"),
])
def test_coarse_to_fine_refuses_ranges_that_are_not_log_scale_pairs_before_training(ranges, error, message):
    calls, train = count_calls()
    with pytest.raises(error, match=message):
        tuning.coarse_to_fine(train, ranges, 3, rng=0)
    assert calls == []


def test_the_probe_of_a_sampler_leaves_the_search_draws_as_they_were():
    sample = tuning.log_uniform(1e-4, 1)
    found = tuning.random_search(lambda lr: lr, {"lr": sample}, 5, rng=7)
    expected = [sample(rng) for rng in [np.random.default_rng(7)] for _ in range(5)]
    assert sorted(t.hyperparameters["lr"] for t in found) == sorted(expected)


# ------------------------------------------------------------ bad input: the train function


@pytest.mark.parametrize("train, message", [
    (lambda learning_rate: 1.0, r"^random_search: train must be a function taking the keywords of the search \(lr\), "
                                r"got <lambda>\(learning_rate\), which has no keyword 'lr' and needs 'learning_rate'"),
    (lambda lr, epochs: 1.0, r"^random_search: train .*which needs 'epochs', which the search does not give$"),
    (lambda: 1.0, r"^random_search: train .*got <lambda>\(\), which has no keyword 'lr'$"),
    (3, r"^random_search: train must be a function \(def train\(lr\)"),
])
def test_a_train_that_cannot_take_the_hyperparameters_is_refused_before_training(train, message):
    with pytest.raises(TypeError, match=message):
        tuning.random_search(train, {"lr": tuning.uniform(0, 1)}, 2, rng=0)


def test_a_train_with_extra_defaults_or_keywords_is_accepted():
    assert len(tuning.random_search(lambda lr, epochs=5: lr, {"lr": tuning.uniform(0, 1)}, 2, rng=0)) == 2
    assert len(tuning.grid_search(lambda **settings: settings["lr"], {"lr": [1, 2]})) == 2


def test_a_type_error_inside_train_is_left_as_it_is():
    def train(lr):
        return "a" + lr  # the reader's own bug
    with pytest.raises(TypeError, match=r"^can only concatenate str"):
        tuning.random_search(train, {"lr": tuning.uniform(0, 1)}, 2, rng=0)


@pytest.mark.parametrize("score, shown", [
    (None, "None"), (hb.History(), "a History"), (np.array([0.1, 0.2]), r"an array of shape \(2,\)"),
    ("0.9", "'0.9'"), (True, "True"), ({"acc": 0.9}, "a dict"),
])
def test_train_must_return_a_real_number_as_its_score(score, shown):
    searches = {
        "random_search": lambda train: tuning.random_search(train, {"lr": tuning.uniform(0, 1)}, 3, rng=0),
        "grid_search": lambda train: tuning.grid_search(train, {"lr": [0.1, 0.2]}),
        "coarse_to_fine": lambda train: tuning.coarse_to_fine(train, {"lr": (1e-4, 1e-1)}, 3, rng=0),
    }
    for who, search in searches.items():
        calls = []
        with pytest.raises(TypeError, match=rf"^{who}: train must be a function returning its score, a real number"
                                            rf".*, got {shown}$"):
            search(lambda lr: calls.append(lr) or score)
        assert len(calls) == 1  # refused after the first training, not after all of them


def test_a_score_may_be_a_numpy_number_or_a_0_d_array_and_nan_goes_last():
    scores = iter([np.float32(0.5), np.array(0.75), float("nan")])
    trials = tuning.grid_search(lambda lr: next(scores), {"lr": [1, 2, 3]})
    assert [t.hyperparameters["lr"] for t in trials] == [2, 1, 3]
    assert all(type(t.score) is float for t in trials)


def test_nan_for_every_trial_is_refused_by_the_search_the_reader_called():
    nan = lambda lr: float("nan")  # noqa: E731
    message = "train must be a function whose score is a number for some settings, got NaN for all 3 trials"
    with pytest.raises(ValueError, match=rf"^random_search: {message}$"):
        tuning.random_search(nan, {"lr": tuning.uniform(0, 1)}, 3, rng=0)
    with pytest.raises(ValueError, match=rf"^grid_search: {message}$"):
        tuning.grid_search(nan, {"lr": [1, 2, 3]})
    with pytest.raises(ValueError, match=rf"^coarse_to_fine: {message}$"):
        tuning.coarse_to_fine(nan, {"lr": (1e-4, 1e-1)}, 3, rng=0)
    broken_later = iter([1.0] * 3 + [float("nan")] * 3)  # round 2 has no best to zoom into
    with pytest.raises(ValueError, match=rf"^coarse_to_fine: {message}$"):
        tuning.coarse_to_fine(lambda lr: next(broken_later), {"lr": (1e-4, 1e-1)}, 3, rng=0)


@pytest.mark.parametrize("search, message", [
    (lambda: tuning.random_search(lambda lr: lr, {"lr": tuning.uniform(0, 1)}, 0), r"^random_search: trials must be >= 1"),
    (lambda: tuning.random_search(lambda lr: lr, {"lr": tuning.uniform(0, 1)}, 2.5),
     r"^random_search: trials must be a whole number"),
    (lambda: tuning.random_search(lambda lr: lr, {"lr": tuning.uniform(0, 1)}, 2, rng="a"), r"^random_search: rng must be"),
    (lambda: tuning.coarse_to_fine(lambda lr: lr, {"lr": (1e-4, 1e-1)}, 3, rounds=0), r"^coarse_to_fine: rounds must be >= 1"),
    (lambda: tuning.coarse_to_fine(lambda lr: lr, {"lr": (1e-4, 1e-1)}, 3, keep=1), r"^coarse_to_fine: keep must be >= 2"),
    (lambda: tuning.best_first([0.5, 0.7]), r"^best_first: trials must be a list of Trials, got a list holding float"),
])
def test_counts_and_seeds_are_checked(search, message):
    with pytest.raises((TypeError, ValueError), match=message):
        search()


# ------------------------------------------------------------------ the learning-rate range test


def _digits():
    X, y = hb.datasets.digits()
    return X[:512], y[:512]


def _net(rng=0):
    return hb.Sequential(hb.Dense(64, 16, rng=rng), hb.ReLU(), hb.Dense(16, 10, rng=rng + 1))


def _range_test(lr_max=1.0, rng=0, optimizer=hb.optim.SGD, **settings):
    X, y = _digits()
    net = _net()
    return tuning.lr_range_test(net, hb.SoftmaxCrossEntropy(), X, y,
                                optimizer(net.parameters(), 0.1), lr_max=lr_max, rng=rng,
                                **{"lr_min": 1e-4, "steps": 60, "batch_size": 32,
                                   "smoothing": 0.9, **settings})


def test_the_range_test_grows_the_rate_exponentially_and_finds_a_minimum_between_the_bounds():
    result = _range_test(lr_max=1.0, optimizer=hb.optim.Adam)
    assert not result.stopped and result.diverged is None and len(result.lrs) == 60
    np.testing.assert_allclose(result.lrs[[0, -1]], [1e-4, 1.0])
    np.testing.assert_allclose(np.diff(np.log(result.lrs)), np.log(1.0 / 1e-4) / 59)
    # the loss falls well below where it started, then rises again before lr_max
    assert 1e-4 < result.steepest < result.lowest < 1.0
    assert result.smoothed.min() < 0.5 * result.losses[0]
    assert result.smoothed[-1] > 1.2 * result.smoothed.min()
    np.testing.assert_allclose(
        result.smoothed, hb.optim.ewma(result.losses, 0.9, bias_correction=True), rtol=1e-12)


def test_the_range_test_stops_early_once_the_loss_runs_away():
    result = _range_test(lr_max=1e4, optimizer=hb.optim.Adam)
    assert result.stopped and len(result.lrs) < 60
    assert result.diverged == result.lrs[-1]
    assert result.lowest < result.diverged
    last = result.smoothed[-1]
    assert not np.isfinite(last) or last > 4.0 * result.smoothed[:-1].min()
    assert np.all(result.smoothed[:-1] <= 4.0 * np.minimum.accumulate(result.smoothed[:-1]))


def test_the_range_test_is_reproducible_from_its_seed_and_trains_the_model_it_is_given():
    first, again, other = _range_test(), _range_test(), _range_test(rng=1)
    np.testing.assert_array_equal(first.losses, again.losses)
    assert not np.array_equal(first.losses, other.losses)
    X, y = _digits()
    net = _net()
    before = [p.value.copy() for p in net.parameters()]
    sgd = hb.optim.SGD(net.parameters(), 0.1)
    result = tuning.lr_range_test(net, hb.SoftmaxCrossEntropy(), X, y, sgd, steps=5)
    assert sgd.lr == result.lrs[-1] and sgd.t == 5
    assert all(not np.array_equal(p.value, b) for p, b in zip(net.parameters(), before))


def test_every_mini_batch_of_the_range_test_is_full_even_with_batch_norm():
    X, y = _digits()
    X, y = X[:33], y[:33]  # an epoch of 32 rows leaves one: never a mini-batch
    net = hb.Sequential(hb.Dense(64, 8, rng=0), hb.BatchNorm(8), hb.ReLU(), hb.Dense(8, 10, rng=1))
    result = tuning.lr_range_test(net, hb.SoftmaxCrossEntropy(), X, y,
                                  hb.optim.SGD(net.parameters(), 0.1), steps=10, batch_size=32)
    assert len(result.losses) == 10
    net = _net()
    whole = tuning.lr_range_test(net, hb.SoftmaxCrossEntropy(), X, y,
                                 hb.optim.SGD(net.parameters(), 0.1), steps=3, batch_size=500)
    assert len(whole.losses) == 3


def test_a_range_test_record_reads_its_rates():
    lrs = np.array([1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8])
    smoothed = np.array([2.0, 1.9, 1.5, 0.8, 0.7, 0.6, 0.65, 1.0, 2.0, 2.2, 2.5, 3.0])
    record = tuning.RangeTest(lrs, smoothed.copy(), smoothed, stopped=True)
    assert record.lowest == 100.0 and record.diverged == 1e8
    assert record.steepest == 1.0 / 10  # the fall from 1.5 to 0.8, starting at 0.1
    assert repr(record) == "RangeTest(steps=12, lowest=100, steepest=0.1, diverged=1e+08)"
    rising = tuning.RangeTest(lrs[:3], smoothed[6:9], smoothed[6:9], stopped=False)
    assert rising.steepest is None and rising.diverged is None
    assert repr(rising) == "RangeTest(steps=3, lowest=0.001, steepest=None, diverged=None)"


def test_the_range_test_refuses_a_model_whose_first_loss_is_not_finite():
    X, y = _digits()
    net = hb.Sequential(hb.Dense(64, 10, init=hb.init.constant(1e307)))
    with pytest.raises(ValueError, match=r"^lr_range_test: model must be a model whose loss is "
                                         r"finite before any step, got a first loss of (nan|inf)"):
        tuning.lr_range_test(net, hb.SoftmaxCrossEntropy(), X, y,
                             hb.optim.SGD(net.parameters(), 0.1), steps=3)


def _range_call(**changes):
    X, y = _digits()
    net = _net()
    arguments = {"model": net, "loss": hb.SoftmaxCrossEntropy(), "X": X[:64], "y": y[:64],
                 "optimizer": hb.optim.SGD(net.parameters(), 0.1), "steps": 3}
    arguments.update(changes)
    return lambda: tuning.lr_range_test(**arguments)


@pytest.mark.parametrize("changes, error, message", [
    ({"model": hb.Sequential}, TypeError, r"^lr_range_test: model must be an instance"),
    ({"model": hb.Sequential(hb.ReLU())}, ValueError,
     r"^lr_range_test: model must be a model with parameters to train"),
    ({"loss": hb.SoftmaxCrossEntropy}, TypeError, r"^lr_range_test: loss must be an instance"),
    ({"optimizer": hb.optim.SGD}, TypeError, r"^lr_range_test: optimizer must be an instance"),
    ({"optimizer": hb.optim.SGD(_net().parameters(), 0.1)}, ValueError,
     r"^lr_range_test: optimizer must be an optimizer built on this model's parameters"),
    ({"X": np.ones(5)}, ValueError, r"^lr_range_test: X must be a \(batch, features\) array"),
    ({"X": np.full((64, 64), np.nan)}, ValueError, r"^lr_range_test: X must be finite everywhere"),
    ({"y": np.zeros(3, int)}, ValueError, r"^lr_range_test: X and y must be of the same length"),
    ({"lr_min": 0.0}, ValueError, r"^lr_range_test: lr_min must be > 0, got 0.0$"),
    ({"lr_min": 0.1, "lr_max": 0.1}, ValueError, r"^lr_range_test: lr_max must be > 0.1, got 0.1$"),
    ({"lr_max": "1"}, TypeError, r"^lr_range_test: lr_max must be a real number"),
    ({"steps": 1}, ValueError, r"^lr_range_test: steps must be >= 2, got 1$"),
    ({"steps": 10.0}, TypeError, r"^lr_range_test: steps must be a whole number"),
    ({"batch_size": 0}, ValueError, r"^lr_range_test: batch_size must be >= 1, got 0$"),
    ({"rng": "a"}, TypeError, r"^lr_range_test: rng must be a seed"),
    ({"smoothing": 1.0}, ValueError, r"^lr_range_test: smoothing must be in \[0, 1\), got 1.0$"),
    ({"stop_factor": 1.0}, ValueError, r"^lr_range_test: stop_factor must be > 1, got 1.0$"),
])
def test_the_range_test_refuses_bad_arguments_before_any_step(changes, error, message):
    call = _range_call(**changes)
    with pytest.raises(error, match=message):
        call()
