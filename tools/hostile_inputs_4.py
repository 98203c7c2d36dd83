"""Hostile-input attack on the handbook package, fourth round (issue 15).

Run:  .venv/bin/python tools/hostile_inputs_4.py [--verbose] [filter]

The harness is the first round's, imported from tools/hostile_inputs.py without
running its cases. This round hunts for SILENT WRONG RESULTS: every case computes
what the answer must be independently (a hand formula, a plain NumPy
re-implementation, a finite difference, or an invariant) and compares. Also:
state leaking between repeated calls, inputs changed in place, large parameters
that take the optimizers' sliced and threaded paths.

A legal call that raises is reported as OBSCURE "not naming who (a legal call: no
error expected)". Nothing in the repository is modified.
"""

from __future__ import annotations

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hostile_inputs as H  # noqa: E402  (registers the first round's cases, runs none)
import numpy as np  # noqa: E402
from hostile_inputs import Case, data, mlp  # noqa: E402

import handbook as hb  # noqa: E402
from handbook import data as D  # noqa: E402
from handbook import optim as O  # noqa: E402
from handbook import schedules as S  # noqa: E402
from handbook.training import evaluate  # noqa: E402

CASES = []


def C(module, label, fn, who=None, arg=None, silent=None, ok=None, bad_msg=None):
    """Register a legal call whose result ``ok`` checks."""
    CASES.append(Case(module, label, fn, who or NOERR, arg or NOARG, silent, ok, bad_msg))


NOERR = "(a legal call: no error expected)"
NOARG = "(none)"


def close(a, b, tol=1e-9):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return f"shape {a.shape}, expected {b.shape}"
    if not np.allclose(a, b, atol=tol, rtol=tol):
        return (f"max difference {np.max(np.abs(a - b)):.3g} "
                f"(got {np.ravel(a)[:4]}, expected {np.ravel(b)[:4]})")
    return None


def all_none(*reasons):
    return next((r for r in reasons if r), None)


def truth(cond, why):
    return None if cond else why


def fd_input(layer, x, seed=0, eps=1e-6, training=True):
    """(backward's dx, central-difference dx) of J = sum(w * layer(x))."""
    x = np.array(x, float)
    w = np.random.default_rng(seed).normal(size=layer.forward(x, training).shape)
    dx = layer.backward(w.copy())
    num = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        num[i] = (np.sum(w * layer.forward(xp, training)) - np.sum(w * layer.forward(xm, training))) / (2 * eps)
    layer.forward(x, training)
    return dx, num


def fd_loss(loss, z, y, eps=1e-6):
    z = np.array(z, float)
    loss.forward(z, y)
    g = loss.backward().copy()
    num = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[i] += eps
        zm[i] -= eps
        num[i] = (loss.forward(zp, y) - loss.forward(zm, y)) / (2 * eps)
    return g, num


def param(value, grad):
    p = hb.Parameter(np.array(value, float))
    p.grad = np.array(grad, float)
    return p


def unchanged_after(call, *arrays):
    before = [np.array(a, copy=True) for a in arrays]
    result = call()
    changed = [i for i, (a, b) in enumerate(zip(arrays, before)) if not np.array_equal(a, b)]
    return result, changed


def not_mutated(r):
    return None if not r[1] else f"changed input(s) #{r[1]} in place"


X40, y40 = data()
Z = np.random.default_rng(3).normal(size=(6, 4)) * 3
YZ = np.array([0, 1, 2, 3, 1, 0])

# ======================================================================= losses
Lo = "losses"


def lsm(z):
    z = np.asarray(z, float)
    m = z.max(-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(-1, keepdims=True))


for dt in (np.float32, np.float16):
    C(Lo, f"softmax rows sum to 1 in {dt.__name__}, dtype kept",
      lambda dt=dt: hb.softmax((Z * 5).astype(dt)),
      ok=lambda r, dt=dt: all_none(truth(r.dtype == dt, f"dtype {r.dtype}"),
                                   close(r.astype(float).sum(1), np.ones(6), 2e-3 if dt == np.float16 else 1e-6)))
C(Lo, "softmax([1000, 1001, 1002]) float16: finite, the exact softmax of [0, 1, 2]",
  lambda: hb.softmax(np.array([[1000, 1001, 1002]], np.float16)),
  ok=lambda r: close(r, np.exp(lsm([[0, 1, 2]])), 2e-3))
C(Lo, "softmax(z + 500) == softmax(z)", lambda: (hb.softmax(Z + 500), hb.softmax(Z)),
  ok=lambda r: close(*r, 1e-12))
C(Lo, "log_softmax == NumPy reference", lambda: hb.log_softmax(Z), ok=lambda r: close(r, lsm(Z), 1e-12))
C(Lo, "log_softmax on a 3-D array: along the last axis",
  lambda: hb.log_softmax(Z.reshape(2, 3, 4)), ok=lambda r: close(r, lsm(Z).reshape(2, 3, 4), 1e-12))
C(Lo, "SCE loss == -mean log p[y] by hand", lambda: hb.SoftmaxCrossEntropy().forward(Z, YZ),
  ok=lambda r: close(r, -np.mean(lsm(Z)[np.arange(6), YZ]), 1e-12))
C(Lo, "SCE one-hot labels give the same loss and gradient as integers",
  lambda: [(L.forward(Z, y), L.backward().copy()) for L, y in
           ((hb.SoftmaxCrossEntropy(), YZ), (hb.SoftmaxCrossEntropy(), np.eye(4)[YZ]))],
  ok=lambda r: all_none(close(r[0][0], r[1][0], 1e-12), close(r[0][1], r[1][1], 1e-12)))
C(Lo, "SCE label_smoothing=0.2, K=4: rows sum to 1, off-class eps/(K-1), true 1-eps",
  lambda: hb.SoftmaxCrossEntropy(0.2).targets(YZ, 4, np.float64),
  ok=lambda t: close(t, np.where(np.eye(4)[YZ] == 1, 0.8, 0.2 / 3), 1e-12))
