"""The measurements of ``python -m benchmarks``; each runs in a process of its own."""

from __future__ import annotations

import resource
import sys
import time

import numpy as np

WIDTHS_A = (784, 512, 512, 10)
BATCH_A = 128
WIDTHS_B = (64, 256, 256, 10)


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed(step, repeat: int, warmup: int = 20, phases: dict | None = None) -> dict:
    """Time ``step``; when it appends to the lists of ``phases`` (name -> seconds of that
    phase, one per call), also the median of each phase."""
    for _ in range(warmup):
        step()
    for spent in (phases or {}).values():
        spent.clear()
    times = np.empty(repeat)
    for i in range(repeat):
        start = time.perf_counter()
        step()
        times[i] = time.perf_counter() - start
    result = {"median_ms": float(np.median(times) * 1e3), "best_ms": float(times.min() * 1e3),
              "repeat": repeat, "peak_mb": _peak_mb()}
    if phases:
        result["phases_ms"] = {name: float(np.median(spent) * 1e3) for name, spent in phases.items()}
    return result


class _Clock:
    """Phase times of one step: ``clock.lap("forward")`` after each phase."""

    def __init__(self, *names: str):
        self.phases = {name: [] for name in names}
        self.last = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name].append(now - self.last)
        self.last = now


def _batch_a(dtype=np.float32):
    rng = np.random.default_rng(0)
    x = rng.random((BATCH_A, WIDTHS_A[0]), dtype=np.float32).astype(dtype)
    y = rng.integers(0, WIDTHS_A[-1], BATCH_A)
    return x, y


def step_handbook(repeat: int, threads: int) -> dict:
    import handbook as hb

    x, y = _batch_a()
    n0, n1, n2, n3 = WIDTHS_A
    model = hb.Sequential(
        hb.Dense(n0, n1, rng=1), hb.ReLU(),
        hb.Dense(n1, n2, rng=2), hb.ReLU(),
        hb.Dense(n2, n3, rng=3),
    ).astype(np.float32)
    loss = hb.SoftmaxCrossEntropy()
    optimizer = hb.optim.Adam(model.parameters(), lr=1e-3)

    clock = _Clock("forward", "loss", "backward", "update")

    def step():
        clock.start()
        out = model.forward(x)
        clock.lap("forward")
        loss.forward(out, y)
        dout = loss.backward()
        clock.lap("loss")
        model.backward(dout, input_grad=False)  # as hb.fit does: no gradient for the data
        clock.lap("backward")
        optimizer.step()
        clock.lap("update")

    return _timed(step, repeat, phases=clock.phases)


def step_matmul_floor(repeat: int, threads: int) -> dict:
    """The eight matrix products of one step: three forward, five backward (no dx for the input)."""
    rng = np.random.default_rng(0)
    x, _ = _batch_a()
    n0, n1, n2, n3 = WIDTHS_A
    W1, W2, W3 = (rng.standard_normal((a, b), dtype=np.float32) for a, b in ((n0, n1), (n1, n2), (n2, n3)))
    a1 = np.empty((BATCH_A, n1), np.float32)
    a2 = np.empty((BATCH_A, n2), np.float32)
    z3 = np.empty((BATCH_A, n3), np.float32)
    dW1, dW2, dW3 = np.empty_like(W1), np.empty_like(W2), np.empty_like(W3)
    da2, da1 = np.empty_like(a2), np.empty_like(a1)

    clock = _Clock("forward", "backward")

    def step():
        clock.start()
        np.matmul(x, W1, out=a1)
        np.matmul(a1, W2, out=a2)
        np.matmul(a2, W3, out=z3)
        clock.lap("forward")
        np.matmul(a2.T, z3, out=dW3)
        np.matmul(z3, W3.T, out=da2)
        np.matmul(a1.T, da2, out=dW2)
        np.matmul(da2, W2.T, out=da1)
        np.matmul(x.T, da1, out=dW1)
        clock.lap("backward")

    return _timed(step, repeat, phases=clock.phases)


def step_torch(repeat: int, threads: int) -> dict:
    try:
        import torch
    except ImportError:
        return {"error": "PyTorch is not installed: column skipped"}
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x_np, y_np = _batch_a()
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    n0, n1, n2, n3 = WIDTHS_A
    model = torch.nn.Sequential(
        torch.nn.Linear(n0, n1), torch.nn.ReLU(),
        torch.nn.Linear(n1, n2), torch.nn.ReLU(),
        torch.nn.Linear(n2, n3),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    clock = _Clock("forward", "loss", "backward", "update")

    def step():
        clock.start()
        optimizer.zero_grad(set_to_none=False)
        out = model(x)
        clock.lap("forward")
        value = loss_fn(out, y)
        clock.lap("loss")
        value.backward()  # the loss's backward and the model's
        clock.lap("backward")
        optimizer.step()
        clock.lap("update")

    result = _timed(step, repeat, phases=clock.phases)
    result["version"] = torch.__version__
    return result


def _digits_split():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


SEEDS_B = range(5)  # accuracy varies by a few tenths of a percent from seed to seed: average


def digits_handbook(repeat: int, threads: int) -> dict:
    import handbook as hb

    X_train, X_test, y_train, y_test = _digits_split()
    n0, n1, n2, n3 = WIDTHS_B
    times, accuracies = [], []
    for seed in SEEDS_B:
        rng = np.random.default_rng(seed)
        model = hb.Sequential(
            hb.Dense(n0, n1, rng=rng), hb.ReLU(),
            hb.Dense(n1, n2, rng=rng), hb.ReLU(),
            hb.Dense(n2, n3, init="xavier_normal", rng=rng),
        ).astype(np.float32)
        optimizer = hb.optim.Adam(model.parameters(), lr=1e-3)
        start = time.perf_counter()
        hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X_train, y_train, epochs=60, batch_size=64, rng=rng)
        times.append(time.perf_counter() - start)
        accuracies.append(float(np.mean(model.predict(X_test).argmax(axis=1) == y_test)))
    return {"fit_s": float(np.mean(times)), "test_accuracy": float(np.mean(accuracies)),
            "accuracies": accuracies, "peak_mb": _peak_mb()}


def digits_sklearn(repeat: int, threads: int) -> dict:
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X_train, X_test, y_train, y_test = _digits_split()
    times, accuracies = [], []
    for seed in SEEDS_B:
        clf = MLPClassifier(hidden_layer_sizes=WIDTHS_B[1:-1], activation="relu", solver="adam",
                            learning_rate_init=1e-3, batch_size=64, max_iter=60, alpha=0.0,
                            shuffle=True, tol=0.0, n_iter_no_change=10**9, random_state=seed)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X_train, y_train)
        times.append(time.perf_counter() - start)
        accuracies.append(float(clf.score(X_test, y_test)))
    return {"fit_s": float(np.mean(times)), "test_accuracy": float(np.mean(accuracies)),
            "accuracies": accuracies, "peak_mb": _peak_mb(), "epochs": int(clf.n_iter_)}
