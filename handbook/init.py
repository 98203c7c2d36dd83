"""Weight initializers: each is a function ``f(shape, rng) -> ndarray``.

``shape`` is ``(n_in, n_out)``. The parameterized ones (``constant``, ``normal``,
``uniform``, ``sparse``) are factories: ``normal(0.01)`` returns such a function.
Initializers return float64; a layer casts the result to its own dtype.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from handbook import validation as check

Initializer = Callable[[tuple[int, int], np.random.Generator], np.ndarray]


# --8<-- [start:fixed]
def zeros(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """All zeros: every unit of a layer computes the same thing.

    This is the symmetry problem.
    """
    return np.zeros(shape)


def constant(c: float) -> Initializer:
    """Every weight equal to ``c``."""
    return lambda shape, rng: np.full(shape, float(c))


def normal(std: float) -> Initializer:
    """N(0, std^2), the same variance whatever the layer's size."""
    check.positive("normal", "std", std)
    return lambda shape, rng: rng.normal(0.0, std, size=shape)


def uniform(r: float) -> Initializer:
    """U(-r, r), the same range whatever the layer's size."""
    check.positive("uniform", "r", r)
    return lambda shape, rng: rng.uniform(-r, r, size=shape)


# --8<-- [end:fixed]


# --8<-- [start:variance-scaling]
def xavier_normal(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Glorot and Bengio (2010): Var(W) = 2 / (n_in + n_out).

    For tanh and sigmoid layers.
    """
    n_in, n_out = shape
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=shape)


def xavier_uniform(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """U(-a, a) with a = sqrt(6 / (n_in + n_out)).

    The same variance as xavier_normal.
    """
    n_in, n_out = shape
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=shape)


def he_normal(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """He et al. (2015): Var(W) = 2 / n_in.

    It keeps the variance through ReLU layers.
    """
    n_in, _ = shape
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=shape)


def he_uniform(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """U(-a, a) with a = sqrt(6 / n_in): the same variance as he_normal."""
    n_in, _ = shape
    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, size=shape)


def lecun_normal(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """LeCun et al. (1998): Var(W) = 1 / n_in.

    What some courses call Xavier initialization for tanh.
    """
    n_in, _ = shape
    return rng.normal(0.0, np.sqrt(1.0 / n_in), size=shape)


# --8<-- [end:variance-scaling]


# --8<-- [start:orthogonal]
def orthogonal(
    shape: tuple[int, int], rng: np.random.Generator, gain: float = 1.0
) -> np.ndarray:
    """Saxe et al. (2014): orthonormal columns (or rows).

    So ||x W|| = ||x|| when n_in >= n_out.
    """
    n_in, n_out = shape
    a = rng.normal(size=(max(n_in, n_out), min(n_in, n_out)))
    q, r = np.linalg.qr(a)
    # makes the result uniformly distributed over orthogonal matrices
    q *= np.sign(np.diag(r))
    return gain * (q if n_in >= n_out else q.T)


# --8<-- [end:orthogonal]


# --8<-- [start:sparse]
def sparse(k: int, std: float = 1.0) -> Initializer:
    """Martens (2010): each unit gets exactly k nonzero incoming weights.

    They are drawn from N(0, std^2); all others are 0.
    """
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"sparse: k must be a positive integer, got {k!r}")

    def init(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
        n_in, n_out = shape
        if k > n_in:
            raise ValueError(f"sparse({k}): k must be at most n_in = {n_in}")
        W = np.zeros(shape)
        for j in range(n_out):
            weights = rng.normal(0.0, std, size=k)
            W[rng.choice(n_in, size=k, replace=False), j] = weights
        return W

    return init


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


def get(init: str | Initializer) -> Initializer:
    """An initializer from its name, or the function itself."""
    if callable(init):
        return init
    if init not in NAMED:
        raise ValueError(
            f"init: unknown initializer {init!r}; "
            f"expected one of {sorted(NAMED)} or a function"
        )
    return NAMED[init]