C(Lo, "SCE label_smoothing loss == hand formula",
  lambda: hb.SoftmaxCrossEntropy(0.1).forward(Z, YZ),
  ok=lambda r: close(r, -np.mean((np.where(np.eye(4)[YZ] == 1, 0.9, 0.1 / 3) * lsm(Z)).sum(1)), 1e-12))
C(Lo, "SCE label_smoothing with soft labels: smoothed rows still sum to 1",
  lambda: hb.SoftmaxCrossEntropy(0.3).targets(np.array([[0.5, 0.5, 0, 0]]), 4, np.float64),
  ok=lambda t: close(t.sum(1), [1.0], 1e-12))
C(Lo, "SCE backward == finite differences", lambda: fd_loss(hb.SoftmaxCrossEntropy(), Z, YZ),
  ok=lambda r: close(*r, 1e-6))
C(Lo, "SCE(label_smoothing=0.25) backward == finite differences",
  lambda: fd_loss(hb.SoftmaxCrossEntropy(0.25), Z, YZ), ok=lambda r: close(*r, 1e-6))
C(Lo, "SCE soft labels: loss == -mean sum t log p",
  lambda: hb.SoftmaxCrossEntropy().forward(Z, hb.softmax(Z[::-1])),
  ok=lambda r: close(r, -np.mean((hb.softmax(Z[::-1]) * lsm(Z)).sum(1)), 1e-12))
C(Lo, "SCE accuracy == mean(argmax == y)", lambda: hb.SoftmaxCrossEntropy().accuracy(Z, YZ),
  ok=lambda r: close(r, np.mean(Z.argmax(1) == YZ)))
C(Lo, "SCE forward leaves z and y unchanged",
  lambda: unchanged_after(lambda: hb.SoftmaxCrossEntropy(0.1).forward(ZC, YC), ZC, YC), ok=not_mutated)
ZC, YC = Z.copy(), YZ.copy()
C(Lo, "SCE: two forwards, then backward is the second's gradient",
  lambda: (lambda L: (L.forward(Z, YZ), L.forward(Z * 2, YZ[::-1]), L.backward())[2])(hb.SoftmaxCrossEntropy()),
  ok=lambda g: close(g, (np.exp(lsm(Z * 2)) - np.eye(4)[YZ[::-1]]) / 6, 1e-12))
zb = np.array([-3.0, -0.5, 0.0, 0.7, 4.0, 30.0])
yb = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.3])
sig = 1 / (1 + np.exp(-zb))
C(Lo, "BCE loss == -mean(y log s + (1-y) log(1-s))", lambda: hb.BinaryCrossEntropy().forward(zb, yb),
  ok=lambda r: close(r, np.mean(np.logaddexp(0, zb) - zb * yb), 1e-12))
C(Lo, "BCE backward == finite differences", lambda: fd_loss(hb.BinaryCrossEntropy(), zb[:5], yb[:5]),
  ok=lambda r: close(*r, 1e-6))
C(Lo, "BCE accuracy == mean((z>0) == (y>0.5))", lambda: hb.BinaryCrossEntropy().accuracy(zb, yb),
  ok=lambda r: close(r, np.mean((zb > 0) == (yb > 0.5))))
C(Lo, "BCE(z=-40, y=1) == 40 (no log(0) clipping)", lambda: hb.BinaryCrossEntropy().forward(np.array([-40.0]), np.array([1.0])),
  ok=lambda r: close(r, 40.0, 1e-12))
C(Lo, "BCE output (5,1) with y (5,): loss per element, not a 5x5 broadcast",
  lambda: hb.BinaryCrossEntropy().forward(zb[:5, None], yb[:5]),
  ok=lambda r: close(r, hb.BinaryCrossEntropy().forward(zb[:5], yb[:5]), 1e-12))
C(Lo, "MSE output (5,1) with y (5,): not a 5x5 broadcast",
  lambda: hb.MeanSquaredError().forward(zb[:5, None], yb[:5]),
  ok=lambda r: close(r, 0.5 * np.sum((zb[:5] - yb[:5]) ** 2) / 5, 1e-12))
C(Lo, "MSE loss == 0.5 sum / m on (6, 4)", lambda: hb.MeanSquaredError().forward(Z, Z[::-1]),
  ok=lambda r: close(r, 0.5 * np.sum((Z - Z[::-1]) ** 2) / 6, 1e-12))
C(Lo, "MSE backward == finite differences", lambda: fd_loss(hb.MeanSquaredError(), Z, Z[::-1]),
  ok=lambda r: close(*r, 1e-6))
P3 = hb.softmax(Z)
C(Lo, "kl(p, p) == 0 exactly", lambda: hb.kl_divergence(P3, P3), ok=lambda r: close(r, np.zeros(6), 0))
C(Lo, "kl(p, q) == hand formula, with 0 log 0 = 0",
  lambda: hb.kl_divergence([[0.5, 0.5, 0.0]], [[0.25, 0.25, 0.5]]), ok=lambda r: close(r, [math.log(2)], 1e-12))
C(Lo, "kl(p, q) >= 0 and == sum p log p/q for random rows",
  lambda: hb.kl_divergence(P3, P3[::-1]),
  ok=lambda r: all_none(truth((r >= 0).all(), str(r)), close(r, (P3 * np.log(P3 / P3[::-1])).sum(1), 1e-12)))
C(Lo, "kl float32 keeps float32 and is correct",
  lambda: hb.kl_divergence(P3.astype(np.float32), P3[::-1].astype(np.float32)),
  ok=lambda r: all_none(truth(r.dtype == np.float32, str(r.dtype)), close(r, (P3 * np.log(P3 / P3[::-1])).sum(1), 1e-5)))
C(Lo, "kl(p, q) with q = 0 where p > 0 is inf, not a finite number",
  lambda: hb.kl_divergence([[0.5, 0.5]], [[1.0, 0.0]]), ok=lambda r: truth(np.isinf(r).all(), str(r)))

# ======================================================================= layers
La = "layers"
XL = np.random.default_rng(5).normal(size=(5, 3))


def frozen_dropout():
    d = hb.Dropout(0.6, rng=0)
    d.freeze_mask = True
    return d


