"""Hyperparameter search: random and grid search, coarse to fine; and the
learning-rate range test.

Samplers draw each hyperparameter on the right scale: a sampler is a function
``f(rng, size=None)`` of a ``numpy.random.Generator``.

A search runs a training function ``train(**hyperparameters) -> score`` (higher is
better, say a dev accuracy) on many settings and returns the trials, best first. Its
arguments are checked before the first training: ``train`` must accept the
hyperparameters' names as keywords, and every score it returns must be a real number
(NaN marks a run that broke, and is ranked last; NaN for every trial is refused).
"""

from __future__ import annotations

import inspect
import itertools
import numbers
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from handbook import validation as check

if TYPE_CHECKING:  # names for the annotations only
    from handbook.layers import Layer
    from handbook.losses import Loss
    from handbook.optim import Optimizer


# --8<-- [start:samplers]
def log_uniform(low: float, high: float) -> Callable:
    r"""$10^r$ with $r$ uniform in $[\log_{10} \text{low}, \log_{10} \text{high}]$.

    Every decade gets the same share of the samples.

    Args:
        low: the smallest value, > 0.
        high: the largest, > low.

    Returns:
        A sampler ``f(rng, size=None)``: one float, or an array of ``size``.

    Raises:
        TypeError: if low or high is not a real number.
        ValueError: if low <= 0 or high <= low (or either is not finite).
    """
    check.positive("log_uniform", "low", low)
    check.number("log_uniform", "high", high, low=low, low_open=True)
    a, b = np.log10(low), np.log10(high)
    return lambda rng, size=None: 10 ** rng.uniform(a, b, size)


def one_minus_log_uniform(low: float, high: float) -> Callable:
    r"""$\beta = 1 - 10^r$, so that $1 - \beta$ is log-uniform.

    As many samples fall in [0.9, 0.99] as in [0.99, 0.999].

    Args:
        low: the smallest beta, in [0, 1).
        high: the largest, in (low, 1).

    Returns:
        A sampler ``f(rng, size=None)``: one float, or an array of ``size``.

    Raises:
        TypeError: if low or high is not a real number.
        ValueError: if low is outside [0, 1), or high outside (low, 1).
    """
    who = "one_minus_log_uniform"
    check.number(who, "low", low, low=0, high=1, high_open=True)
    check.number(who, "high", high, low=low, high=1, low_open=True, high_open=True)
    sample = log_uniform(1 - high, 1 - low)
    return lambda rng, size=None: 1 - sample(rng, size)


def uniform(low: float, high: float) -> Callable:
    """Uniform in [low, high]: for ranges within one order of magnitude.

    Args:
        low: the smallest value.
        high: the largest, > low.

    Returns:
        A sampler ``f(rng, size=None)``: one float, or an array of ``size``.

    Raises:
        TypeError: if low or high is not a real number.
        ValueError: if high <= low, or either (or high - low) is not finite.
    """
    check.number("uniform", "low", low)
    check.number("uniform", "high", high, low=low, low_open=True)
    check.number("uniform", "high - low", float(high) - float(low))  # not inf
    return lambda rng, size=None: rng.uniform(low, high, size)


def integers(low: int, high: int) -> Callable:
    """A whole number in [low, high], for hidden units or layers.

    Args:
        low: the smallest value, a whole number >= 0.
        high: the largest (included), a whole number >= low.

    Returns:
        A sampler ``f(rng, size=None)``: one int64, or an int64 array of ``size``.

    Raises:
        TypeError: if low or high is not a whole number.
        ValueError: if low < 0, high < low, or high >= 2**63.
    """
    check.whole("integers", "low", low, low=0)
    check.whole("integers", "high", high, low=low)
    check.number("integers", "high", high, high=2**63 - 1)  # NumPy draws int64
    return lambda rng, size=None: rng.integers(low, high, size, endpoint=True)


# --8<-- [end:samplers]


