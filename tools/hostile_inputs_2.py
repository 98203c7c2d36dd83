"""Hostile-input attack on the handbook package, second round (issue 15).

Run:  .venv/bin/python tools/hostile_inputs_2.py [--verbose] [filter]

The harness (Case, the judging, the two runs per case, the output) is the first
round's, imported from tools/hostile_inputs.py without running its cases. This
round tries what the first did not: methods called in odd orders, objects reused
across models, nested models, dtype mixes (float16, float32 with float64,
big-endian), 0-d and 3-d arrays, views, read-only and non-contiguous arrays,
masked arrays, NumPy scalars, extreme but legal values, repeated calls, and
whether a function changes the caller's arrays in place.

Where the right behaviour is to return, the case checks the result against a hand
computation. A legal call that raises is reported as OBSCURE "not naming who
(a legal call: no error expected)".

Nothing in the repository is modified.
"""

from __future__ import annotations

import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hostile_inputs as H  # noqa: E402  (registers the first round's cases, runs none)
import numpy as np  # noqa: E402
from hostile_inputs import (  # noqa: E402
    BCE,
    IEEE,  # noqa: F401  (kept for symmetry with the first round)
    MSE,
    SCE,
    Case,
    data,
    fit_setup,
    fit_with,
    images,
    mlp,
    nan_check,
)

import handbook as hb  # noqa: E402
from handbook import data as D  # noqa: E402
from handbook import datasets as DS  # noqa: E402
from handbook import diagnose as DG  # noqa: E402
from handbook import init as I  # noqa: E402
from handbook import optim as O  # noqa: E402
from handbook import plot as P  # noqa: E402
from handbook import schedules as S  # noqa: E402
from handbook import tuning as T  # noqa: E402

CASES = []


def C(module, label, fn, who, arg, silent=None, ok=None, bad_msg=None):
    """Register a case of this round (same meaning as the first round's C)."""
    CASES.append(Case(module, label, fn, who, arg, silent, ok, bad_msg))


# who for a legal call: an error there names nothing we expect, so it is reported
NOERR = "(a legal call: no error expected)"
NOARG = "(none)"

# ---------------------------------------------------------------------- helpers


def ro(a):
    """A read-only copy of ``a``."""
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