for name, make in [("Dense", lambda: hb.Dense(3, 4, rng=0)), ("Sigmoid", hb.Sigmoid), ("Tanh", hb.Tanh),
                   ("ReLU", hb.ReLU), ("LeakyReLU(0.2)", lambda: hb.LeakyReLU(0.2)),
                   ("Maxout(3, 2, pieces=3)", lambda: hb.Maxout(3, 2, pieces=3, rng=0)),
                   ("BatchNorm(3) in training", lambda: hb.BatchNorm(3)),
                   ("Dropout(0.6), frozen mask", frozen_dropout),
                   ("Sequential(Dense, BatchNorm, Tanh, Dense)",
                    lambda: hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Tanh(), hb.Dense(4, 2, rng=1)))]:
    C(La, f"{name}: backward's dx == finite differences of the input", lambda make=make: fd_input(make(), XL),
      ok=lambda r: close(*r, 1e-6))

C(La, "Dense forward == x W + b, x unchanged",
  lambda: (lambda L: (L.b.value.__setitem__(slice(None), [1, 2, 3, 4]),
                      unchanged_after(lambda: L.forward(XLc), XLc), L))(hb.Dense(3, 4, rng=0))[1:],
  ok=lambda r: all_none(not_mutated(r[0]), close(r[0][0], XLc @ r[1].W.value + [1, 2, 3, 4], 1e-12)))
XLc = XL.copy()
C(La, "Dense parameter gradients: dW == x^T dz, db == sum dz",
  lambda: (lambda L: (L.forward(XL), L.backward(np.ones((5, 4)) * np.arange(4)), L)[2])(hb.Dense(3, 4, rng=0)),
  ok=lambda L: all_none(close(L.W.grad, XL.T @ (np.ones((5, 4)) * np.arange(4)), 1e-12),
                        close(L.b.grad, 5.0 * np.arange(4), 1e-12)))
C(La, "Dense: a second backward overwrites (does not accumulate into) the reused grad buffer",
  lambda: (lambda L: (L.forward(XL), L.backward(np.ones((5, 4))), L.forward(XL * 2), L.backward(np.ones((5, 4))),
                      L.W.grad)[-1])(hb.Dense(3, 4, rng=0)),
  ok=lambda g: close(g, (XL * 2).T @ np.ones((5, 4)), 1e-12))


def bn_after(momentum, batches):
    bn = hb.BatchNorm(3, momentum=momentum)
    for b in batches:
        bn.forward(b, training=True)
    return bn


C(La, "BatchNorm running stats after one batch, momentum 0.9: 0.1 mu and 0.9 + 0.1 var",
  lambda: bn_after(0.9, [XL * 2 + 1]),
  ok=lambda bn: all_none(close(bn.running_mean, 0.1 * (XL * 2 + 1).mean(0), 1e-12),
                         close(bn.running_var, 0.9 + 0.1 * (XL * 2 + 1).var(0), 1e-12)))
C(La, "BatchNorm eval uses the running stats (hand formula)",
  lambda: (lambda bn: (bn, bn.forward(XL[:2], training=False)))(bn_after(0.5, [XL * 2 + 1, XL - 3])),
  ok=lambda r: close(r[1], (XL[:2] - r[0].running_mean) / np.sqrt(r[0].running_var + 1e-5), 1e-12))
C(La, "BatchNorm eval forward leaves running stats unchanged",
  lambda: (lambda bn: (bn.running_mean.copy(), bn.forward(XL + 9, training=False), bn.running_mean))(bn_after(0.9, [XL])),
  ok=lambda r: close(r[0], r[2], 0))
C(La, "BatchNorm training output: per-feature mean 0, var 1/(1+eps/var)",
  lambda: hb.BatchNorm(3).forward(XL * 4 + 2, training=True),
  ok=lambda r: all_none(close(r.mean(0), np.zeros(3), 1e-12),
                        close(r.var(0), (XL * 4).var(0) / ((XL * 4).var(0) + 1e-5), 1e-9)))
C(La, "BatchNorm momentum=0: running stats are the last batch's",
  lambda: bn_after(0.0, [XL, XL * 3]),
  ok=lambda bn: all_none(close(bn.running_mean, (XL * 3).mean(0), 1e-12), close(bn.running_var, (XL * 3).var(0), 1e-12)))
C(La, "BatchNorm eval between a training forward and its backward: backward uses the training batch",
  lambda: (lambda bn, ref: (bn.forward(XL), ref.forward(XL), bn.forward(XL * 5 + 3, training=False),
                            bn.backward(np.arange(15.0).reshape(5, 3)), ref.backward(np.arange(15.0).reshape(5, 3)))[3:])(
      hb.BatchNorm(3), hb.BatchNorm(3)),
  ok=lambda r: close(r[0], r[1], 1e-12))
C(La, "Dropout(keep_prob=1) in training is the identity, backward too",
  lambda: (lambda d: (d.forward(XL, training=True), d.backward(XL * 2)))(hb.Dropout(1.0, rng=0)),
  ok=lambda r: all_none(close(r[0], XL, 0), close(r[1], XL * 2, 0)))
C(La, "Dropout(0.5) eval is the identity", lambda: hb.Dropout(0.5, rng=0).forward(XL, training=False),
  ok=lambda r: close(r, XL, 0))
C(La, "Dropout(0.25): every output is 0 or x / 0.25, backward the same mask",
  lambda: (lambda d: (d.forward(np.ones((50, 4))), d.backward(np.full((50, 4), 2.0))))(hb.Dropout(0.25, rng=1)),
  ok=lambda r: all_none(truth(set(np.unique(r[0])) <= {0.0, 4.0}, str(np.unique(r[0]))),
                        close(r[1], 2 * r[0], 0)))
C(La, "Dropout: eval forward between training forward and backward keeps the mask",
  lambda: (lambda d: (d.forward(np.ones((20, 3))), d.forward(np.ones((7, 3)), training=False),
                      d.backward(np.ones((20, 3)))))(hb.Dropout(0.5, rng=2)),
  ok=lambda r: close(r[2], r[0], 0))
C(La, "Sigmoid == 1/(1+e^-z), exactly 0/1 at +-800, no warning",
  lambda: hb.Sigmoid().forward(np.array([-800, -3, 0, 2.5, 800.0])),
  ok=lambda r: close(r, [0, 1 / (1 + math.exp(3)), 0.5, 1 / (1 + math.exp(-2.5)), 1], 1e-15))