@dataclass
class Trial:
    """One setting of the hyperparameters and the score ``train`` gave it.

    Attributes:
        hyperparameters: the keyword arguments ``train`` was called with.
        score: what it returned, a float (higher is better; NaN: the run broke).
    """

    hyperparameters: dict
    score: float

    def __repr__(self) -> str:
        settings = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in self.hyperparameters.items()
        )
        return f"Trial({settings}, score={self.score:.4f})"


def best_first(trials: list[Trial]) -> list[Trial]:
    """Trials by score, highest first; a NaN score (a run that broke) goes last,
    and a list where every run broke is refused rather than ranked.

    Args:
        trials: the trials to rank, any iterable of Trials.

    Returns:
        A new list of the trials, best first.

    Raises:
        TypeError: if trials is not an iterable of Trials (a string is refused).
        ValueError: if every score is NaN.
    """
    if isinstance(trials, (str, bytes)) or not hasattr(trials, "__iter__"):
        check.fail("best_first", "trials", "a list of Trials", trials, TypeError)
    trials = list(trials)
    for trial in trials:
        if not isinstance(trial, Trial):
            check.fail(
                "best_first",
                "trials",
                "a list of Trials",
                f"a list holding {type(trial).__name__} {trial!r}",
                TypeError,
                described=True,
            )
    if trials and all(np.isnan(t.score) for t in trials):
        check.fail(
            "best_first",
            "trials",
            "a list in which some score is a number",
            f"NaN for all {len(trials)} trials",
            described=True,
        )
    return sorted(trials, key=lambda t: (np.isnan(t.score), -t.score))


# --8<-- [start:search]
def random_search(
    train: Callable[..., float],
    space: dict[str, Callable],
    trials: int,
    rng: int | np.random.Generator | None = None,
) -> list[Trial]:
    """Each trial draws every hyperparameter from its sampler; best trial first.

    Args:
        train: trains with the hyperparameters as keywords, returns a score.
        space: a sampler per hyperparameter, ``{"lr": log_uniform(1e-4, 1)}``.
        trials: the number of trainings, >= 1.
        rng: the seed or Generator of the draws.

    Returns:
        The trials, best score first.

    Raises:
        TypeError: if train is not a function taking the names of space as
            keywords, a sampler is not one, or a score is not a real number.
        ValueError: if trials < 1, space is empty, or every score is NaN.
    """
    train = search_args("random_search", train, trials, space=space)
    rng = check.generator("random_search", rng)
    results = []
    for _ in range(trials):
        hyperparameters = {
            name: plain(sample(rng)) for name, sample in space.items()
        }
        results.append(Trial(hyperparameters, train(**hyperparameters)))
    return best_first(results)


def grid_search(train: Callable[..., float], grid: dict[str, list]) -> list[Trial]:
    """Every combination of the listed values; best trial first.

    Args:
        train: trains with the hyperparameters as keywords, returns a score.
        grid: the values to try per hyperparameter, ``{"lr": [0.1, 0.01]}``.

    Returns:
        The trials, one per combination, best score first.

    Raises:
        TypeError: if train is not a function taking the names of grid as
            keywords, or a score is not a real number.
        ValueError: if grid or a list in it is empty, or every score is NaN.
    """
    train = search_args("grid_search", train, grid=grid)
    names = list(grid)
    results = []
    for values in itertools.product(*grid.values()):
        hyperparameters = dict(zip(names, values, strict=True))
        results.append(Trial(hyperparameters, train(**hyperparameters)))
    return best_first(results)


def coarse_to_fine(
    train: Callable[..., float],
    ranges: dict[str, tuple[float, float]],
    trials: int,
    rounds: int = 2,
    keep: int = 3,
    rng: int | np.random.Generator | None = None,
) -> list[list[Trial]]:
    """Random search on log-uniform ranges, then again around the best trials.

    Each round after the first searches the box spanned by the `keep` best trials of
    the round before.

    Args:
        train: trains with the hyperparameters as keywords, returns a score.
        ranges: a range (low, high), 0 < low < high, per hyperparameter.
        trials: the trainings per round, >= 1.
        rounds: the number of rounds, >= 1.
        keep: the best trials whose box the next round searches, >= 2.
        rng: the seed or Generator of the draws.

    Returns:
        Each round's trials, best first, in the order of the rounds.

    Raises:
        TypeError: if train is not a function taking the names of ranges as
            keywords, a range is not a pair, or a score is not a real number.
        ValueError: if trials or rounds < 1, keep < 2, ranges is empty, a range
            is not 0 < low < high, or a round's scores are all NaN.
    """
    train = search_args("coarse_to_fine", train, trials, ranges=ranges)
    rng = check.generator("coarse_to_fine", rng)
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


