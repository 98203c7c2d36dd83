"""Optimizers: built on a list of Parameters; ``step()`` updates ``.value`` in place from ``.grad``.

``lr`` is a plain attribute, so a schedule may change it between steps. State arrays
(velocities, squared-gradient averages) have the dtype of their parameter.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from handbook import validation as check
from handbook.parameter import Parameter


class Optimizer:
    """Holds the parameters, the learning rate and each parameter's state arrays.

    Subclasses define ``update(w, g, *state)``, one parameter's update written like its
    formula. Parameters are updated independently, so for a large model ``step`` runs
    their updates on all cores at once (NumPy releases the GIL inside its loops).
    """

    state_names: tuple[str, ...] = ()  # per-parameter arrays, zero at the start, e.g. ("v",)

    def __init__(self, params, lr: float):
        self.params: list[Parameter] = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty list of parameters")
        self.lr = check.non_negative(type(self).__name__, "lr", lr)
        self.t = 0  # number of steps taken, for bias correction
        self.state = [tuple(np.zeros_like(p.value) for _ in self.state_names) for p in self.params]

    def step(self) -> None:
        self.t += 1
        jobs = [(p.value, p.grad, *state) for p, state in zip(self.params, self.state) if p.grad is not None]
        _run_in_parallel(self.update, jobs)

    def update(self, w: np.ndarray, g: np.ndarray, *state: np.ndarray) -> None:
        raise NotImplementedError

    def __getattr__(self, name: str) -> list[np.ndarray]:
        """``opt.v`` (for example) lists the velocity array of every parameter."""
        names = type(self).state_names
        if name in names:
            return [state[names.index(name)] for state in self.__dict__["state"]]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr})"


PARALLEL_SIZE = 1 << 18  # below this many values in all, threads cost more than they save
_pool: ThreadPoolExecutor | None = None


def _run_in_parallel(update, jobs: list[tuple[np.ndarray, ...]]) -> None:
    """Apply ``update`` to every parameter's arrays; for large models, on all cores at once
    (the largest parameter in this thread, the others in worker threads)."""
    global _pool
    cores = os.cpu_count() or 1
    if sum(arrays[0].size for arrays in jobs) < PARALLEL_SIZE or cores < 2:
        for arrays in jobs:
            update(*arrays)
        return
    _pool = _pool or ThreadPoolExecutor(max_workers=cores - 1, thread_name_prefix="handbook-optim")
    largest, *others = sorted(jobs, key=lambda arrays: -arrays[0].size)
    futures = [_pool.submit(update, *arrays) for arrays in others]
    update(*largest)
    for future in futures:
        future.result()


# --8<-- [start:ewma]
def ewma(values, beta: float, bias_correction: bool = False) -> np.ndarray:
    """Exponentially weighted averages v_t = beta v_{t-1} + (1 - beta) theta_t, from v_0 = 0;
    with bias_correction, v_t / (1 - beta^t). One number of memory, an effective window of 1/(1 - beta)."""
    check.fraction("ewma", "beta", beta)
    v, out = 0.0, np.empty(len(values))
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        out[t - 1] = v / (1 - beta**t) if bias_correction else v
    return out
# --8<-- [end:ewma]


# --8<-- [start:sgd]
class SGD(Optimizer):
    """w -= lr * g."""

    def update(self, w, g):
        w -= self.lr * g
# --8<-- [end:sgd]


# --8<-- [start:momentum]
class Momentum(Optimizer):
    """v = beta v + (1 - beta) g;  w -= lr v. An average of recent gradients damps oscillations."""

    state_names = ("v",)

    def __init__(self, params, lr: float, beta: float = 0.9):
        super().__init__(params, lr)
        check.fraction(self, "beta", beta)
        self.beta = beta

    def update(self, w, g, v):
        v *= self.beta
        v += (1 - self.beta) * g
        w -= self.lr * v
# --8<-- [end:momentum]


# --8<-- [start:nesterov]
class Nesterov(Momentum):
    """Momentum that looks ahead: step along beta v + (1 - beta) g, where the velocity is going."""

    def update(self, w, g, v):
        v *= self.beta
        v += (1 - self.beta) * g
        w -= self.lr * (self.beta * v + (1 - self.beta) * g)
# --8<-- [end:nesterov]


# --8<-- [start:adagrad]
class AdaGrad(Optimizer):
    """cache += g^2;  w -= lr g / (sqrt(cache) + eps). Steps shrink forever as the cache grows."""

    state_names = ("cache",)

    def __init__(self, params, lr: float, eps: float = 1e-7):
        super().__init__(params, lr)
        check.positive(self, "eps", eps)
        self.eps = eps

    def update(self, w, g, cache):
        cache += g * g
        w -= self.lr * g / (np.sqrt(cache) + self.eps)
# --8<-- [end:adagrad]


# --8<-- [start:rmsprop]
class RMSprop(Optimizer):
    """s = beta s + (1 - beta) g^2;  w -= lr g / (sqrt(s) + eps). AdaGrad that forgets old gradients."""

    state_names = ("s",)

    def __init__(self, params, lr: float, beta: float = 0.9, eps: float = 1e-8):
        super().__init__(params, lr)
        check.fraction(self, "beta", beta)
        check.positive(self, "eps", eps)
        self.beta, self.eps = beta, eps

    def update(self, w, g, s):
        s *= self.beta
        s += (1 - self.beta) * (g * g)
        w -= self.lr * g / (np.sqrt(s) + self.eps)
# --8<-- [end:rmsprop]


# --8<-- [start:adam]
class Adam(Optimizer):
    """Kingma and Ba (2015): momentum (v) plus RMSprop (s), both bias-corrected.

    v = b1 v + (1 - b1) g,   s = b2 s + (1 - b2) g^2,
    w -= lr * v_hat / (sqrt(s_hat) + eps),  v_hat = v / (1 - b1^t),  s_hat = s / (1 - b2^t).
    """

    state_names = ("v", "s", "scratch")

    def __init__(self, params, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        super().__init__(params, lr)
        check.fraction(self, "beta1", beta1)
        check.fraction(self, "beta2", beta2)
        check.positive(self, "eps", eps)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def update(self, w, g, v, s, tmp):
        b1, b2, t = self.beta1, self.beta2, self.t
        np.subtract(g, v, out=tmp); tmp *= 1 - b1; v += tmp            # v += (1 - b1)(g - v)
        np.multiply(g, g, out=tmp); tmp -= s; tmp *= 1 - b2; s += tmp  # s += (1 - b2)(g^2 - s)
        # lr v_hat / (sqrt(s_hat) + eps) = (lr c2 / c1) v / (sqrt(s) + eps c2), c1 = 1 - b1^t, c2 = sqrt(1 - b2^t)
        c1, c2 = 1 - b1**t, (1 - b2**t) ** 0.5
        np.sqrt(s, out=tmp); tmp += self.eps * c2
        np.divide(v, tmp, out=tmp); tmp *= self.lr * c2 / c1
        w -= tmp
# --8<-- [end:adam]


# --8<-- [start:adamw]
class AdamW(Adam):
    """Loshchilov and Hutter (2019): Adam with decoupled weight decay, w -= lr * weight_decay * w first."""

    def __init__(self, params, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 1e-2):
        super().__init__(params, lr, beta1, beta2, eps)
        check.non_negative(self, "weight_decay", weight_decay)
        self.weight_decay = weight_decay

    def update(self, w, g, v, s, tmp):
        w *= 1 - self.lr * self.weight_decay
        super().update(w, g, v, s, tmp)
# --8<-- [end:adamw]


# --8<-- [start:clipping]
def clip_by_value(params, limit: float) -> float:
    """Clip every gradient entry to [-limit, limit]; returns the global norm before clipping."""
    check.positive("clip_by_value", "limit", limit)
    norm = global_norm(params)
    for p in params:
        if p.grad is not None:
            np.clip(p.grad, -limit, limit, out=p.grad)
    return norm


def clip_by_norm(params, max_norm: float) -> float:
    """Rescale all gradients together so that their global norm is at most max_norm; keeps the direction."""
    check.positive("clip_by_norm", "max_norm", max_norm)
    norm = global_norm(params)
    if norm > max_norm:
        for p in params:
            if p.grad is not None:
                p.grad *= max_norm / norm
    return norm


def global_norm(params) -> float:
    """sqrt of the sum of all squared gradient entries, over all parameters."""
    return float(np.sqrt(sum(float(np.vdot(p.grad, p.grad)) for p in params if p.grad is not None)))
# --8<-- [end:clipping]
