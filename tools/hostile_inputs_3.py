"""Hostile-input attack on the handbook package, third round (issue 15).

Run:  .venv/bin/python tools/hostile_inputs_3.py [--verbose] [filter]

The harness (Case, the judging, the two runs per case, the output) is the first
round's, imported from tools/hostile_inputs.py without running its cases. This
round looks for results that are wrong but finite, and checks them against hand
computations or an independent NumPy formula: state leaking across repeated calls
or across two models sharing a loss, regularizer or EarlyStopping; float32 and
float16 end to end through fit with every optimizer and schedule; gradient_check
for every layer kind and nesting; BatchNorm's train/eval consistency; Dropout's
rate measured; split and minibatches covering every row once; scalers on dev data;
searches' reproducibility and ordering; diagnoses of deliberately broken models;
plot helpers on edge-legal inputs (one point, one epoch, constant values); and the
validation module's own checks at their boundaries (exactly 0 and 1, bools, NumPy
scalars and bools, Fraction, Decimal, long doubles, huge ints).

Where the right behaviour is to return, the case checks the result; a legal call
that raises is reported as OBSCURE "not naming who (a legal call: no error
expected)".

Nothing in the repository is modified.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hostile_inputs as H  # noqa: E402  (registers the first round's cases, runs none)
import numpy as np  # noqa: E402
from hostile_inputs import BCE, MSE, SCE, Case, data, fit_with, images, mlp, nan_check  # noqa: E402

import handbook as hb  # noqa: E402
from handbook import data as D  # noqa: E402
from handbook import datasets as DS  # noqa: E402
from handbook import diagnose as DG  # noqa: E402
from handbook import init as I  # noqa: E402
from handbook import optim as O  # noqa: E402
from handbook import plot as P  # noqa: E402
from handbook import schedules as S  # noqa: E402
from handbook import tuning as T  # noqa: E402
from handbook import validation as V  # noqa: E402

CASES = []


def C(module, label, fn, who, arg, silent=None, ok=None, bad_msg=None):
    """Register a case of this round (same meaning as the first round's C)."""
    CASES.append(Case(module, label, fn, who, arg, silent, ok, bad_msg))


# who for a legal call: an error there names nothing we expect, so it is reported
NOERR = "(a legal call: no error expected)"
NOARG = "(none)"

# ---------------------------------------------------------------------- helpers


def same(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(
        a, b, equal_nan=a.dtype.kind in "fc")


def untouched(call, **arrays):
    """Call ``call(**arrays)``; return (result, names of the arrays it changed)."""
    before = {k: np.array(v, copy=True) for k, v in arrays.items()}
    result = call(**arrays)
    return result, [k for k, v in arrays.items() if not same(v, before[k])]


def not_mutated(r):
    return None if not r[1] else f"changes the caller's {', '.join(r[1])} in place"


def close(a, b, tol=1e-9):
    """None if a and b agree, else a short reason."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return f"shape {a.shape}, expected {b.shape}"
    if not np.allclose(a, b, atol=tol, rtol=tol):
        return f"max difference {np.max(np.abs(a - b)):.3g} (got {np.ravel(a)[:4]}, expected {np.ravel(b)[:4]})"
    return None


def grad_ok(limit=1e-5):
    return lambda r: None if r.relative_error < limit else (
        f"relative error {r.relative_error:.2g}: '{r.verdict[:50]}...'")


def params_of(model):
    return [p.value.copy() for p in model.parameters()]


def one_param(value, grad, dtype=np.float64):
    p = hb.Parameter(np.array(value, dtype))
    p.grad = None if grad is None else np.array(grad, dtype)
    return p



X40, y40 = data()
Xg, yg = data(6)


def tanh_net(k=3, d=3):
    return hb.Sequential(hb.Dense(d, 4, rng=0), hb.Tanh(), hb.Dense(4, k, rng=1))


# =================================================================== validation
Va = "validation"
C(Va, "number(0, low=0, low_open=True): exactly 0 excluded",
  lambda: V.number("demo", "x", 0, low=0, low_open=True), "demo", "x")
C(Va, "number(0, low=0): exactly 0 included, kept an int",
  lambda: V.number("demo", "x", 0, low=0), NOERR, NOARG,
  ok=lambda r: None if r == 0 and type(r) is int else repr(r))
C(Va, "fraction(1): 1 excluded by default", lambda: V.fraction("demo", "p", 1), "demo", "p")
C(Va, "fraction(1, one=True): exactly 1 included", lambda: V.fraction("demo", "p", 1, one=True),
  NOERR, NOARG, ok=lambda r: None if r == 1 else repr(r))
C(Va, "fraction(0, zero=False): exactly 0 excluded", lambda: V.fraction("demo", "p", 0, zero=False),
  "demo", "p")
C(Va, "fraction(np.float32(1.0), one=True)", lambda: V.fraction("demo", "p", np.float32(1.0), one=True),
  NOERR, NOARG, ok=lambda r: None if r == 1 else repr(r))
C(Va, "fraction(np.nextafter(1, 0)) just below 1", lambda: V.fraction("demo", "p", np.nextafter(1.0, 0.0)),
  NOERR, NOARG, ok=lambda r: None if r < 1 else repr(r))
C(Va, "number(np.True_) a NumPy bool", lambda: V.number("demo", "x", np.True_), "demo", "x")
C(Va, "number(Fraction(1, 2)) a fractions.Fraction (a numbers.Real)",
  lambda: V.number("demo", "x", Fraction(1, 2), low=0, high=1), "demo", "x",
  ok=lambda r: None if r == 0.5 else repr(r))
C(Va, "number(Decimal('0.5')) a decimal.Decimal (not a numbers.Real)",
  lambda: V.number("demo", "x", Decimal("0.5")), "demo", "x")
C(Va, "number(-10**400, low=0) a huge negative int", lambda: V.number("demo", "x", -10**400, low=0),
  "demo", "x")
C(Va, "number(10**308) a huge int that a float holds", lambda: V.number("demo", "x", 10**308),
  NOERR, NOARG, ok=lambda r: None if r == 10**308 else "changed")
C(Va, "positive(np.longdouble('1e400')): finite as a long double, inf as a float",
  lambda: V.positive("demo", "lr", np.longdouble("1e400")), "demo", "lr",
  ok=lambda r: None if np.isfinite(float(r)) else
  f"accepted {r!r}, which is inf as the float64 every computation uses")
C(Va, "positive(np.float16 smallest subnormal) is > 0",
  lambda: V.positive("demo", "eps", np.finfo(np.float16).smallest_subnormal), NOERR, NOARG,
  ok=lambda r: None if r > 0 else repr(r))
C(Va, "whole(np.int64(0), low=0) a Python int back",
  lambda: V.whole("demo", "n", np.int64(0), low=0), NOERR, NOARG,
  ok=lambda r: None if r == 0 and type(r) is int else repr(r))
C(Va, "whole(0) with the default low=1", lambda: V.whole("demo", "n", 0), "demo", "n")
# No size is larger than 2**63 - 1 (NumPy's own limit); whole() says so by name.
C(Va, "whole(np.uint64(2**64 - 1))", lambda: V.whole("demo", "n", np.uint64(2**64 - 1)), "demo", "n")
C(Va, "whole(np.bool_(True))", lambda: V.whole("demo", "n", np.bool_(True)), "demo", "n")
C(Va, "whole(Fraction(3, 1)) not an Integral", lambda: V.whole("demo", "n", Fraction(3, 1)), "demo", "n")
C(Va, "interval((0, 0)) empty", lambda: V.interval("demo", "r", (0, 0)), "demo", "r")
C(Va, "interval(np.array(5.0)) a 0-d array", lambda: V.interval("demo", "r", np.array(5.0)), "demo", "r")
C(Va, "interval(np.array([0, 1]))", lambda: V.interval("demo", "r", np.array([0, 1])), NOERR, NOARG,
  ok=lambda r: None if r == (0, 1) else repr(r))
C(Va, "interval((np.float16(0), np.int8(1))) NumPy scalars",
  lambda: V.interval("demo", "r", (np.float16(0), np.int8(1))), NOERR, NOARG,
  ok=lambda r: None if r == (0, 1) else repr(r))
C(Va, "interval((0, 10**400))", lambda: V.interval("demo", "r", (0, 10**400)), "demo", "r")
C(Va, "interval((False, True)) bools", lambda: V.interval("demo", "r", (False, True)), "demo", "r")
C(Va, "epsilon(float16 smallest subnormal, [float16]) still > 0 in float16",
  lambda: V.epsilon("demo", float(np.finfo(np.float16).smallest_subnormal), [np.float16]), NOERR, NOARG,
  ok=lambda r: None if r > 0 else repr(r))
C(Va, "epsilon(1e-46, [float32]) is 0 in float32", lambda: V.epsilon("demo", 1e-46, [np.float32]),
  "demo", "eps")
C(Va, "epsilon(5e-324, [float64]) the smallest float64", lambda: V.epsilon("demo", 5e-324, [np.float64]),
  NOERR, NOARG, ok=lambda r: None if r > 0 else repr(r))
C(Va, "labels_of(X, y with an inf)",
  lambda: V.labels_of("demo", np.ones((3, 2)), np.array([0.0, np.inf, 1.0])), "demo", "y")
C(Va, "labels_of(X, bool y) kept as bools",
  lambda: V.labels_of("demo", np.ones((3, 2)), np.array([True, False, True])), NOERR, NOARG,
  ok=lambda r: None if r.dtype == bool else str(r.dtype))
C(Va, "values(np.float64(3.0)) a 0-d value", lambda: V.values("demo", "y", np.float64(3.0)), "demo", "y")
C(Va, "flag(np.bool_(False)) a Python bool back", lambda: V.flag("demo", "b", np.bool_(False)),
  NOERR, NOARG, ok=lambda r: None if r is False else repr(r))
C(Va, "Dense(3, 2, bias=0) an int for a flag", lambda: hb.Dense(3, 2, bias=0), "Dense", "bias")
C(Va, "Dense(3, 2, bias=np.True_)", lambda: hb.Dense(3, 2, bias=np.True_, rng=0), NOERR, NOARG,
  ok=lambda r: None if r.b is not None else "no bias")
C(Va, "Dropout(0.5, rng=np.random.RandomState(0)) the legacy generator (NumPy 2 wraps it)",
  lambda: [hb.Dropout(0.5, rng=np.random.RandomState(0)).forward(np.ones((3, 4))) for _ in range(2)],
  NOERR, NOARG, ok=lambda r: close(r[0], r[1], 0))  # default_rng accepts a RandomState
C(Va, "fit(rng=np.random.default_rng) the function, not called",
  lambda: fit_with(rng=np.random.default_rng), "hb.fit", "rng")
C(Va, "Dropout(0.5, rng=np.float32(1.0))", lambda: hb.Dropout(0.5, rng=np.float32(1.0)), "Dropout", "rng")
C(Va, "Dropout(0.5, rng=np.random.PCG64(0)) a BitGenerator",
  lambda: hb.Dropout(0.5, rng=np.random.PCG64(0)).forward(np.ones((2, 3))), NOERR, NOARG,
  ok=lambda r: None if r.shape == (2, 3) else str(r.shape))
C(Va, "Dense(3, 2, rng=2**200) a huge seed",
  lambda: (hb.Dense(3, 2, rng=2**200).W.value, hb.Dense(3, 2, rng=2**200).W.value), NOERR, NOARG,
  ok=lambda r: close(r[0], r[1], 0))
C(Va, "Dropout(Fraction(1, 2))", lambda: hb.Dropout(Fraction(1, 2), rng=0), "Dropout", "keep_prob",
  ok=lambda r: None if r.forward(np.ones((2, 3))).dtype == np.float64 else "not float64")
C(Va, "SGD(params, lr=Fraction(1, 10))", lambda: O.SGD(mlp().parameters(), Fraction(1, 10)), "SGD", "lr",
  ok=lambda r: None if float(r.lr) == 0.1 else repr(r.lr))
C(Va, "bias_variance(Fraction(1, 10), 0.2)", lambda: DG.bias_variance(Fraction(1, 10), 0.2),
  "bias_variance", "train_error", ok=lambda r: None if r.verdict == "high bias and high variance" else r.verdict)
C(Va, "Dropout(Decimal('0.5'))", lambda: hb.Dropout(Decimal("0.5")), "Dropout", "keep_prob")
C(Va, "SGD(params, lr=np.longdouble('1e400'))", lambda: O.SGD(mlp().parameters(), np.longdouble("1e400")),
  "SGD", "lr", silent="a rate that is inf in float64 accepted: the first step makes every weight inf")
C(Va, "L2(10**400) a huge int", lambda: hb.L2(10**400), "L2", "lambd")
C(Va, "split_sizes(10**400) a huge whole number", lambda: D.split_sizes(10**400), "split_sizes", "m",
  ok=lambda r: None if sum(r) == 10**400 else str(r))
C(Va, "one_hot([0, 1], K=10**20) a huge K", lambda: D.one_hot([0, 1], K=10**20), "one_hot", "K")
C(Va, "Dense(10**20, 2) a huge size", lambda: hb.Dense(10**20, 2), ("Dense", "allocate"), ("n_in", "shape"))
C(Va, "fit(epochs=np.True_)", lambda: fit_with(epochs=np.True_), "hb.fit", "epochs")
C(Va, "fit(shuffle=np.False_) = fit(shuffle=False)",
  lambda: (fit_with(shuffle=np.False_).train_loss, fit_with(shuffle=False).train_loss), NOERR, NOARG,
  ok=lambda r: close(r[0], r[1], 0))
C(Va, "EarlyStopping(monitor=np.str_('dev_acc'))",
  lambda: hb.EarlyStopping(monitor=np.str_("dev_acc")).sign, NOERR, NOARG,
  ok=lambda r: None if r == -1 else str(r))
C(Va, "BatchNorm(3, momentum=1) exactly 1 (stats never move)", lambda: hb.BatchNorm(3, momentum=1),
  "BatchNorm", "momentum")
C(Va, "LeakyReLU(alpha=1) exactly 1 (a linear layer)", lambda: hb.LeakyReLU(1), "LeakyReLU", "alpha")
C(Va, "Dropout(1) an int keep_prob of exactly 1: identity",
  lambda: hb.Dropout(1, rng=0).forward(X40), NOERR, NOARG, ok=lambda r: close(r, X40, 0))
C(Va, "Dropout(True)", lambda: hb.Dropout(True), "Dropout", "keep_prob")
C(Va, "bias_variance(0, 0) ints", lambda: DG.bias_variance(0, 0).verdict, NOERR, NOARG,
  ok=lambda r: None if r == "low bias and low variance" else r)

# ======================================================================= layers
L = "layers"


def bn_train_eval():
    bn = hb.BatchNorm(3)
    X = X40 * [1.0, 5.0, 0.1] + [2.0, -3.0, 0.5]
    for _ in range(300):  # momentum 0.9: the running stats converge to the batch's
        train = bn.forward(X)
    return train, bn.forward(X, training=False)


C(L, "BatchNorm: after 300 training passes on one batch, eval output = training output",
  bn_train_eval, NOERR, NOARG, ok=lambda r: close(r[0], r[1], 1e-8))


def bn_hand():
    bn = hb.BatchNorm(3)
    bn.gamma.value[...] = [2.0, 0.5, -1.0]
    bn.beta.value[...] = [1.0, 0.0, 3.0]
    out = bn.forward(X40)
    mu, var = X40.mean(0), X40.var(0)
    ref = [2.0, 0.5, -1.0] * (X40 - mu) / np.sqrt(var + 1e-5) + [1.0, 0.0, 3.0]
    return close(out, ref) or close(bn.running_mean, 0.1 * mu) or close(bn.running_var, 0.9 + 0.1 * var)


C(L, "BatchNorm forward hand (gamma, beta, eps), running stats after one pass (momentum 0.9)",
  bn_hand, NOERR, NOARG, ok=lambda r: r)


def bn_f32():
    bn = hb.BatchNorm(3, dtype=np.float32)
    out = bn.forward(X40.astype(np.float32))
    ev = bn.forward(X40.astype(np.float32), training=False)
    return out.dtype, ev.dtype, bn.running_mean.dtype, bn.running_var.dtype, close(
        out, (X40 - X40.mean(0)) / np.sqrt(X40.var(0) + 1e-5), 1e-5)


C(L, "BatchNorm(float32): outputs and running stats stay float32", bn_f32, NOERR, NOARG,
  ok=lambda r: None if r[:4] == (np.float32,) * 4 and r[4] is None else str(r))
C(L, "Sequential.forward(x, training=np.False_) = predict",
  lambda: (lambda m: (m.forward(X40, training=np.False_), m.predict(X40)))(
      hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dropout(0.5, rng=0), hb.Dense(4, 3, rng=1))),
  NOERR, NOARG, ok=lambda r: close(r[0], r[1], 0))


def dropout_rate():
    out = hb.Dropout(0.8, rng=0).forward(np.ones((400, 250)))
    kept = out[out != 0]
    return float(np.mean(out == 0)), np.unique(kept), float(out.mean())


C(L, "Dropout(0.8): 20 % dropped, kept units scaled by exactly 1/0.8", dropout_rate, NOERR, NOARG,
  ok=lambda r: None if abs(r[0] - 0.2) < 0.005 and close(r[1], [1.25]) is None and abs(r[2] - 1) < 0.01
  else f"dropped {r[0]:.4f}, kept values {r[1]}, mean {r[2]:.4f}")


def dropout_f32_rate():
    out = hb.Dropout(0.3, rng=1).forward(np.ones((400, 250), np.float32))
    return out.dtype, float(np.mean(out == 0)), float(out.astype(np.float64).mean())


C(L, "Dropout(0.3) on float32: 70 % dropped, mean kept at 1, float32 out", dropout_f32_rate, NOERR, NOARG,
  ok=lambda r: None if r[0] == np.float32 and abs(r[1] - 0.7) < 0.005 and abs(r[2] - 1) < 0.02 else str(r))


def dropout_eval_no_draw():
    a, b = hb.Dropout(0.5, rng=0), hb.Dropout(0.5, rng=0)
    a.forward(np.ones((4, 5)), training=False)  # an evaluation in between
    return a.forward(np.ones((4, 5))), b.forward(np.ones((4, 5)))


C(L, "Dropout: an eval forward draws no mask (the next training mask is unchanged)",
  dropout_eval_no_draw, NOERR, NOARG, ok=lambda r: close(r[0], r[1], 0))


def tied_weights():
    d1, d2 = hb.Dense(3, 3, rng=0), hb.Dense(3, 3, rng=1)
    d2.W = d1.W  # tied weights, as in an autoencoder: one Parameter in two layers
    model = hb.Sequential(d1, hb.Tanh(), d2)
    return hb.gradient_check(model, SCE(), Xg, yg)


C(L, "Sequential(d1, Tanh(), d2) with d2.W = d1.W (tied weights), gradient_check", tied_weights,
  ("Sequential", "gradient_check"), ("layers", "parameter", "model"),
  ok=lambda r: None if r.relative_error < 1e-5 else
  f"the shared W's gradient is overwritten, not summed (gradcheck rel. error {r.relative_error:.2g}); "
  "Sequential refuses a shared layer but not a shared Parameter")


def leaky_zero():
    x = np.array([[-2.0, 0.0, 3.0]])
    a, b = hb.LeakyReLU(0), hb.ReLU()
    fa, fb = a.forward(x), b.forward(x)
    return close(fa, fb, 0) or close(a.backward(np.ones((1, 3))), b.backward(np.ones((1, 3))), 0)


C(L, "LeakyReLU(0) = ReLU forward and backward", leaky_zero, NOERR, NOARG, ok=lambda r: r)


def maxout_one_piece():
    m = hb.Maxout(3, 2, pieces=1, rng=0)
    d = hb.Dense(3, 2, init=lambda s, r: m.W.value.copy())
    return close(m.forward(X8 := X40[:8]), d.forward(X8))


C(L, "Maxout(pieces=1) = Dense with the same weights", maxout_one_piece, NOERR, NOARG, ok=lambda r: r)
C(L, "Sigmoid(+-1000) exactly 0 and 1, backward 0, no warning",
  lambda: (lambda s: (s.forward(np.array([[-1000.0, 1000.0]])), s.backward(np.ones((1, 2)))))(hb.Sigmoid()),
  NOERR, NOARG, ok=lambda r: close(r[0], [[0, 1]], 0) or close(r[1], [[0, 0]], 0))


def backward_dy_untouched():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.LeakyReLU(0.1), hb.Dropout(0.7, rng=0),
                          hb.Maxout(4, 3, rng=1), hb.Sigmoid(), hb.Dense(3, 3, rng=2))
    model.forward(X40)
    return untouched(lambda dy: model.backward(dy), dy=np.random.default_rng(0).normal(size=(40, 3)))


C(L, "Sequential.backward leaves the caller's dy unchanged (every layer kind)", backward_dy_untouched,
  NOERR, NOARG, ok=not_mutated)


def dense_f16():
    d = hb.Dense(3, 2, rng=0, dtype=np.float16)
    x = X40.astype(np.float16)
    return d.forward(x), x.astype(float) @ d.W.value.astype(float)


C(L, "Dense(float16).forward(float16 x): float16 out, close to the float64 product", dense_f16, NOERR, NOARG,
  ok=lambda r: None if r[0].dtype == np.float16 and np.allclose(r[0], r[1], atol=1e-2, rtol=1e-2) else str(r[0][:2]))

# ======================================================================= losses
M = "losses"
C(M, "SCE.forward(float16 zero logits, 70,000 rows) = log 3",
  lambda: SCE().forward(np.zeros((70_000, 3), np.float16), np.arange(70_000) % 3), NOERR, NOARG,
  ok=lambda r: None if np.isfinite(r) and abs(r - np.log(3)) < 1e-2 else
  f"loss {r} for logits all 0 (finite, mean log 3 = 1.0986): the sum over the batch overflows float16")
C(M, "MSE.forward(float16 outputs 0, targets 1, 70,000 rows) = 0.5",
  lambda: MSE().forward(np.zeros((70_000, 1), np.float16), np.ones(70_000)), NOERR, NOARG,
  ok=lambda r: None if np.isfinite(r) and abs(r - 0.5) < 1e-2 else
  f"loss {r} for a mean of 0.5: the sum over the batch overflows float16")
C(M, "BCE.forward(float16 zero logits, 70,000 rows) = log 2",
  lambda: BCE().forward(np.zeros((70_000, 1), np.float16), np.arange(70_000) % 2), NOERR, NOARG,
  ok=lambda r: None if abs(r - np.log(2)) < 1e-3 else f"loss {r}")


def sce_smooth_soft():
    z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    t = np.array([[0.7, 0.3, 0.0], [0.0, 0.0, 1.0]])
    eps = 0.3
    ts = t * (1 - eps - eps / 2) + eps / 2
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    loss = SCE(eps)
    J = loss.forward(z, t)
    return close(J, -(ts * logp).sum() / 2) or close(loss.backward(), (np.exp(logp) - ts) / 2)


C(M, "SCE(0.3) on soft label rows: forward and backward by hand", sce_smooth_soft, NOERR, NOARG,
  ok=lambda r: r)
C(M, "SCE.accuracy(one-hot rows) = accuracy(integer labels)",
  lambda: (SCE().accuracy(X40, np.eye(3)[y40]), SCE().accuracy(X40, y40), np.mean(X40.argmax(1) == y40)),
  NOERR, NOARG, ok=lambda r: close(r[:2], [r[2], r[2]]))


def bce_multilabel():
    z = np.array([[0.5, -1.0], [2.0, 0.0], [-3.0, 1.5]])
    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    loss = BCE()
    J = loss.forward(z, y)
    s = 1 / (1 + np.exp(-z))
    ref = np.mean(-y * np.log(s) - (1 - y) * np.log(1 - s))
    return close(J, ref) or close(loss.backward(), (s - y) / 6) or close(
        loss.accuracy(z, y), np.mean((z > 0) == (y > 0.5)))


C(M, "BCE multi-label (3, 2): loss, gradient (sigma - y)/6, accuracy by hand", bce_multilabel, NOERR, NOARG,
  ok=lambda r: r)


def mse_numeric_grad():
    out = np.random.default_rng(0).normal(size=(5, 2))
    y = np.random.default_rng(1).normal(size=(5, 2))
    loss = MSE()
    loss.forward(out, y)
    g = loss.backward()
    num = np.zeros_like(out)
    for i in np.ndindex(out.shape):
        e = np.zeros_like(out)
        e[i] = 1e-6
        num[i] = (MSE().forward(out + e, y) - MSE().forward(out - e, y)) / 2e-6
    return close(g, num, 1e-6)


C(M, "MSE.backward = finite differences of MSE.forward", mse_numeric_grad, NOERR, NOARG, ok=lambda r: r)
def accuracy_between():
    loss = SCE()
    z = np.array([[1.0, 2.0, 0.0], [0.5, 0.5, 3.0]])
    loss.forward(z, np.array([1, 2]))
    g = loss.backward().copy()
    loss.accuracy(X40, y40)  # what hb.fit does after each step
    b = BCE()
    b.forward(np.array([[0.5], [-1.0]]), np.array([1, 0]))
    gb = b.backward().copy()
    b.accuracy(np.zeros((5, 1)), np.ones(5))
    return close(loss.backward(), g, 0) or close(b.backward(), gb, 0)


C(M, "loss.accuracy between forward and backward changes nothing (SCE, BCE)", accuracy_between,
  NOERR, NOARG, ok=lambda r: r)
C(M, "log_softmax(float32) stays float32, agrees with float64",
  lambda: (hb.log_softmax(X40.astype(np.float32)), hb.log_softmax(X40)), NOERR, NOARG,
  ok=lambda r: None if r[0].dtype == np.float32 and close(r[0], r[1], 1e-5) is None else str(r[0].dtype))
C(M, "softmax of a (1, 1) array = 1", lambda: hb.softmax(np.array([[7.0]])), NOERR, NOARG,
  ok=lambda r: close(r, [[1.0]], 0))
C(M, "kl_divergence with zeros at the same place in p and q",
  lambda: hb.kl_divergence([0.5, 0.0, 0.5], [0.25, 0.0, 0.75]), NOERR, NOARG,
  ok=lambda r: close(r, 0.5 * np.log(2) + 0.5 * np.log(0.5 / 0.75)))
C(M, "SCE(label_smoothing=np.float16(0.1)): smoothed rows still sum to 1",
  lambda: SCE(np.float16(0.1)).targets(np.array([0, 1]), 3, np.float64).sum(axis=1), NOERR, NOARG,
  ok=lambda r: None if close(r, [1, 1], 1e-12) is None else
  f"rows sum to {r[0]:.6f}: the coefficients 1 - eps - eps/2 and eps/2 are computed in float16 "
  "(the NumPy scalar is kept, not made a float)")

# ======================================================================== optim
Op = "optim"


def adam_refused_then_step(bad):
    p = one_param([0.0, 0.0], None)
    opt = O.Adam([p], 0.01)
    if bad:
        p.grad = np.ones((1, 2))  # refused: another shape
    try:
        opt.step()
    except (RuntimeError, ValueError):
        pass
    p.grad = np.array([1e-3, -50.0])
    opt.step()  # the first real step: lr * sign(g)
    return opt.t, p.value


C(Op, "Adam.step refused before backward, then the first real step is still lr*sign(g)",
  lambda: adam_refused_then_step(False), NOERR, NOARG,
  ok=lambda r: None if r[0] == 1 and close(r[1], [-0.01, 0.01], 1e-6) is None else
  f"t = {r[0]} after one step taken; the step moved w to {r[1]} instead of (-0.01, 0.01): "
  "the refused step still counted in the bias correction")
C(Op, "Adam.step refused (gradient of another shape), then the first real step",
  lambda: adam_refused_then_step(True), NOERR, NOARG,
  ok=lambda r: None if r[0] == 1 and close(r[1], [-0.01, 0.01], 1e-6) is None else
  f"t = {r[0]} after one step taken; w moved to {r[1]} instead of (-0.01, 0.01)")


def adamw_lr_raised():
    p = one_param([2.0], [0.0])
    opt = O.AdamW([p], lr=1e-3, weight_decay=0.5)
    opt.lr = 3.0  # what a schedule does between epochs
    opt.step()
    return p.value


C(Op, "AdamW(lr=1e-3, weight_decay=0.5), then lr = 3 (a schedule), then step: lr*wd = 1.5",
  adamw_lr_raised, ("AdamW", "hb.fit"), ("weight_decay", "lr"),
  ok=lambda r: None if r[0] > 0 else
  f"w went from 2.0 to {r[0]:.3g}: the decay factor 1 - lr*wd = -0.5 flips the weights "
  "(checked at construction only)")


def nesterov_hand():
    p = one_param([0.0], [1.0])
    O.Nesterov([p], 0.1, beta=0.9).step()  # v = 0.1; w -= 0.1 * (0.9 * 0.1 + 0.1 * 1)
    return close(p.value, [-0.019])


C(Op, "Nesterov first step hand value", nesterov_hand, NOERR, NOARG, ok=lambda r: r)


def rmsprop_hand():
    p = one_param([0.0, 0.0], [2.0, -0.5])
    O.RMSprop([p], 0.01, beta=0.9, eps=1e-8).step()
    return close(p.value, -0.01 * np.array([2.0, -0.5]) / (np.sqrt(0.1 * np.array([4.0, 0.25])) + 1e-8))


C(Op, "RMSprop first step hand value", rmsprop_hand, NOERR, NOARG, ok=lambda r: r)


def adagrad_hand():
    p = one_param([0.0], [3.0])
    opt = O.AdaGrad([p], 0.1, eps=1e-7)
    opt.step()
    p.grad = np.array([4.0])
    opt.step()
    return close(p.value, [-0.1 * 3 / (3 + 1e-7) - 0.1 * 4 / (5 + 1e-7)])


C(Op, "AdaGrad two steps hand value (cache 9, then 25)", adagrad_hand, NOERR, NOARG, ok=lambda r: r)


def adam_three_steps():
    grads = [np.array([1.0, -2.0]), np.array([0.5, 0.1]), np.array([-1.0, 3.0])]
    p = one_param([0.0, 0.0], grads[0])
    opt = O.Adam([p], 0.01, beta1=0.8, beta2=0.99, eps=1e-6)
    w, v, s = np.zeros(2), np.zeros(2), np.zeros(2)
    for t, g in enumerate(grads, 1):
        p.grad = g.copy()
        opt.step()
        v = 0.8 * v + 0.2 * g
        s = 0.99 * s + 0.01 * g * g
        w = w - 0.01 * (v / (1 - 0.8**t)) / (np.sqrt(s / (1 - 0.99**t)) + 1e-6)
    return close(p.value, w, 1e-12) or close(opt.state_of("v")[0], v) or close(opt.state_of("s")[0], s)


C(Op, "Adam three steps with changing gradients = the formula (bias correction)", adam_three_steps,
  NOERR, NOARG, ok=lambda r: r)
C(Op, "Momentum(beta=0) = SGD",
  lambda: (lambda p, q: (O.Momentum([p], 0.1, beta=0).step(), O.SGD([q], 0.1).step(), close(p.value, q.value))[2])(
      one_param([1.0, 2.0], [0.3, -0.7]), one_param([1.0, 2.0], [0.3, -0.7])), NOERR, NOARG, ok=lambda r: r)

OPTIMIZERS = [
    (O.SGD, 0.1, {}), (O.Momentum, 0.1, {}), (O.Nesterov, 0.1, {}), (O.AdaGrad, 0.1, {}),
    (O.RMSprop, 0.01, {}), (O.Adam, 0.02, {}), (O.AdamW, 0.02, {}),
]


def dtype_run(cls, lr, kw, dtype):
    X, y = data(64)
    model = mlp(h=8, dtype=dtype)
    if dtype == np.float16 and cls in (O.RMSprop, O.Adam, O.AdamW):
        kw = dict(kw, eps=1e-4)  # 1e-8 is 0 in float16 (refused)
    opt = cls(model.parameters(), lr, **kw)
    h = hb.fit(model, SCE(), opt, X.astype(dtype), y, epochs=6, batch_size=16, rng=0)
    return h, {p.value.dtype for p in model.parameters()}, {a.dtype for st in opt.state for a in st.values()}


def dtype_ok(dtype):
    def ok(r):
        h, pd, sd = r
        if pd != {np.dtype(dtype)} or not sd <= {np.dtype(dtype)}:
            return f"parameters {pd}, state {sd}"
        if not all(type(v) is float and np.isfinite(v) for v in h.train_loss + h.train_acc + h.lr):
            return f"history not finite Python floats: {h.train_loss}"
        if not h.train_loss[-1] < h.train_loss[0]:
            return f"no progress: {h.train_loss}"
        return None
    return ok


for _dtype in (np.float32, np.float16):
    for _cls, _lr, _kw in OPTIMIZERS:
        C(Op, f"fit({np.dtype(_dtype).name} model and data, {_cls.__name__}): dtype kept, loss falls",
          (lambda c=_cls, lr=_lr, kw=_kw, dt=_dtype: dtype_run(c, lr, kw, dt)), NOERR, NOARG, ok=dtype_ok(_dtype))


def clip_huge(dtype, n, g):
    p = hb.Parameter(np.zeros(n, dtype))
    p.grad = np.full(n, g, dtype)
    norm = O.clip_by_norm([p], 1.0)
    return norm, p.grad.astype(float), np.sqrt(n) * g


C(Op, "clip_by_norm(float32 gradients of 1e20, 1.0): direction kept, norm 1",
  lambda: clip_huge(np.float32, 10, 1e20), NOERR, NOARG,
  ok=lambda r: None if np.isfinite(r[0]) and abs(np.linalg.norm(r[1]) - 1) < 1e-3 else
  f"returns norm {r[0]} (true {r[2]:.3g}) and gradients {r[1][:2]}...: the float32 sum of squares "
  "overflowed, so every gradient was scaled by 1/inf = 0")
C(Op, "clip_by_norm(float16 gradients of 10 x 1000 entries, 1.0)",
  lambda: clip_huge(np.float16, 1000, 10.0), NOERR, NOARG,
  ok=lambda r: None if np.isfinite(r[0]) and abs(np.linalg.norm(r[1]) - 1) < 1e-2 else
  f"returns norm {r[0]} (true {r[2]:.3g}) and gradients {r[1][:2]}...: the float16 sum of squares "
  "overflowed and every gradient was zeroed")
C(Op, "ewma([1, 2, 3], 0.9, bias_correction=True) hand",
  lambda: O.ewma([1.0, 2.0, 3.0], 0.9, bias_correction=True), NOERR, NOARG,
  ok=lambda r: close(r, [1.0, (0.09 + 0.2) / 0.19, (0.261 + 0.3) / 0.271]))

# ==================================================================== schedules
Sc = "schedules"
C(Sc, "step(0.1, drop=0.5, every=3) at t = 1..7",
  lambda: [S.step(0.1, 0.5, 3)(t) for t in range(1, 8)], NOERR, NOARG,
  ok=lambda r: close(r, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]))
C(Sc, "linear(0.1, 0.01, 10) at 0, 5, 10, 20", lambda: [S.linear(0.1, 0.01, 10)(t) for t in (0, 5, 10, 20)],
  NOERR, NOARG, ok=lambda r: close(r, [0.1, 0.055, 0.01, 0.01]))
C(Sc, "inverse_sqrt(0.1, k=2) at 0, 1, 4", lambda: [S.inverse_sqrt(0.1, 2)(t) for t in (0, 1, 4)],
  NOERR, NOARG, ok=lambda r: close(r, [0.2, 0.2, 0.1]))
C(Sc, "exponential(0.1, base=1) constant", lambda: [S.exponential(0.1, 1)(t) for t in (1, 50)], NOERR, NOARG,
  ok=lambda r: close(r, [0.1, 0.1]))
C(Sc, "warmup(cosine(0.1, 10), 5) at 2 and 5",
  lambda: [S.warmup(S.cosine(0.1, 10), 5)(t) for t in (2, 5)], NOERR, NOARG,
  ok=lambda r: close(r, [0.4 * 0.05 * (1 + np.cos(np.pi * 0.2)), 0.05]))
C(Sc, "step(0.1)(True) a bool epoch", lambda: S.step(0.1)(True), "step", ("t", "epoch"))
C(Sc, "cosine(0.1, 10)(np.float32(5))", lambda: S.cosine(0.1, 10)(np.float32(5)), NOERR, NOARG,
  ok=lambda r: None if type(r) is float and close(r, 0.05) is None else repr(r))

SCHEDULES = [
    ("inverse_time(0.1, 0.5)", lambda: S.inverse_time(0.1, 0.5)),
    ("exponential(0.1, 0.9)", lambda: S.exponential(0.1, 0.9)),
    ("inverse_sqrt(0.1)", lambda: S.inverse_sqrt(0.1)),
    ("step(0.1, 0.5, 2)", lambda: S.step(0.1, 0.5, 2)),
    ("linear(0.1, 0.01, 3)", lambda: S.linear(0.1, 0.01, 3)),
    ("cosine(0.1, 4)", lambda: S.cosine(0.1, 4)),
    ("warmup(exponential(0.1), 2)", lambda: S.warmup(S.exponential(0.1), 2)),
    ("lambda epoch: 0.05 * epoch", lambda: (lambda epoch: 0.05 * epoch)),
]


def schedule_run(make, dtype, opt_class):
    X, y = data(48)
    model = mlp(dtype=dtype)
    sched = make()
    h = hb.fit(model, SCE(), opt_class(model.parameters(), 0.01), X.astype(dtype), y, epochs=4,
               batch_size=16, rng=0, schedule=sched)
    return h, [sched(t) for t in range(1, 5)], {p.value.dtype for p in model.parameters()}


def schedule_ok(dtype):
    def ok(r):
        h, rates, dts = r
        if dts != {np.dtype(dtype)}:
            return f"parameters {dts}"
        if not all(type(v) is float for v in h.lr) or close(h.lr, rates) is not None:
            return f"recorded rates {h.lr}, the schedule gives {rates}"
        return nan_check(h.train_loss)
    return ok


for _name, _make in SCHEDULES:
    C(Sc, f"fit(float32, Momentum, schedule={_name}): rates recorded, dtype kept",
      (lambda mk=_make: schedule_run(mk, np.float32, O.Momentum)), NOERR, NOARG, ok=schedule_ok(np.float32))
for _name, _make in SCHEDULES[5:7]:
    C(Sc, f"fit(float16, SGD, schedule={_name}): rates recorded, dtype kept",
      (lambda mk=_make: schedule_run(mk, np.float16, O.SGD)), NOERR, NOARG, ok=schedule_ok(np.float16))

# =============================================================== regularization
R = "regularization"


def l1_add_gradient():
    d = hb.Dense(2, 2, init=lambda s, r: np.array([[1.0, -2.0], [0.0, 0.5]]))
    m = hb.Sequential(d)
    loss = SCE()
    loss.forward(m.forward(np.ones((2, 2))), np.array([0, 1]))
    m.backward(loss.backward())
    g, b = d.W.grad.copy(), d.b.grad.copy()
    hb.L1(0.2).add_gradient(m, 4)
    return close(d.W.grad, g + 0.05 * np.array([[1, -1], [0, 1]])) or close(d.b.grad, b)


C(R, "L1.add_gradient: dW += lambd/m sign(W) (sign(0) = 0), db unchanged", l1_add_gradient, NOERR, NOARG,
  ok=lambda r: r)


def l2_f32():
    m = mlp(dtype=np.float32)
    loss = SCE()
    loss.forward(m.forward(X40.astype(np.float32)), y40)
    m.backward(loss.backward())
    hb.L2(0.1).add_gradient(m, 40)
    pen = hb.L2(0.1).penalty(m, 40)
    return {p.grad.dtype for p in m.parameters()}, type(pen), pen


C(R, "L2 on a float32 model: gradients stay float32, the penalty a float", l2_f32, NOERR, NOARG,
  ok=lambda r: None if r[0] == {np.dtype(np.float32)} and r[1] is float else str(r))
def l1_f16_big():
    d = hb.Dense(2000, 2000, rng=0, dtype=np.float16)
    return hb.L1(1e-4).penalty(d, 32), 1e-4 / 32 * float(np.abs(d.W.value.astype(np.float64)).sum())


C(R, "L1(1e-4).penalty(a float16 Dense(2000, 2000), 32)", l1_f16_big, NOERR, NOARG,
  ok=lambda r: None if np.isfinite(r[0]) and abs(r[0] / r[1] - 1) < 1e-2 else
  f"penalty {r[0]} (true {r[1]:.4g}): the float16 sum of |W| overflows; hb.fit would stop at an inf loss")
C(R, "soft_threshold at exactly the threshold -> 0",
  lambda: hb.soft_threshold(np.array([0.25, -0.25, 0.5]), 0.25), NOERR, NOARG, ok=lambda r: close(r, [0, 0, 0.25], 0))


def fit_records_penalty():
    model = mlp()
    copy_ = mlp()
    reg = hb.L2(0.5)
    h = hb.fit(model, SCE(), O.SGD(model.parameters(), 0.1), X40, y40, epochs=1, batch_size=40,
               shuffle=False, regularizer=reg)
    expected = SCE().forward(copy_.forward(X40), y40) + hb.L2(0.5).penalty(copy_, 40)
    return h.train_loss[0], expected


C(R, "fit(one full batch, L2(0.5)): the recorded loss = data loss + penalty at the start",
  fit_records_penalty, NOERR, NOARG, ok=lambda r: close(r[0], r[1], 1e-12))

# ===================================================================== training
Tr = "training"


def shared_objects():
    Xd, yd = data(20, seed=4)
    X, y = data(48)

    def run(model, loss, reg, es):
        return hb.fit(model, loss, O.SGD(model.parameters(), 0.3), X, y, epochs=8, batch_size=16, rng=0,
                      validation=(Xd, yd), regularizer=reg, early_stopping=es)

    loss, reg, es = SCE(0.1), hb.L2(0.01), hb.EarlyStopping(patience=2)
    run(mlp(seed=0), loss, reg, es)
    b = mlp(h=6, seed=3)
    hb_shared = run(b, loss, reg, es)
    b2 = mlp(h=6, seed=3)
    hb_fresh = run(b2, SCE(0.1), hb.L2(0.01), hb.EarlyStopping(patience=2))
    return hb_shared, hb_fresh, params_of(b), params_of(b2)


C(Tr, "one loss, L2 and EarlyStopping used for model A then model B: B as with fresh ones",
  shared_objects, NOERR, NOARG,
  ok=lambda r: close(r[0].train_loss, r[1].train_loss, 0) or close(r[0].dev_loss, r[1].dev_loss, 0)
  or (None if r[0].best_epoch == r[1].best_epoch else f"best_epoch {r[0].best_epoch} vs {r[1].best_epoch}")
  or (None if all(np.array_equal(a, b) for a, b in zip(r[2], r[3])) else "final weights differ"))


def es_batchnorm():
    X, y = data(64)
    Xd, yd = data(40, seed=3)
    model = hb.Sequential(hb.Dense(3, 8, rng=0), hb.BatchNorm(8), hb.ReLU(), hb.Dense(8, 3, rng=1))
    h = hb.fit(model, SCE(), O.SGD(model.parameters(), 0.5), X, y, epochs=25, batch_size=16, rng=0,
               validation=(Xd, yd), early_stopping=hb.EarlyStopping(patience=3))
    return h, SCE().forward(model.predict(Xd), yd)


C(Tr, "EarlyStopping(restore_best) on a BatchNorm model: dev loss after restore = the best",
  es_batchnorm, NOERR, NOARG,
  ok=lambda r: None if abs(r[1] - min(r[0].dev_loss)) < 1e-9 else
  f"dev loss after restore {r[1]:.4f}, best {min(r[0].dev_loss):.4f} at epoch {r[0].best_epoch} of "
  f"{r[0].epochs_run}: the weights are the best epoch's, BatchNorm's running statistics the last epoch's")


def dev_eval_mode():
    Xd, yd = data(30, seed=2)
    model = hb.Sequential(hb.Dense(3, 6, rng=0), hb.BatchNorm(6), hb.ReLU(), hb.Dropout(0.5, rng=0),
                          hb.Dense(6, 3, rng=1))
    h = fit_with(model=model, optimizer=lambda a: O.SGD(a["model"].parameters(), 0.1), epochs=2,
                 validation=(Xd, yd))
    out = model.predict(Xd)
    return h, SCE().forward(out, yd), SCE().accuracy(out, yd)


C(Tr, "fit(BatchNorm + Dropout): dev loss/acc of the last epoch = the final model's, in eval mode",
  dev_eval_mode, NOERR, NOARG, ok=lambda r: close([r[0].dev_loss[-1], r[0].dev_acc[-1]], [r[1], r[2]], 1e-12))


def fit_first_loss():
    model, copy_ = mlp(), mlp()
    h = hb.fit(model, SCE(), O.SGD(model.parameters(), 0.1), X40, y40, epochs=2, batch_size=40, shuffle=False)
    out = copy_.forward(X40)
    return h, SCE().forward(out, y40), SCE().accuracy(out, y40)


C(Tr, "fit(one full batch): epoch 1's loss and accuracy = those of the initial model",
  fit_first_loss, NOERR, NOARG, ok=lambda r: close([r[0].train_loss[0], r[0].train_acc[0]], [r[1], r[2]], 1e-12))


def es_min_delta():
    es = hb.EarlyStopping(patience=2, min_delta=0.02)
    ps = [hb.Parameter(np.zeros(2))]
    return [es.should_stop(e, v, ps) for e, v in enumerate([1.0, 0.95, 0.94, 0.93], 1)], es.best_epoch


C(Tr, "EarlyStopping(min_delta=0.02): gains below 0.02 do not count",
  es_min_delta, NOERR, NOARG, ok=lambda r: None if r == ([False, False, False, True], 2) else str(r))


def f16_gradient_sum():
    model = hb.Sequential(hb.Dense(100, 1, init="zeros", dtype=np.float16))
    X = np.full((8, 100), 60.0, np.float16)  # raw, unscaled features
    y = np.full(8, 20.0)
    return hb.fit(model, MSE(), O.SGD(model.parameters(), 1e-6), X, y, epochs=1, batch_size=8, shuffle=False)


C(Tr, "fit(float16, every gradient entry finite, -1200 each): no 'gradient became inf' stop",
  f16_gradient_sum, NOERR, NOARG, ok=lambda h: nan_check(h.train_loss),
  bad_msg=None)


def f16_big_dev():
    model = mlp(dtype=np.float16)
    X, y = data(40)
    Xd, yd = data(70_000, seed=9)
    return hb.fit(model, SCE(), O.SGD(model.parameters(), 0.05), X.astype(np.float16), y, epochs=1,
                  batch_size=8, rng=0, validation=(Xd.astype(np.float16), yd))


C(Tr, "fit(float16 model, dev set of 70,000 finite rows)", f16_big_dev, NOERR, NOARG,
  ok=lambda h: None if np.isfinite(h.dev_loss[0]) and h.dev_loss[0] < 5 else f"dev loss {h.dev_loss}")
def fit_weighting():
    model, copy_ = mlp(), mlp()
    h = hb.fit(model, SCE(), O.SGD(model.parameters(), 1e-300), X40, y40, epochs=1, batch_size=16, rng=0)
    out = copy_.forward(X40)
    return h, SCE().forward(out, y40), SCE().accuracy(out, y40)


C(Tr, "fit(batches of 16/16/8, lr=1e-300): the epoch's loss and accuracy = the whole set's",
  fit_weighting, NOERR, NOARG, ok=lambda r: close([r[0].train_loss[0], r[0].train_acc[0]], [r[1], r[2]], 1e-12))


def full_pipeline(dtype):
    X, y = data(64)
    Xd, yd = data(32, seed=7)
    model = hb.Sequential(hb.Dense(3, 8, rng=0, dtype=dtype), hb.BatchNorm(8, dtype=dtype), hb.ReLU(),
                          hb.Dropout(0.8, rng=0), hb.Dense(8, 3, rng=1, dtype=dtype))
    opt = O.Adam(model.parameters(), 0.01, eps=1e-4)
    h = hb.fit(model, SCE(0.1), opt, X.astype(dtype), y, epochs=6, batch_size=16, rng=0,
               validation=(Xd.astype(dtype), yd), schedule=S.warmup(S.cosine(0.02, 6), 2),
               early_stopping=hb.EarlyStopping(patience=3), regularizer=hb.L2(1e-3), clip_norm=1.0)
    dts = {p.value.dtype for p in model.parameters()} | {model[1].running_mean.dtype, model[1].running_var.dtype}
    return h, dts


for _dtype in (np.float32, np.float16):
    C(Tr, f"fit({np.dtype(_dtype).name}: BatchNorm, Dropout, Adam, warmup+cosine, L2, clip_norm, early stopping)",
      (lambda dt=_dtype: full_pipeline(dt)), NOERR, NOARG,
      ok=(lambda dt: lambda r: (None if r[1] == {np.dtype(dt)} else f"dtypes {r[1]}") or nan_check(
          r[0].train_loss + r[0].dev_loss) or (None if r[0].train_loss[-1] < r[0].train_loss[0] else
                                               f"no progress {r[0].train_loss}"))(_dtype))
C(Tr, "fit(divergence=np.float32(10), clip_norm=np.float16(5))",
  lambda: fit_with(divergence=np.float32(10), clip_norm=np.float16(5)).train_loss, NOERR, NOARG,
  ok=lambda r: nan_check(r))

# ========================================================================= data
Da = "data"


def strat_cover():
    y = np.repeat([0, 1, 2], [7, 13, 20])
    X = np.arange(40.0)[:, None]
    parts = D.split(X, y, stratify=True, rng=0)
    rows = np.concatenate([p[0][:, 0] for p in parts]).astype(int)
    pairs = all(np.array_equal(y[p[0][:, 0].astype(int)], p[1]) for p in parts)
    counts = [np.bincount(p[1], minlength=3).tolist() for p in parts]
    return sorted(rows.tolist()) == list(range(40)), pairs, counts


C(Da, "split(stratify, classes of 7/13/20): every row once, with its label, floor per class",
  strat_cover, NOERR, NOARG,
  ok=lambda r: None if r == (True, True, [[5, 9, 12], [1, 2, 4], [1, 2, 4]]) else str(r))
C(Da, "split(100 rows, ratios=(0.42, 0.29, 0.29)) sizes 42/29/29",
  lambda: [len(p[0]) for p in D.split(np.zeros((100, 1)), np.arange(100), (0.42, 0.29, 0.29), rng=0)],
  NOERR, NOARG, ok=lambda r: None if r == [42, 29, 29] else
  f"sizes {r}: floor(0.29 * 100) computed in floats is floor(28.999999999999996) = 28")
C(Da, "split_sizes(100, share=0.29) = (42, 29, 29)", lambda: D.split_sizes(100, share=0.29), NOERR, NOARG,
  ok=lambda r: None if r == (42, 29, 29) else f"{r}: 2 * 0.29 * 100 = 57.99999999999999 is rounded down")


def minibatch_order():
    return [b[1].tolist() for b in D.minibatches(X40, np.arange(40), 16, shuffle=False)]


C(Da, "minibatches(shuffle=False): rows in order, last batch of 8", minibatch_order, NOERR, NOARG,
  ok=lambda r: None if r == [list(range(16)), list(range(16, 32)), list(range(32, 40))] else str(r))
C(Da, "minibatches(batch_size > n): one batch, a permutation of all rows",
  lambda: [sorted(b[1].tolist()) for b in D.minibatches(X40, np.arange(40), 1000, rng=0)], NOERR, NOARG,
  ok=lambda r: None if r == [list(range(40))] else str(r))


def minibatch_generator():
    g = np.random.default_rng(0)
    first = [b[1].tolist() for b in D.minibatches(X40, np.arange(40), 40, rng=g)]
    second = [b[1].tolist() for b in D.minibatches(X40, np.arange(40), 40, rng=g)]
    seeded = [[b[1].tolist() for b in D.minibatches(X40, np.arange(40), 40, rng=0)] for _ in range(2)]
    return first != second, seeded[0] == seeded[1] == first


C(Da, "minibatches: one Generator advances (new order), a seed repeats", minibatch_generator, NOERR, NOARG,
  ok=lambda r: None if r == (True, True) else str(r))
Xdev = data(10, seed=5)[0] * 3 + 2


def std_dev():
    s = D.Standardizer().fit(X40)
    t = s.transform(Xdev)
    return close(t, (Xdev - X40.mean(0)) / (X40.std(0) + 1e-8)) or close(s.inverse_transform(t), Xdev)


C(Da, "Standardizer on dev data: training statistics, inverse round trip", std_dev, NOERR, NOARG, ok=lambda r: r)


def minmax_dev():
    s = D.MinMaxScaler((-1, 1)).fit(X40)
    t = s.transform(Xdev)
    lo, hi = X40.min(0), X40.max(0)
    return close(t, -1 + (Xdev - lo) / (hi - lo) * 2) or close(s.inverse_transform(t), Xdev)


C(Da, "MinMaxScaler((-1, 1)) on dev data outside the training range: hand, round trip", minmax_dev,
  NOERR, NOARG, ok=lambda r: r)


def minmax_constant_dev():
    Xc = np.column_stack([X40[:, 0], np.full(40, 2.0)])
    s = D.MinMaxScaler().fit(Xc)
    Xd = np.array([[0.0, 2.0], [1.0, 5.0]])
    return close(s.inverse_transform(s.transform(Xd)), Xd)


C(Da, "MinMaxScaler with a constant feature, dev value off it: round trip", minmax_constant_dev, NOERR, NOARG,
  ok=lambda r: r)


def std_f16():
    X16 = (X40 * 3 + 5).astype(np.float16)
    s = D.Standardizer().fit(X16)
    Z = s.transform(X16)
    back = s.inverse_transform(Z)
    return Z, back, X16


C(Da, "Standardizer on float16: float16 out, mean 0, std 1, round trip",
  std_f16, NOERR, NOARG,
  ok=lambda r: None if r[0].dtype == np.float16 and close(r[0].astype(float).mean(0), [0] * 3, 1e-2) is None
  and close(r[0].astype(float).std(0), [1] * 3, 1e-2) is None and close(r[1], r[2], 1e-2) is None
  else "off")


def whiten_f32():
    X = (X40 @ np.array([[2.0, 0.5, 0], [0, 1, 0.3], [0, 0, 0.2]])).astype(np.float32)
    Z = D.Whitener("zca").fit(X).transform(X)
    return Z.dtype, np.cov(Z.astype(float), rowvar=False, bias=True)


C(Da, "Whitener('zca') on float32: float32 out, covariance ~ I", whiten_f32, NOERR, NOARG,
  ok=lambda r: None if r[0] == np.float32 and close(r[1], np.eye(3), 1e-3) is None else str(r))
C(Da, "MinMaxScaler.inverse_transform leaves its input unchanged",
  lambda: (lambda s: untouched(lambda Z: s.inverse_transform(Z), Z=s.transform(X40)))(D.MinMaxScaler().fit(X40)),
  NOERR, NOARG, ok=not_mutated)
C(Da, "add_noise(images on a 0..255 scale, std=5)",
  lambda: D.add_noise((images() * 255).round(), 5.0, rng=0), "add_noise", ("X", "low", "high"),
  ok=lambda r: None if r.max() > 1 else
  "every pixel clipped into the default [0, 1]: the 0..255 images come back as a near-binary blur")
C(Da, "augment(raw digits, pixels 0..16)",
  lambda: D.augment(DS.digits()[0][:5] * 16, rng=0), "augment", "X",
  ok=lambda r: None if r.max() > 1 else
  "pixels 0..16 silently clipped to [0, 1] by the noise step: the images are destroyed")
C(Da, "one_hot(y).argmax(1) = y", lambda: (D.one_hot(y40).argmax(1), y40), NOERR, NOARG,
  ok=lambda r: close(r[0], r[1], 0))

# ==================================================================== gradcheck
G = "gradcheck"


def gc_bn_gamma():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Tanh(), hb.Dense(4, 2, rng=1))
    model[1].gamma.value[...] = [0.5, 2.0, -1.0, 1.5]
    model[1].beta.value[...] = [0.1, -0.2, 0.3, 0.0]
    return hb.gradient_check(model, MSE(), Xg, np.random.default_rng(3).normal(size=(6, 2)))


C(G, "gradient_check(BatchNorm with gamma, beta != 1, 0; MSE)", gc_bn_gamma, NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(BatchNorm as the first layer)",
  lambda: hb.gradient_check(hb.Sequential(hb.BatchNorm(3), hb.Dense(3, 3, rng=0)), SCE(), Xg, yg),
  NOERR, NOARG, ok=grad_ok(1e-6))


def gc_deep():
    inner = hb.Sequential(hb.Sequential(hb.Dense(3, 4, rng=0), hb.LeakyReLU(0.2)), hb.Maxout(4, 4, rng=1))
    model = hb.Sequential(inner, hb.BatchNorm(4), hb.Sigmoid(), hb.Dense(4, 3, rng=2))
    return hb.gradient_check(model, SCE(), Xg, yg), len(model.parameters())


C(G, "gradient_check(Sequentials three deep: Dense, LeakyReLU, Maxout, BatchNorm, Sigmoid)", gc_deep,
  NOERR, NOARG, ok=lambda r: grad_ok()(r[0]) or (
      None if len({n for n, _ in r[0].per_parameter}) == r[1] == len(r[0].per_parameter)
      else f"names {[n for n, _ in r[0].per_parameter]}"))
C(G, "gradient_check(Dense(bias=False)): names 0.W, 2.W, 2.b",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4, bias=False, rng=0), hb.Tanh(), hb.Dense(4, 3, rng=1)),
                            SCE(), Xg, yg), NOERR, NOARG,
  ok=lambda r: grad_ok(1e-6)(r) or (None if [n for n, _ in r.per_parameter] == ["0.W", "2.W", "2.b"]
                                    else str(r.per_parameter)))
C(G, "gradient_check(a bare BatchNorm(3) as the model)",
  lambda: hb.gradient_check(hb.BatchNorm(3), SCE(), Xg, yg), NOERR, NOARG,
  ok=lambda r: grad_ok(1e-6)(r) or (None if [n for n, _ in r.per_parameter] == ["gamma", "beta"]
                                    else str(r.per_parameter)))
C(G, "gradient_check(BCE, two outputs, multi-label y)",
  lambda: hb.gradient_check(tanh_net(2), BCE(), Xg, np.random.default_rng(4).integers(0, 2, (6, 2))),
  NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(L1 with weights exactly 0: sparse init)",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4, init=I.sparse(1), rng=0), hb.Tanh(),
                                          hb.Dense(4, 3, rng=1)), SCE(), Xg, yg, regularizer=hb.L1(0.1)),
  NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(MSE, one output, 1-D y)",
  lambda: hb.gradient_check(tanh_net(1), MSE(), Xg, np.linspace(-1, 1, 6)), NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(Sigmoid output, MSE)",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 2, rng=0), hb.Sigmoid()), MSE(), Xg,
                            np.random.default_rng(5).uniform(size=(6, 2))), NOERR, NOARG, ok=grad_ok(1e-6))


class Doubler(hb.Layer):
    """A deliberately broken layer: identity forward, twice the gradient back."""

    def forward(self, x, training=True):
        return np.asarray(x, float)

    def backward(self, dy, input_grad=True):
        return 2 * dy


C(G, "gradient_check(a layer whose backward doubles the gradient): verdict 'wrong'",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4, rng=0), Doubler(), hb.Dense(4, 3, rng=1)), SCE(), Xg, yg),
  NOERR, NOARG, ok=lambda r: None if r.verdict.startswith("wrong") and r.worst in ("0.W", "0.b")
  else f"{r.verdict[:40]}, worst {r.worst}")
C(G, "gradient_check(eps=1e-3 and eps=1e-10, the ends of the allowed range)",
  lambda: [hb.gradient_check(tanh_net(), SCE(), Xg, yg, eps=e).relative_error for e in (1e-3, 1e-10)],
  NOERR, NOARG, ok=lambda r: None if max(r) < 1e-3 else str(r))
C(G, "gradient_check(int X) converted", lambda: hb.gradient_check(tanh_net(), SCE(), (Xg * 3).astype(int), yg),
  NOERR, NOARG, ok=grad_ok(1e-6))

# ===================================================================== diagnose
Dg = "diagnose"


def healthy():
    return hb.Sequential(hb.Dense(3, 32, rng=0), hb.ReLU(), hb.Dense(32, 3, rng=1, init=I.normal(0.01)))


C(Dg, "checkup(a healthy model, scaled inputs, balanced labels): every check passes",
  lambda: DG.checkup(healthy(), SCE(), X40, y40), NOERR, NOARG,
  ok=lambda r: None if r.passed else f"failed: {r.failed()}\n{r}")


def dead_model():
    m = healthy()
    m[0].b.value[...] = -100.0
    return DG.checkup(m, SCE(), X40, y40, tiny_steps=20)


C(Dg, "checkup(every ReLU dead: bias -100): 'dead ReLU units' fails", dead_model, NOERR, NOARG,
  ok=lambda r: None if "dead ReLU units" in r.failed() else f"failed: {r.failed()}")
C(Dg, "checkup(output weights N(0, 100^2)): 'initial loss' and 'initial outputs' fail",
  lambda: DG.checkup(hb.Sequential(hb.Dense(3, 8, rng=0), hb.ReLU(), hb.Dense(8, 3, init=I.normal(100.0), rng=1)),
                     SCE(), X40, y40, tiny_steps=5), NOERR, NOARG,
  ok=lambda r: None if {"initial loss", "initial outputs"} <= set(r.failed()) else f"failed: {r.failed()}")
C(Dg, "checkup(one feature in the thousands): 'input scales' fails",
  lambda: DG.checkup(healthy(), SCE(), X40 * [1.0, 1000.0, 1.0], y40, tiny_steps=5), NOERR, NOARG,
  ok=lambda r: None if "input scales" in r.failed() else f"failed: {r.failed()}")
C(Dg, "checkup(37 labels 0, 2 labels 1, 1 label 2): 'label balance' fails",
  lambda: DG.checkup(healthy(), SCE(), X40, np.r_[np.zeros(37, int), 1, 1, 2], tiny_steps=5), NOERR, NOARG,
  ok=lambda r: None if "label balance" in r.failed() else f"failed: {r.failed()}")


C(Dg, "initial_loss(zero weights, BCE, 3 outputs, multi-label y): expected log 2",
  lambda: DG.initial_loss(hb.Sequential(hb.Dense(3, 3, init="zeros")), BCE(), X40,
                          np.random.default_rng(0).integers(0, 2, (40, 3))), NOERR, NOARG,
  ok=lambda r: None if close(r, [np.log(2), np.log(2)]) is None else
  f"returns ({r[0]:.4f}, {r[1]:.4f}): log K = log 3 expected for a binary cross-entropy whose "
  "loss at zero logits is log 2 per output")


def checkup_bool_vs_int():
    model = hb.Sequential(hb.Dense(3, 8, rng=0), hb.ReLU(), hb.Dense(8, 1, rng=1, init=I.normal(0.01)))
    names = [[c.name for c in DG.checkup(model, BCE(), X40, lab, tiny_steps=5).checks]
             for lab in (y40 % 2, (y40 % 2).astype(bool))]
    return names


C(Dg, "checkup(BCE): bool labels get the same checks as 0/1 integer labels", checkup_bool_vs_int, NOERR, NOARG,
  ok=lambda r: None if r[0] == r[1] else f"integer labels: {r[0]}; bool labels: {r[1]}")


def norms_f16():
    p = hb.Dense(100, 10, dtype=np.float16, rng=0)
    m = hb.Sequential(p)
    p.W.grad = np.full((100, 10), 10.0, np.float16)
    p.b.grad = np.zeros(10, np.float16)
    return DG.gradient_norms(m)[0][1]


C(Dg, "gradient_norms(float16 gradients of 10 x 1000 entries) = 316", norms_f16, NOERR, NOARG,
  ok=lambda r: None if abs(r - np.sqrt(1000) * 10) < 1 else
  f"{r}: the float16 sum of squares overflows; the diagnosis reads as an exploding gradient")


def gap_verdicts():
    pairs = [(0.02, 0.04), (0.05, 0.07), (0.10, 0.12), (0.12, 0.14), (0.30, 0.32)]
    return {p: DG.bias_variance(*p).high_variance for p in pairs}


C(Dg, "bias_variance: a dev-train gap of exactly 2 points (= tolerance) never 'high'", gap_verdicts,
  NOERR, NOARG, ok=lambda r: None if not any(r.values()) else
  f"high_variance {r}: the same 2-point gap is judged by float rounding (0.07 - 0.05 = 0.020000000000000004)")
C(Dg, "bias_variance(0.10, 0.05): dev below training, variance -0.05",
  lambda: DG.bias_variance(0.10, 0.05), NOERR, NOARG,
  ok=lambda r: close(r.variance, -0.05) or (None if r.verdict == "high bias" else r.verdict))


def norms_nested():
    inner = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 4, rng=1))
    model = hb.Sequential(inner, hb.Tanh(), hb.Dense(4, 3, rng=2))
    loss = SCE()
    loss.forward(model.forward(Xg), yg)
    model.backward(loss.backward())
    return DG.gradient_norms(model), [n for n, _ in hb.gradient_check(model, SCE(), Xg, yg).per_parameter]


C(Dg, "gradient_norms(nested Sequential): one distinct name per weight matrix", norms_nested, NOERR, NOARG,
  ok=lambda r: None if len({n for n, _ in r[0]}) == len(r[0]) == 3 else
  f"names {[n for n, _ in r[0]]} (gradient_check calls them {[n for n in r[1] if n.endswith('W')]})")


def nonfinite_nested():
    big = hb.Dense(4, 4, init=I.constant(1e200))
    model = hb.Sequential(hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU()), big, hb.Dense(4, 2, init=I.constant(1e200)))
    stats = DG.activation_stats(hb.Sequential(hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU()), hb.Dense(4, 2)), X40)
    return DG.first_nonfinite_layer(model, np.abs(X40) + 1), [s["layer"] for s in stats]


C(Dg, "first_nonfinite_layer(nested): counts layers like activation_stats", nonfinite_nested, NOERR, NOARG,
  ok=lambda r: None if r[0] is not None and r[0].startswith("3:") and r[1][2].startswith("2:") else str(r))


def sat_stats():
    model = hb.Sequential(hb.Dense(1, 2, init=lambda s, r: np.array([[100.0, 0.001]])), hb.Sigmoid())
    s = DG.activation_stats(model, np.array([[1.0], [-1.0], [2.0], [-2.0]]))[1]
    return s["saturated"]


C(Dg, "activation_stats(Sigmoid): half the values saturated (hand)", sat_stats, NOERR, NOARG,
  ok=lambda r: close(r, 0.5))


def dead_half():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU())
    model[0].b.value[...] = [-100.0, 100.0, -100.0, 100.0]
    return DG.dead_relu_fraction(model, X40)[0][1]


C(Dg, "dead_relu_fraction: 2 of 4 units dead", dead_half, NOERR, NOARG, ok=lambda r: close(r, 0.5))
C(Dg, "initial_loss(zero weights, SCE(label_smoothing=0.2)) = log 3",
  lambda: DG.initial_loss(hb.Sequential(hb.Dense(3, 3, init="zeros")), SCE(0.2), X40, y40), NOERR, NOARG,
  ok=lambda r: close(r, [np.log(3), np.log(3)]))


def label_check():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(160, 2))
    y = (X[:, 0] > 0).astype(int)
    Xd = rng.normal(size=(80, 2))
    yd = (Xd[:, 0] > 0).astype(int)
    return DG.shuffled_label_check(lambda: hb.Sequential(hb.Dense(2, 8, rng=1), hb.ReLU(), hb.Dense(8, 2, rng=2)),
                                   SCE(), X, y, Xd, yd, epochs=8)


C(Dg, "shuffled_label_check on learnable labels: labels >> chance, shuffled near chance", label_check,
  NOERR, NOARG, ok=lambda r: None if r["labels"] > 0.9 and r["shuffled labels"] < r["chance"] + 0.15 else str(r))

# ======================================================================= tuning
Tu = "tuning"
C(Tu, "random_search(rng=Generator(5)) = random_search(rng=5)",
  lambda: [[t.hyperparameters for t in T.random_search(lambda lr, n: lr * n,
                                                       {"lr": T.log_uniform(1e-4, 1e-1), "n": T.integers(1, 5)},
                                                       5, rng=r)] for r in (np.random.default_rng(5), 5)],
  NOERR, NOARG, ok=lambda r: None if r[0] == r[1] else "different trials")


def rs_draws():
    trials = T.random_search(lambda lr, n: 1.0, {"lr": T.log_uniform(1e-4, 1e-1), "n": T.integers(1, 5)},
                             4, rng=0)
    g = np.random.default_rng(0)
    expected = []
    for _ in range(4):
        lr = 10 ** g.uniform(np.log10(1e-4), np.log10(1e-1))
        expected.append({"lr": float(lr), "n": int(g.integers(1, 5, endpoint=True))})
    return [t.hyperparameters for t in trials], expected


C(Tu, "random_search(rng=0), all scores equal: the draws in order, as drawn by hand", rs_draws, NOERR, NOARG,
  ok=lambda r: None if r[0] == r[1] else f"{r[0]} vs {r[1]}")
C(Tu, "random_search: best first, NaN last",
  lambda: [t.score for t in T.random_search(lambda lr: float("nan") if lr > 0.5 else lr,
                                            {"lr": T.uniform(0, 1)}, 8, rng=1)], NOERR, NOARG,
  ok=lambda r: None if all(np.isnan(r[i + 1]) or r[i] >= r[i + 1] for i in range(len(r) - 1))
  and not any(np.isnan(r[i]) and not np.isnan(r[i + 1]) for i in range(len(r) - 1)) else str(r))
C(Tu, "coarse_to_fine(rng=0) twice: the same rounds",
  lambda: [[[t.hyperparameters["lr"] for t in rnd] for rnd in
            T.coarse_to_fine(lambda lr: -abs(np.log10(lr) + 2), {"lr": (1e-5, 1.0)}, 5, rounds=2, rng=0)]
           for _ in range(2)], NOERR, NOARG, ok=lambda r: None if r[0] == r[1] else "different")
C(Tu, "grid_search with tied scores keeps the grid's order",
  lambda: [t.hyperparameters for t in T.grid_search(lambda a, b: float(a == 2), {"a": [1, 2, 3], "b": ["x", "y"]})],
  NOERR, NOARG,
  ok=lambda r: None if r == [{"a": 2, "b": "x"}, {"a": 2, "b": "y"}, {"a": 1, "b": "x"}, {"a": 1, "b": "y"},
                             {"a": 3, "b": "x"}, {"a": 3, "b": "y"}] else str(r))
C(Tu, "log_uniform(1e-4, 1e-1): 20,000 draws in range, a third per decade",
  lambda: T.log_uniform(1e-4, 1e-1)(np.random.default_rng(0), 20_000), NOERR, NOARG,
  ok=lambda r: None if r.min() >= 1e-4 and r.max() <= 1e-1 and all(
      abs(np.mean((r >= 10.0**k) & (r < 10.0**(k + 1))) - 1 / 3) < 0.02 for k in (-4, -3, -2)) else "skewed")
C(Tu, "one_minus_log_uniform(0.9, 0.999): half the draws in [0.9, 0.99]",
  lambda: T.one_minus_log_uniform(0.9, 0.999)(np.random.default_rng(0), 20_000), NOERR, NOARG,
  ok=lambda r: None if abs(np.mean(r < 0.99) - 0.5) < 0.02 else f"{np.mean(r < 0.99):.3f}")
C(Tu, "one_minus_log_uniform(0, 0.9): low exactly 0",
  lambda: T.one_minus_log_uniform(0, 0.9)(np.random.default_rng(0), 1000), NOERR, NOARG,
  ok=lambda r: None if r.min() >= 0 and r.max() <= 0.9 else f"{r.min()}..{r.max()}")
C(Tu, "integers(1, 3): both ends drawn, about a third each",
  lambda: np.bincount(T.integers(1, 3)(np.random.default_rng(0), 9000), minlength=4), NOERR, NOARG,
  ok=lambda r: None if r[0] == 0 and all(abs(c / 9000 - 1 / 3) < 0.03 for c in r[1:]) else str(r))
C(Tu, "random_search(trials=np.int64(3), rng=np.uint8(1))",
  lambda: T.random_search(lambda lr: lr, {"lr": T.uniform(0, 1)}, np.int64(3), rng=np.uint8(1)), NOERR, NOARG,
  ok=lambda r: None if len(r) == 3 else str(r))

# ========================================================================= plot
Pl = "plot"


def svg_of(fig):
    svg = P.to_svg(fig)
    return None if svg.startswith("<svg") else "no SVG"


C(Pl, "training_curves(one epoch of loss and accuracy), to_svg",
  lambda: P.training_curves(hb.History(train_loss=[1.0], dev_loss=[1.1], train_acc=[0.5], dev_acc=[0.4])),
  NOERR, NOARG, ok=lambda f: (None if len(f.axes) == 2 else f"{len(f.axes)} panels") or svg_of(f))
C(Pl, "training_curves(constant loss), to_svg", lambda: P.training_curves(hb.History(train_loss=[0.7] * 4)),
  NOERR, NOARG, ok=svg_of)
C(Pl, "training_curves(fit of one epoch), to_svg",
  lambda: P.training_curves(fit_with(epochs=1, validation=data(10, seed=1))), NOERR, NOARG, ok=svg_of)
C(Pl, "lines(one point), to_svg", lambda: P.lines([1], {"a": [2.0]}), NOERR, NOARG, ok=svg_of)
C(Pl, "lines(one point, logy=True), to_svg", lambda: P.lines([1], {"a": [2.0]}, logy=True), NOERR, NOARG,
  ok=svg_of)
C(Pl, "lines(constant values, logy=True), to_svg", lambda: P.lines([1, 2, 3], {"a": [2.0] * 3, "b": [3.0] * 3},
                                                                   logy=True), NOERR, NOARG, ok=svg_of)
C(Pl, "lines(all x equal), to_svg", lambda: P.lines([1, 1, 1], {"a": [1, 2, 3]}), NOERR, NOARG, ok=svg_of)
C(Pl, "lines(values 0, logy=True)", lambda: P.lines([1, 2], {"a": [0.0, 1.0]}, logy=True), "lines", "ys")
C(Pl, "contours(constant f), to_svg",
  lambda: P.contours(lambda a, b: 0 * a + 1.0, (-1, 1), (-1, 1), resolution=10), NOERR, NOARG, ok=svg_of)
C(Pl, "contours(f, levels all outside f's range), to_svg",
  lambda: P.contours(lambda a, b: a * a + b * b, (-1, 1), (-1, 1), levels=[5.0, 6.0], resolution=10),
  NOERR, NOARG, ok=svg_of)
C(Pl, "contours(f, paths of one point each), to_svg",
  lambda: P.contours(lambda a, b: a * a + b * b, (-1, 1), (-1, 1), paths={"sgd": [[0.5, 0.5]], "adam": [[0, 0]]},
                     resolution=10), NOERR, NOARG, ok=svg_of)
C(Pl, "histograms(constant array), to_svg", lambda: P.histograms([np.full(10, 3.0)]), NOERR, NOARG, ok=svg_of)
C(Pl, "histograms(bins=1), to_svg", lambda: P.histograms([np.arange(5.0), np.ones(3)], bins=1), NOERR, NOARG,
  ok=svg_of)
C(Pl, "decision_boundary(one point, resolution=2), to_svg",
  lambda: P.decision_boundary(lambda g: np.zeros(len(g), int), np.array([[0.0, 0.0]]), np.array([0]),
                              resolution=2), NOERR, NOARG, ok=svg_of)
C(Pl, "decision_boundary(predict giving 0.0/1.0 floats)",
  lambda: P.decision_boundary(lambda g: (g[:, 0] > 0).astype(float), X40[:, :2], y40 % 2, resolution=10),
  NOERR, NOARG, ok=svg_of)
C(Pl, "decision_boundary(one class everywhere, K=3 scores)",
  lambda: P.decision_boundary(lambda g: np.tile([0.0, 5.0, 1.0], (len(g), 1)), X40[:, :2], y40, resolution=10),
  NOERR, NOARG, ok=svg_of)

# ===================================================================== datasets, init
Ds = "datasets"
C(Ds, "two_moons(n=201): 101 and 100 points per class", lambda: np.bincount(DS.two_moons(201, rng=0)[1]),
  NOERR, NOARG, ok=lambda r: None if r.tolist() == [101, 100] else str(r))
C(Ds, "spirals(n=10, classes=3): 4/3/3", lambda: np.bincount(DS.spirals(10, classes=3, rng=0)[1]),
  NOERR, NOARG, ok=lambda r: None if r.tolist() == [4, 3, 3] else str(r))
C(Ds, "circles(factor=0.999, noise=0): radii by hand",
  lambda: DS.circles(noise=0, factor=0.999, rng=0), NOERR, NOARG,
  ok=lambda r: close(np.linalg.norm(r[0], axis=1), np.where(r[1] == 1, 0.999, 1.0)))
In = "init"
C(In, "he_uniform((2000, 500)): std sqrt(2/2000)", lambda: I.he_uniform((2000, 500), 0).std(), NOERR, NOARG,
  ok=lambda r: None if abs(r / np.sqrt(2 / 2000) - 1) < 0.01 else f"{r:.4g}")
C(In, "lecun_normal((2000, 500)): std sqrt(1/2000)", lambda: I.lecun_normal((2000, 500), 0).std(), NOERR, NOARG,
  ok=lambda r: None if abs(r / np.sqrt(1 / 2000) - 1) < 0.01 else f"{r:.4g}")
C(In, "xavier_normal((1500, 500)): std sqrt(2/2000)", lambda: I.xavier_normal((1500, 500), 0).std(), NOERR, NOARG,
  ok=lambda r: None if abs(r / np.sqrt(2 / 2000) - 1) < 0.01 else f"{r:.4g}")
C(In, "Dense(6, 4, init='orthogonal', dtype=float16): W^T W ~ I",
  lambda: hb.Dense(6, 4, init="orthogonal", dtype=np.float16, rng=0).W.value, NOERR, NOARG,
  ok=lambda W: None if W.dtype == np.float16 and close(W.astype(float).T @ W.astype(float), np.eye(4), 5e-3) is None
  else str(W.dtype))
C(In, "Dense(5, 3, init=sparse(2), dtype=float32): 2 nonzero weights per unit",
  lambda: hb.Dense(5, 3, init=I.sparse(2), dtype=np.float32, rng=0).W.value, NOERR, NOARG,
  ok=lambda W: None if W.dtype == np.float32 and (W != 0).sum(0).tolist() == [2, 2, 2] else str(W))
C(In, "two Dense layers drawing from one Generator get different weights",
  lambda: (lambda g: (hb.Dense(3, 3, rng=g).W.value, hb.Dense(3, 3, rng=g).W.value))(np.random.default_rng(0)),
  NOERR, NOARG, ok=lambda r: None if not np.array_equal(r[0], r[1]) else "the same weights")

if __name__ == "__main__":
    H.main(CASES)
