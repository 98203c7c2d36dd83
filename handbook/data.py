"""Data tools: splits, mini-batches, input scaling and whitening, one-hot labels."""

from __future__ import annotations

from typing import Iterator

import numpy as np


def _rng(rng) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _same_length(X: np.ndarray, y: np.ndarray) -> None:
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")


# --8<-- [start:split]
def split(X: np.ndarray, y: np.ndarray, ratios=(0.6, 0.2, 0.2), *, stratify: bool = False, rng=None):
    """Shuffle and cut into train/dev(/test) sets by ``ratios``; with ``stratify``, each class alone.

    Every set but the first gets floor(ratio * n) rows (per class when stratified); the
    first gets the rest. Returns ``(X_train, y_train), (X_dev, y_dev)[, (X_test, y_test)]``.
    """
    _same_length(X, y)
    ratios = np.asarray(ratios, dtype=float)
    if len(ratios) < 2 or (ratios <= 0).any() or not np.isclose(ratios.sum(), 1.0):
        raise ValueError(f"ratios must be 2 or 3 positive numbers summing to 1, got {tuple(ratios)}")
    rng = _rng(rng)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    parts: list[list[np.ndarray]] = [[] for _ in ratios]
    for rows in groups:
        rows = rng.permutation(rows)
        sizes = np.floor(ratios[1:] * len(rows)).astype(int)
        bounds = np.cumsum([len(rows) - sizes.sum(), *sizes])
        for part, chunk in zip(parts, np.split(rows, bounds[:-1])):
            part.append(chunk)
    indices = [rng.permutation(np.concatenate(p)) for p in parts]
    return tuple((X[i], y[i]) for i in indices)
# --8<-- [end:split]


# --8<-- [start:minibatches]
def minibatches(X: np.ndarray, y: np.ndarray, batch_size: int, shuffle: bool = True,
                rng=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Mini-batches X^{t}, y^{t} of batch_size rows covering every row once; the last may be smaller."""
    _same_length(X, y)
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    order = _rng(rng).permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]
# --8<-- [end:minibatches]


class _Fitted:
    """Refuses to transform before fit, so dev and test data can only reuse training statistics."""

    fitted = False

    def _require_fit(self) -> None:
        if not self.fitted:
            raise RuntimeError(f"{type(self).__name__}: call fit(X_train) before transform")

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).transform(X)


# --8<-- [start:standardizer]
class Standardizer(_Fitted):
    """x_norm = (x - mu) / sigma, with mu and sigma of the training set, reused on dev and test."""

    def __init__(self, eps: float = 1e-8):
        self.eps = eps

    def fit(self, X: np.ndarray) -> "Standardizer":
        self.mu = X.mean(axis=0)
        self.sigma = X.std(axis=0) + self.eps  # divide by sigma, not sigma^2
        self.fitted = True
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        self._require_fit()
        return ((X - self.mu) / self.sigma).astype(X.dtype, copy=False)

    def inverse_transform(self, X: np.ndarray) -> np.ndarray:
        self._require_fit()
        return (X * self.sigma + self.mu).astype(X.dtype, copy=False)
# --8<-- [end:standardizer]


# --8<-- [start:minmax]
class MinMaxScaler(_Fitted):
    """x' = (x - min) / (max - min), mapped to feature_range, with the training set's min and max."""

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)):
        self.low, self.high = feature_range

    def fit(self, X: np.ndarray) -> "MinMaxScaler":
        self.min, self.max = X.min(axis=0), X.max(axis=0)
        self.fitted = True
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        self._require_fit()
        span = np.where(self.max > self.min, self.max - self.min, 1)
        return (self.low + (X - self.min) / span * (self.high - self.low)).astype(X.dtype, copy=False)
# --8<-- [end:minmax]


# --8<-- [start:whitener]
class Whitener(_Fitted):
    """PCA whitening rotates onto the covariance's eigenvectors and scales each to unit variance;
    ZCA rotates back, giving the whitened data closest to the original."""

    def __init__(self, method: str = "pca", eps: float = 1e-5):
        if method not in ("pca", "zca"):
            raise ValueError(f"Whitener: method must be 'pca' or 'zca', got {method!r}")
        self.method, self.eps = method, eps

    def fit(self, X: np.ndarray) -> "Whitener":
        self.mu = X.mean(axis=0)
        covariance = np.cov(X - self.mu, rowvar=False, bias=True)
        eigenvalues, U = np.linalg.eigh(covariance)
        self.W = U / np.sqrt(eigenvalues + self.eps)  # column j scaled by 1/sqrt(lambda_j + eps)
        if self.method == "zca":
            self.W = self.W @ U.T
        self.fitted = True
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        self._require_fit()
        return ((X - self.mu) @ self.W).astype(X.dtype, copy=False)
# --8<-- [end:whitener]


# --8<-- [start:one-hot]
def one_hot(y: np.ndarray, K: int | None = None) -> np.ndarray:
    """Integer labels 0..K-1 to rows with a single 1."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or (y < 0).any():
        raise ValueError(f"one_hot: expected a 1-D array of non-negative integer labels, got {y.dtype} {y.shape}")
    K = int(y.max()) + 1 if K is None else K
    if len(y) and y.max() >= K:
        raise ValueError(f"one_hot: label {y.max()} does not fit K = {K} classes")
    Y = np.zeros((len(y), K))
    Y[np.arange(len(y)), y] = 1
    return Y
# --8<-- [end:one-hot]