C(La, "Sigmoid float16 at +-20: in [0, 1], float16",
  lambda: hb.Sigmoid().forward(np.array([-20, 20], np.float16)),
  ok=lambda r: all_none(truth(r.dtype == np.float16, str(r.dtype)), close(r, [0, 1], 1e-3)))
C(La, "LeakyReLU(alpha=0) == ReLU, forward and backward",
  lambda: (lambda a, b: (a.forward(XL), b.forward(XL), a.backward(XL), b.backward(XL)))(hb.LeakyReLU(0.0), hb.ReLU()),
  ok=lambda r: all_none(close(r[0], r[1], 0), close(r[2], r[3], 0)))
C(La, "ReLU backward at z == 0 is 0", lambda: (lambda L: (L.forward(np.zeros((2, 2))), L.backward(np.ones((2, 2))))[1])(hb.ReLU()),
  ok=lambda r: close(r, np.zeros((2, 2)), 0))
C(La, "Maxout(pieces=1) == Dense with the same weights",
  lambda: (lambda M: (M.forward(XL), XL @ M.W.value + M.b.value))(hb.Maxout(3, 4, pieces=1, rng=0)),
  ok=lambda r: close(*r, 1e-12))
C(La, "Maxout forward == max over pieces of x W + b, by hand",
  lambda: (lambda M: (M.b.value.__setitem__(slice(None), np.arange(6.0)), M.forward(XL),
                      (XL @ M.W.value + np.arange(6.0)).reshape(5, 2, 3).max(2))[1:])(hb.Maxout(3, 2, pieces=3, rng=0)),
  ok=lambda r: close(*r, 1e-12))
C(La, "Sequential.predict == forward(training=False), and saves nothing for backward",
  lambda: (lambda m: (m.forward(XL), m.predict(XL + 1), m.forward(XL + 1, training=False), m.backward(np.ones((5, 2)))))(
      hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dropout(0.5, rng=0), hb.Dense(4, 2, rng=1))),
  ok=lambda r: close(r[1], r[2], 0))
C(La, "Sequential.astype(float32): forward gives float32 equal to float64 forward",
  lambda: (mlp().forward(XL), mlp().astype(np.float32).forward(XL.astype(np.float32))),
  ok=lambda r: all_none(truth(r[1].dtype == np.float32, str(r[1].dtype)), close(r[0], r[1], 1e-5)))
C(La, "gradient_check on Sequential(Dense, BatchNorm, Maxout, Sigmoid, Dense) with L2, float64",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Maxout(4, 3, rng=1), hb.Sigmoid(),
                                          hb.Dense(3, 3, rng=2)), hb.SoftmaxCrossEntropy(0.1), XL, YZ[:5] % 3,
                            regularizer=hb.L2(0.3)),
  ok=lambda r: truth(r.relative_error < 1e-6, f"relative error {r.relative_error:.2g}"))
C(La, "gradient_check with L1 away from 0 and BCE, float64",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh(), hb.Dense(4, 1, rng=1)),
                            hb.BinaryCrossEntropy(), XL, (YZ[:5] % 2)[:, None].astype(float), regularizer=hb.L1(0.2)),
  ok=lambda r: truth(r.relative_error < 1e-6, f"relative error {r.relative_error:.2g}"))

# =================================================================== optimizers
Op = "optim"
W0 = np.random.default_rng(7).normal(size=(3, 4))
G0 = np.random.default_rng(8).normal(size=(3, 4))
OPTS = [("SGD", lambda p: O.SGD(p, 0.1)), ("Momentum", lambda p: O.Momentum(p, 0.1)),
        ("Nesterov", lambda p: O.Nesterov(p, 0.1)), ("AdaGrad", lambda p: O.AdaGrad(p, 0.1)),
        ("RMSprop", lambda p: O.RMSprop(p, 0.1)), ("Adam", lambda p: O.Adam(p, 0.1))]


def steps_on(make, value, grads, lr_changes=None):
    p = param(value, grads[0])
    opt = make([p])
    for i, g in enumerate(grads):
        p.grad = np.array(g, float)
        if lr_changes and i in lr_changes:
            opt.lr = lr_changes[i]
        opt.step()
    return p, opt


for name, make in OPTS:
    C(Op, f"{name}: a first step on a zero gradient changes nothing",
      lambda make=make: steps_on(make, W0, [np.zeros((3, 4))])[0].value, ok=lambda w: close(w, W0, 0))
C(Op, "AdamW: a zero gradient only decays: w (1 - lr wd)",
  lambda: steps_on(lambda p: O.AdamW(p, 0.1, weight_decay=0.5), W0, [np.zeros((3, 4))])[0].value,
  ok=lambda w: close(w, W0 * 0.95, 1e-15))
C(Op, "step leaves the gradient unchanged", lambda: steps_on(OPTS[5][1], W0, [G0])[0].grad,
  ok=lambda g: close(g, G0, 0))


def ref(name, w, gs, lr=0.1, b=0.9, b2=0.999, eps=None, wd=0.0):
    w, v, s = w.copy(), np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(gs, 1):
        if name == "SGD":
            w = w - lr * g
        elif name in ("Momentum", "Nesterov"):
            v = b * v + (1 - b) * g
            w = w - lr * (v if name == "Momentum" else b * v + (1 - b) * g)
        elif name == "AdaGrad":
            s = s + g * g
            w = w - lr * g / (np.sqrt(s) + 1e-7)
        elif name == "RMSprop":
            s = b * s + (1 - b) * g * g
            w = w - lr * g / (np.sqrt(s) + 1e-8)
        else:
            w = w * (1 - lr * wd)
            v = b * v + (1 - b) * g
            s = b2 * s + (1 - b2) * g * g
            w = w - lr * (v / (1 - b ** t)) / (np.sqrt(s / (1 - b2 ** t)) + 1e-8)
    return w