def plain(value: Any) -> Any:
    """NumPy scalars to Python numbers, for readable trial records.

    Args:
        value: a sampled value.

    Returns:
        ``value.item()`` for a NumPy scalar, else ``value`` as it is.
    """
    return value.item() if isinstance(value, np.generic) else value


SAMPLER = "a sampler f(rng), such as log_uniform(1e-4, 1e-1)"


def search_args(
    who: str,
    train: Callable[..., float],
    trials: int | None = None,
    **space: Mapping[str, Any],
) -> Scored:
    """The arguments of the search ``who``, checked before the first training.

    ``space`` is the one keyword argument that names the hyperparameters: ``space``
    (samplers), ``grid`` (lists of values) or ``ranges`` (pairs (low, high) for a
    log scale). ``train`` must be a function that takes those names as keywords;
    it comes back wrapped so that every score it returns is checked too (see
    ``Scored``). A ``train`` already wrapped (coarse_to_fine's, passed on to
    random_search) keeps the name of the search the reader called.

    Args:
        who: the search's name, for messages (``"random_search"``).
        train: the training function given to the search.
        trials: the number of trainings (unused for a grid, which counts its own).
        space: exactly one of ``space=``, ``grid=`` or ``ranges=``.

    Returns:
        ``train`` wrapped in a Scored (as it is, if it is one already).

    Raises:
        TypeError: if train does not take the names as keywords, the space is not
            a dict with string keys, or an entry is of the wrong kind.
        ValueError: if trials < 1 (not for a grid), the space is empty, or an
            entry has a wrong value.
    """
    ((argument, values),) = space.items()
    if isinstance(train, Scored):
        return train
    if argument != "grid":
        check.whole(who, "trials", trials)
    if not isinstance(values, Mapping):
        what = type(values).__name__
        check.fail(
            who, argument, "a dict {name: ...}", what, TypeError, described=True
        )
    if not values:
        check.fail(who, argument, "a non-empty dict {name: ...}", values)
    for name, value in values.items():
        if not isinstance(name, str):
            check.fail(
                who,
                argument,
                "a dict whose keys are names (strings)",
                name,
                TypeError,
            )
        EXPECTED[argument](who, f"{argument}[{name!r}]", value)
    keywords(who, train, list(values))
    if argument == "grid":
        trials = int(np.prod([len(v) for v in values.values()]))
    return Scored(who, train, trials)


