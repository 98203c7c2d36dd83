"""Samplers on the right scale, random and grid search, coarse to fine."""

import numpy as np
import pytest

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


def test_samplers_validate_their_ranges():
    with pytest.raises(ValueError, match="need 0 < low < high"):
        tuning.log_uniform(0, 1)
    with pytest.raises(ValueError, match="need 0 <= low < high < 1"):
        tuning.one_minus_log_uniform(0.9, 1.0)
    assert "lr=0.01" in repr(tuning.Trial({"lr": 0.01}, 0.5))
