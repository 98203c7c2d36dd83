"""Losses: ``forward(output, y) -> float`` (the mean over the batch) and ``backward() -> d(output)``."""

from __future__ import annotations

import numpy as np


# --8<-- [start:softmax]
def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax(z) along the last axis, without overflow: shift by the largest logit first."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """e^z / sum(e^z) along the last axis; every row sums to 1."""
    return np.exp(log_softmax(z))
# --8<-- [end:softmax]


class Loss:
    def _kept(self) -> dict:
        if getattr(self, "_cache", None) is None:
            raise RuntimeError(f"{type(self).__name__}: backward called before forward")
        return self._cache


# --8<-- [start:cross-entropy]
class SoftmaxCrossEntropy(Loss):
    """J = -(1/m) sum_i sum_k y_k log softmax(z)_k, from logits and integer or one-hot labels."""

    def __init__(self, label_smoothing: float = 0.0):
        if not 0 <= label_smoothing < 1:
            raise ValueError(f"SoftmaxCrossEntropy: label_smoothing must be in [0, 1), got {label_smoothing!r}")
        self.label_smoothing = label_smoothing
        self._cache = None

    def targets(self, y: np.ndarray, K: int, dtype) -> np.ndarray:
        """One-hot rows, smoothed: 1 - eps on the true class and eps / (K - 1) on each other."""
        y = np.asarray(y)
        if y.ndim == 1:
            if not np.issubdtype(y.dtype, np.integer) or y.min(initial=0) < 0 or y.max(initial=0) >= K:
                raise ValueError(f"SoftmaxCrossEntropy: labels must be integers in [0, {K}), got {y.dtype} "
                                 f"from {y.min(initial=0)} to {y.max(initial=0)}")
            t = np.zeros((len(y), K), dtype)
            t[np.arange(len(y)), y] = 1
        else:
            t = y.astype(dtype)
        eps = self.label_smoothing
        if eps:
            if K < 2:
                raise ValueError("SoftmaxCrossEntropy: label smoothing needs at least 2 classes")
            t = t * (1 - eps - eps / (K - 1)) + eps / (K - 1)
        return t

    def forward(self, z: np.ndarray, y: np.ndarray) -> float:
        if z.ndim != 2 or np.shape(y)[0] != len(z) or (np.ndim(y) == 2 and np.shape(y) != z.shape):
            raise ValueError(f"SoftmaxCrossEntropy: logits of shape {z.shape} do not match labels of "
                             f"shape {np.shape(y)} (expected ({len(z)},) or {z.shape})")
        t = self.targets(y, z.shape[1], z.dtype)
        log_p = log_softmax(z)
        self._cache = {"p": np.exp(log_p), "t": t}
        return float(-(t * log_p).sum() / len(z))

    def backward(self) -> np.ndarray:
        kept = self._kept()
        p, t = kept["p"], kept["t"]
        return (p - t) / p.dtype.type(len(p))          # dJ/dz = (y_hat - y) / m
# --8<-- [end:cross-entropy]


# --8<-- [start:binary-cross-entropy]
class BinaryCrossEntropy(Loss):
    """Logistic loss from logits: max(z, 0) - z y + log(1 + e^-|z|), exact and overflow-free."""

    def __init__(self):
        self._cache = None

    def forward(self, z: np.ndarray, y: np.ndarray) -> float:
        y = np.asarray(y, dtype=z.dtype).reshape(z.shape) if np.size(y) == z.size else None
        if y is None:
            raise ValueError(f"BinaryCrossEntropy: logits of shape {z.shape} need one label each")
        self._cache = {"z": z, "y": y}
        return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))

    def backward(self) -> np.ndarray:
        kept = self._kept()
        z, y = kept["z"], kept["y"]
        e = np.exp(-np.abs(z))
        sigma = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
        return (sigma - y) / z.dtype.type(z.size)
# --8<-- [end:binary-cross-entropy]


# --8<-- [start:mse]
class MeanSquaredError(Loss):
    """J = (1/2m) sum_i ||y_hat_i - y_i||^2: half the squared error, summed over outputs, averaged over examples."""

    def __init__(self):
        self._cache = None

    def forward(self, output: np.ndarray, y: np.ndarray) -> float:
        y = np.asarray(y, dtype=output.dtype)
        if y.shape != output.shape:
            y = y.reshape(output.shape) if y.size == output.size else None
        if y is None:
            raise ValueError(f"MeanSquaredError: output of shape {output.shape} and targets of "
                             f"shape {np.shape(y)} differ")
        diff = output - y
        self._cache = {"diff": diff}
        return float(0.5 * np.sum(diff * diff) / len(output))

    def backward(self) -> np.ndarray:
        diff = self._kept()["diff"]
        return diff / diff.dtype.type(len(diff))
# --8<-- [end:mse]


# --8<-- [start:kl]
def kl_divergence(p: np.ndarray, q: np.ndarray, check: bool = True) -> np.ndarray:
    """KL(p || q) = sum_k p_k log(p_k / q_k) along the last axis, with 0 log 0 = 0; never negative
    when p and q are distributions, which ``check`` enforces."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if check:
        for name, d in (("p", p), ("q", q)):
            if (d < 0).any() or not np.allclose(d.sum(axis=-1), 1, atol=1e-6):
                raise ValueError(f"kl_divergence: {name} is not a probability distribution (entries must "
                                 f"be >= 0 and sum to 1 along the last axis; sums are {d.sum(axis=-1)})")
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 log 0 terms are dropped by the where
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / q), 0.0)
    return terms.sum(axis=-1)
# --8<-- [end:kl]