GS = [G0, -0.5 * G0 + 0.1, G0 ** 2]
for name, make in OPTS:
    C(Op, f"{name}: three steps == a NumPy re-implementation", lambda make=make: steps_on(make, W0, GS)[0].value,
      ok=lambda w, name=name: close(w, ref(name, W0, GS), 1e-12))
C(Op, "AdamW: three steps == re-implementation",
  lambda: steps_on(lambda p: O.AdamW(p, 0.1, weight_decay=0.3), W0, GS)[0].value,
  ok=lambda w: close(w, ref("AdamW", W0, GS, wd=0.3), 1e-12))
C(Op, "Adam's first step is ~lr * sign(g)", lambda: W0 - steps_on(OPTS[5][1], W0, [G0])[0].value,
  ok=lambda d: close(d, 0.1 * np.sign(G0), 1e-6))
C(Op, "SGD: lr changed between steps is used", lambda: steps_on(OPTS[0][1], W0, [G0, G0], {1: 0.5})[0].value,
  ok=lambda w: close(w, W0 - 0.1 * G0 - 0.5 * G0, 1e-12))
BIG_W = np.random.default_rng(9).normal(size=(300, 300))
BIG_G = np.random.default_rng(10).normal(size=(300, 300))
for name, make in OPTS[4:]:
    C(Op, f"{name} on a 300x300 parameter (sliced update), two steps == re-implementation",
      lambda make=make: steps_on(make, BIG_W, [BIG_G, BIG_G * 0.3 - 1])[0].value,
      ok=lambda w, name=name: close(w, ref(name, BIG_W, [BIG_G, BIG_G * 0.3 - 1]), 1e-12))


def threaded(make):
    ps = [param(BIG_W[:, :200].repeat(3, 0)[:600] * k, BIG_G[:, :200].repeat(3, 0)[:600] + k) for k in (1, 2, 3)]
    opt = make(ps)
    opt.step()
    return ps


C(Op, "Adam on three 600x200 parameters (threaded path) == re-implementation",
  lambda: threaded(OPTS[5][1]),
  ok=lambda ps: all_none(*(close(p.value, ref("Adam", BIG_W[:, :200].repeat(3, 0)[:600] * k,
                                              [BIG_G[:, :200].repeat(3, 0)[:600] + k]), 1e-12)
                           for p, k in zip(ps, (1, 2, 3)))))
C(Op, "Momentum on a transposed (non-contiguous) 300x300 parameter == re-implementation",
  lambda: (lambda p: (O.Momentum([p], 0.1).step(), p.value)[1])(
      (lambda p: (setattr(p, "grad", BIG_G.copy()), p)[1])(hb.Parameter(BIG_W.copy().T))),
  ok=lambda w: close(w, ref("Momentum", BIG_W.T, [BIG_G]), 1e-12))
C(Op, "a parameter without a gradient is not moved, its state stays 0",
  lambda: (lambda a, b: (O.Adam([a, b], 0.1).step(), b.value))(param(W0, G0), hb.Parameter(W0.copy())),
  ok=lambda w: close(w[1], W0, 0))
C(Op, "ewma == hand recursion, bias-corrected constant stays constant",
  lambda: (O.ewma([1.0, 2.0, 3.0], 0.5), O.ewma([4.0] * 5, 0.9, bias_correction=True)),
  ok=lambda r: all_none(close(r[0], [0.5, 1.25, 2.125], 1e-15), close(r[1], [4.0] * 5, 1e-12)))
CLIP = [G0 * 3, np.array([0.5, -7.0])]
C(Op, "clip_by_value returns the pre-clip global norm and clips every entry",
  lambda: (lambda ps: (O.clip_by_value(ps, 1.0), [p.grad for p in ps]))([param(g * 0, g) for g in CLIP]),
  ok=lambda r: all_none(close(r[0], math.sqrt(sum((g ** 2).sum() for g in CLIP)), 1e-12),
                        *(close(a, np.clip(g, -1, 1), 0) for a, g in zip(r[1], CLIP))))
C(Op, "clip_by_norm: pre-clip norm returned, new norm == max_norm, direction kept",
  lambda: (lambda ps: (O.clip_by_norm(ps, 2.0), O.global_norm(ps), [p.grad for p in ps]))([param(g * 0, g) for g in CLIP]),
  ok=lambda r: all_none(close(r[0], math.sqrt(sum((g ** 2).sum() for g in CLIP)), 1e-12), close(r[1], 2.0, 1e-12),
                        *(close(a, g * 2.0 / r[0], 1e-12) for a, g in zip(r[2], CLIP))))
C(Op, "clip_by_norm below the limit changes nothing",
  lambda: (lambda ps: (O.clip_by_norm(ps, 1e6), ps[0].grad))([param(W0, G0)]), ok=lambda r: close(r[1], G0, 0))
C(Op, "global_norm of float16 gradients of 300 each: == float64 norm, no overflow",
  lambda: O.global_norm([(lambda p: (setattr(p, "grad", np.full(1000, 300, np.float16)), p)[1])(
      hb.Parameter(np.zeros(1000, np.float16)))]),
  ok=lambda r: close(r, 300 * math.sqrt(1000), 1e-9))

# ==================================================================== schedules
Sc = "schedules"
T100 = range(1, 101)


def mono(s, ts, up=False):
    v = [s(t) for t in ts]
    bad = [i for i in range(len(v) - 1) if (v[i + 1] < v[i] if up else v[i + 1] > v[i])]
    return None if not bad else f"not monotone at t={list(ts)[bad[0]]}: {v[bad[0]]} -> {v[bad[0] + 1]}"


C(Sc, "step(0.1, 0.5, 10): values at t = 1, 10, 11, 21 by hand; non-increasing",
  lambda: S.step(0.1, 0.5, 10), ok=lambda s: all_none(close([s(1), s(10), s(11), s(21)], [0.1, 0.1, 0.05, 0.025], 1e-15),
                                                     mono(s, T100)))
C(Sc, "cosine(0.1, 50, 0.01): lr0 at 0, lr_min at 50 and after, non-increasing",
  lambda: S.cosine(0.1, 50, 0.01),
  ok=lambda s: all_none(close([s(50), s(80)], [0.01, 0.01], 1e-15), close(s(25), 0.055, 1e-12), mono(s, T100)))