def a_sampler(who: str, argument: str, value: Any) -> None:
    """A sampler: a function of a Generator, tried once on a throwaway Generator
    (so the search's own draws are not changed) to catch a factory not called.

    Args:
        who: the search's name, for messages.
        argument: the entry's name in messages (``"space['lr']"``).
        value: the entry.

    Raises:
        TypeError: if value is a list, tuple or array, not callable, or raises
            TypeError when called with a Generator.
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        pair = isinstance(value, tuple) and len(value) == 2
        hint = (
            f"for a range, call a sampler: log_uniform{value!r}"
            if pair
            else "for a list of values, use grid_search"
        )
        check.fail(who, argument, f"{SAMPLER} ({hint})", value, TypeError)
    if not callable(value):
        check.fail(
            who,
            argument,
            SAMPLER + " (for a fixed value, make it a default of train)",
            value,
            TypeError,
        )
    try:
        value(np.random.default_rng(0))
    except TypeError as error:
        check.fail(
            who,
            argument,
            SAMPLER + " (a factory must be called)",
            f"{function_name(value)}, which raised: {error}",
            TypeError,
            described=True,
        )


def a_list(who: str, argument: str, value: Any) -> None:
    """A non-empty list of the values to try; a string is refused (it would be
    tried letter by letter), as a wrong value, the same as an empty list.

    Args:
        who: the search's name, for messages.
        argument: the entry's name in messages (``"grid['lr']"``).
        value: the entry.

    Raises:
        TypeError: if value has no length or cannot be iterated.
        ValueError: if value is a string or empty.
    """
    expectation = "a non-empty list of values"
    if isinstance(value, (str, bytes)):
        check.fail(who, argument, expectation, value)
    if not hasattr(value, "__len__") or not hasattr(value, "__iter__"):
        check.fail(who, argument, expectation, value, TypeError)
    if len(value) == 0:
        check.fail(who, argument, expectation, value)


def a_range(who: str, argument: str, value: Any) -> None:
    """A pair (low, high) for a log scale: 0 < low < high.

    Args:
        who: the search's name, for messages.
        argument: the entry's name in messages (``"ranges['lr']"``).
        value: the entry.

    Raises:
        TypeError: if value is a string, has no length, or holds something other
            than real numbers.
        ValueError: if it is not two finite numbers with 0 < low < high.
    """
    low, _ = check.interval(who, argument, value)
    if low <= 0:
        check.fail(
            who,
            argument,
            "a pair (low, high) with 0 < low (a log scale)",
            tuple(value),
        )


EXPECTED = {"space": a_sampler, "grid": a_list, "ranges": a_range}


def keywords(who: str, train: Callable[..., float], names: list[str]) -> None:
    """``train`` is a function that takes these keyword arguments: checked on its
    signature, so that a TypeError raised inside a training is left as it is.

    A callable without a signature (some builtins) passes unchecked.

    Args:
        who: the search's name, for messages.
        train: the training function.
        names: the hyperparameters' names.

    Raises:
        TypeError: if train is not callable, or its signature cannot bind the
            names as keywords.
    """
    check.function(who, "train", train, "def train(lr): ... return dev_accuracy")
    try:
        signature = inspect.signature(train)
    except (TypeError, ValueError):  # a builtin without a signature: call and see
        return
    try:
        signature.bind(**dict.fromkeys(names))
    except TypeError as error:
        why = refusal(signature, names, error)
        check.fail(
            who,
            "train",
            f"a function taking the keywords of the search ({', '.join(names)})",
            f"{function_name(train)}{signature}, which {why}",
            TypeError,
            described=True,
        )


def refusal(
    signature: inspect.Signature, names: list[str], error: TypeError
) -> str:
    """Why a signature refuses these keywords, in words.

    Args:
        signature: train's signature.
        names: the keywords it refused.
        error: the error ``signature.bind`` raised, told when no reason is found.

    Returns:
        The reasons, joined by "and", such as ``"has no keyword 'lr'"``.
    """
    P = inspect.Parameter
    given = signature.parameters
    takes_any = any(p.kind is P.VAR_KEYWORD for p in given.values())
    problems = [
        f"has no keyword {n!r}" for n in names if n not in given and not takes_any
    ]
    problems += [
        f"takes {n!r} only by position"
        for n in names
        if n in given and given[n].kind is P.POSITIONAL_ONLY
    ]
    problems += [
        f"needs {n!r}, which the search does not give"
        for n, p in given.items()
        if n not in names
        and p.default is P.empty
        and p.kind not in (P.VAR_POSITIONAL, P.VAR_KEYWORD)
    ]
    return " and ".join(problems) or f"refuses them: {error}"


class Scored:
    """``train`` with every score it returns checked for the search ``who``.

    A score must be a real number (a 0-d array is one); NaN marks a run that broke.
    After each block of ``trials`` calls (one search, or one round of
    coarse_to_fine), NaN for all of them is refused: there is no best to rank, nor
    a box to zoom into.

    Calling it, ``scored(**hyperparameters)``, calls ``train`` and returns the score
    as a float; a score that is no real number raises TypeError, and NaN for a whole
    block raises ValueError.

    Args:
        who: the search's name, for messages.
        train: the training function to wrap.
        trials: the calls per block.
    """

    def __init__(self, who: str, train: Callable[..., float], trials: int):
        self.who, self.train, self.trials = who, train, trials
        self.calls = self.broken = 0

    def __call__(self, **hyperparameters) -> float:
        score = score_of(self.who, self.train(**hyperparameters))
        self.calls += 1
        self.broken += bool(np.isnan(score))
        if self.calls == self.trials:
            if self.broken == self.trials:
                check.fail(
                    self.who,
                    "train",
                    "a function whose score is a number for some settings",
                    f"NaN for all {self.trials} trials",
                    described=True,
                )
            self.calls = self.broken = 0
        return score


def function_name(function: Any) -> str:
    """A function by its name (``log_uniform``, ``<lambda>``), for messages.

    Args:
        function: any callable.

    Returns:
        Its ``__name__``, or its type's name if it has none.
    """
    return getattr(function, "__name__", type(function).__name__)


def score_of(who: str, score: Any) -> float:
    """A score as a float, or a clear error for what train returned instead.

    Args:
        who: the search's name, for messages.
        score: what train returned.

    Returns:
        The score as a float (a 0-d array is one); NaN stays NaN.

    Raises:
        TypeError: if score is not a real number (a bool, None, an array).
    """
    if isinstance(score, np.ndarray) and score.ndim == 0:
        score = score[()]
    if isinstance(score, (bool, np.bool_)) or not isinstance(score, numbers.Real):
        if isinstance(score, np.ndarray):
            shown = f"an array of shape {score.shape}"
        elif score is None or isinstance(score, (str, bool, np.bool_)):
            shown = repr(score)
        else:
            shown = f"a {type(score).__name__}"
        check.fail(
            who,
            "train",
            "a function returning its score, a real number (higher is better, "
            "such as history.dev_acc[-1])",
            shown,
            TypeError,
            described=True,
        )
    return float(score)


# --8<-- [start:range-test]
@dataclass
class RangeTest:
    """What ``lr_range_test`` recorded: the rates it tried, the loss at each and
    the smoothed curve that one reads.

    Attributes:
        lrs: the learning rate of each step, growing exponentially.
        losses: each step's mini-batch loss, measured before its update.
        smoothed: the losses' bias-corrected exponential average.
        stopped: whether the test stopped early because the smoothed loss ran
            away (or stopped being finite).
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    stopped: bool

    @property
    def lowest(self) -> float:
        """The rate at the lowest smoothed loss, usually too large to train with
        (fast.ai suggests a tenth of it)."""
        return float(self.lrs[np.nanargmin(self.smoothed)])

    @property
    def steepest(self) -> float | None:
        """The rate where the smoothed loss falls fastest against the log of the
        rate, between the first tenth of the steps (whose average of a few
        losses is noisy; fast.ai leaves them out too) and the lowest point: the
        start of the steepest segment, as fast.ai reports it. None if the loss
        does not fall there."""
        start, end = len(self.lrs) // 10, int(np.nanargmin(self.smoothed)) + 1
        if end - start < 2:
            return None
        rise = np.diff(self.smoothed[start:end])
        slopes = rise / np.diff(np.log(self.lrs[start:end]))
        return float(self.lrs[start + np.argmin(slopes)])

    @property
    def diverged(self) -> float | None:
        """The rate of the step the test stopped at; None if it ran them all."""
        return float(self.lrs[-1]) if self.stopped else None

    def __repr__(self) -> str:
        def shown(rate: float | None) -> str:
            return "None" if rate is None else f"{rate:.3g}"

        return (
            f"RangeTest(steps={len(self.lrs)}, lowest={shown(self.lowest)}, "
            f"steepest={shown(self.steepest)}, diverged={shown(self.diverged)})"
        )


