"""Weight initializers: each is a function ``f(shape, rng) -> ndarray``.

``shape`` is ``(n_in, n_out)``, two whole numbers >= 1. ``rng`` is a
``numpy.random.Generator`` or a seed, as everywhere in the package (a whole number,
or None for fresh entropy), so ``he_normal((3, 2), 0)`` gives the same weights every
time. The parameterized ones (``constant``, ``normal``, ``uniform``, ``sparse``) are
factories: ``normal(0.01)`` returns such a function. Initializers return float64; a
layer casts the result to its own dtype.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np

from handbook import validation as check


class Initializer:
    """An initializer ``f(shape, rng)`` whose arguments are checked.

    ``draw(shape, rng)`` receives ``shape`` as a pair of whole numbers >= 1 (a layer
    with no inputs would divide by zero in the variance) and ``rng`` as a Generator
    (a seed is turned into one). ``Initializer`` also decorates a function.

    Args:
        draw: the function ``draw(shape, rng, ...)`` that makes the weights.
        name: shown in messages and in the repr; by default draw's own name.

    Raises:
        TypeError: if draw is not callable.
    """

    def __init__(self, draw: Callable[..., np.ndarray], name: str | None = None):
        check.function("Initializer", "draw", draw, "lambda shape, rng: ...")
        functools.update_wrapper(self, draw)
        self.draw, self.name = draw, name or draw.__name__

    def __call__(self, shape: tuple[int, int], rng, *args, **kwargs) -> np.ndarray:
        shape = shape_of(self.name, shape)
        return self.draw(shape, check.generator(self.name, rng), *args, **kwargs)

    def __repr__(self) -> str:
        ours = getattr(self.draw, "__module__", None) == __name__
        return f"hb.init.{self.name}" if ours else self.name


def shape_of(who: str, shape: Sequence[int]) -> tuple[int, int]:
    """``shape`` as a pair ``(n_in, n_out)`` of whole numbers >= 1.

    Args:
        who: the initializer, named in messages.
        shape: the shape asked for.

    Returns:
        (n_in, n_out), as Python ints.

    Raises:
        TypeError: if shape is not a sequence of whole numbers.
        ValueError: if shape has not 2 entries, or one is below 1.
    """
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
        check.fail(who, "shape", "a pair (n_in, n_out)", shape, TypeError)
    if len(shape) != 2:
        check.fail(who, "shape", "a pair (n_in, n_out)", shape)
    n_in, n_out = shape
    return (
        check.whole(who, "shape's n_in", n_in),
        check.whole(who, "shape's n_out", n_out),
    )


# --8<-- [start:fixed]
@Initializer
def zeros(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """All zeros: every unit of a layer computes the same thing.

    This is the symmetry problem.

    Args:
        shape: (n_in, n_out).
        rng: a Generator, or a seed for one.

    Returns:
        The weights, float64, of shape ``shape``.

    Raises:
        TypeError: if shape is not a sequence of whole numbers, or rng not a seed.
        ValueError: if shape has not 2 entries, or one is below 1.
    """
    return np.zeros(shape)


def constant(c: float) -> Initializer:
    """Every weight equal to ``c``.

    Args:
        c: the value of every weight.

    Returns:
        An initializer f(shape, rng).

    Raises:
        TypeError: if c is not a real number.
        ValueError: if c is not finite.
    """
    c = float(check.number("constant", "c", c))
    return Initializer(lambda shape, rng: np.full(shape, c), f"constant({c})")


def normal(std: float) -> Initializer:
    r"""$\mathcal N(0, \sigma^2)$, the same variance whatever the layer's size.

    Args:
        std: the standard deviation $\sigma$, > 0.

    Returns:
        An initializer f(shape, rng).

    Raises:
        TypeError: if std is not a real number.
        ValueError: if std is not positive and finite.
    """
    check.positive("normal", "std", std)
    return Initializer(
        lambda shape, rng: rng.normal(0.0, std, size=shape), f"normal({std})"
    )


def uniform(r: float) -> Initializer:
    """$U(-r, r)$, the same range whatever the layer's size.

    Args:
        r: the half-width of the range, > 0.

    Returns:
        An initializer f(shape, rng).

    Raises:
        TypeError: if r is not a real number.
        ValueError: if r is not positive and finite.
    """
    check.positive("uniform", "r", r)
    return Initializer(
        lambda shape, rng: rng.uniform(-r, r, size=shape), f"uniform({r})"
    )


# --8<-- [end:fixed]


# --8<-- [start:variance-scaling]
@Initializer
def xavier_normal(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    r"""Glorot and Bengio (2010):
    $\operatorname{Var}(W) = 2 / (n_\text{in} + n_\text{out})$.

    For tanh and sigmoid layers.

    Args:
        shape: (n_in, n_out).
        rng: a Generator, or a seed for one.

    Returns:
        The weights, float64, of shape ``shape``.

    Raises:
        TypeError: if shape is not a sequence of whole numbers, or rng not a seed.
        ValueError: if shape has not 2 entries, or one is below 1.
    """
    n_in, n_out = shape
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=shape)


@Initializer
def xavier_uniform(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    r"""$U(-a, a)$ with $a = \sqrt{6 / (n_\text{in} + n_\text{out})}$.

    The same variance as xavier_normal.

    Args:
        shape: (n_in, n_out).
        rng: a Generator, or a seed for one.

    Returns:
        The weights, float64, of shape ``shape``.

    Raises:
        TypeError: if shape is not a sequence of whole numbers, or rng not a seed.
        ValueError: if shape has not 2 entries, or one is below 1.
    """
    n_in, n_out = shape
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=shape)


@Initializer
def he_normal(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    r"""He et al. (2015): $\operatorname{Var}(W) = 2 / n_\text{in}$.

    It keeps the variance through ReLU layers.

    Args:
        shape: (n_in, n_out).
        rng: a Generator, or a seed for one.

    Returns:
        The weights, float64, of shape ``shape``.

    Raises:
        TypeError: if shape is not a sequence of whole numbers, or rng not a seed.
        ValueError: if shape has not 2 entries, or one is below 1.
    """
    n_in, _ = shape
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=shape)


@Initializer
def he_uniform(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    r"""$U(-a, a)$ with $a = \sqrt{6 / n_\text{in}}$: the same variance as
    he_normal.

    Args:
        shape: (n_in, n_out).
        rng: a Generator, or a seed for one.

    Returns:
        The weights, float64, of shape ``shape``.

    Raises:
        TypeError: if shape is not a sequence of whole numbers, or rng not a seed.
        ValueError: if shape has not 2 entries, or one is below 1.
    """
    n_in, _ = shape
    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, size=shape)


@Initializer
def lecun_normal(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    r"""LeCun et al. (1998): $\operatorname{Var}(W) = 1 / n_\text{in}$.

    What some courses call Xavier initialization for tanh.

    Args:
        shape: (n_in, n_out).
        rng: a Generator, or a seed for one.

    Returns:
        The weights, float64, of shape ``shape``.

    Raises:
        TypeError: if shape is not a sequence of whole numbers, or rng not a seed.
        ValueError: if shape has not 2 entries, or one is below 1.
    """
    n_in, _ = shape
    return rng.normal(0.0, np.sqrt(1.0 / n_in), size=shape)


# --8<-- [end:variance-scaling]


# --8<-- [start:orthogonal]
@Initializer
def orthogonal(
    shape: tuple[int, int], rng: np.random.Generator, gain: float = 1.0
) -> np.ndarray:
    r"""Saxe et al. (2014): orthonormal columns (or rows).

    So $\lVert x W \rVert = \lVert x \rVert$ when $n_\text{in} \ge n_\text{out}$.

    Args:
        shape: (n_in, n_out).
        rng: a Generator, or a seed for one.
        gain: the factor on every weight, > 0.

    Returns:
        The weights, float64, of shape ``shape``.

    Raises:
        TypeError: if shape is not a sequence of whole numbers, rng not a seed,
            or gain not a real number.
        ValueError: if shape has not 2 entries, or one is below 1, or gain is
            not positive.
    """
    check.positive("orthogonal", "gain", gain)
    n_in, n_out = shape
    a = rng.normal(size=(max(n_in, n_out), min(n_in, n_out)))
    q, r = np.linalg.qr(a)
    # makes the result uniformly distributed over orthogonal matrices
    q *= np.sign(np.diag(r))
    return gain * (q if n_in >= n_out else q.T)


# --8<-- [end:orthogonal]


# --8<-- [start:sparse]
def sparse(k: int, std: float = 1.0) -> Initializer:
    r"""Martens (2010): each unit gets exactly k nonzero incoming weights.

    They are drawn from $\mathcal N(0, \sigma^2)$; all others are 0.

    Args:
        k: the nonzero weights per unit, at most n_in.
        std: their standard deviation $\sigma$, > 0.

    Returns:
        An initializer f(shape, rng), which raises ValueError if k > n_in.

    Raises:
        TypeError: if k is not a whole number, or std not a real number.
        ValueError: if k is below 1, or std not positive.
    """
    check.whole("sparse", "k", k)
    check.positive("sparse", "std", std)

    def init(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
        n_in, n_out = shape
        if k > n_in:
            check.fail(f"sparse({k})", "k", f"at most n_in = {n_in}", k)
        W = np.zeros(shape)
        for j in range(n_out):
            weights = rng.normal(0.0, std, size=k)
            W[rng.choice(n_in, size=k, replace=False), j] = weights
        return W

    return Initializer(init, f"sparse({k}, std={std})")


# --8<-- [end:sparse]


NAMED: dict[str, Initializer] = {
    "zeros": zeros,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "lecun_normal": lecun_normal,
    "orthogonal": orthogonal,
}


def get(init: str | Callable) -> Callable:
    """An initializer from its name, or the function itself.

    Args:
        init: the name of one of this module's initializers, not of a factory
            (``"he_normal"``, not ``"normal"``), or a function f(shape, rng).

    Returns:
        The initializer; a function is returned as given.

    Raises:
        TypeError: if init is neither a string nor callable.
        ValueError: if init is an unknown name.
    """
    if callable(init):
        return init
    expectation = f"one of {sorted(NAMED)} or a function f(shape, rng)"
    if not isinstance(init, str):
        check.fail("hb.init.get", "init", expectation, init, TypeError)
    if init not in NAMED:
        unknown = f"the unknown initializer {init!r}"
        check.fail("hb.init.get", "init", expectation, unknown, described=True)
    return NAMED[init]