def same(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return (
        a.shape == b.shape
        and a.dtype == b.dtype
        and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    )


def untouched(call, **arrays):
    """Call ``call(**arrays)``; return (result, names of the arrays it changed)."""
    before = {k: np.array(v, copy=True) for k, v in arrays.items()}
    result = call(**arrays)
    changed = [k for k, v in arrays.items() if not same(v, before[k])]
    return result, changed


def not_mutated(r):
    return None if not r[1] else f"changes the caller's {', '.join(r[1])} in place"


def close(a, b, tol=1e-9):
    """None if a and b agree, else a short reason."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return f"shape {a.shape}, expected {b.shape}"
    if not np.allclose(a, b, atol=tol, rtol=tol):
        return f"max difference {np.max(np.abs(a - b)):.3g}"
    return None


def grad_ok(limit=1e-5):
    return lambda r: None if r.relative_error < limit else (
        f"relative error {r.relative_error:.2g}: '{r.verdict[:50]}...'"
    )


def params_of(model):
    return [p.value.copy() for p in model.parameters()]


def backprop(model, X, y, loss=None):
    loss = loss or SCE()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    return model


X40, y40 = data()
X8, y8 = data(8)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    X8_matrix = np.matrix(X8)
    z2_matrix = np.matrix(np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]))


class ArrayLike:
    """A pandas-like duck type: not an ndarray, but with __array__ and __len__."""

    def __init__(self, a):
        self.a = np.asarray(a)

    def __array__(self, dtype=None, copy=None):
        return self.a if dtype is None else self.a.astype(dtype)

    def __len__(self):
        return len(self.a)
Xg, yg = data(6)
rng0 = lambda: np.random.default_rng(0)  # noqa: E731

# ======================================================================= layers
L = "layers"
C(L, "model[0:2] a slice, then .forward",
  lambda: mlp()[0:2].forward(np.ones((2, 3))), "Sequential", ("index", "slice"),
  ok=lambda r: None if np.shape(r) == (2, 4) else f"shape {np.shape(r)}")
C(L, "model[3] past the last of 3 layers", lambda: mlp()[3], "Sequential", ("index", "layer"))
C(L, "model['0'] a string index", lambda: mlp()["0"], "Sequential", ("index", "layer"))
C(L, "model[-1] the last layer", lambda: mlp()[-1], NOERR, NOARG,
  ok=lambda r: None if isinstance(r, hb.Dense) and r.n_out == 3 else repr(r))
C(L, "model[np.int64(1)] a NumPy index", lambda: mlp()[np.int64(1)], NOERR, NOARG,
  ok=lambda r: None if isinstance(r, hb.ReLU) else repr(r))
C(L, "hb.Layer().forward(x) the base class", lambda: hb.Layer().forward(np.ones((2, 3))), "Layer",
  "forward")


def nested_shared_dense():
    d = hb.Dense(3, 3, rng=0)
    model = hb.Sequential(d, hb.Sequential(hb.Tanh(), d))  # the same d, one level down
    return hb.gradient_check(model, SCE(), X8, y8)


C(L, "Sequential(d, Sequential(Tanh(), d)) one Dense also inside an inner model",
  nested_shared_dense, "Sequential", "layers", ok=grad_ok())


def nested_plain():
    inner = hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh())
    return hb.gradient_check(hb.Sequential(inner, hb.Dense(4, 3, rng=1)), SCE(), X8, y8)


C(L, "Sequential(Sequential(Dense, Tanh), Dense) nested, gradient_check",
  nested_plain, NOERR, NOARG, ok=grad_ok(1e-6))
C(L, "Dense(3,2).forward(3-D x (2, 4, 3))", lambda: hb.Dense(3, 2).forward(np.ones((2, 4, 3))),
  "Dense", "x")
C(L, "Dense(3,2).forward(0-d x)", lambda: hb.Dense(3, 2).forward(np.float64(1.0)), "Dense", "x")


def dense_layouts():
    d = hb.Dense(3, 2, rng=0)
    view = (np.arange(30.0).reshape(5, 6) / 10)[:, ::2]  # a strided view
    ref = np.ascontiguousarray(view) @ d.W.value + d.b.value
    outs = [d.forward(view), d.forward(np.asfortranarray(view)), d.forward(ro(view))]
    return [close(o, ref) for o in outs]


C(L, "Dense.forward(strided view / Fortran order / read-only x)", dense_layouts, NOERR, NOARG,
  ok=lambda r: None if r == [None] * 3 else f"view/Fortran/read-only: {r}")
C(L, "Dense.forward(np.matrix) an ndarray subclass",
  lambda: (lambda d: (d.forward(X8_matrix), X8 @ d.W.value))(hb.Dense(3, 2, rng=0)), NOERR, NOARG,
  ok=lambda r: None if type(r[0]) is np.ndarray and close(r[0], r[1]) is None else
  f"returns {type(r[0]).__name__}")
C(L, "Dense.forward(big-endian float64 x, as read from a file)",
  lambda: (lambda d: (d.forward(X8.astype(">f8")), X8 @ d.W.value))(hb.Dense(3, 2, rng=0)),
  NOERR, NOARG, ok=lambda r: close(r[0], r[1]))
C(L, "Dense(3,2).astype(np.dtype('>f8')) then forward(native float64)",
  lambda: hb.Dense(3, 2, rng=0).astype(np.dtype(">f8")).forward(X8), "Dense", ("x", "dtype"),
  ok=lambda r: None if r.dtype == np.float64 and r.dtype.isnative else f"dtype {r.dtype}",
  bad_msg=lambda m: "says 'x must be >f8 ... got float64' and suggests the non-code 'np.>f8'"
  if "np.>f8" in m else None)


def dense_backward_hand():
    d = hb.Dense(3, 2, rng=0)
    x = np.arange(6.0).reshape(2, 3)
    dz = np.array([[1.0, -1.0], [0.5, 2.0]])
    d.forward(x)
    d.backward(dz)
    dx = d.backward(dz)  # twice: gradients are set, not accumulated
    return [close(d.W.grad, x.T @ dz), close(d.b.grad, dz.sum(0)), close(dx, dz @ d.W.value.T)]


C(L, "Dense.backward twice after one forward: dW = X^T dZ (not doubled), db, dX",
  dense_backward_hand, NOERR, NOARG, ok=lambda r: None if r == [None] * 3 else f"dW/db/dX: {r}")


def dense_backward_f32_dy():
    d = hb.Dense(3, 2, rng=0)
    d.forward(X8)
    dz = np.ones((8, 2), np.float32)
    d.backward(dz)
    return d.W.grad.dtype, close(d.W.grad, X8.T @ dz.astype(float), 1e-6)


C(L, "Dense(float64).backward(float32 dy)", dense_backward_f32_dy, NOERR, NOARG,
  ok=lambda r: None if r == (np.float64, None) else f"grad {r}")


def dense_f32_backward_f64_dy():
    d = hb.Dense(3, 2, rng=0, dtype=np.float32)
    x = X8.astype(np.float32)
    d.forward(x)
    d.backward(np.ones((8, 2)))
    return d.W.grad.dtype, close(d.W.grad, x.T.astype(float) @ np.ones((8, 2)), 1e-5)


C(L, "Dense(float32).backward(float64 dy)", dense_f32_backward_f64_dy, NOERR, NOARG,
  ok=lambda r: None if r == (np.float32, None) else f"grad {r}")


def astype_round_trip():
    m = mlp()
    W = m[0].W.value.copy()
    m.astype(np.float32).astype(np.float64)
    out = m.forward(np.ones((2, 3)))
    return m[0].W.value, W, out


C(L, "model.astype(float32).astype(float64) round trip, then forward(float64)",
  astype_round_trip, NOERR, NOARG,
  ok=lambda r: None if r[0].dtype == np.float64 and np.array_equal(r[0], r[1].astype(np.float32))
  and r[2].shape == (2, 3) else "weights not the float32-rounded originals")
C(L, "model.astype('float32') a dtype name",
  lambda: mlp().astype("float32").parameters()[0].value.dtype, NOERR, NOARG,
  ok=lambda r: None if r == np.float32 else str(r))


def bn_astype_tiny_eps():
    bn = hb.BatchNorm(2, eps=1e-8).astype(np.float16)  # eps checked for float64 only
    return bn.forward(np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]], np.float16))


C(L, "BatchNorm(2, eps=1e-8).astype(float16) then a constant feature (eps is 0 in float16)",
  bn_astype_tiny_eps, "BatchNorm", ("eps", "dtype"), ok=nan_check)
C(L, "Dropout(1e-10).forward(float16 x): keep_prob is 0 in float16",
  lambda: hb.Dropout(1e-10, rng=0).forward(np.ones((2, 3), np.float16)), "Dropout", "keep_prob",
  ok=nan_check)
C(L, "Sequential(Dense, Dropout(0.5)).forward(x, training='no') a truthy string",
  lambda: hb.Sequential(hb.Dense(3, 4, rng=0), hb.Dropout(0.5, rng=0)).forward(X8, training="no"),
  ("Sequential", "Dropout", "Dense"), "training",
  silent="training='no' runs in training mode: units are dropped, BatchNorm would update")
C(L, "Dropout(0.5, rng=0) twice: same masks (seeded)",
  lambda: [hb.Dropout(0.5, rng=0).forward(np.ones((4, 5))) for _ in range(2)], NOERR, NOARG,
  ok=lambda r: close(r[0], r[1]))
C(L, "Dropout(0.5) keeps the expected value (inverted dropout)",
  lambda: hb.Dropout(0.5, rng=0).forward(np.ones((200, 100))).mean(), NOERR, NOARG,
  ok=lambda r: None if abs(r - 1) < 0.02 else f"mean {r:.3f}, expected 1")


def dropout_forward_eval_backward():
    d = hb.Dropout(0.5, rng=0)
    out = d.forward(np.ones((4, 3)))  # training
    d.forward(np.ones((4, 3)), training=False)  # an evaluation in between
    return close(d.backward(np.ones((4, 3))), out)


C(L, "Dropout: training forward, eval forward, backward uses the training mask",
  dropout_forward_eval_backward, NOERR, NOARG, ok=lambda r: r)
C(L, "Dropout(np.float32(0.5)).forward(float64 x)",
  lambda: hb.Dropout(np.float32(0.5), rng=0).forward(np.ones((4, 3))), NOERR, NOARG,
  ok=lambda r: None if r.dtype == np.float64 and set(np.unique(r)) <= {0.0, 2.0} else str(r))
C(L, "Dense(np.int64(3), np.int32(2)) NumPy integers",
  lambda: hb.Dense(np.int64(3), np.int32(2), rng=0).forward(np.ones((2, 3))), NOERR, NOARG,
  ok=lambda r: None if r.shape == (2, 2) else str(r.shape))
C(L, "ReLU on 3-D input, backward",
  lambda: (lambda a: (a.forward(np.array([[[-1.0, 2.0]], [[3.0, -4.0]]])),
                      a.backward(np.ones((2, 1, 2))))[1])(hb.ReLU()), NOERR, NOARG,
  ok=lambda r: close(r, [[[0, 1]], [[1, 0]]]))
C(L, "Sigmoid(float32) stays float32",
  lambda: hb.Sigmoid().forward(np.array([[-50.0, 0.0, 50.0]], np.float32)), NOERR, NOARG,
  ok=lambda r: None if r.dtype == np.float32 and close(r, [[0, 0.5, 1]], 1e-6) is None else str(r))
C(L, "Sigmoid.forward(0-d z)", lambda: hb.Sigmoid().forward(np.float64(0.0)), NOERR, NOARG,
  ok=lambda r: close(r, 0.5))
C(L, "BatchNorm eval before any training forward (running mean 0, var 1)",
  lambda: hb.BatchNorm(3).forward(X8, training=False), NOERR, NOARG,
  ok=lambda r: close(r, X8 / np.sqrt(1 + 1e-5)))


def bn_momentum_zero():
    bn = hb.BatchNorm(3, momentum=0)
    bn.forward(X8)
    return bn.running_mean, bn.running_var


C(L, "BatchNorm(momentum=0): running stats = the last batch's", bn_momentum_zero, NOERR, NOARG,
  ok=lambda r: close(r[0], X8.mean(0)) or close(r[1], X8.var(0)))
C(L, "BatchNorm(2).forward(finite x ~1e200): the variance overflows",
  lambda: (lambda b: (b.forward(np.array([[1e200, 1.0], [-1e200, 2.0]])), b.running_var))(hb.BatchNorm(2)),
  "BatchNorm", "x",
  ok=lambda r: nan_check(r[1]) and f"running_var {r[1].tolist()} (x finite, its variance overflowed)")
C(L, "BatchNorm(3).forward(bool x) converted",
  lambda: hb.BatchNorm(3).forward(np.array([[True, False, True], [False, False, True]])), NOERR, NOARG,
  ok=lambda r: None if r.dtype == np.float64 else str(r.dtype))
C(L, "Maxout gradient_check",
  lambda: hb.gradient_check(hb.Sequential(hb.Maxout(3, 4, pieces=3, rng=0), hb.Dense(4, 3, rng=1)),
                            SCE(), X8, y8), NOERR, NOARG, ok=grad_ok())
C(L, "LeakyReLU + Sigmoid gradient_check",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4, rng=0), hb.LeakyReLU(0.1), hb.Dense(4, 4, rng=1),
                                          hb.Sigmoid(), hb.Dense(4, 3, rng=2)), SCE(), X8, y8),
  NOERR, NOARG, ok=grad_ok())


def forward_backward_mutation():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dropout(0.5, rng=0),
                          hb.Tanh(), hb.Dense(4, 3, rng=1))
    return untouched(lambda X, y: backprop(model, X, y), X=X8.copy(), y=y8.copy())


C(L, "Sequential forward/backward (BatchNorm, Dropout) leaves X, y unchanged",
  forward_backward_mutation, NOERR, NOARG, ok=not_mutated)


def init_array_not_aliased():
    W0 = np.ones((3, 3))
    model = hb.Sequential(hb.Dense(3, 3, init=lambda s, r: W0))
    fit_with(model=model, epochs=1)
    return W0


C(L, "Dense(init=lambda s, r: W0) then fit: the caller's W0 untouched", init_array_not_aliased,
  NOERR, NOARG, ok=lambda r: None if np.all(r == 1) else "W0 was trained in place")
C(L, "Dense(init=lambda s, r: a list of lists)",
  lambda: hb.Dense(3, 2, init=lambda s, r: [[1, 2], [3, 4], [5, 6]]).W.value, NOERR, NOARG,
  ok=lambda r: close(r, [[1, 2], [3, 4], [5, 6]]))
C(L, "Parameter(int array) becomes float64", lambda: hb.Parameter(np.array([1, 2])).value, NOERR, NOARG,
  ok=lambda r: None if r.dtype == np.float64 else str(r.dtype))


def readonly_param_step():
    p = hb.Parameter(np.broadcast_to(0.0, (3,)))  # a read-only view, as np.broadcast_to gives
    p.grad = np.ones(3)
    O.SGD([p], 0.1).step()
    return p.value


C(L, "Parameter(read-only array) then SGD.step", readonly_param_step, ("Parameter", "SGD"), "value",
  ok=lambda r: None if np.allclose(r, -0.1) else f"value {r}")  # a writable copy

# ======================================================================= losses
M = "losses"
z1 = np.array([[1.0, 2.0, 3.0]])


def log_softmax_ref(z):
    z = np.asarray(z, float)
    return z - np.log(np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True)) - z.max(-1, keepdims=True)


C(M, "SCE.forward([[1,2,3]], [2]) hand value", lambda: SCE().forward(z1, np.array([2])), NOERR, NOARG,
  ok=lambda r: close(r, np.log(1 + np.exp(-1) + np.exp(-2))))
C(M, "SCE(0.1).forward([[1,2,3]], [2]) smoothed targets (.05, .05, .9)",
  lambda: SCE(0.1).forward(z1, np.array([2])), NOERR, NOARG,
  ok=lambda r: close(r, -(np.array([0.05, 0.05, 0.9]) * log_softmax_ref(z1)).sum()))


def sce_backward_hand():
    loss = SCE()
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    loss.forward(z, np.array([2, 0]))
    p = np.exp(log_softmax_ref(z))
    return close(loss.backward(), (p - np.eye(3)[[2, 0]]) / 2)


C(M, "SCE.backward = (softmax - onehot) / m", sce_backward_hand, NOERR, NOARG, ok=lambda r: r)


def sce_f32():
    loss = SCE()
    J = loss.forward(z1.astype(np.float32), np.array([2]))
    return J, loss.backward().dtype


C(M, "SCE.forward(float32 logits): backward stays float32", sce_f32, NOERR, NOARG,
  ok=lambda r: None if r[1] == np.float32 and close(r[0], 0.40761, 1e-4) is None else str(r))
C(M, "SCE.forward(float16 logits in the hundreds)",
  lambda: SCE().forward(np.array([[300.0, 0.0, -300.0]], np.float16), np.array([0])), NOERR, NOARG,
  ok=lambda r: None if np.isfinite(r) and r < 1e-3 else f"{r}")
C(M, "SCE.forward(z, integer one-hot rows) = integer labels",
  lambda: (SCE().forward(z1.repeat(2, 0), np.eye(3, dtype=int)[[2, 0]]),
           SCE().forward(z1.repeat(2, 0), np.array([2, 0]))), NOERR, NOARG,
  ok=lambda r: close(r[0], r[1]))
C(M, "SCE.forward(z, uint8 labels)", lambda: SCE().forward(z1, np.array([2], np.uint8)), NOERR, NOARG,
  ok=lambda r: close(r, 0.40761, 1e-4))
C(M, "SCE.forward(np.matrix logits, labels)",
  lambda: (SCE().forward(z2_matrix, np.array([2, 0])),
           SCE().forward(z1.repeat(2, 0), np.array([2, 0]))), NOERR, NOARG, ok=lambda r: close(r[0], r[1]))
C(M, "SCE.forward(3-D logits)", lambda: SCE().forward(np.ones((2, 2, 3)), np.array([0, 1])),
  "SoftmaxCrossEntropy", "logits")
C(M, "SCE.forward(read-only strided logits, read-only labels)",
  lambda: SCE().forward(ro(np.hstack([z1, z1]))[:, ::2], ro(np.array([1]))), NOERR, NOARG,
  ok=lambda r: close(r, -log_softmax_ref([[1.0, 3.0, 2.0]])[0, 1]))
C(M, "SCE().accuracy(NaN logits, y)",
  lambda: SCE().accuracy(np.full((3, 3), np.nan), np.array([0, 1, 2])),
  ("accuracy", "SoftmaxCrossEntropy"), ("logits", "z"),
  ok=lambda r: None if np.isnan(r) else f"accuracy {r:.3f} from all-NaN logits (argmax of NaN is 0)")
C(M, "SCE.forward leaves the caller's logits and soft labels unchanged",
  lambda: untouched(lambda z, t: SCE(0.1).forward(z, t), z=z1.repeat(2, 0),
                    t=np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])), NOERR, NOARG, ok=not_mutated)
zb2 = np.array([0.5, -1.0])
yb2 = np.array([1.0, 0.0])


def bce_ref(z, y):
    s = 1 / (1 + np.exp(-z))
    return np.mean(-y * np.log(s) - (1 - y) * np.log(1 - s))


C(M, "BCE.forward(1-D z, 1-D y) hand value", lambda: BCE().forward(zb2, yb2), NOERR, NOARG,
  ok=lambda r: close(r, bce_ref(zb2, yb2)))
C(M, "BCE.backward = (sigmoid - y) / n",
  lambda: (lambda b: (b.forward(zb2[:, None], yb2), b.backward())[1])(BCE()), NOERR, NOARG,
  ok=lambda r: close(r, ((1 / (1 + np.exp(-zb2)) - yb2) / 2)[:, None]))
C(M, "BCE.forward(z = +-1e300) no overflow",
  lambda: BCE().forward(np.array([[1e300], [-1e300]]), np.array([1, 0])), NOERR, NOARG,
  ok=lambda r: close(r, 0.0))
C(M, "BCE.forward(float32 z, bool y)",
  lambda: BCE().forward(zb2.astype(np.float32), np.array([True, False])), NOERR, NOARG,
  ok=lambda r: close(r, bce_ref(zb2, yb2), 1e-6))
C(M, "MSE.forward(float16 output, float64 targets 1e5) targets overflow float16",
  lambda: MSE().forward(np.ones((2, 1), np.float16), np.array([1e5, 1.0])), "MeanSquaredError", "y",
  ok=nan_check)
C(M, "MSE.forward(float32 output, targets 1e39)",
  lambda: MSE().forward(np.ones((2, 1), np.float32), np.array([1e39, 1.0])), "MeanSquaredError", "y",
  ok=nan_check)
C(M, "MSE.forward(out (4,2), int y) hand value",
  lambda: MSE().forward(np.ones((4, 2)), np.zeros((4, 2), int)), NOERR, NOARG, ok=lambda r: close(r, 1.0))
C(M, "MSE.forward(1-D out, 1-D y)", lambda: MSE().forward(np.array([1.0, 3.0]), np.array([0.0, 1.0])),
  NOERR, NOARG, ok=lambda r: close(r, 0.5 * (1 + 4) / 2))
C(M, "MSE.forward(3-D out, 3-D y): sum over a row, mean over the batch",
  lambda: MSE().forward(np.ones((2, 2, 2)), np.zeros((2, 2, 2))), NOERR, NOARG, ok=lambda r: close(r, 2.0))
C(M, "MSE.forward(bool out, bool y)",
  lambda: MSE().forward(np.array([[True], [False]]), np.array([False, False])), NOERR, NOARG,
  ok=lambda r: close(r, 0.25))
C(M, "hb.softmax(3-D) rows sum to 1 along the last axis",
  lambda: hb.softmax(np.random.default_rng(0).normal(size=(2, 3, 4))), NOERR, NOARG,
  ok=lambda r: close(r.sum(-1), np.ones((2, 3))))
C(M, "hb.softmax(float16 logits 1e4)", lambda: hb.softmax(np.array([[1e4, 0.0]], np.float16)),
  NOERR, NOARG, ok=lambda r: close(r, [[1, 0]], 1e-3))
C(M, "hb.log_softmax([[1000, 0]])", lambda: hb.log_softmax([[1000.0, 0.0]]), NOERR, NOARG,
  ok=lambda r: close(r, [[0, -1000]]))
C(M, "hb.softmax(0-d 3.0)", lambda: hb.softmax(np.float64(3.0)), "softmax", "z",
  bad_msg=lambda m: "names log_softmax, not the softmax that was called"
  if m.startswith("log_softmax") else None)
C(M, "hb.softmax leaves the caller's array unchanged",
  lambda: untouched(lambda z: hb.softmax(z), z=z1.copy()), NOERR, NOARG, ok=not_mutated)
C(M, "kl_divergence(p, q, check='no') a truthy string",
  lambda: hb.kl_divergence([2.0, 2.0], [1.0, 1.0], check="no"), "kl_divergence", "check")
C(M, "kl_divergence of rows (2-D) hand value",
  lambda: hb.kl_divergence([[0.5, 0.5], [1.0, 0.0]], [[0.25, 0.75], [0.5, 0.5]]), NOERR, NOARG,
  ok=lambda r: close(r, [0.5 * np.log(2) + 0.5 * np.log(2 / 3), np.log(2)]))
C(M, "kl_divergence(p, p) = 0", lambda: hb.kl_divergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), NOERR, NOARG,
  ok=lambda r: close(r, 0.0))
C(M, "kl_divergence(bool p, bool q)", lambda: hb.kl_divergence(np.array([True, False]), np.array([True, False])),
  NOERR, NOARG, ok=lambda r: close(r, 0.0))
C(M, "kl_divergence(0-d p, 0-d q)", lambda: hb.kl_divergence(np.float64(1.0), np.float64(1.0)),
  "kl_divergence", ("p", "q"))

# ============================================================== regularization
R = "regularization"


def known_model():
    d = hb.Dense(2, 2, init=lambda s, r: np.array([[1.0, -2.0], [3.0, 0.5]]))
    d.b.value[...] = [1.0, -1.0]
    return hb.Sequential(d)


C(R, "L2(0.1).penalty hand value (biases excluded)", lambda: hb.L2(0.1).penalty(known_model(), 5),
  NOERR, NOARG, ok=lambda r: close(r, 0.1 / 10 * (1 + 4 + 9 + 0.25)))
C(R, "L1(0.1).penalty hand value", lambda: hb.L1(0.1).penalty(known_model(), 5), NOERR, NOARG,
  ok=lambda r: close(r, 0.1 / 5 * (1 + 2 + 3 + 0.5)))
C(R, "L2(0.1, include_bias=True).penalty includes the biases",
  lambda: hb.L2(0.1, include_bias=True).penalty(known_model(), 5), NOERR, NOARG,
  ok=lambda r: close(r, 0.1 / 10 * (1 + 4 + 9 + 0.25 + 1 + 1)))


def l2_add_gradient_hand():
    m = known_model()
    backprop(m, np.ones((2, 2)), np.array([0, 1]))
    g = m[0].W.grad.copy()
    b = m[0].b.grad.copy()
    hb.L2(0.1).add_gradient(m, 5)
    return close(m[0].W.grad, g + 0.1 / 5 * m[0].W.value) or close(m[0].b.grad, b)


C(R, "L2.add_gradient: dW += lambd/m W, db unchanged", l2_add_gradient_hand, NOERR, NOARG, ok=lambda r: r)
C(R, "L2(0.1).penalty(list of Parameters, np.int64(5))",
  lambda: hb.L2(0.1).penalty(known_model().parameters(), np.int64(5)), NOERR, NOARG,
  ok=lambda r: close(r, 0.1 / 10 * 14.25))
C(R, "L2(np.array(0.1)) a 0-d array", lambda: hb.L2(np.array(0.1)).lambd, "L2", "lambd",
  ok=lambda r: close(r, 0.1))
C(R, "soft_threshold(0-d w)", lambda: hb.soft_threshold(np.float64(-0.5), 0.2), NOERR, NOARG,
  ok=lambda r: close(r, -0.3))
C(R, "soft_threshold(float32 w) keeps float32",
  lambda: hb.soft_threshold(np.array([0.5, -0.05], np.float32), 0.1), NOERR, NOARG,
  ok=lambda r: None if r.dtype == np.float32 and close(r, [0.4, 0], 1e-6) is None else str(r))
C(R, "soft_threshold leaves w unchanged",
  lambda: untouched(lambda w: hb.soft_threshold(w, 0.1), w=np.array([0.5, -0.05])), NOERR, NOARG,
  ok=not_mutated)
C(R, "L2(0.1, include_bias='no')", lambda: hb.L2(0.1, include_bias="no"), "L2", "include_bias")
C(R, "fit(regularizer=L1(0)) = no regularizer",
  lambda: (fit_with(regularizer=hb.L1(0.0)).train_loss, fit_with().train_loss), NOERR, NOARG,
  ok=lambda r: close(r[0], r[1]))

# ======================================================================== optim
Op = "optim"


def one_param(value, grad):
    p = hb.Parameter(np.array(value, float))
    p.grad = np.array(grad, float)
    return p


def sgd_hand():
    p = one_param([1.0, 2.0], [0.5, -1.0])
    O.SGD([p], 0.1).step()
    return close(p.value, [0.95, 2.1])


C(Op, "SGD.step: w - lr g", sgd_hand, NOERR, NOARG, ok=lambda r: r)


def momentum_hand():
    p = one_param([0.0], [1.0])
    opt = O.Momentum([p], 0.1, beta=0.9)
    opt.step()
    opt.step()  # v1 = 0.1, v2 = 0.19: w = -0.01 - 0.019
    return close(p.value, [-0.029])


C(Op, "Momentum two steps hand value", momentum_hand, NOERR, NOARG, ok=lambda r: r)


def adam_first_step():
    p = one_param([0.0, 0.0], [1e-3, -50.0])
    O.Adam([p], 0.01).step()
    return close(p.value, [-0.01, 0.01], 1e-6)


C(Op, "Adam first step is lr * sign(g)", adam_first_step, NOERR, NOARG, ok=lambda r: r)


def adamw_decay():
    p = one_param([2.0], [0.0])
    O.AdamW([p], lr=0.1, weight_decay=0.5).step()  # zero gradient: only the decay
    return close(p.value, [2.0 * (1 - 0.05)])


C(Op, "AdamW with a zero gradient: only the decay", adamw_decay, NOERR, NOARG, ok=lambda r: r)


def big_params_step(opt_class, layout):
    """Two parameters large enough for the sliced, threaded update."""
    rng = np.random.default_rng(0)
    ps, refs = [], []
    for _ in range(2):
        base = rng.normal(size=(512, 1024))
        value = base[:, ::2] if layout == "strided value" else base[:, :512].copy()
        g = rng.normal(size=(512, 512))
        if layout == "Fortran grad":
            g = np.asfortranarray(g)
        p = hb.Parameter(value)
        p.grad = g
        ps.append(p)
        refs.append((value.copy(), g.copy()))
    opt = opt_class(ps, 0.01)
    opt.step()
    out = []
    for p, (w, g) in zip(ps, refs):
        if opt_class is O.SGD:
            expected = w - 0.01 * g
        else:  # Adam's first step: lr * g / (|g| + eps)
            expected = w - 0.01 * g / (np.abs(g) + 1e-8)
        out.append(close(p.value, expected, 1e-7))
    return out


for _cls in (O.SGD, O.Adam):
    for _layout in ("contiguous", "strided value", "Fortran grad"):
        C(Op, f"{_cls.__name__}.step on two 512x512 parameters ({_layout}): sliced/threaded update",
          (lambda c=_cls, lay=_layout: big_params_step(c, lay)), NOERR, NOARG,
          ok=lambda r: None if r == [None, None] else f"{r}")


def grad_readonly_step():
    p = one_param([1.0, 2.0], [0.0, 0.0])
    p.grad = np.broadcast_to(1.0, (2,))
    O.Adam([p], 0.1).step()
    return close(p.value, [0.9, 1.9], 1e-6)


C(Op, "Adam.step with a read-only (broadcast) gradient", grad_readonly_step, NOERR, NOARG, ok=lambda r: r)


def clip_generator(fn):
    model = backprop(mlp(), X8 * 10, y8)
    before = O.global_norm(model.parameters())
    fn((p for p in model.parameters()), 1e-3)
    return before, O.global_norm(model.parameters())


C(Op, "clip_by_norm(a generator of parameters, 1e-3)", lambda: clip_generator(O.clip_by_norm),
  "clip_by_norm", "params",
  ok=lambda r: None if r[1] <= 1e-3 * (1 + 1e-9) else
  f"norm still {r[1]:.3g} (was {r[0]:.3g}): the generator was used up by the check, nothing clipped")
C(Op, "clip_by_value(a generator of parameters, 1e-3)", lambda: clip_generator(O.clip_by_value),
  "clip_by_value", "params",
  ok=lambda r: None if r[1] < r[0] else f"norm unchanged at {r[1]:.3g}: nothing clipped")


def clip_by_norm_hand():
    p = one_param([0.0, 0.0], [3.0, 4.0])
    norm = O.clip_by_norm([p], 1.0)
    return norm, p.grad


C(Op, "clip_by_norm([p], 1): returns 5, grad (0.6, 0.8)", clip_by_norm_hand, NOERR, NOARG,
  ok=lambda r: close(r[0], 5.0) or close(r[1], [0.6, 0.8]))


def clip_by_value_hand():
    p = one_param([0.0, 0.0, 0.0], [3.0, -4.0, 0.5])
    return O.clip_by_value([p], 1.0), p.grad


C(Op, "clip_by_value([p], 1): returns the norm before, clips entries", clip_by_value_hand, NOERR, NOARG,
  ok=lambda r: close(r[0], np.sqrt(25.25)) or close(r[1], [1, -1, 0.5]))
C(Op, "ewma(values, beta=0) = the values", lambda: O.ewma([1.0, 5.0, 2.0], 0), NOERR, NOARG,
  ok=lambda r: close(r, [1, 5, 2]))
C(Op, "ewma(constant, bias_correction=True) = the constant",
  lambda: O.ewma([2.0, 2.0, 2.0], 0.9, bias_correction=True), NOERR, NOARG, ok=lambda r: close(r, [2, 2, 2]))
C(Op, "ewma(values, 0.9, bias_correction='no') a truthy string",
  lambda: O.ewma([2.0, 2.0, 2.0], 0.9, bias_correction="no"), "ewma", "bias_correction",
  silent="bias_correction='no' applies the correction")
C(Op, "ewma([]) no values", lambda: O.ewma([], 0.9), NOERR, NOARG,
  ok=lambda r: None if len(r) == 0 else str(r))
C(Op, "ewma leaves values unchanged",
  lambda: untouched(lambda v: O.ewma(v, 0.5), v=np.array([1.0, 2.0])), NOERR, NOARG, ok=not_mutated)
C(Op, "SGD(tuple(params), np.float32(0.1)) a tuple and a NumPy rate",
  lambda: fit_with(optimizer=lambda a: O.SGD(tuple(a["model"].parameters()), np.float32(0.1))),
  NOERR, NOARG, ok=lambda h: nan_check(h.train_loss))


def adam_continues():
    model, loss, _, X, y = fit_setup()
    opt = O.Adam(model.parameters(), 0.01)
    hb.fit(model, loss, opt, X, y, epochs=2, batch_size=8, rng=0)
    return opt.t


C(Op, "Adam.t after fit(40 rows, batch 8, 2 epochs) = 10 steps", adam_continues, NOERR, NOARG,
  ok=lambda r: None if r == 10 else f"t = {r}")

# ==================================================================== schedules
Sc = "schedules"
C(Sc, "step(0.1)(0) epoch 0", lambda: S.step(0.1)(0), NOERR, NOARG, ok=lambda r: close(r, 0.1))
C(Sc, "cosine(0.1, 10) at 0, 5, 10, 10**6",
  lambda: [S.cosine(0.1, 10)(t) for t in (0, 5, 10, 10**6)], NOERR, NOARG,
  ok=lambda r: close(r, [0.1, 0.05, 0, 0]))
C(Sc, "warmup(step(0.1), 5) at 0, 1, 5, 10",
  lambda: [S.warmup(S.step(0.1), 5)(t) for t in (0, 1, 5, 10)], NOERR, NOARG,
  ok=lambda r: close(r, [0, 0.02, 0.1, 0.1]))
C(Sc, "warmup(np.float32(0.1), 4) a NumPy constant",
  lambda: [S.warmup(np.float32(0.1), 4)(t) for t in (2, 8)], NOERR, NOARG,
  ok=lambda r: close(r, [0.05, 0.1], 1e-7))
C(Sc, "exponential(0.1)(10**6) underflows to 0", lambda: S.exponential(0.1)(10**6), NOERR, NOARG,
  ok=lambda r: close(r, 0.0))
C(Sc, "exponential(0.1)(10**400) a huge whole t", lambda: S.exponential(0.1)(10**400), "exponential",
  ("t", "epoch"))
C(Sc, "inverse_sqrt(0.1)(10**400)", lambda: S.inverse_sqrt(0.1)(10**400), "inverse_sqrt", ("t", "epoch"))
C(Sc, "linear(0.1, 0.01, 10)(10**400)", lambda: S.linear(0.1, 0.01, 10)(10**400), "linear", ("t", "epoch"))
C(Sc, "step(0.1, every=1)(np.int64(3))", lambda: S.step(0.1, every=1)(np.int64(3)), NOERR, NOARG,
  ok=lambda r: close(r, 0.025))
C(Sc, "step(0.1)(2.5) a fractional step", lambda: S.step(0.1)(2.5), NOERR, NOARG, ok=lambda r: close(r, 0.1))
C(Sc, "inverse_time(0.2, 1) at 1..4 (the docstring's numbers)",
  lambda: [S.inverse_time(0.2, 1)(t) for t in range(1, 5)], NOERR, NOARG,
  ok=lambda r: close(r, [0.1, 0.2 / 3, 0.05, 0.04]))
C(Sc, "Schedule(lambda t: nan, 'my_schedule')(1)",
  lambda: S.Schedule(lambda t: float("nan"), "my_schedule")(1), ("Schedule", "my_schedule"), "formula",
  ok=nan_check)
C(Sc, "Schedule(lambda t: -0.1, 'my_schedule')(1) a negative rate",
  lambda: S.Schedule(lambda t: -0.1, "my_schedule")(1), ("Schedule", "my_schedule"), "formula",
  ok=lambda r: None if r >= 0 else f"returns the learning rate {r}")
C(Sc, "warmup(lambda t: nan from t=3, 5)(4)",
  lambda: S.warmup(lambda t: 0.1 if t < 3 else float("nan"), 5)(4), "warmup", "schedule", ok=nan_check)
C(Sc, "Schedule('0.1', 'x') a string formula", lambda: S.Schedule("0.1", "x"), "Schedule", "formula")
C(Sc, "Schedule(lambda t: np.float32(0.1), 'c')(1) is a float",
  lambda: S.Schedule(lambda t: np.float32(0.1), "c")(1), NOERR, NOARG,
  ok=lambda r: None if type(r) is float else type(r).__name__)
C(Sc, "fit(schedule=cosine(0.1, 3), epochs=5): rates 0 after epoch 3 recorded",
  lambda: fit_with(schedule=S.cosine(0.1, 3), epochs=5).lr, NOERR, NOARG,
  ok=lambda r: close(r, [S.cosine(0.1, 3)(t) for t in range(1, 6)]))
C(Sc, "fit(schedule=warmup(0.1, 4), epochs=2)", lambda: fit_with(schedule=S.warmup(0.1, 4)).lr,
  NOERR, NOARG, ok=lambda r: close(r, [0.025, 0.05]))
C(Sc, "fit(schedule NaN from epoch 2, epochs=3)",
  lambda: fit_with(schedule=lambda e: 0.1 if e < 2 else float("nan"), epochs=3), "hb.fit", "schedule")

# ===================================================================== training
Tr = "training"
C(Tr, "fit leaves the caller's X and y unchanged",
  lambda: untouched(lambda X, y: fit_with(X=X, y=y), X=X40.copy(), y=y40.copy()), NOERR, NOARG,
  ok=not_mutated)
C(Tr, "fit(read-only X, read-only y)", lambda: fit_with(X=ro(X40), y=ro(y40)).train_loss, NOERR, NOARG,
  ok=lambda r: close(r, fit_with().train_loss))
C(Tr, "fit(Fortran-ordered X)", lambda: fit_with(X=np.asfortranarray(X40)).train_loss, NOERR, NOARG,
  ok=lambda r: close(r, fit_with().train_loss))
C(Tr, "fit(X a strided view)",
  lambda: fit_with(X=np.repeat(X40, 2, axis=1)[:, ::2]).train_loss, NOERR, NOARG,
  ok=lambda r: close(r, fit_with().train_loss))
C(Tr, "fit(int8 labels)", lambda: fit_with(y=y40.astype(np.int8)).train_loss, NOERR, NOARG,
  ok=lambda r: close(r, fit_with().train_loss))
C(Tr, "fit(y=None)", lambda: fit_with(y=None), "hb.fit", "y")
C(Tr, "fit(y=3) a lone number", lambda: fit_with(y=3), "hb.fit", "y")
C(Tr, "fit(validation=(X_dev, None))", lambda: fit_with(validation=(X40, None)), "hb.fit",
  ("validation", "y_dev"))
C(Tr, "fit(validation=[X_dev, y_dev]) a list", lambda: fit_with(validation=[X40, y40]).dev_loss,
  NOERR, NOARG, ok=lambda r: None if len(r) == 2 else str(r))
C(Tr, "fit(batch_size=10**9) one full batch", lambda: fit_with(batch_size=10**9, epochs=3).train_loss,
  NOERR, NOARG, ok=lambda r: None if len(r) == 3 and r[2] < r[0] else str(r))
C(Tr, "fit(epochs=np.int64(2), batch_size=np.uint8(8))",
  lambda: fit_with(epochs=np.int64(2), batch_size=np.uint8(8)).train_loss, NOERR, NOARG,
  ok=lambda r: close(r, fit_with().train_loss))
C(Tr, "fit(shuffle=False) twice without rng: same run",
  lambda: [fit_with(shuffle=False, rng=None).train_loss for _ in range(2)], NOERR, NOARG,
  ok=lambda r: close(r[0], r[1]))
C(Tr, "fit(rng=7) twice: same run", lambda: [fit_with(rng=7).train_loss for _ in range(2)], NOERR, NOARG,
  ok=lambda r: close(r[0], r[1]))
C(Tr, "fit(rng=Generator) vs fit(rng=seed): same run",
  lambda: (fit_with(rng=np.random.default_rng(3)).train_loss, fit_with(rng=3).train_loss), NOERR, NOARG,
  ok=lambda r: close(r[0], r[1]))


def bce_fit():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh(), hb.Dense(4, 1, rng=1))
    return hb.fit(model, BCE(), O.SGD(model.parameters(), 0.1), X40, (y40 % 2).astype(bool),
                  epochs=2, batch_size=8, rng=0)


C(Tr, "fit(BCE model, bool labels) records accuracy", bce_fit, NOERR, NOARG,
  ok=lambda h: None if len(h.train_acc) == 2 and 0 <= h.train_acc[-1] <= 1 else str(h))


def mse_fit():
    model = hb.Sequential(hb.Dense(3, 1, rng=0))
    return hb.fit(model, MSE(), O.SGD(model.parameters(), 0.01), X40, y40 * 1.0, epochs=2, batch_size=8)


C(Tr, "fit(MSE): no accuracy recorded", mse_fit, NOERR, NOARG,
  ok=lambda h: None if h.train_acc == [] and len(h.train_loss) == 2 else str(h))


def nested_bn_last_batch():
    X, y = data(33)
    inner = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.ReLU())
    model = hb.Sequential(inner, hb.Dense(4, 3, rng=1))
    return hb.fit(model, SCE(), O.SGD(model.parameters(), 0.1), X, y, epochs=1, batch_size=32)


C(Tr, "fit(BatchNorm inside an inner Sequential, 33 rows, batch_size=32)", nested_bn_last_batch,
  ("hb.fit", "BatchNorm"), ("batch_size", "x"),
  bad_msg=lambda m: "BatchNorm's own error from inside the loop: says nothing of fit's batch_size "
  "(the check before the first epoch looks at the top level only)"
  if "batch_size" not in m and "mini-batch" not in m else None)
C(Tr, "fit(masked X: -999 marks missing values)",
  lambda: fit_with(X=np.ma.masked_equal(np.where(np.eye(40, 3) > 0, -999.0, X40), -999.0)),
  "hb.fit", "X", silent="the mask is dropped: the -999 sentinels are trained on as values")
C(Tr, "EarlyStopping(restore_best='no') a truthy string",
  lambda: hb.EarlyStopping(restore_best="no"), "EarlyStopping", "restore_best",
  silent="restore_best='no' restores the best weights")


def es_run(restore_best=True, monitor="dev_loss"):
    model, loss, opt, X, y = fit_setup(lr=0.5)
    Xd, yd = data(30, seed=3)
    es = hb.EarlyStopping(patience=2, restore_best=restore_best, monitor=monitor)
    h = hb.fit(model, loss, opt, X, y, epochs=15, batch_size=8, rng=0, validation=(Xd, yd),
               early_stopping=es)
    out = model.predict(Xd)
    return h, loss.forward(out, yd), loss.accuracy(out, yd)


C(Tr, "EarlyStopping restores the best epoch's weights", es_run, NOERR, NOARG,
  ok=lambda r: None if abs(r[1] - min(r[0].dev_loss)) < 1e-12
  and r[0].best_epoch == 1 + int(np.argmin(r[0].dev_loss)) else
  f"final dev loss {r[1]:.4f}, best {min(r[0].dev_loss):.4f} at {r[0].best_epoch}")
C(Tr, "EarlyStopping(restore_best=False) keeps the last weights", lambda: es_run(False), NOERR, NOARG,
  ok=lambda r: None if abs(r[1] - r[0].dev_loss[-1]) < 1e-12 else "weights changed")
C(Tr, "EarlyStopping(monitor='dev_acc') best epoch = highest dev accuracy",
  lambda: es_run(monitor="dev_acc"), NOERR, NOARG,
  ok=lambda r: None if r[0].best_epoch == 1 + int(np.argmax(r[0].dev_acc))
  and abs(r[2] - max(r[0].dev_acc)) < 1e-12 else f"best_epoch {r[0].best_epoch}, dev_acc {r[0].dev_acc}")
C(Tr, "fit(epochs=1, early_stopping): best_epoch 1",
  lambda: fit_with(epochs=1, validation=(X40, y40), early_stopping=hb.EarlyStopping()).best_epoch,
  NOERR, NOARG, ok=lambda r: None if r == 1 else str(r))
C(Tr, "EarlyStopping(patience=np.int64(2), min_delta=np.float32(0))",
  lambda: hb.EarlyStopping(patience=np.int64(2), min_delta=np.float32(0)).patience, NOERR, NOARG,
  ok=lambda r: None if r == 2 else str(r))


def gradcheck_then_fit_dropout():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh(), hb.Dropout(0.5, rng=0), hb.Dense(4, 3, rng=1))
    hb.gradient_check(model, SCE(), Xg, yg, fix_dropout_mask=True)
    d = model[2]
    masks = [d.forward(np.ones((6, 4))).copy() for _ in range(2)]
    return d.freeze_mask, masks


C(Tr, "gradient_check(fix_dropout_mask=True) then training: masks redrawn again",
  gradcheck_then_fit_dropout, NOERR, NOARG,
  ok=lambda r: None if r[0] is False and not np.array_equal(*r[1]) else "mask stays frozen")
C(Tr, "History().epochs_run and repr of an empty History",
  lambda: (hb.History().epochs_run, repr(hb.History())), NOERR, NOARG,
  ok=lambda r: None if r[0] == 0 and "epochs=0" in r[1] else str(r))

# ========================================================================= data
Da = "data"
C(Da, "split leaves X, y unchanged",
  lambda: untouched(lambda X, y: D.split(X, y, stratify=True, rng=0), X=X40.copy(), y=y40.copy()),
  NOERR, NOARG, ok=not_mutated)
C(Da, "split(40 rows) sizes 24/8/8", lambda: [len(p[0]) for p in D.split(X40, y40, rng=0)], NOERR, NOARG,
  ok=lambda r: None if r == [24, 8, 8] else str(r))
C(Da, "split(X of images (n, 8, 8)) a 3-D X",
  lambda: D.split(images(40).reshape(40, 8, 8), y40, rng=0), NOERR, NOARG,
  ok=lambda r: None if [p[0].shape for p in r] == [(24, 8, 8), (8, 8, 8), (8, 8, 8)] else
  str([p[0].shape for p in r]))
C(Da, "split(ratios=np.array([0.5, 0.5]))",
  lambda: [len(p[0]) for p in D.split(X40, y40, np.array([0.5, 0.5]), rng=0)], NOERR, NOARG,
  ok=lambda r: None if r == [20, 20] else str(r))


def split_rows_consistent():
    X = np.arange(40.0)[:, None] * np.ones((1, 3))
    y = np.arange(40)
    parts = D.split(X, y, rng=0)
    rows = np.concatenate([p[1] for p in parts])
    pairs_ok = all(np.array_equal(p[0][:, 0], p[1]) for p in parts)
    return pairs_ok, sorted(rows.tolist()) == list(range(40))


C(Da, "split keeps each row with its label, every row once", split_rows_consistent, NOERR, NOARG,
  ok=lambda r: None if r == (True, True) else str(r))
C(Da, "split(stratify=True): each class in each set in proportion",
  lambda: [np.bincount(p[1], minlength=3).tolist() for p in D.split(np.ones((60, 1)), np.arange(60) % 3,
                                                                   stratify=True, rng=0)],
  NOERR, NOARG, ok=lambda r: None if r == [[12] * 3, [4] * 3, [4] * 3] else str(r))
C(Da, "split(bool y, stratify=np.True_)",
  lambda: D.split(X40, y40 % 2 == 0, stratify=np.True_, rng=0), NOERR, NOARG,
  ok=lambda r: None if all(len(set(p[1].tolist())) == 2 for p in r) else "a class missing")
C(Da, "split(rng=0) twice: same split",
  lambda: [D.split(X40, y40, rng=0)[1][1] for _ in range(2)], NOERR, NOARG,
  ok=lambda r: None if np.array_equal(*r) else "different")
C(Da, "split(read-only X, y)", lambda: D.split(ro(X40), ro(y40), rng=0), NOERR, NOARG,
  ok=lambda r: None if len(r) == 3 else str(r))
C(Da, "split_sizes(10**12)", lambda: D.split_sizes(10**12), NOERR, NOARG,
  ok=lambda r: None if sum(r) == 10**12 and r[1] == r[2] == int(0.0025 * 10**12) else str(r))
C(Da, "split_sizes(np.int64(100))", lambda: D.split_sizes(np.int64(100)), NOERR, NOARG,
  ok=lambda r: None if r == (60, 20, 20) else str(r))
C(Da, "split_sizes(5, share=0.49)", lambda: D.split_sizes(5, share=0.49), NOERR, NOARG,
  ok=lambda r: None if sum(r) == 5 and min(r) >= 1 else str(r))


def minibatch_cover():
    batches = list(D.minibatches(X40, np.arange(40), 7, rng=0))
    seen = np.concatenate([b[1] for b in batches])
    rows_ok = all(np.array_equal(bx, X40[by]) for bx, by in batches)
    return [len(b[1]) for b in batches], sorted(seen.tolist()) == list(range(40)), rows_ok


C(Da, "minibatches(40 rows, 7): sizes 7x5 + 5, each row once, rows with labels", minibatch_cover,
  NOERR, NOARG, ok=lambda r: None if r == ([7] * 5 + [5], True, True) else str(r))
C(Da, "minibatches(shuffle='no')", lambda: list(D.minibatches(X40, y40, 8, shuffle="no")), "minibatches",
  "shuffle")
C(Da, "minibatches(3-D X)", lambda: [b[0].shape for b in D.minibatches(np.ones((5, 2, 2)), np.arange(5), 2)],
  NOERR, NOARG, ok=lambda r: None if r == [(2, 2, 2), (2, 2, 2), (1, 2, 2)] else str(r))
C(Da, "Standardizer round trip inverse_transform(transform(X)) = X",
  lambda: (lambda s: s.inverse_transform(s.transform(X40)))(D.Standardizer().fit(X40)), NOERR, NOARG,
  ok=lambda r: close(r, X40))
C(Da, "Standardizer output: mean 0, std 1", lambda: D.Standardizer().fit_transform(X40 * 50 + 7),
  NOERR, NOARG, ok=lambda r: close(r.mean(0), [0, 0, 0]) or close(r.std(0), [1, 1, 1], 1e-6))
C(Da, "Standardizer.fit_transform leaves X unchanged",
  lambda: untouched(lambda X: D.Standardizer().fit_transform(X), X=X40.copy()), NOERR, NOARG,
  ok=not_mutated)
C(Da, "Standardizer fit float64, transform float32 keeps float32",
  lambda: D.Standardizer().fit(X40).transform(X40.astype(np.float32)).dtype, NOERR, NOARG,
  ok=lambda r: None if r == np.float32 else str(r))
C(Da, "Standardizer().fit(X).transform(X[:0]) zero rows",
  lambda: D.Standardizer().fit(X40).transform(X40[:0]).shape, NOERR, NOARG,
  ok=lambda r: None if r == (0, 3) else str(r))
C(Da, "Standardizer().fit(masked X, -999 masked)",
  lambda: D.Standardizer().fit(np.ma.masked_equal(np.array([[1.0, 2], [-999, 3], [3, 4]]), -999)).mu,
  "Standardizer", "X",
  ok=lambda r: None if close(r, [2, 3]) is None else f"mu {r.tolist()}: the masked -999 was averaged in")


def standardizer_refit():
    s = D.Standardizer().fit(X40)
    s.fit(X40 * 2 + 5)
    return s.transform(X40 * 2 + 5)


C(Da, "Standardizer fit twice: the second fit wins", standardizer_refit, NOERR, NOARG,
  ok=lambda r: close(r, D.Standardizer().fit_transform(X40), 1e-6))
C(Da, "MinMaxScaler round trip", lambda: (lambda s: s.inverse_transform(s.transform(X40)))(
    D.MinMaxScaler((-1, 1)).fit(X40)), NOERR, NOARG, ok=lambda r: close(r, X40))
C(Da, "MinMaxScaler((-1, 1)): min -> -1, max -> 1, constant -> -1",
  lambda: D.MinMaxScaler((-1, 1)).fit_transform(np.column_stack([X40[:, 0], np.full(40, 3.0)])),
  NOERR, NOARG, ok=lambda r: close([r[:, 0].min(), r[:, 0].max(), r[:, 1].min(), r[:, 1].max()],
                                   [-1, 1, -1, -1]))
C(Da, "MinMaxScaler((-1e308, 1e308)) a finite range whose width overflows",
  lambda: D.MinMaxScaler((-1e308, 1e308)).fit_transform(X40), "MinMaxScaler", "feature_range",
  ok=nan_check)


def whitened_cov(method):
    X = X40 @ np.array([[2.0, 0.5, 0], [0, 1, 0.3], [0, 0, 0.2]])
    w = D.Whitener(method, eps=0).fit(X)
    Z = w.transform(X)
    return np.cov(Z, rowvar=False, bias=True), w.W


C(Da, "Whitener('pca', eps=0): covariance of the output = I", lambda: whitened_cov("pca"), NOERR, NOARG,
  ok=lambda r: close(r[0], np.eye(3), 1e-8))
C(Da, "Whitener('zca', eps=0): covariance I, W symmetric", lambda: whitened_cov("zca"), NOERR, NOARG,
  ok=lambda r: close(r[0], np.eye(3), 1e-8) or close(r[1], r[1].T, 1e-8))
C(Da, "Whitener transform(float32) keeps float32",
  lambda: D.Whitener().fit(X40).transform(X40.astype(np.float32)).dtype, NOERR, NOARG,
  ok=lambda r: None if r == np.float32 else str(r))
C(Da, "one_hot(y, dtype=bool)", lambda: D.one_hot(np.array([0, 2]), dtype=bool), NOERR, NOARG,
  ok=lambda r: None if r.dtype == bool and r.tolist() == [[1, 0, 0], [0, 0, 1]] else str(r))
C(Da, "one_hot(uint8 labels, K=np.int64(4))", lambda: D.one_hot(np.array([3, 0], np.uint8), K=np.int64(4)),
  NOERR, NOARG, ok=lambda r: close(r, [[0, 0, 0, 1], [1, 0, 0, 0]]))
C(Da, "one_hot(0-d label)", lambda: D.one_hot(np.int64(2)), "one_hot", "y")
img = images(3)
img_sq = img.reshape(3, 8, 8)
C(Da, "flip(flip(X)) = X and flip = np.flip of each image",
  lambda: (D.flip(D.flip(img)), D.flip(img)), NOERR, NOARG,
  ok=lambda r: close(r[0], img) or close(r[1], img_sq[:, :, ::-1].reshape(3, 64)))
C(Da, "flip(X, horizontal=False) = upside down", lambda: D.flip(img, horizontal=False), NOERR, NOARG,
  ok=lambda r: close(r, img_sq[:, ::-1, :].reshape(3, 64)))
C(Da, "flip(float32) keeps float32", lambda: D.flip(img.astype(np.float32)).dtype, NOERR, NOARG,
  ok=lambda r: None if r == np.float32 else str(r))
C(Da, "shift(X, 0, 0) = X", lambda: D.shift(img, 0, 0), NOERR, NOARG, ok=lambda r: close(r, img))


def shift_ref(dx, dy):
    out = np.zeros_like(img_sq)
    for r in range(8):
        for c in range(8):
            if 0 <= r - dy < 8 and 0 <= c - dx < 8:
                out[:, r, c] = img_sq[:, r - dy, c - dx]
    return out.reshape(3, 64)


C(Da, "shift(X, np.int64(2), -3) hand", lambda: D.shift(img, np.int64(2), -3), NOERR, NOARG,
  ok=lambda r: close(r, shift_ref(2, -3)))
C(Da, "affine(X, 0, 1) = X exactly", lambda: D.affine(img, 0, 1), NOERR, NOARG,
  ok=lambda r: None if np.array_equal(r, img) else close(r, img, 0))
C(Da, "affine(X, 90) = a quarter turn",
  lambda: D.affine(img, 90), NOERR, NOARG,
  ok=lambda r: None if any(close(r, np.rot90(img_sq, k, axes=(1, 2)).reshape(3, 64), 1e-9) is None
                           for k in (1, -1)) else "not a rotation by 90 degrees")
C(Da, "affine(X, 360) = X", lambda: D.affine(img, 360), NOERR, NOARG, ok=lambda r: close(r, img, 1e-9))
C(Da, "affine(X, degrees=1e300) extreme angle",
  lambda: D.affine(img, degrees=1e300), NOERR, NOARG,
  ok=lambda r: nan_check(r) or (None if r.min() >= 0 and r.max() <= img.max() + 1e-12 else "out of range"))
C(Da, "affine(X, scale=1e-100) tiny zoom: everything outside -> 0",
  lambda: D.affine(img, scale=1e-100), NOERR, NOARG, ok=lambda r: close(r, np.zeros_like(img)))
C(Da, "affine(X, scale=1e100) huge zoom: the centre everywhere",
  lambda: D.affine(img, scale=1e100), NOERR, NOARG,
  ok=lambda r: close(r, np.repeat(img_sq[:, 3:5, 3:5].mean(axis=(1, 2))[:, None], 64, 1)))
C(Da, "affine(X, degrees=[0, 90, 360] per image)",
  lambda: D.affine(img, degrees=[0, 90, 360]), NOERR, NOARG,
  ok=lambda r: close(r[[0, 2]], img[[0, 2]], 1e-9) or close(r[1], D.affine(img[1:2], 90)[0]))
C(Da, "elastic(X, alpha=0) = X", lambda: D.elastic(img, alpha=0, rng=0), NOERR, NOARG,
  ok=lambda r: close(r, img))
C(Da, "elastic(X, alpha=float max, sigma=1e-150) extreme legal values",
  lambda: D.elastic(img, alpha=np.finfo(float).max, sigma=1e-150, rng=0), "elastic", ("alpha", "sigma"),
  ok=lambda r: nan_check(r) or (None if r.shape == img.shape else str(r.shape)))
C(Da, "elastic(X, sigma=1e150) a flat kernel: one shift for the whole image",
  lambda: D.elastic(img, alpha=1.0, sigma=1e150, rng=0), NOERR, NOARG,
  ok=lambda r: nan_check(r) or (None if r.shape == img.shape else str(r.shape)))
C(Da, "augment(extreme legal: 180 degrees, zoom 1e-100..1e100, shift 7, noise 1e300)",
  lambda: D.augment(img, rng=0, max_shift=7, max_degrees=180, scale_range=(1e-100, 1e100), noise=1e300),
  NOERR, NOARG,
  ok=lambda r: nan_check(r) or (None if r.min() >= 0 and r.max() <= 1 else "outside [0, 1]"))
C(Da, "augment(rng=0) twice: same images",
  lambda: [D.augment(img, rng=0) for _ in range(2)], NOERR, NOARG, ok=lambda r: close(r[0], r[1], 0))
C(Da, "augment leaves X unchanged",
  lambda: untouched(lambda X: D.augment(X, rng=0), X=img.copy()), NOERR, NOARG, ok=not_mutated)
C(Da, "augment(read-only X)", lambda: D.augment(ro(img), rng=0).shape, NOERR, NOARG,
  ok=lambda r: None if r == img.shape else str(r))
C(Da, "augment(no change asked: shift 0, 0 degrees, zoom (1, 1+1e-12), noise 0) ~ X",
  lambda: D.augment(img, rng=0, max_shift=0, max_degrees=0, scale_range=(1, 1 + 1e-12), noise=0),
  NOERR, NOARG, ok=lambda r: close(r, img, 1e-9))
C(Da, "augment(int 0/1 images) gives floats", lambda: D.augment((img > 0.5).astype(int), rng=0).dtype,
  NOERR, NOARG, ok=lambda r: None if r == np.float64 else str(r))
C(Da, "add_noise(X, 0) = X (already in [0, 1])", lambda: D.add_noise(img, 0, rng=0), NOERR, NOARG,
  ok=lambda r: close(r, img))
C(Da, "add_noise(float16 X, 0.1) keeps float16", lambda: D.add_noise(img.astype(np.float16), 0.1, rng=0).dtype,
  NOERR, NOARG, ok=lambda r: None if r == np.float16 else str(r))
C(Da, "add_noise(X, std=1e308) extreme: noise beyond float range, clipped",
  lambda: D.add_noise(img, 1e308, rng=0), NOERR, NOARG,
  ok=lambda r: nan_check(r) or (None if r.min() >= 0 and r.max() <= 1 else "outside [0, 1]"))
_r, _c = np.meshgrid(np.arange(8), np.arange(8), indexing="ij")
C(Da, "warp(X, identity rows, cols) = X",
  lambda: D.warp(img, np.broadcast_to(_r, (3, 8, 8)), np.broadcast_to(_c, (3, 8, 8))), NOERR, NOARG,
  ok=lambda r: close(r, img))
C(Da, "warp(X, rows = +inf) -> 0",
  lambda: D.warp(img, np.full((3, 8, 8), np.inf), np.broadcast_to(_c, (3, 8, 8)) * 1.0), NOERR, NOARG,
  ok=lambda r: close(r, np.zeros_like(img)))
C(Da, "warp(X, rows of one image (8, 8) for 3 images)",
  lambda: D.warp(img, _r, _c), "warp", "rows")

# ===================================================================== datasets
Ds = "datasets"
C(Ds, "two_moons(noise=1e308) finite but huge noise", lambda: DS.two_moons(noise=1e308, rng=0)[0],
  "two_moons", "noise", ok=nan_check)
C(Ds, "two_moons(rng=0) twice: same set", lambda: [DS.two_moons(rng=0)[0] for _ in range(2)], NOERR, NOARG,
  ok=lambda r: close(r[0], r[1], 0))
C(Ds, "two_moons(n=3) labels 0, 1, 0", lambda: DS.two_moons(3, rng=0)[1].tolist(), NOERR, NOARG,
  ok=lambda r: None if r == [0, 1, 0] else str(r))
C(Ds, "two_moons(dtype=np.float16)", lambda: DS.two_moons(dtype=np.float16, rng=0)[0].dtype, NOERR, NOARG,
  ok=lambda r: None if r == np.float16 else str(r))
C(Ds, "digits(np.float32): pixels in [0, 1]", lambda: DS.digits(np.float32)[0], NOERR, NOARG,
  ok=lambda r: None if r.dtype == np.float32 and r.min() == 0 and r.max() == 1 and r.shape == (1797, 64)
  else f"{r.dtype} {r.min()}..{r.max()}")
C(Ds, "breast_cancer(np.float32)", lambda: DS.breast_cancer(np.float32), NOERR, NOARG,
  ok=lambda r: None if r[0].shape == (569, 30) and r[0].dtype == np.float32 and set(r[1]) == {0, 1}
  else str(r[0].shape))
C(Ds, "circles(): inner circle radius = factor",
  lambda: DS.circles(noise=0, factor=0.3, rng=0), NOERR, NOARG,
  ok=lambda r: close(np.linalg.norm(r[0], axis=1), np.where(r[1] == 1, 0.3, 1.0)))
C(Ds, "spirals(n=np.int64(30), classes=np.int64(3))",
  lambda: DS.spirals(np.int64(30), classes=np.int64(3), rng=0)[1], NOERR, NOARG,
  ok=lambda r: None if np.bincount(r).tolist() == [10, 10, 10] else str(r))
C(Ds, "flower(petals=np.int64(3))", lambda: DS.flower(petals=np.int64(3), rng=0)[0].shape, NOERR, NOARG,
  ok=lambda r: None if r == (400, 2) else str(r))
C(Ds, "different_scales(n=2)", lambda: DS.different_scales(2, rng=0), NOERR, NOARG,
  ok=lambda r: None if r[0].shape == (2, 2) and np.array_equal(
      r[1], (r[0][:, 0] + r[0][:, 1] / 1000 > 1).astype(int)) else str(r))
C(Ds, "overfitting_moons(n_train=2, n_dev=2, noise=0)", lambda: DS.overfitting_moons(2, 2, noise=0),
  NOERR, NOARG, ok=lambda r: None if [len(r[0][0]), len(r[1][0])] == [2, 2] else str(r))
C(Ds, "overfitting_digits(n_train=np.int64(200)): about 200 rows, every class",
  lambda: DS.overfitting_digits(np.int64(200)), NOERR, NOARG,
  ok=lambda r: None if 190 <= len(r[0][0]) <= 200 and len(set(r[0][1].tolist())) == 10 and
  len(r[0][0]) + len(r[1][0]) == 1797 else f"{len(r[0][0])} rows")  # rounded down per class, as documented

# ========================================================================= init
In = "init"
C(In, "Dense(3, 2, init=constant(1e300), dtype=float32): weights overflow float32",
  lambda: hb.Dense(3, 2, init=I.constant(1e300), dtype=np.float32).W.value, ("Dense", "constant"),
  ("init", "dtype", "c"), ok=nan_check)
C(In, "Dense(3, 2, init=normal(1e5), dtype=float16): weights overflow float16",
  lambda: hb.Dense(3, 2, init=I.normal(1e5), dtype=np.float16, rng=0).W.value, ("Dense", "normal"),
  ("init", "dtype", "std"), ok=nan_check)
C(In, "orthogonal((5, 3), 0): W^T W = I", lambda: I.orthogonal((5, 3), 0), NOERR, NOARG,
  ok=lambda W: close(W.T @ W, np.eye(3)))
C(In, "orthogonal((3, 5), 0): W W^T = I", lambda: I.orthogonal((3, 5), 0), NOERR, NOARG,
  ok=lambda W: close(W @ W.T, np.eye(3)))
C(In, "orthogonal((4, 4), 0, gain=2): W^T W = 4 I", lambda: I.orthogonal((4, 4), 0, gain=2), NOERR, NOARG,
  ok=lambda W: close(W.T @ W, 4 * np.eye(4)))
C(In, "sparse(2)((5, 3), 0): two nonzero weights per unit", lambda: I.sparse(2)((5, 3), 0), NOERR, NOARG,
  ok=lambda W: None if (W != 0).sum(axis=0).tolist() == [2, 2, 2] else str((W != 0).sum(axis=0)))
C(In, "he_normal((3, 2), 0) twice: same weights",
  lambda: [I.he_normal((3, 2), 0) for _ in range(2)], NOERR, NOARG, ok=lambda r: close(r[0], r[1], 0))
C(In, "he_normal(seed 0) = he_normal(default_rng(0))",
  lambda: (I.he_normal((3, 2), 0), I.he_normal((3, 2), np.random.default_rng(0))), NOERR, NOARG,
  ok=lambda r: close(r[0], r[1], 0))
C(In, "he_normal([np.int64(3), np.int64(2)], 0) a list of NumPy ints",
  lambda: I.he_normal([np.int64(3), np.int64(2)], 0).shape, NOERR, NOARG,
  ok=lambda r: None if r == (3, 2) else str(r))
C(In, "xavier_uniform((30, 20), 0) within +-sqrt(6/50)", lambda: I.xavier_uniform((30, 20), 0), NOERR, NOARG,
  ok=lambda W: None if np.abs(W).max() <= np.sqrt(6 / 50) and np.abs(W).max() > 0.8 * np.sqrt(6 / 50)
  else str(np.abs(W).max()))
C(In, "he_normal((2000, 500), 0): std sqrt(2/2000)", lambda: I.he_normal((2000, 500), 0).std(), NOERR, NOARG,
  ok=lambda r: None if abs(r / np.sqrt(2 / 2000) - 1) < 0.01 else f"{r:.4g}")
# NumPy's MemoryError says what it could not allocate, and for which shape: clear enough.
C(In, "he_normal((10**6, 10**6), 0) 7 TiB", lambda: I.he_normal((10**6, 10**6), 0), "allocate",
  "shape")
C(In, "Dense(10**6, 10**6)", lambda: hb.Dense(10**6, 10**6), "allocate", "shape")
C(In, "init.zeros((2, 2), None)", lambda: I.zeros((2, 2), None), NOERR, NOARG,
  ok=lambda r: close(r, np.zeros((2, 2))))
C(In, "Initializer('abc') not a function", lambda: I.Initializer("abc"), "Initializer", "draw")
C(In, "init.get('he_normal') is he_normal", lambda: I.get("he_normal") is I.he_normal, NOERR, NOARG,
  ok=lambda r: None if r else "another object")
C(In, "Initializer(lambda shape, rng: ones)((2, 2), 0)",
  lambda: I.Initializer(lambda shape, rng: np.ones(shape))((2, 2), 0), NOERR, NOARG,
  ok=lambda r: close(r, np.ones((2, 2))))
C(In, "Initializer(...)((2, 2, 2), 0) a 3-D shape",
  lambda: I.Initializer(lambda shape, rng: np.ones(shape))((2, 2, 2), 0), "<lambda>", "shape")

# ==================================================================== gradcheck
G = "gradcheck"


def gc_nested_dropout(fix):
    inner = hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh(), hb.Dropout(0.5, rng=0))
    model = hb.Sequential(inner, hb.Dense(4, 3, rng=1))
    return hb.gradient_check(model, SCE(), Xg, yg, fix_dropout_mask=fix)


C(G, "gradient_check(Dropout(0.5) inside an inner Sequential)", lambda: gc_nested_dropout(False),
  "gradient_check", ("Dropout", "fix_dropout_mask"), ok=grad_ok())
C(G, "gradient_check(Dropout(0.5) inside an inner Sequential, fix_dropout_mask=True)",
  lambda: gc_nested_dropout(True), "gradient_check", ("Dropout", "fix_dropout_mask"), ok=grad_ok())


def gc_nested_bn():
    inner = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4))
    model = hb.Sequential(inner, hb.Tanh(), hb.Dense(4, 3, rng=1))
    rep = hb.gradient_check(model, SCE(), Xg, yg)
    return rep, inner[1].running_mean.copy(), inner[1].running_var.copy()


C(G, "gradient_check(BatchNorm inside an inner Sequential) restores running stats", gc_nested_bn,
  "gradient_check", "model",
  ok=lambda r: grad_ok()(r[0]) or (None if np.all(r[1] == 0) and np.all(r[2] == 1) else
                                   f"running_mean now {np.round(r[1], 3).tolist()}: "
                                   "moved by the check's hundreds of forward passes"))
C(G, "gradient_check(Dropout(0.5), fix_dropout_mask=True) correct",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh(), hb.Dropout(0.5, rng=0),
                                          hb.Dense(4, 3, rng=1)), SCE(), Xg, yg, fix_dropout_mask=True),
  NOERR, NOARG, ok=grad_ok(1e-6))
tanh_net = lambda k=3: hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh(), hb.Dense(4, k, rng=1))  # noqa: E731
C(G, "gradient_check(MSE, 2 outputs)",
  lambda: hb.gradient_check(tanh_net(2), MSE(), Xg, np.random.default_rng(1).normal(size=(6, 2))),
  NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(BCE, 1 output)", lambda: hb.gradient_check(tanh_net(1), BCE(), Xg, yg % 2),
  NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(regularizer=L1(0.1))",
  lambda: hb.gradient_check(tanh_net(), SCE(), Xg, yg, regularizer=hb.L1(0.1)), NOERR, NOARG,
  ok=grad_ok(1e-6))
C(G, "gradient_check(regularizer=L2(0.1, include_bias=True))",
  lambda: hb.gradient_check(tanh_net(), SCE(), Xg, yg, regularizer=hb.L2(0.1, include_bias=True)),
  NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(SCE(label_smoothing=0.2))",
  lambda: hb.gradient_check(tanh_net(), SCE(0.2), Xg, yg), NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(soft label rows)",
  lambda: hb.gradient_check(tanh_net(), SCE(), Xg, hb.softmax(np.random.default_rng(2).normal(size=(6, 3)))),
  NOERR, NOARG, ok=grad_ok(1e-6))
C(G, "gradient_check(eps=np.float32(1e-6))",
  lambda: hb.gradient_check(tanh_net(), SCE(), Xg, yg, eps=np.float32(1e-6)), NOERR, NOARG, ok=grad_ok())
C(G, "gradient_check(a bare Dense): names W, b",
  lambda: hb.gradient_check(hb.Dense(3, 3, rng=0), SCE(), Xg, yg), NOERR, NOARG,
  ok=lambda r: grad_ok(1e-6)(r) or (None if [n for n, _ in r.per_parameter] == ["W", "b"]
                                    else str(r.per_parameter)))
C(G, "gradient_check(y as a list of ints)", lambda: hb.gradient_check(tanh_net(), SCE(), Xg, yg.tolist()),
  NOERR, NOARG, ok=grad_ok(1e-6))


def gc_untouched():
    model = tanh_net()
    before = params_of(model)
    (rep, changed) = untouched(lambda X, y: hb.gradient_check(model, SCE(), X, y), X=Xg.copy(), y=yg.copy())
    after = params_of(model)
    moved = [i for i, (a, b) in enumerate(zip(before, after)) if not np.array_equal(a, b)]
    return rep, changed + [f"parameter {i}" for i in moved]


C(G, "gradient_check leaves X, y and the parameters unchanged", gc_untouched, NOERR, NOARG, ok=not_mutated)
C(G, "gradient_check(fix_dropout_mask='yes')",
  lambda: hb.gradient_check(tanh_net(), SCE(), Xg, yg, fix_dropout_mask="yes"), "gradient_check",
  "fix_dropout_mask")
C(G, "GradientCheckReport(np.float32(1e-9), [('W', np.float64(2e-9))])",
  lambda: hb.GradientCheckReport(np.float32(1e-9), [("W", np.float64(2e-9))]), NOERR, NOARG,
  ok=lambda r: None if r.verdict.startswith("correct") and r.worst == "W" else r.verdict)
C(G, "GradientCheckReport(0.1, per_parameter={'W': 0.1}) a dict",
  lambda: hb.GradientCheckReport(0.1, {"W": 0.1}), "GradientCheckReport", "per_parameter")

# ===================================================================== diagnose
Dg = "diagnose"


def bn_dropout_model():
    return hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.ReLU(), hb.Dropout(0.5, rng=0),
                         hb.Dense(4, 3, rng=1))


def model_state(model):
    bn = model[1]
    return params_of(model) + [bn.running_mean.copy(), bn.running_var.copy()]


def state_kept(call):
    model = bn_dropout_model()
    before = model_state(model)
    untouched_result = untouched(lambda X, y: call(model, X, y), X=X40.copy(), y=y40.copy())
    after = model_state(model)
    moved = [i for i, (a, b) in enumerate(zip(before, after)) if not np.array_equal(a, b)]
    return untouched_result[0], untouched_result[1] + [f"model state {i}" for i in moved]


C(Dg, "checkup leaves the model (weights, BatchNorm stats), X and y unchanged",
  lambda: state_kept(lambda m, X, y: DG.checkup(m, SCE(), X, y, tiny_steps=5)), NOERR, NOARG, ok=not_mutated)
C(Dg, "overfit_tiny_batch leaves the model unchanged",
  lambda: state_kept(lambda m, X, y: DG.overfit_tiny_batch(m, SCE(), X, y, steps=5)), NOERR, NOARG,
  ok=not_mutated)
C(Dg, "activation_stats / dead_relu_fraction leave the model unchanged",
  lambda: state_kept(lambda m, X, y: (DG.activation_stats(m, X), DG.dead_relu_fraction(m, X))),
  NOERR, NOARG, ok=not_mutated)


def act_stats_hand():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU())
    a = np.maximum(X40 @ model[0].W.value, 0)
    s = DG.activation_stats(model, X40)[1]
    return close([s["mean"], s["std"], s["zeros"]], [a.mean(), a.std(), (a == 0).mean()])


C(Dg, "activation_stats of a ReLU layer: hand mean, std, zeros", act_stats_hand, NOERR, NOARG, ok=lambda r: r)


def dead_relu_hand(bias):
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU())
    model[0].b.value[...] = bias
    return DG.dead_relu_fraction(model, X40)[0][1]


C(Dg, "dead_relu_fraction with bias -100: all dead", lambda: dead_relu_hand(-100), NOERR, NOARG,
  ok=lambda r: close(r, 1.0))
C(Dg, "dead_relu_fraction with bias +100: none dead", lambda: dead_relu_hand(100), NOERR, NOARG,
  ok=lambda r: close(r, 0.0))


def nonfinite_layer():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 3, rng=1))
    model[2].W.value[0, 0] = np.inf
    return DG.first_nonfinite_layer(model, np.abs(X40) + 1)


C(Dg, "first_nonfinite_layer: an inf weight in layer 2", nonfinite_layer, NOERR, NOARG,
  ok=lambda r: None if r is not None and r.startswith("2:") else str(r))


def logit_hand():
    model = hb.Sequential(hb.Dense(3, 3, init="zeros"))
    model[0].b.value[...] = [1.0, -5.0, 2.0]
    return DG.largest_logit(model, X40)


C(Dg, "largest_logit hand (zero weights, bias (1, -5, 2))", logit_hand, NOERR, NOARG, ok=lambda r: close(r, 5.0))
C(Dg, "initial_loss with zero weights = log 3 exactly",
  lambda: DG.initial_loss(hb.Sequential(hb.Dense(3, 3, init="zeros")), SCE(), X40, y40), NOERR, NOARG,
  ok=lambda r: close(r, [np.log(3), np.log(3)]))
C(Dg, "bias_variance(0.1, 0.1): low bias and low variance",
  lambda: DG.bias_variance(0.1, 0.1, bayes_error=0.09).verdict, NOERR, NOARG,
  ok=lambda r: None if r == "low bias and low variance" else r)
C(Dg, "bias_variance(np.float32(0.1), 0.2)", lambda: DG.bias_variance(np.float32(0.1), 0.2).verdict,
  NOERR, NOARG, ok=lambda r: None if r == "high bias and high variance" else r)
C(Dg, "bias_variance(1, 1) integers at the top of [0, 1]", lambda: DG.bias_variance(1, 1).verdict,
  NOERR, NOARG, ok=lambda r: None if r == "high bias" else r)


def gradient_norms_hand():
    model = backprop(mlp(), X8, y8)
    return DG.gradient_norms(model), [np.linalg.norm(model[0].W.grad), np.linalg.norm(model[2].W.grad)]


C(Dg, "gradient_norms after a backward: names and norms", gradient_norms_hand, NOERR, NOARG,
  ok=lambda r: None if [n for n, _ in r[0]] == ["0.W", "2.W"] and close([v for _, v in r[0]], r[1]) is None
  else str(r[0]))


def slc_same_model():
    model = mlp()
    X, y = data(60)
    Xd, yd = data(30, seed=1)
    return DG.shuffled_label_check(lambda: model, SCE(), X, y, Xd, yd, epochs=2)


C(Dg, "shuffled_label_check(make_model=lambda: model) the same model both times", slc_same_model,
  "shuffled_label_check", "make_model",
  silent="the 'shuffled labels' model is the one just trained on the true labels, trained on")
C(Dg, "shuffled_label_check(one-hot y)",
  lambda: DG.shuffled_label_check(mlp, SCE(), X40, np.eye(3)[y40], X40, y40, epochs=1),
  "shuffled_label_check", "y")
C(Dg, "checkup(tiny_steps=np.int64(5))",
  lambda: DG.checkup(mlp(), SCE(), X40, y40, tiny_steps=np.int64(5)).checks[-1].name, NOERR, NOARG,
  ok=lambda r: None if r == "overfit a tiny batch" else r)
C(Dg, "overfit_tiny_batch(size=1000 > 40 rows)",
  lambda: DG.overfit_tiny_batch(mlp(), SCE(), X40, y40, steps=3, size=1000), NOERR, NOARG,
  ok=lambda r: nan_check(r))

# ============================================================ odd orders, reuse
Od = "odd orders"


def bn_backward_after_eval():
    bn = hb.BatchNorm(3)
    bn.forward(X8, training=False)
    return bn.backward(np.ones((8, 3)))


C(Od, "BatchNorm: eval forward only, then backward", bn_backward_after_eval, "BatchNorm", "backward")


def sce_backward_twice():
    loss = SCE()
    loss.forward(z1, np.array([2]))
    return loss.backward(), loss.backward()


C(Od, "SCE.backward twice after one forward: the same gradient", sce_backward_twice, NOERR, NOARG,
  ok=lambda r: close(r[0], r[1], 0))


def whitener_after_failed_fit():
    w = D.Whitener(eps=0)
    try:
        w.fit(np.column_stack([X40[:, 0], X40[:, 0], X40[:, 1]]))  # rank 2: refused
    except ValueError:
        pass
    return w.transform(X40)


C(Od, "Whitener: fit refused (rank-deficient, eps=0), then transform", whitener_after_failed_fit,
  "Whitener", "fit")


def standardizer_after_failed_refit():
    s = D.Standardizer().fit(X40)
    try:
        s.fit(np.where(np.eye(40, 3) > 0, np.nan, X40))  # refused: NaN
    except ValueError:
        pass
    return s.transform(X40)


C(Od, "Standardizer: fit, a refused refit (NaN), then transform uses the first fit",
  standardizer_after_failed_refit, NOERR, NOARG, ok=lambda r: close(r, D.Standardizer().fit_transform(X40)))


def model_from_layers_of_another():
    a = mlp()
    b = hb.Sequential(*a.layers)  # the same layer objects
    opt = O.SGD(a.parameters(), 0.1)
    h = hb.fit(b, SCE(), opt, X40, y40, epochs=3, batch_size=8, rng=0)
    return h, a.forward(X40), b.forward(X40)


C(Od, "fit(Sequential(*a.layers), optimizer on a.parameters()) shared layers", model_from_layers_of_another,
  NOERR, NOARG, ok=lambda r: close(r[1], r[2]) or (None if r[0].train_loss[-1] < r[0].train_loss[0]
                                                  else "did not train"))
C(Od, "fit(X, y pandas-like objects with __array__)",
  lambda: fit_with(X=ArrayLike(X40), y=ArrayLike(y40)).train_loss, NOERR, NOARG,
  ok=lambda r: close(r, fit_with().train_loss))
C(Od, "split(pandas-like X, y)", lambda: [len(p[0]) for p in D.split(ArrayLike(X40), ArrayLike(y40), rng=0)],
  NOERR, NOARG, ok=lambda r: None if r == [24, 8, 8] else str(r))
C(Od, "Standardizer().fit_transform(pandas-like X)", lambda: D.Standardizer().fit_transform(ArrayLike(X40)),
  NOERR, NOARG, ok=lambda r: close(r, D.Standardizer().fit_transform(X40)))
C(Od, "fit(X a list of 1-D NumPy rows)", lambda: fit_with(X=list(X40)).train_loss, NOERR, NOARG,
  ok=lambda r: close(r, fit_with().train_loss))
C(Od, "gradient_check after fit on the same model",
  lambda: (lambda m: (fit_with(model=m, epochs=1), hb.gradient_check(m, SCE(), Xg, yg))[1])(tanh_net()),
  NOERR, NOARG, ok=grad_ok(1e-6))

# ======================================================================= tuning
Tu = "tuning"
C(Tu, "integers(0, 2**63)(rng) beyond int64", lambda: T.integers(0, 2**63)(rng0()), "integers", "high")
C(Tu, "uniform(-1e308, 1e308)(rng) a width that overflows", lambda: T.uniform(-1e308, 1e308)(rng0()),
  "uniform", ("low", "high"))
C(Tu, "log_uniform(1e-323, 1e-322)(rng, 100) subnormal range",
  lambda: T.log_uniform(1e-323, 1e-322)(rng0(), 100), "log_uniform", "low",
  ok=lambda r: None if r.min() >= 1e-323 and r.max() <= 1e-322 else
  f"samples from {r.min():.2g} to {r.max():.2g}, outside [1e-323, 1e-322]")
C(Tu, "log_uniform(1e-300, 1e300)(rng, 100)", lambda: T.log_uniform(1e-300, 1e300)(rng0(), 100), NOERR, NOARG,
  ok=lambda r: None if np.all(np.isfinite(r)) and r.min() >= 1e-300 and r.max() <= 1e300 else str(r))
C(Tu, "one_minus_log_uniform(0.9, 0.999)(rng, 100) in range",
  lambda: T.one_minus_log_uniform(0.9, 0.999)(rng0(), 100), NOERR, NOARG,
  ok=lambda r: None if r.min() >= 0.9 and r.max() <= 0.999 else f"{r.min()}..{r.max()}")
C(Tu, "integers(3, 3) always 3", lambda: T.integers(3, 3)(rng0(), 5).tolist(), NOERR, NOARG,
  ok=lambda r: None if r == [3] * 5 else str(r))
C(Tu, "log_uniform(1e-4, 1e-1)(rng, 5) a size", lambda: T.log_uniform(1e-4, 1e-1)(rng0(), 5).shape,
  NOERR, NOARG, ok=lambda r: None if r == (5,) else str(r))
C(Tu, "random_search(rng=0) twice: same trials",
  lambda: [[t.hyperparameters["lr"] for t in T.random_search(lambda lr: -lr, {"lr": T.uniform(0, 1)}, 4, rng=0)]
           for _ in range(2)], NOERR, NOARG, ok=lambda r: None if r[0] == r[1] else str(r))
C(Tu, "random_search(trials=1)", lambda: T.random_search(lambda lr: lr, {"lr": T.uniform(0, 1)}, 1, rng=0),
  NOERR, NOARG, ok=lambda r: None if len(r) == 1 else str(r))
C(Tu, "random_search(train(**kw)), types of the drawn values",
  lambda: T.random_search(lambda **kw: float(kw["n"]), {"lr": T.log_uniform(1e-3, 1), "n": T.integers(1, 9)},
                          3, rng=0), NOERR, NOARG,
  ok=lambda r: None if all(type(t.hyperparameters["n"]) is int and type(t.hyperparameters["lr"]) is float
                           for t in r) and [t.score for t in r] == sorted([t.score for t in r], reverse=True)
  else str(r))
C(Tu, "grid_search({'a': [1, 2], 'b': range(10, 40, 10)}) best first",
  lambda: T.grid_search(lambda a, b: a * b, {"a": [1, 2], "b": range(10, 40, 10)}), NOERR, NOARG,
  ok=lambda r: None if len(r) == 6 and r[0].hyperparameters == {"a": 2, "b": 30} and r[0].score == 60
  and r[-1].score == 10 else str(r))
C(Tu, "grid_search(train, {}) an empty grid", lambda: T.grid_search(lambda: 1.0, {}), "grid_search", "grid")
C(Tu, "grid_search: a NaN score goes last",
  lambda: T.grid_search(lambda lr: float("nan") if lr == 1 else lr, {"lr": [1, 0.5, 0.1]}), NOERR, NOARG,
  ok=lambda r: None if [t.hyperparameters["lr"] for t in r] == [0.5, 0.1, 1] else str(r))
C(Tu, "grid_search leaves the grid unchanged",
  lambda: (lambda g: (T.grid_search(lambda lr: lr, g), g)[1])({"lr": [0.1, 0.01]}), NOERR, NOARG,
  ok=lambda r: None if r == {"lr": [0.1, 0.01]} else str(r))


def ctf_narrows():
    rounds = T.coarse_to_fine(lambda lr: -abs(np.log10(lr) + 2), {"lr": (1e-5, 1.0)}, 8, rounds=2, keep=3,
                              rng=0)
    best = [t.hyperparameters["lr"] for t in rounds[0][:3]]
    second = [t.hyperparameters["lr"] for t in rounds[1]]
    return min(best), max(best), second


C(Tu, "coarse_to_fine: round 2 inside the box of round 1's best 3", ctf_narrows, NOERR, NOARG,
  ok=lambda r: None if all(r[0] * (1 - 1e-12) <= v <= r[1] * (1 + 1e-12) for v in r[2]) else f"box {r[0]:.3g}..{r[1]:.3g}, got {r[2]}")
C(Tu, "coarse_to_fine(trials=1, keep=2)",
  lambda: T.coarse_to_fine(lambda lr: lr, {"lr": (1e-3, 1.0)}, 1, rounds=2, keep=2, rng=0), NOERR, NOARG,
  ok=lambda r: None if [len(x) for x in r] == [1, 1] else str(r))
C(Tu, "best_first([])", lambda: T.best_first([]), NOERR, NOARG, ok=lambda r: None if r == [] else str(r))
C(Tu, "best_first(a list of dicts)", lambda: T.best_first([{"lr": 0.1, "score": 1}]), "best_first", "trials")

# ========================================================================= plot
Pl = "plot"
C(Pl, "to_svg(fig) twice: the same SVG",
  lambda: (lambda f: (P.to_svg(f), P.to_svg(f)))(P.lines([1, 2, 3], {"a": [1, 2, 3]})), NOERR, NOARG,
  ok=lambda r: None if r[0] == r[1] and r[0].startswith("<svg") else "differs")
C(Pl, "decision_boundary(..., ax=ax) returns ax's figure",
  lambda: (lambda fa: (P.decision_boundary(lambda g: (g[:, 0] > 0).astype(int), X40[:, :2], y40 % 2,
                                           ax=fa[1], resolution=10), fa[0]))(P.figure()), NOERR, NOARG,
  ok=lambda r: None if r[0] is r[1] else "another figure")
C(Pl, "decision_boundary(all points identical)",
  lambda: P.decision_boundary(lambda g: np.zeros(len(g), int), np.ones((5, 2)), np.zeros(5), resolution=5),
  NOERR, NOARG, ok=lambda r: None if len(r.axes) == 1 else str(r))
C(Pl, "decision_boundary(predict returning bools)",
  lambda: P.decision_boundary(lambda g: g[:, 0] > 0, X40[:, :2], y40 % 2, resolution=10), NOERR, NOARG,
  ok=lambda r: None if len(r.axes) == 1 else str(r))
C(Pl, "decision_boundary(float32 X, float32 model)",
  lambda: P.decision_boundary(hb.Sequential(hb.Dense(2, 3, rng=0, dtype=np.float32)).predict,
                              X40[:, :2].astype(np.float32), y40, resolution=10), NOERR, NOARG,
  ok=lambda r: None if len(r.axes) == 1 else str(r))
C(Pl, "decision_boundary leaves X unchanged",
  lambda: untouched(lambda X: P.decision_boundary(lambda g: g[:, 0] > 0, X, y40 % 2, resolution=5),
                    X=X40[:, :2].copy()), NOERR, NOARG, ok=not_mutated)
C(Pl, "lines(range(3), {'a': range(1, 4)}, logy=np.True_)",
  lambda: P.lines(range(3), {"a": range(1, 4)}, logy=np.True_), NOERR, NOARG,
  ok=lambda r: None if r.axes[0].get_yscale() == "log" else r.axes[0].get_yscale())
C(Pl, "histograms([np.float64(5.0)]) a 0-d array", lambda: P.histograms([np.float64(5.0)]), NOERR, NOARG,
  ok=lambda r: None if len(r.axes) == 1 else str(r))
C(Pl, "histograms([x], range=(10, 11)) no value in range", lambda: P.histograms([np.ones(5)], range=(10, 11)),
  NOERR, NOARG, ok=lambda r: None if len(r.axes) == 1 else str(r))
C(Pl, "histograms(a generator of arrays)", lambda: P.histograms(np.ones(3) * i for i in range(2)), NOERR, NOARG,
  ok=lambda r: None if len(r.axes) == 2 else f"{len(r.axes)} panels")
C(Pl, "contours(f, levels=[0.5, 1, 2], int-valued f)",
  lambda: P.contours(lambda a, b: (a * a + b * b > 1).astype(int) + (a > 0), (-2, 2), (-2, 2),
                     levels=[0.5, 1, 2], resolution=20), NOERR, NOARG,
  ok=lambda r: None if len(r.axes) >= 1 else str(r))
C(Pl, "training_curves(History of NumPy arrays)",
  lambda: P.training_curves(hb.History(train_loss=np.array([1.0, 0.5]), dev_loss=np.array([1.2, 0.9]))),
  NOERR, NOARG, ok=lambda fig: None if sorted(
      [list(line.get_ydata()) for ax in fig.axes for line in ax.lines]) == [[1.0, 0.5], [1.2, 0.9]]
  else "not the recorded values")  # arrays are curves, as for lines()
C(Pl, "training_curves(History(train_loss=[1.0, nan, 0.5]))",
  lambda: P.training_curves(hb.History(train_loss=[1.0, float("nan"), 0.5])), "training_curves", "history",
  silent="the NaN is drawn as a gap without a word (lines() refuses NaN)")
C(Pl, "training_curves(History with train_acc only for some epochs)",
  lambda: P.training_curves(hb.History(train_loss=[1.0, 0.5], train_acc=[0.5])), NOERR, NOARG,
  ok=lambda r: None if len(r.axes) == 2 else f"{len(r.axes)} panels")
C(Pl, "figure(sharex='banana')", lambda: P.figure(sharex="banana"), "figure", "sharex")
C(Pl, "figure(ncols=2, width_ratios=[1])", lambda: P.figure(ncols=2, width_ratios=[1]), "figure",
  "width_ratios")
C(Pl, "figure(ncols=3) three Axes, figure() one Axes",
  lambda: (P.figure(ncols=3)[1], P.figure()[1]), NOERR, NOARG,
  ok=lambda r: None if len(r[0]) == 3 and not isinstance(r[1], np.ndarray) else str(r))
C(Pl, "figure(width=np.float32(3), height=np.int64(2))",
  lambda: P.figure(width=np.float32(3), height=np.int64(2))[0].get_size_inches().tolist(), NOERR, NOARG,
  ok=lambda r: None if r == [3, 2] else str(r))
C(Pl, "tr('a', 'b') in the current language", lambda: P.tr("a", "b"), NOERR, NOARG,
  ok=lambda r: None if r == ("a" if P.get_language() == "en" else "b") else r)
C(Pl, "label(np.str_('loss')) a NumPy string", lambda: P.label(np.str_("loss")), NOERR, NOARG,
  ok=lambda r: None if r in ("loss", "损失") else r)

if __name__ == "__main__":
    H.main(CASES)