def lr_range_test(
    model: Layer,
    loss: Loss,
    X: np.ndarray,
    y: np.ndarray,
    optimizer: Optimizer,
    lr_min: float = 1e-6,
    lr_max: float = 1.0,
    steps: int = 100,
    batch_size: int = 64,
    rng: int | np.random.Generator | None = 0,
    smoothing: float = 0.98,
    stop_factor: float = 4.0,
) -> RangeTest:
    r"""Smith (2017)'s learning-rate range test, as fast.ai's learning-rate
    finder runs it: one short training whose rate grows at every step.

    Step $i = 1, \dots, \text{steps}$ trains on a mini-batch at the rate
    $\alpha_i = \alpha_\text{min} (\alpha_\text{max} / \alpha_\text{min})^{r}$,
    $r = (i - 1) / (\text{steps} - 1)$, and records the loss $J_i$ and its
    bias-corrected average $\hat v_i = v_i / (1 - \beta^i)$, with
    $v_i = \beta v_{i-1} + (1 - \beta) J_i$ and $\beta$ = smoothing. The test
    stops once $\hat v_i$ exceeds stop_factor times its lowest value so far, or
    is not finite. A good rate lies below the lowest point of the curve, near its
    steepest descent.

    The test trains the model and the optimizer it is given (their state after
    it is of no use) and restores nothing: pass a fresh model and optimizer, and
    train another from scratch at the rate chosen.

    Args:
        model: the network, trained in place.
        loss: the loss of its output, such as hb.SoftmaxCrossEntropy().
        X: the training inputs, (batch, features).
        y: their labels or targets, one row per row of X.
        optimizer: an optimizer built on model.parameters(); its ``lr`` is set
            before every step.
        lr_min: the rate of the first step, > 0.
        lr_max: the rate of the last step, > lr_min.
        steps: the mini-batches of the test, a whole number >= 2.
        batch_size: the rows of every mini-batch (the whole set when it has
            fewer), >= 1.
        rng: the seed or Generator of the mini-batches.
        smoothing: $\beta$ of the average, in [0, 1); 0 does not smooth.
        stop_factor: how many times the lowest smoothed loss stops the test, > 1.

    Returns:
        The RangeTest: rates, losses and smoothed losses up to the step it
        stopped at.

    Raises:
        TypeError: if model, loss or optimizer lacks the methods the test calls
            (or is a class), X or y holds no real numbers, or a count is not a
            whole number.
        ValueError: if X or y is malformed, a setting is out of its range, the
            optimizer is not built on the model's parameters, or the first loss
            is not finite.
    """
    X, y, rng = check_range_test(**locals())  # every argument, before any step
    batches = full_batches(X, y, batch_size, rng)
    lrs = np.geomspace(lr_min, lr_max, steps)
    losses, smoothed, average, best, stopped = [], [], 0.0, np.inf, False
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i, lr in enumerate(lrs, start=1):
            X_t, y_t = next(batches)
            J = float(loss.forward(model.forward(X_t, training=True), y_t))
            if i == 1 and not np.isfinite(J):
                check.fail(
                    "lr_range_test",
                    "model",
                    "a model whose loss is finite before any step",
                    f"a first loss of {J} (see hb.diagnose.checkup)",
                    described=True,
                )
            average = smoothing * average + (1 - smoothing) * J
            losses.append(J)
            smoothed.append(average / (1 - smoothing**i))  # bias-corrected
            if not np.isfinite(smoothed[-1]) or smoothed[-1] > stop_factor * best:
                stopped = True  # the loss runs away: the rate is too large
                break
            best = min(best, smoothed[-1])
            model.backward(loss.backward(), input_grad=False)
            optimizer.lr = float(lr)
            optimizer.step()
    n = len(losses)
    return RangeTest(lrs[:n], np.array(losses), np.array(smoothed), stopped)