C(Sc, "linear(0.1, 0.02, 8): hand values, floor after, non-increasing",
  lambda: S.linear(0.1, 0.02, 8), ok=lambda s: all_none(close([s(4), s(8), s(9)], [0.06, 0.02, 0.02], 1e-15), mono(s, T100)))
C(Sc, "warmup(0.1, 5): 0.02 t up to 5, then 0.1; non-decreasing",
  lambda: S.warmup(0.1, 5), ok=lambda s: all_none(close([s(t) for t in range(1, 8)], [.02, .04, .06, .08, .1, .1, .1], 1e-15),
                                                 mono(s, T100, up=True)))
C(Sc, "warmup(cosine(0.1, 20), 5): == target(t) * min(t/5, 1)",
  lambda: S.warmup(S.cosine(0.1, 20), 5),
  ok=lambda s: close([s(t) for t in T100], [S.cosine(0.1, 20)(t) * min(t / 5, 1) for t in T100], 1e-15))
C(Sc, "exponential, inverse_time, inverse_sqrt: strictly decreasing, hand values",
  lambda: (S.exponential(0.1, 0.5), S.inverse_time(0.1, 1.0), S.inverse_sqrt(0.1, 2.0)),
  ok=lambda r: all_none(close([r[0](2), r[1](3), r[2](4)], [0.025, 0.025, 0.1], 1e-15), *(mono(s, T100) for s in r)))
C(Sc, "a schedule called with np.int64(11) == with 11",
  lambda: S.step(0.1, 0.5, 10), ok=lambda s: close(s(np.int64(11)), s(11), 0))

# ============================================================== regularization
Re = "regularization"
RM = lambda: hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Tanh(), hb.Dense(4, 2, rng=1))  # noqa: E731
C(Re, "L2 penalty == lambd/(2m) sum of W^2, no biases or BatchNorm gamma",
  lambda: (lambda m: (hb.L2(0.7).penalty(m, 5), m))(RM()),
  ok=lambda r: close(r[0], 0.7 / 10 * sum((L.W.value ** 2).sum() for L in (r[1].layers[0], r[1].layers[3])), 1e-12))
C(Re, "L2(include_bias=True) penalty adds the biases and gamma/beta",
  lambda: (lambda m: (m.layers[0].b.value.__setitem__(slice(None), 1.0), hb.L2(0.7, include_bias=True).penalty(m, 5), m)[1:])(RM()),
  ok=lambda r: close(r[0], 0.7 / 10 * sum((p.value ** 2).sum() for p in r[1].parameters()), 1e-12))
C(Re, "L2 add_gradient adds lambd/m W to W only",
  lambda: (lambda m: (m.forward(XL), m.backward(np.ones((5, 2))), g := [p.grad.copy() for p in m.parameters()],
                      hb.L2(0.7).add_gradient(m, 5), (g, m))[-1])(RM()),
  ok=lambda r: all_none(*(close(p.grad - g, 0.7 / 5 * p.value if p.regularize else 0 * p.value, 1e-12)
                          for p, g in zip(r[1].parameters(), r[0]))))
C(Re, "L1 penalty and gradient by hand",
  lambda: (lambda m: (m.forward(XL), m.backward(np.ones((5, 2))), g := m.layers[0].W.grad.copy(),
                      hb.L1(0.3).add_gradient(m, 5), (hb.L1(0.3).penalty(m, 5), g, m))[-1])(RM()),
  ok=lambda r: all_none(close(r[0], 0.3 / 5 * sum(np.abs(L.W.value).sum() for L in (r[2].layers[0], r[2].layers[3])), 1e-12),
                        close(r[2].layers[0].W.grad - r[1], 0.3 / 5 * np.sign(r[2].layers[0].W.value), 1e-12)))
C(Re, "soft_threshold by hand, input unchanged",
  lambda: unchanged_after(lambda: hb.soft_threshold(ST, 0.5), ST),
  ok=lambda r: all_none(not_mutated(r), close(r[0], [-1.5, 0, 0, 0, 0.25, 2.5], 0)))
ST = np.array([-2.0, -0.5, 0.0, 0.3, 0.75, 3.0])

# ===================================================================== training
Tr = "training"


def manual_loop(model, loss, opt, X, y, epochs, reg=None, clip=None):
    Js = []
    for _ in range(epochs):
        J = loss.forward(model.forward(X, training=True), y)
        model.backward(loss.backward(), input_grad=False)
        if reg:
            J += reg.penalty(model, len(X))
            reg.add_gradient(model, len(X))
        if clip:
            O.clip_by_norm(model.parameters(), clip)
        opt.step()
        Js.append(J)
    return Js, [p.value.copy() for p in model.parameters()]


def fit_vs_manual(make_opt, epochs=3, reg=None, clip=None, model=mlp):
    a, b = model(), model()
    h = hb.fit(a, SCEk(), make_opt(a.parameters()), X40, y40, epochs=epochs, batch_size=40, shuffle=False,
               regularizer=reg, clip_norm=clip, rng=0)
    Js, ws = manual_loop(b, SCEk(), make_opt(b.parameters()), X40, y40, epochs, reg, clip)
    return h.train_loss, Js, [p.value for p in a.parameters()], ws


SCEk = hb.SoftmaxCrossEntropy
fvm_ok = lambda r: all_none(close(r[0], r[1], 1e-12), *(close(a, b, 1e-12) for a, b in zip(r[2], r[3])))  # noqa: E731
C(Tr, "fit(SGD, one batch, shuffle=False, 3 epochs) == manual forward/backward/step",
  lambda: fit_vs_manual(lambda p: O.SGD(p, 0.1)), ok=fvm_ok)
C(Tr, "fit(Adam, one batch) == manual loop", lambda: fit_vs_manual(lambda p: O.Adam(p, 0.01)), ok=fvm_ok)
C(Tr, "fit(L2 regularizer) == manual loop with penalty", lambda: fit_vs_manual(lambda p: O.SGD(p, 0.1), reg=hb.L2(0.5)),
  ok=fvm_ok)
C(Tr, "fit(clip_norm=0.05) == manual loop with clip_by_norm",
  lambda: fit_vs_manual(lambda p: O.Momentum(p, 0.1), clip=0.05), ok=fvm_ok)
