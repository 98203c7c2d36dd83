"""Hyperparameter search: random and grid search, coarse to fine.

Samplers draw each hyperparameter on the right scale.

A search runs a training function ``train(**hyperparameters) -> score`` (higher is
better, say a dev accuracy) on many settings and returns the trials, best first.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from handbook import validation as check


# --8<-- [start:samplers]
def log_uniform(low: float, high: float) -> Callable:
    """10**r with r uniform in [log10 low, log10 high].

    Every decade gets the same share of the samples.
    """
    if not 0 < low < high:
        raise ValueError(f"log_uniform: need 0 < low < high, got {low!r}, {high!r}")
    a, b = np.log10(low), np.log10(high)
    return lambda rng, size=None: 10 ** rng.uniform(a, b, size)


def one_minus_log_uniform(low: float, high: float) -> Callable:
    """beta = 1 - 10**r, so that 1 - beta is log-uniform.

    As many samples fall in [0.9, 0.99] as in [0.99, 0.999].
    """
    if not 0 <= low < high < 1:
        raise ValueError(
            "one_minus_log_uniform: need 0 <= low < high < 1, "
            f"got {low!r}, {high!r}"
        )
    sample = log_uniform(1 - high, 1 - low)
    return lambda rng, size=None: 1 - sample(rng, size)


def uniform(low: float, high: float) -> Callable:
    """Uniform in [low, high]: for ranges within one order of magnitude."""
    return lambda rng, size=None: rng.uniform(low, high, size)


def integers(low: int, high: int) -> Callable:
    """A whole number in [low, high], for hidden units or layers."""
    check.whole("integers", "low", low, low=0)
    check.whole("integers", "high", high, low=low)
    return lambda rng, size=None: rng.integers(low, high + 1, size)


# --8<-- [end:samplers]


@dataclass
class Trial:
    hyperparameters: dict
    score: float

    def __repr__(self) -> str:
        settings = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in self.hyperparameters.items()
        )
        return f"Trial({settings}: score {self.score:.4f})"


def best_first(trials: list[Trial]) -> list[Trial]:
    """Trials by score, highest first; a NaN score (a run that broke) goes last,
    and a search where every run broke is refused rather than ranked."""
    if trials and all(np.isnan(t.score) for t in trials):
        check.fail(
            "search",
            "train",
            "a function whose score is a number for some settings",
            f"NaN for all {len(trials)} trials",
            described=True,
        )
    return sorted(trials, key=lambda t: (np.isnan(t.score), -t.score))


# --8<-- [start:search]
def random_search(
    train: Callable[..., float], space: dict[str, Callable], trials: int, rng=None
) -> list[Trial]:
    """Each trial draws every hyperparameter from its sampler; best trial first."""
    rng = check.generator("random_search", rng)
    check.whole("random_search", "trials", trials)
    results = []
    for _ in range(trials):
        hyperparameters = {
            name: plain(sample(rng)) for name, sample in space.items()
        }
        results.append(Trial(hyperparameters, float(train(**hyperparameters))))
    return best_first(results)


def grid_search(train: Callable[..., float], grid: dict[str, list]) -> list[Trial]:
    """Every combination of the listed values; best trial first."""
    for name, values in grid.items():
        if (
            isinstance(values, (str, bytes))
            or not hasattr(values, "__len__")
            or (len(values) == 0)
        ):
            check.fail(
                "grid_search",
                f"grid[{name!r}]",
                "a non-empty list of values",
                values,
            )
    names = list(grid)
    results = []
    for values in itertools.product(*grid.values()):
        hyperparameters = dict(zip(names, values, strict=True))
        results.append(Trial(hyperparameters, float(train(**hyperparameters))))
    return best_first(results)


def coarse_to_fine(
    train: Callable[..., float],
    ranges: dict[str, tuple[float, float]],
    trials: int,
    rounds: int = 2,
    keep: int = 3,
    rng=None,
) -> list[list[Trial]]:
    """Random search on log-uniform ranges, then again around the best trials.

    Each round after the first searches the box spanned by the `keep` best trials of
    the round before.
    """
    rng = check.generator("coarse_to_fine", rng)
    check.whole("coarse_to_fine", "trials", trials)
    check.whole("coarse_to_fine", "rounds", rounds)
    check.whole("coarse_to_fine", "keep", keep, low=2)
    history = []
    for _ in range(rounds):
        space = {
            name: log_uniform(low, high) for name, (low, high) in ranges.items()
        }
        results = random_search(train, space, trials, rng)
        history.append(results)
        best = results[:keep]
        ranges = {
            name: (
                min(t.hyperparameters[name] for t in best),
                max(t.hyperparameters[name] for t in best),
            )
            for name in ranges
        }
        ranges = {
            name: (low, high if high > low else low * 1.0001)
            for name, (low, high) in ranges.items()
        }
    return history


# --8<-- [end:search]


def plain(value):
    """NumPy scalars to Python numbers, for readable trial records."""
    return value.item() if isinstance(value, np.generic) else value