# --8<-- [end:range-test]


def full_batches(
    X: np.ndarray, y: np.ndarray, batch_size: int, rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Mini-batches of batch_size rows without end, epoch after epoch in a new
    order; each epoch's last, smaller mini-batch is left out, so that every loss
    of a range test comes from as many rows (and a batch norm never gets one
    row). A set of at most batch_size rows is the mini-batch of every step.

    Args:
        X: the inputs, checked.
        y: the labels, one row per row of X.
        batch_size: the rows of a mini-batch, >= 1.
        rng: the Generator of the orders.

    Yields:
        ``(X_t, y_t)``, rows of X and their labels.
    """
    from handbook.data import minibatches

    size = min(batch_size, len(X))
    while True:
        for X_t, y_t in minibatches(X, y, size, shuffle=True, rng=rng):
            if len(X_t) == size:
                yield X_t, y_t


def check_range_test(
    model: Layer,
    loss: Loss,
    X: np.typing.ArrayLike,
    y: np.typing.ArrayLike,
    optimizer: Optimizer,
    lr_min: float,
    lr_max: float,
    steps: int,
    batch_size: int,
    rng: int | np.random.Generator | None,
    smoothing: float,
    stop_factor: float,
) -> tuple[np.ndarray, np.ndarray, np.random.Generator]:
    """The arguments of ``lr_range_test``, checked before its first step: a model
    with parameters and a loss with the methods training calls, finite inputs
    with one label per row, an optimizer built on the model's parameters, rates
    with 0 < lr_min < lr_max, at least 2 steps, a batch size >= 1, a seed or
    Generator, smoothing in [0, 1) and a stop factor above 1.

    Args:
        model: the model.
        loss: the loss.
        X: the inputs.
        y: the labels.
        optimizer: the optimizer.
        lr_min: the first rate.
        lr_max: the last rate.
        steps: the number of steps.
        batch_size: the rows per mini-batch.
        rng: a seed or Generator.
        smoothing: the average's coefficient.
        stop_factor: the factor that stops the test.

    Returns:
        X and y as arrays, and the Generator.

    Raises:
        TypeError: if model, loss or optimizer lacks its methods (or is a
            class), X or y holds no real numbers, steps or batch_size is not a
            whole number, a setting is not a real number, or rng is no seed.
        ValueError: if X is not a finite (batch, features) array with a row, y
            has not one row per row of X, the model has no parameters, the
            optimizer is built on other parameters, or a setting is out of its
            range.
    """
    from handbook.diagnose import examples

    who = "lr_range_test"
    check.whole(who, "steps", steps, low=2)
    X, y = examples(
        who, X, y, model=model, loss=loss, steps=steps, batch_size=batch_size
    )
    check.instance(
        who,
        "optimizer",
        optimizer,
        ["step"],
        "hb.optim.SGD(model.parameters(), 0.1)",
    )
    params = getattr(optimizer, "params", None)
    mine = {id(p) for p in model.parameters()}
    if not isinstance(params, list) or {id(p) for p in params} != mine:
        check.fail(
            who,
            "optimizer",
            "an optimizer built on this model's parameters (model.parameters())",
            "an optimizer of other parameters",
            described=True,
        )
    check.positive(who, "lr_min", lr_min)
    check.number(who, "lr_max", lr_max, low=lr_min, low_open=True)
    check.fraction(who, "smoothing", smoothing)
    check.number(who, "stop_factor", stop_factor, low=1, low_open=True)
    return X, y, check.generator(who, rng)


# --8<-- [start:seeds]
def over_seeds(train: Callable[[int], float], seeds: Iterable[int]) -> np.ndarray:
    """The scores of one configuration, ``train(seed)`` for every seed.

    The seed should set everything random in a run (the initial weights, the
    order of the mini-batches, dropout's masks), so that two configurations run
    over the same seeds differ only by what distinguishes them: their scores come
    in pairs, one per seed, for ``compare``.

    Args:
        train: a function of the seed returning the run's score, a real number
            (higher is better, such as ``history.dev_acc[-1]``).
        seeds: the seeds, at least two whole numbers >= 0, such as range(10).

    Returns:
        The scores, a float64 array in the order of the seeds.

    Raises:
        TypeError: if train is not callable, a seed is not a whole number, or a
            score is not a real number.
        ValueError: if fewer than two seeds are given, or a seed is negative.
    """
    seeds = check_seeds("over_seeds", seeds)
    check.function("over_seeds", "train", train, "lambda seed: dev_accuracy(seed)")
    return np.array([score_of("over_seeds", train(seed)) for seed in seeds])


@dataclass(frozen=True)
class Comparison:
    """Configuration B against A: the difference of their mean scores and a
    bootstrap interval for it (what ``compare`` returns).

    Attributes:
        difference: mean(b) - mean(a), the estimated gain of B over A.
        low: the lower end of the interval.
        high: its upper end.
        level: the interval's confidence level, such as 0.95.
        paired: whether a[i] and b[i] came from the same seed.
    """

    difference: float
    low: float
    high: float
    level: float
    paired: bool

    @property
    def decided(self) -> bool:
        """Whether the interval leaves out 0: B better (or worse) than the noise."""
        return self.low > 0 or self.high < 0


def compare(
    a: np.typing.ArrayLike,
    b: np.typing.ArrayLike,
    *,
    paired: bool = True,
    level: float = 0.95,
    resamples: int = 10_000,
    rng: int | np.random.Generator | None = None,
) -> Comparison:
    """B's scores against A's: the difference of the means with a percentile
    bootstrap interval.

    Each of ``resamples`` rounds draws the seeds again with replacement and takes
    the difference of the means; the interval holds the middle ``level`` of those
    differences. Paired, the same draw of seeds serves both, so what a seed does
    to both runs (a lucky initialization, an easy order) cancels; unpaired, a and
    b are drawn apart, as for runs whose seeds have nothing in common.

    Args:
        a: A's scores, one per seed (as ``over_seeds`` gives them).
        b: B's scores; paired, over the same seeds in the same order.
        paired: whether a[i] and b[i] come from the same seed.
        level: the confidence level, in (0, 1).
        resamples: the bootstrap rounds, >= 100.
        rng: a seed or Generator for the draws.

    Returns:
        The Comparison.

    Raises:
        TypeError: if a or b holds no real numbers, paired is not a bool, level
            is not a real number, resamples is not a whole number, or rng is no
            seed.
        ValueError: if a or b is not 1-D with at least two finite scores, paired
            scores differ in number, or level or resamples is out of range.
    """
    a, b = scores("compare", "a", a), scores("compare", "b", b)
    paired = check.flag("compare", "paired", paired)
    if paired and len(a) != len(b):
        check.fail(
            "compare",
            "b",
            f"one score per seed of a ({len(a)}), for paired=True",
            f"{len(b)} scores",
            described=True,
        )
    level = check.fraction("compare", "level", level, zero=False)
    resamples = check.whole("compare", "resamples", resamples, low=100)
    rng = check.generator("compare", rng)
    draw_a = rng.integers(0, len(a), size=(resamples, len(a)))
    draw_b = draw_a if paired else rng.integers(0, len(b), size=(resamples, len(b)))
    differences = b[draw_b].mean(axis=1) - a[draw_a].mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(differences, [tail, 1 - tail])
    return Comparison(
        float(b.mean() - a.mean()), float(low), float(high), level, paired
    )


# --8<-- [end:seeds]


def check_seeds(who: str, seeds: Any) -> list[int]:
    """Seeds for runs to compare: at least two whole numbers >= 0.

    Args:
        who: the caller, for messages.
        seeds: the seeds (any iterable, such as range(10)).

    Returns:
        The seeds, as a list.

    Raises:
        TypeError: if seeds is not iterable, or a seed is not a whole number.
        ValueError: if there are fewer than two, or a seed is negative.
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        check.fail(
            who,
            "seeds",
            "an iterable of seeds, such as range(10)",
            seeds,
            TypeError,
        )
    seeds = list(seeds)
    if len(seeds) < 2:
        check.fail(who, "seeds", "at least two (a run each)", seeds)
    return [check.whole(who, "seeds", seed, low=0) for seed in seeds]


def scores(who: str, argument: str, values: Any) -> np.ndarray:
    """Scores of runs: a 1-D array of at least two finite real numbers, float64.

    Args:
        who: the caller, for messages.
        argument: the argument's name, for messages.
        values: the scores.

    Returns:
        The scores as a float64 array.

    Raises:
        TypeError: if values holds no real numbers.
        ValueError: if values is not 1-D, has fewer than two entries, or holds NaN
            or infinite values.
    """
    array = check.real_array(who, argument, values, ndim=1)
    if len(array) < 2:
        check.fail(
            who,
            argument,
            "at least two scores (one per seed)",
            f"{len(array)}",
            described=True,
        )
    return check.finite(who, argument, array).astype(np.float64)