C(Tr, "fit with BatchNorm and Dropout(1.0) == manual loop",
  lambda: fit_vs_manual(lambda p: O.SGD(p, 0.1), model=lambda: hb.Sequential(
      hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.ReLU(), hb.Dropout(1.0, rng=0), hb.Dense(4, 3, rng=1))), ok=fvm_ok)


def fit_batches():
    m, n = mlp(), mlp()
    h = hb.fit(m, SCEk(), O.SGD(m.parameters(), 0.1), X40, y40, epochs=1, batch_size=16, shuffle=False, rng=0)
    L, opt, Js, accs = SCEk(), O.SGD(n.parameters(), 0.1), [], []
    for i in (0, 16, 32):
        out = n.forward(X40[i:i + 16])
        Js.append(L.forward(out, y40[i:i + 16]))
        accs.append(L.accuracy(out, y40[i:i + 16]))
        n.backward(L.backward(), input_grad=False)
        opt.step()
    return h, np.dot(Js, [16, 16, 8]) / 40, np.dot(accs, [16, 16, 8]) / 40


C(Tr, "fit(SGD, batches 16/16/8): train_loss and train_acc are batch-size-weighted means",
  fit_batches, ok=lambda r: all_none(close(r[0].train_loss[0], r[1], 1e-12), close(r[0].train_acc[0], r[2], 1e-12)))


def bn_drop():
    return hb.Sequential(hb.Dense(3, 6, rng=0), hb.BatchNorm(6), hb.ReLU(), hb.Dropout(0.5, rng=3), hb.Dense(6, 3, rng=1))


def eval_manual():
    m = bn_drop()
    for _ in range(3):
        m.forward(X40 * 2 + 1, training=True)
    out = m.predict(X40)
    L = SCEk()
    return evaluate(m, SCEk(), X40, y40), (L.forward(out, y40), L.accuracy(out, y40))


C(Tr, "evaluate() == manual forward in eval mode (BatchNorm, Dropout)", eval_manual,
  ok=lambda r: close(r[0], r[1], 1e-12))


def dev_matches():
    m = bn_drop()
    Xd, yd = data(20, seed=4)
    h = hb.fit(m, SCEk(), O.Adam(m.parameters(), 0.01), X40, y40, epochs=3, batch_size=8, validation=(Xd, yd), rng=0)
    return h.dev_loss[-1], h.dev_acc[-1], evaluate(m, SCEk(), Xd, yd)


C(Tr, "fit: last dev_loss/dev_acc == evaluate() on the trained model", dev_matches,
  ok=lambda r: close(r[:2], r[2], 1e-12))


def es_best():
    m = bn_drop()
    Xd, yd = data(20, seed=4)
    es = hb.EarlyStopping(patience=2)
    h = hb.fit(m, SCEk(), O.SGD(m.parameters(), 3.0), X40, y40, epochs=30, batch_size=8, validation=(Xd, yd),
               early_stopping=es, rng=0, divergence=None)
    return h, evaluate(m, SCEk(), Xd, yd)[0]


C(Tr, "EarlyStopping restore: evaluate() after fit == the best epoch's dev_loss (weights and BN stats)",
  es_best, ok=lambda r: all_none(close(r[1], min(r[0].dev_loss), 1e-12),
                                 close(r[0].dev_loss[r[0].best_epoch - 1], min(r[0].dev_loss), 0)))
C(Tr, "fit leaves X and y unchanged",
  lambda: unchanged_after(lambda: hb.fit((m := mlp()), SCEk(), O.SGD(m.parameters(), 0.1), XF, yF,
                                         epochs=2, batch_size=7, rng=0), XF, yF), ok=not_mutated)
XF, yF = X40.copy(), y40.copy()


def twice():
    hs = []
    for _ in range(2):
        m = bn_drop()
        hs.append((hb.fit(m, SCEk(), O.Adam(m.parameters(), 0.01), X40, y40, epochs=3, batch_size=8, rng=5).train_loss,
                   m.parameters()[0].value.copy()))
    return hs


C(Tr, "fit with rng=5 twice on fresh equal models: identical histories and weights", twice,
  ok=lambda r: all_none(close(r[0][0], r[1][0], 0), close(r[0][1], r[1][1], 0)))
C(Tr, "fit(schedule=step(0.2, 0.5, 2)): history.lr == schedule(epoch)",
  lambda: (lambda m: hb.fit(m, SCEk(), O.SGD(m.parameters(), 0.1), X40, y40, epochs=5, batch_size=8, rng=0,
                            schedule=S.step(0.2, 0.5, 2)).lr)(mlp()),
  ok=lambda r: close(r, [0.2, 0.2, 0.1, 0.1, 0.05], 1e-15))
C(Tr, "fit float32 with Adam: parameters and optimizer state stay float32",
  lambda: (lambda m, o: (hb.fit(m, SCEk(), o, X40.astype(np.float32), y40, epochs=2, batch_size=8, rng=0), m, o))(
      *(lambda m: (m, O.Adam(m.parameters(), 0.01)))(mlp(dtype=np.float32))),
  ok=lambda r: truth(all(p.value.dtype == np.float32 for p in r[1].parameters()) and
                     all(s.dtype == np.float32 for s in r[2].state_of("v")), "a float64 leaked in"))

# ========================================================================= data
Da = "data"
XI = np.arange(101 * 2, dtype=float).reshape(101, 2)
yI = np.arange(101) % 3
C(Da, "split(101 rows, 0.6/0.2/0.2): every row once, X and y aligned, sizes 61/20/20",
  lambda: D.split(XI, yI, rng=0),
  ok=lambda r: all_none(truth([len(a) for a, _ in r] == [61, 20, 20], str([len(a) for a, _ in r])),
                        truth(sorted(np.concatenate([a[:, 0] for a, _ in r])) == list(XI[:, 0]), "rows lost or repeated"),
                        *(close(b, (a[:, 0] // 2) % 3, 0) for a, b in r)))
C(Da, "split(stratify=True): every class cut alone, every row once",
  lambda: D.split(XI, yI, (0.5, 0.5), stratify=True, rng=1),
  ok=lambda r: all_none(truth(sorted(np.concatenate([a[:, 0] for a, _ in r])) == list(XI[:, 0]), "rows lost"),
                        truth(np.bincount(r[1][1]).tolist() == [17, 17, 16], str(np.bincount(r[1][1])))))
C(Da, "split leaves X and y unchanged", lambda: unchanged_after(lambda: D.split(XI, yI, rng=0), XI, yI), ok=not_mutated)
C(Da, "split with the same seed twice: the same split",
  lambda: (D.split(XI, yI, rng=3), D.split(XI, yI, rng=3)),
  ok=lambda r: all_none(*(close(a[0], b[0], 0) for a, b in zip(*r))))
C(Da, "minibatches(shuffle=True): every row once, aligned; shuffle=False: in order",
  lambda: (list(D.minibatches(XI, yI, 16, rng=0)), list(D.minibatches(XI, yI, 16, shuffle=False))),
  ok=lambda r: all_none(truth(sorted(np.concatenate([a[:, 0] for a, _ in r[0]])) == list(XI[:, 0]), "rows lost"),
                        *(close(b, (a[:, 0] // 2) % 3, 0) for a, b in r[0]),
                        close(np.concatenate([a for a, _ in r[1]]), XI, 0),
                        truth([len(a) for a, _ in r[1]] == [16] * 6 + [5], "sizes")))
C(Da, "split_sizes(m) sums to m for m in 3..300",
  lambda: [(m, sum(D.split_sizes(m))) for m in range(5, 300)], ok=lambda r: truth(all(m == s for m, s in r), "a size lost"))
XT = np.random.default_rng(11).normal(3, 5, size=(50, 3))
XD = np.random.default_rng(12).normal(-1, 2, size=(20, 3))
C(Da, "Standardizer: dev data get the train mu and sigma (hand formula)",
  lambda: D.Standardizer().fit(XT).transform(XD),
  ok=lambda r: close(r, (XD - XT.mean(0)) / (XT.std(0) + 1e-8), 1e-12))
C(Da, "Standardizer: train output has mean 0 and std ~1; inverse_transform round trip",
  lambda: (lambda s: (s.fit_transform(XT), s.inverse_transform(s.transform(XD))))(D.Standardizer()),
  ok=lambda r: all_none(close(r[0].mean(0), np.zeros(3), 1e-12), close(r[0].std(0), np.ones(3), 1e-8), close(r[1], XD, 1e-12)))
C(Da, "Standardizer refit on new data: the new statistics replace the old",
  lambda: D.Standardizer().fit(XT).fit(XD).transform(XD), ok=lambda r: close(r.mean(0), np.zeros(3), 1e-12))
C(Da, "Standardizer float32 input: float32 out, fit leaves X unchanged",
  lambda: unchanged_after(lambda: D.Standardizer().fit_transform(XT32), XT32),
  ok=lambda r: all_none(not_mutated(r), truth(r[0].dtype == np.float32, str(r[0].dtype))))
XT32 = XT.astype(np.float32)
C(Da, "MinMaxScaler((-1, 2)): train in [-1, 2] exactly; dev by the train min/span",
  lambda: (lambda s: (s.fit_transform(XT), s.transform(XD)))(D.MinMaxScaler((-1, 2))),
  ok=lambda r: all_none(close([r[0].min(0), r[0].max(0)], [[-1] * 3, [2] * 3], 1e-12),
                        close(r[1], -1 + (XD - XT.min(0)) / (XT.max(0) - XT.min(0)) * 3, 1e-12)))
C(Da, "MinMaxScaler: a constant feature maps to low, inverse round trip",
  lambda: (lambda s, X: (s.fit_transform(X), s.inverse_transform(s.transform(X))))(
      D.MinMaxScaler(), np.c_[XT[:, 0], np.full(50, 7.0)]),
  ok=lambda r: all_none(close(r[0][:, 1], np.zeros(50), 0), close(r[1][:, 1], np.full(50, 7.0), 1e-12)))
for method in ("pca", "zca"):
    C(Da, f"Whitener({method!r}, eps=0): train covariance == I; dev uses the train mean",
      lambda method=method: (lambda w: (w.fit_transform(XT), w.transform(XD), w))(D.Whitener(method, eps=0)),
      ok=lambda r: all_none(close(np.cov(r[0], rowvar=False, bias=True), np.eye(3), 1e-9),
                            close(r[1], (XD - XT.mean(0)) @ r[2].W, 1e-12)))
C(Da, "Whitener('zca'): W is symmetric (rotates back)", lambda: D.Whitener("zca").fit(XT).W,
  ok=lambda W: close(W, W.T, 1e-12))
C(Da, "one_hot == eye[y]", lambda: D.one_hot(np.array([2, 0, 1, 2]), 4), ok=lambda r: close(r, np.eye(4)[[2, 0, 1, 2]], 0))
IM = np.random.default_rng(0).uniform(size=(3, 16))
C(Da, "flip twice is the identity, input unchanged",
  lambda: unchanged_after(lambda: D.flip(D.flip(IM)), IM), ok=lambda r: all_none(not_mutated(r), close(r[0], IM, 0)))
C(Da, "flip(horizontal) == images[:, :, ::-1] by hand", lambda: D.flip(IM),
  ok=lambda r: close(r, IM.reshape(3, 4, 4)[:, :, ::-1].reshape(3, 16), 0))
C(Da, "shift(1, -1) by hand: right 1, up 1, zero filled",
  lambda: D.shift(IM, 1, -1),
  ok=lambda r: close(r, np.pad(IM.reshape(3, 4, 4)[:, 1:, :3], ((0, 0), (0, 1), (1, 0))).reshape(3, 16), 0))
C(Da, "shift(2, 0) then shift(-2, 0): only the surviving columns come back",
  lambda: D.shift(D.shift(IM, 2, 0), -2, 0),
  ok=lambda r: close(r, np.pad(IM.reshape(3, 4, 4)[:, :, :2], ((0, 0), (0, 0), (0, 2))).reshape(3, 16), 0))

if __name__ == "__main__":
    H.main(CASES)
