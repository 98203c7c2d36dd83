"""Hostile-input attack on the handbook package's public API (issue 15).

Run:  .venv/bin/python tools/hostile_inputs.py [--verbose] [filter]

A maintenance tool, not a test: it lists what still needs a clear error. When a case
is fixed, add a unit test for its kind in tests/unit/, which is what keeps it fixed.

Every case runs twice: once with warnings recorded (to see what the call returns),
once with every warning turned into an error. Each case prints one line:

  OK      a clear error (names the function/class and the argument) or a correct result
  OBSCURE an error that does not name the function or the argument, a raw NumPy /
          Python error, or a warning leaking out of the package
  SILENT  no error, but a wrong / NaN / meaningless result (the reason is printed)

Nothing in the repository is modified.
"""

from __future__ import annotations

import os
import signal
import types
import sys
import traceback
import warnings

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import handbook as hb  # noqa: E402
from handbook import data as D  # noqa: E402
from handbook import datasets as DS  # noqa: E402
from handbook import diagnose as DG  # noqa: E402
from handbook import init as I  # noqa: E402
from handbook import optim as O  # noqa: E402
from handbook import plot as P  # noqa: E402
from handbook import schedules as S  # noqa: E402
from handbook import tuning as T  # noqa: E402

VERBOSE = "--verbose" in sys.argv
FILTER = [a for a in sys.argv[1:] if not a.startswith("--")]

CASES = []
CLEAR_ERRORS = (
    IndexError,
    MemoryError,
    ValueError,
    TypeError,
    RuntimeError,
    FloatingPointError,
    ImportError,
    KeyError,
)


class Case:
    def __init__(self, module, label, fn, who, arg, silent=None, ok=None, bad_msg=None):
        self.module, self.label, self.fn = module, label, fn
        self.who = (who,) if isinstance(who, str) else tuple(who)
        self.arg = (arg,) if isinstance(arg, str) else tuple(arg)
        self.silent, self.ok, self.bad_msg = silent, ok, bad_msg


def C(module, label, fn, who, arg, silent=None, ok=None, bad_msg=None):
    """Register a case. ``silent``: why returning without an error is wrong.
    ``ok``: a check of the result, returning None (fine) or why it is wrong.
    ``bad_msg``: a check of an error message that names who and argument but
    misleads, returning None (fine) or why it misleads."""
    CASES.append(Case(module, label, fn, who, arg, silent, ok, bad_msg))


ACCEPT = lambda r: None  # noqa: E731  returning is the right behaviour


def IEEE(r):
    """By design: a NaN or infinite model output gives a NaN or infinite loss (and
    NumPy's warning on the way), as IEEE arithmetic does; hb.fit stops at it with
    the epoch and batch named. Correct if the result is indeed NaN or inf."""
    return None if nan_check(r) else "expected a NaN or infinite result"


def nan_check(r):
    """A result holding NaN or inf is wrong."""
    try:
        arrays = r if isinstance(r, (tuple, list)) else [r]
        for a in arrays:
            a = getattr(a, "value", a)
            a = np.asarray(a, dtype=float)
            if not np.all(np.isfinite(a)):
                return f"result holds NaN/inf ({np.size(a) - np.isfinite(a).sum()} values)"
    except (TypeError, ValueError):
        return None
    return None


class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout("case took more than 60 s")


signal.signal(signal.SIGALRM, _alarm)


def short(text, n=170):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 3] + "..."


def mentions(message, names):
    low = message.lower()
    return any(n.lower() in low for n in names)


def judge_error(case, e):
    kind = type(e).__name__
    msg = str(e)
    if isinstance(e, Warning):
        return "OBSCURE", f"{kind} escapes the package: {short(msg)}"
    if isinstance(e, Timeout):
        return "OBSCURE", "hangs (timeout)"
    clear = isinstance(e, CLEAR_ERRORS) and (
        type(e).__module__ == "builtins" or isinstance(e, MemoryError))
    named = mentions(msg, case.who) and mentions(msg, case.arg)
    if clear and named:
        if " object at 0x" in msg:
            return "OBSCURE", f"names the object by its default repr: {short(msg)}"
        if case.bad_msg is not None:
            reason = case.bad_msg(msg)
            if reason:
                return "OBSCURE", f"misleading: {reason}: {kind}: {short(msg)}"
        return "OK", f"{kind}: {short(msg)}"
    where = ""
    tb = traceback.extract_tb(e.__traceback__)
    if tb:
        frame = tb[-1]
        where = f" [at {os.path.basename(frame.filename)}:{frame.lineno}]"
    if not clear:
        return "OBSCURE", f"raw {type(e).__module__}.{kind}: {short(msg)}{where}"
    missing = []
    if not mentions(msg, case.who):
        missing.append(f"who ({'/'.join(case.who)})")
    if not mentions(msg, case.arg):
        missing.append(f"argument ({'/'.join(case.arg)})")
    return "OBSCURE", f"{kind} not naming {' and '.join(missing)}: {short(msg)}{where}"


def run_once(case, mode):
    """(status, detail, warnings) for one mode: 'record' or 'error'."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error" if mode == "error" else "always")
        signal.alarm(60)
        try:
            result = case.fn()
        except BaseException as e:  # noqa: BLE001
            signal.alarm(0)
            if isinstance(e, KeyboardInterrupt):
                raise
            if isinstance(e, SyntaxError):
                raise
            status, detail = judge_error(case, e)
            return status, detail, list(caught)
        signal.alarm(0)
        if case.ok is not None:
            try:
                reason = case.ok(result)
            except Exception as e:  # noqa: BLE001
                reason = f"(checker failed: {type(e).__name__}: {e})"
            if reason is None:
                return "OK", "correct result", list(caught)
            return "SILENT", reason, list(caught)
        return "SILENT", case.silent or "returned without an error", list(caught)


RANK = {"OK": 0, "OBSCURE": 1, "SILENT": 2}


def run_case(case):
    status, detail, caught = run_once(case, "record")
    notes = []
    ws = [
        f"{w.category.__name__} at {os.path.basename(w.filename)}:{w.lineno}: "
        f"{short(w.message, 80)}"
        for w in caught
    ]
    e_status, e_detail, _ = run_once(case, "error")
    final = status
    if ws and status == "SILENT":
        notes.append("only a warning: " + ws[0])
    by_design = case.ok is IEEE
    if by_design:
        pass
    elif "escapes the package" in e_detail and "escapes the package" not in detail:
        notes.append("with -W error: " + e_detail)
        if status == "OK":
            final = "OBSCURE"
    text = detail + ("" if not notes else " || " + " || ".join(notes))
    return final, text


# ---------------------------------------------------------------------- fixtures


def data(n=40, d=3, k=3, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(dtype)
    y = np.arange(n) % k
    rng.shuffle(y)
    return X, y


def mlp(d=3, h=4, k=3, seed=0, dtype=np.float64):
    return hb.Sequential(
        hb.Dense(d, h, rng=seed, dtype=dtype),
        hb.ReLU(),
        hb.Dense(h, k, rng=seed + 1, dtype=dtype),
    )


def fit_setup(n=40, d=3, k=3, lr=0.05, opt=None):
    X, y = data(n, d, k)
    model = mlp(d, 4, k)
    optimizer = (opt or O.SGD)(model.parameters(), lr)
    return model, hb.SoftmaxCrossEntropy(), optimizer, X, y


def fit_with(**kw):
    """hb.fit on a small classifier with the given overrides. ``optimizer`` may be
    a function of the arguments (to build it on the given model)."""
    X, y = data()
    args = dict(model=kw.pop("model", None) or mlp(), loss=kw.pop("loss", None) or SCE(),
                X=kw.pop("X", X), y=kw.pop("y", y))
    opt = kw.pop("optimizer", None)
    if opt is None:
        opt = O.SGD(args["model"].parameters(), 0.05)
    elif isinstance(opt, types.FunctionType):
        opt = opt(args)
    args["optimizer"] = opt
    opts = dict(epochs=2, batch_size=8, rng=0)
    opts.update(kw)
    return hb.fit(args["model"], args["loss"], args["optimizer"], args["X"], args["y"], **opts)


def trained(model, X):
    model.forward(X, training=True)
    return model


def dense_after_forward(n_in=3, n_out=2, n=5):
    layer = hb.Dense(n_in, n_out, rng=0)
    layer.forward(np.ones((n, n_in)))
    return layer


def images(n=4, side=8, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).uniform(0, 1, (n, side * side)).astype(dtype)


# ======================================================================= layers
L = "layers"
C(L, "Dense(3.0, 2)", lambda: hb.Dense(3.0, 2), "Dense", "n_in")
C(L, "Dense(0, 2)", lambda: hb.Dense(0, 2), "Dense", "n_in")
C(L, "Dense(3, -2)", lambda: hb.Dense(3, -2), "Dense", "n_out")
C(L, "Dense(3, 2, init='he') unknown name", lambda: hb.Dense(3, 2, init="he"), "Dense", "init")
C(L, "Dense(3, 2, init=hb.init.normal) uncalled factory",
  lambda: hb.Dense(3, 2, init=I.normal), "Dense", "init")
C(L, "Dense(3, 2, init=hb.init.constant) uncalled factory",
  lambda: hb.Dense(3, 2, init=I.constant), "Dense", "init")
C(L, "Dense(3, 2, init=lambda returning (2, 3)) wrong-shape weights",
  lambda: hb.Dense(3, 2, init=lambda s, r: np.ones((2, 3))).forward(np.ones((4, 3))),
  "Dense", ("init", "W"))
C(L, "Dense(3, 2, init=lambda returning NaN weights)",
  lambda: hb.Dense(3, 2, init=lambda s, r: np.full(s, np.nan)), "Dense", "init",
  ok=lambda r: nan_check(r.W))
C(L, "Dense(3, 2, dtype=np.int64)", lambda: hb.Dense(3, 2, dtype=np.int64, rng=0), "Dense",
  "dtype", ok=lambda r: None if r.W.value.dtype.kind == "f" else
  f"integer weights {r.W.value.ravel().tolist()} (He values truncated to ints)")
C(L, "Dense(3, 2, dtype=np.complex128)", lambda: hb.Dense(3, 2, dtype=np.complex128),
  "Dense", "dtype", silent="complex parameters accepted (forward then asks to convert x to complex)")
C(L, "Dense(3, 2, dtype=bool)", lambda: hb.Dense(3, 2, dtype=bool), "Dense", "dtype",
  silent="boolean weights accepted")
C(L, "Dense(3, 2, dtype='banana')", lambda: hb.Dense(3, 2, dtype="banana"), "Dense", "dtype")
C(L, "Dense(3, 2, rng=1.5)", lambda: hb.Dense(3, 2, rng=1.5), "Dense", "rng")
C(L, "Dense(3, 2, rng=-1)", lambda: hb.Dense(3, 2, rng=-1), "Dense", "rng")
C(L, "Dense(3, 2, bias='no')", lambda: hb.Dense(3, 2, bias="no"), "Dense", "bias",
  ok=lambda r: None if r.b is None else "bias='no' (a string) gives a layer WITH a bias")
C(L, "Dense(3,2).forward(x transposed (3, 5))",
  lambda: hb.Dense(3, 2).forward(np.ones((3, 5))), "Dense", ("input", "x"))
C(L, "Dense(3,2).forward(1-D x)", lambda: hb.Dense(3, 2).forward(np.ones(3)), "Dense", ("input", "x"))
C(L, "Dense(3,2).forward(strings)",
  lambda: hb.Dense(3, 2).forward(np.array([["a", "b", "c"]])), "Dense", "x")
C(L, "Dense(3,2).forward(complex)",
  lambda: hb.Dense(3, 2).forward(np.ones((2, 3)) * 1j), "Dense", "x")
C(L, "Dense(3,2).forward(object array)",
  lambda: hb.Dense(3, 2).forward(np.array([[1, None, 2]], dtype=object)), "Dense", "x")
C(L, "Dense(3,2).forward(float32 x, float64 layer)",
  lambda: hb.Dense(3, 2).forward(np.ones((2, 3), np.float32)), "Dense", ("input", "x"))
C(L, "Dense(3,2).forward(bool x) is converted", lambda: hb.Dense(3, 2).forward(np.ones((2, 3), bool)),
  "Dense", "x", ok=lambda r: None if r.dtype == np.float64 else f"dtype {r.dtype}")
C(L, "Dense(3,2).forward(list of lists)", lambda: hb.Dense(3, 2).forward([[1, 2, 3]]), "Dense",
  "x", ok=ACCEPT)
C(L, "Dense.backward before forward", lambda: hb.Dense(3, 2).backward(np.ones((2, 2))), "Dense",
  "backward")
C(L, "Dense.backward after only an eval forward",
  lambda: (lambda d: (d.forward(np.ones((2, 3)), training=False), d.backward(np.ones((2, 2)))))(
      hb.Dense(3, 2)), "Dense", "backward")
C(L, "Dense.backward(dy of shape (1, 2)) for batch 5",
  lambda: dense_after_forward().backward(np.ones((1, 2))), "Dense", "dy")
C(L, "Dense.backward(dy transposed (2, 5))",
  lambda: dense_after_forward().backward(np.ones((2, 5))), "Dense", "dy")
C(L, "Dense.backward(complex dy)",
  lambda: dense_after_forward().backward(np.ones((5, 2)) * 1j), "Dense", "dy")
C(L, "Dense.backward(string dy)",
  lambda: dense_after_forward().backward(np.full((5, 2), "a")), "Dense", "dy")
C(L, "Dense.backward(list dy) of right shape",
  lambda: dense_after_forward().backward([[1.0, 1.0]] * 5), "Dense", "dy", ok=ACCEPT)
C(L, "Dense.astype(np.int32)", lambda: hb.Dense(3, 2).astype(np.int32), "Dense", "dtype")
C(L, "Dense.astype('banana')", lambda: hb.Dense(3, 2).astype("banana"), "Dense", "dtype")
C(L, "Sequential() empty: forward+backward",
  lambda: (lambda m: (m.forward(np.ones((2, 3))), m.backward(np.ones((2, 3)))))(hb.Sequential()),
  "Sequential", "layers")
C(L, "Sequential(hb.Dense, hb.ReLU) classes, not instances",
  lambda: hb.Sequential(hb.Dense, hb.ReLU).forward(np.ones((2, 3))), "Sequential",
  ("layer", "instance"))
C(L, "Sequential([Dense(3,4), ReLU()]) a list",
  lambda: hb.Sequential([hb.Dense(3, 4), hb.ReLU()]).forward(np.ones((2, 3))), "Sequential",
  "layer")
C(L, "Sequential(Dense(3,4), np.tanh) a function as a layer",
  lambda: hb.Sequential(hb.Dense(3, 4), np.tanh).forward(np.ones((2, 3))), "Sequential", "layer")
C(L, "Sequential(Dense(3,4), Dense(5,2)) mismatched sizes",
  lambda: hb.Sequential(hb.Dense(3, 4), hb.Dense(5, 2)).forward(np.ones((2, 3))), "Dense",
  ("input", "x"))
C(L, "Sequential.astype(float32) then forward(float64)",
  lambda: mlp().astype(np.float32).forward(np.ones((2, 3))), "Dense", ("input", "x"))


def shared_activation_gradcheck():
    act = hb.ReLU()  # one instance used twice: a hurried user's shortcut
    model = hb.Sequential(hb.Dense(3, 4, rng=0), act, hb.Dense(4, 4, rng=1), act, hb.Dense(4, 3, rng=2))
    X, y = data(8)
    rep = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    return rep


C(L, "Sequential reusing one ReLU instance twice (then gradient_check)",
  shared_activation_gradcheck, "Sequential", "layer",
  ok=lambda r: None if r.relative_error < 1e-5 else
  f"backward silently wrong: the 2nd use overwrites the 1st's saved state (gradcheck rel. error {r.relative_error:.2g})")


def shared_dense_gradcheck():
    d = hb.Dense(3, 3, rng=0)
    model = hb.Sequential(d, hb.Tanh(), d)
    X, y = data(8)
    return hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)


C(L, "Sequential(d, Tanh(), d) one Dense used twice (weight sharing)",
  shared_dense_gradcheck, "Sequential", "layer",
  ok=lambda r: None if r.relative_error < 1e-5 else
  f"gradients silently wrong (overwritten, not accumulated; rel. error {r.relative_error:.2g})")
C(L, "Sigmoid().forward(strings)", lambda: hb.Sigmoid().forward(np.array(["a"])), "Sigmoid", ("z", "x"))
C(L, "ReLU().forward(strings)", lambda: hb.ReLU().forward(np.array(["a"])), "ReLU", ("z", "x"))
C(L, "Tanh().forward(strings)", lambda: hb.Tanh().forward(np.array(["a"])), "Tanh", ("z", "x"))
C(L, "Sigmoid().forward(complex)", lambda: hb.Sigmoid().forward(np.array([[1 + 2j]])), "Sigmoid",
  ("z", "x"), silent="complex input gives a complex 'probability'")
C(L, "ReLU().forward(complex)", lambda: hb.ReLU().forward(np.array([[1 + 2j, -1 + 5j]])), "ReLU",
  ("z", "x"), silent="complex input accepted by ReLU")
C(L, "Tanh().forward(object array)", lambda: hb.Tanh().forward(np.array([[1, None]], dtype=object)),
  "Tanh", ("z", "x"))
C(L, "LeakyReLU().forward(list)", lambda: hb.LeakyReLU().forward([[1.0, -2.0]]), "LeakyReLU",
  ("z", "x"), ok=ACCEPT)
C(L, "Sigmoid().forward(list)", lambda: hb.Sigmoid().forward([[1.0, -2.0]]), "Sigmoid", ("z", "x"),
  ok=ACCEPT)
C(L, "ReLU().forward(x with NaN)", lambda: hb.ReLU().forward(np.array([[np.nan, 1.0]])), "ReLU",
  ("z", "x"), ok=lambda r: None if np.isnan(r).any() else
  "NaN silently turned into 0 (np.maximum hides it? no: check)")
C(L, "LeakyReLU(alpha=1.5)", lambda: hb.LeakyReLU(1.5), "LeakyReLU", "alpha")
C(L, "LeakyReLU(alpha='0.1')", lambda: hb.LeakyReLU("0.1"), "LeakyReLU", "alpha")
C(L, "LeakyReLU(alpha=np.nan)", lambda: hb.LeakyReLU(np.nan), "LeakyReLU", "alpha")
C(L, "Sigmoid.backward(dy wrong shape)",
  lambda: (lambda s: (s.forward(np.ones((4, 2))), s.backward(np.ones((1, 2)))))(hb.Sigmoid()),
  "Sigmoid", "dy")
C(L, "ReLU.backward before forward", lambda: hb.ReLU().backward(np.ones((2, 2))), "ReLU", "backward")
C(L, "Dropout(0)", lambda: hb.Dropout(0), "Dropout", "keep_prob")
C(L, "Dropout(50) a percentage", lambda: hb.Dropout(50), "Dropout", "keep_prob")
C(L, "Dropout('0.5')", lambda: hb.Dropout("0.5"), "Dropout", "keep_prob")
C(L, "Dropout(0.5, rng='seed')", lambda: hb.Dropout(0.5, rng="seed"), "Dropout", "rng")
C(L, "Dropout(1.0).backward(dy of wrong shape)",
  lambda: (lambda d: (d.forward(np.ones((4, 3))), d.backward(np.ones((1, 3))))[1])(hb.Dropout(1.0)),
  "Dropout", "dy", ok=lambda r: None if r.shape == (4, 3) else
  f"returns dy of shape {r.shape} for an output of shape (4, 3): no shape check when keep_prob=1")
def dropout_eval_then_backward():
    d = hb.Dropout(0.5, rng=0)
    d.forward(np.ones((4, 3)), training=False)
    return d.backward(np.ones((1, 3)))


C(L, "Dropout(0.5): eval forward only, then backward(dy (1, 3))", dropout_eval_then_backward,
  "Dropout", ("backward", "dy"))
C(L, "Dropout(0.5).forward(strings)", lambda: hb.Dropout(0.5).forward(np.array([["a"]])), "Dropout", "x")
C(L, "BatchNorm(0)", lambda: hb.BatchNorm(0), "BatchNorm", "n")
C(L, "BatchNorm(3, momentum=1.5)", lambda: hb.BatchNorm(3, momentum=1.5), "BatchNorm", "momentum")
C(L, "BatchNorm(3, eps=0)", lambda: hb.BatchNorm(3, eps=0), "BatchNorm", "eps")
C(L, "BatchNorm(3).forward(1 row, training)", lambda: hb.BatchNorm(3).forward(np.ones((1, 3))),
  "BatchNorm", "x")


def bn_float16_constant():
    bn = hb.BatchNorm(2, eps=1e-10, dtype=np.float16)
    x = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]], np.float16)  # first feature constant
    return bn.forward(x)


C(L, "BatchNorm(2, eps=1e-10, dtype=float16) on a constant feature (eps underflows)",
  bn_float16_constant, "BatchNorm", "eps", ok=nan_check)
C(L, "BatchNorm(3, dtype=np.int64) then forward(float)",
  lambda: hb.BatchNorm(3, dtype=np.int64).forward(np.ones((4, 3))), "BatchNorm", "dtype")
C(L, "BatchNorm(3, dtype=np.int64) construction", lambda: hb.BatchNorm(3, dtype=np.int64),
  "BatchNorm", "dtype", silent="integer gamma/beta/running stats accepted")
C(L, "BatchNorm(3).forward(x with NaN) corrupts running stats",
  lambda: (lambda b: (b.forward(np.array([[np.nan, 1, 2], [1, 2, 3]])), b.running_mean)[1])(
      hb.BatchNorm(3)), "BatchNorm", "x", ok=nan_check)
C(L, "Maxout(3, 2, pieces=0)", lambda: hb.Maxout(3, 2, pieces=0), "Maxout", "pieces")
C(L, "Maxout(3, 2, pieces=1.5)", lambda: hb.Maxout(3, 2, pieces=1.5), "Maxout", "pieces")
C(L, "Maxout(3,2).backward before forward", lambda: hb.Maxout(3, 2).backward(np.ones((2, 2))),
  "Maxout", "backward")
C(L, "Maxout(3,2).forward(x (2, 4))", lambda: hb.Maxout(3, 2).forward(np.ones((2, 4))), "Maxout",
  ("input", "x"))
C(L, "Parameter('abc') then SGD.step",
  lambda: (lambda p: (setattr(p, "grad", np.zeros(())), O.SGD([p], 0.1).step()))(hb.Parameter("abc")),
  "Parameter", "value")

# ======================================================================= losses
M = "losses"
SCE = hb.SoftmaxCrossEntropy
z3 = np.random.default_rng(0).normal(size=(4, 3))
C(M, "SCE.forward(z, float labels [0., 1., 2., 0.])",
  lambda: SCE().forward(z3, np.array([0.0, 1.0, 2.0, 0.0])), "SoftmaxCrossEntropy", "labels")
C(M, "SCE.forward(z, label 5 with K=3)", lambda: SCE().forward(z3, np.array([0, 1, 5, 0])),
  "SoftmaxCrossEntropy", "labels")
C(M, "SCE.forward(z, label -1)", lambda: SCE().forward(z3, np.array([0, 1, -1, 0])),
  "SoftmaxCrossEntropy", "labels")
C(M, "SCE.forward(z, one-hot with K+1 columns)", lambda: SCE().forward(z3, np.eye(4)),
  "SoftmaxCrossEntropy", "labels")
C(M, "SCE.forward(z, labels as a (4, 1) column)",
  lambda: SCE().forward(z3, np.array([[0], [1], [2], [0]])), "SoftmaxCrossEntropy", "labels")
C(M, "SCE.forward(1-D logits)", lambda: SCE().forward(np.ones(3), np.array([0, 1, 2])),
  "SoftmaxCrossEntropy", "logits")
C(M, "SCE.forward(empty (0, 3) logits)", lambda: SCE().forward(np.ones((0, 3)), np.array([], int)),
  "SoftmaxCrossEntropy", "logits")
C(M, "SCE.forward(logits with NaN)",
  lambda: SCE().forward(np.array([[np.nan, 1, 2], [0, 1, 2]]), np.array([0, 1])),
  "SoftmaxCrossEntropy", "logits", ok=IEEE)
C(M, "SCE.forward(logits with +inf)",
  lambda: SCE().forward(np.array([[np.inf, 1, 2], [0, 1, 2]]), np.array([0, 1])),
  "SoftmaxCrossEntropy", "logits", ok=IEEE)
C(M, "SCE.forward(int logits, soft label rows [.5,.5,0])",
  lambda: SCE().forward(np.array([[1, 2, 3], [3, 2, 1]]), np.array([[0.5, 0.5, 0], [0, 0.5, 0.5]])),
  "SoftmaxCrossEntropy", ("logits", "dtype"),
  ok=lambda r: None if abs(r - 1.9076) < 0.01 else f"loss {r:.4f}, expected about 1.908")
C(M, "SCE.forward(bool logits)", lambda: SCE().forward(np.array([[True, False]]), np.array([0])),
  "SoftmaxCrossEntropy", "logits", ok=nan_check)
C(M, "SCE.forward(complex logits)", lambda: SCE().forward(z3 * 1j, np.array([0, 1, 2, 0])),
  "SoftmaxCrossEntropy", "logits")
C(M, "SCE.forward(list logits)", lambda: SCE().forward([[1.0, 2.0], [0.0, 1.0]], [0, 1]),
  "SoftmaxCrossEntropy", "logits", ok=lambda r: nan_check(r))
C(M, "SCE.forward(z, string labels ['0','1','2','0'])",
  lambda: SCE().forward(z3, np.array(["0", "1", "2", "0"])), "SoftmaxCrossEntropy", "labels")
C(M, "SCE.forward(z, bool labels)", lambda: SCE().forward(z3[:, :2], np.array([True, False, True, False])),
  "SoftmaxCrossEntropy", "labels")
C(M, "SCE.forward(z, soft rows with a negative entry)",
  lambda: SCE().forward(z3[:1], np.array([[1.5, -0.5, 0.0]])), "SoftmaxCrossEntropy", "label",
  bad_msg=lambda m: "shows only row sums (1 to 1, which look fine), not the negative entry"
  if "row sums from 1 to 1" in m and "entries from -0.5" not in m else None)
C(M, "kl_divergence(plain lists of probabilities)",
  lambda: hb.kl_divergence([0.5, 0.25, 0.25], [0.25, 0.25, 0.5]), "kl_divergence", "p", ok=nan_check)
C(M, "SCE.forward(z, label rows with NaN)",
  lambda: SCE().forward(z3[:1], np.array([[np.nan, 0.5, 0.5]])), "SoftmaxCrossEntropy", "label")
C(M, "SoftmaxCrossEntropy(label_smoothing=1.0)", lambda: SCE(1.0), "SoftmaxCrossEntropy",
  "label_smoothing")
C(M, "SoftmaxCrossEntropy(label_smoothing=-0.1)", lambda: SCE(-0.1), "SoftmaxCrossEntropy",
  "label_smoothing")
C(M, "SCE(0.1).forward with K=1", lambda: SCE(0.1).forward(np.ones((2, 1)), np.array([0, 0])),
  "SoftmaxCrossEntropy", "smoothing")
C(M, "SCE().backward before forward", lambda: SCE().backward(), "SoftmaxCrossEntropy", "backward")
C(M, "SCE().accuracy(z (4,3), y=[0]) one label for 4 rows",
  lambda: SCE().accuracy(z3, np.array([0])), "accuracy", ("y", "labels"),
  silent="broadcasts one label against 4 rows and returns a share")
C(M, "SCE().accuracy(z (4,3), y of length 3)",
  lambda: SCE().accuracy(z3, np.array([0, 1, 2])), "accuracy", ("y", "labels"))
C(M, "SCE().accuracy(z (4,3), float labels)",
  lambda: SCE().accuracy(z3, np.array([0.0, 1.0, 2.0, 0.5])), "accuracy", ("y", "labels"),
  silent="float labels compared to argmax, a 0.5 label silently never matches")
C(M, "SCE().accuracy(1-D z, y)", lambda: SCE().accuracy(np.ones(4), np.array([0, 1, 2, 0])),
  "accuracy", ("z", "logits"))
C(M, "SCE().accuracy(z, y transposed (1,4) 2-D)",
  lambda: SCE().accuracy(z3, np.array([[0, 1, 2, 0]])), "accuracy", ("y", "labels"),
  silent="a (1, 4) label row is argmax'ed to one label and broadcast")
BCE = hb.BinaryCrossEntropy
zb = np.array([[0.5], [-1.0], [2.0], [0.0]])
C(M, "BCE.forward(z (4,1), y (1,4) transposed)", lambda: BCE().forward(zb, np.array([[1, 0, 1, 0]])),
  "BinaryCrossEntropy", "y")
C(M, "BCE.forward(z, label 2)", lambda: BCE().forward(zb, np.array([1, 0, 2, 0])),
  "BinaryCrossEntropy", "y")
C(M, "BCE.forward(z, y with NaN)", lambda: BCE().forward(zb, np.array([1, 0, np.nan, 0])),
  "BinaryCrossEntropy", "y", ok=nan_check)
C(M, "BCE.forward(z with NaN, y)", lambda: BCE().forward(np.array([[np.nan], [1.0]]), np.array([1, 0])),
  "BinaryCrossEntropy", ("z", "output", "logits"), ok=IEEE)
C(M, "BCE.forward(z (4,2), y (4,)) two logits for a binary task",
  lambda: BCE().forward(np.ones((4, 2)), np.array([1, 0, 1, 0])), "BinaryCrossEntropy", "y")
C(M, "BCE.forward(list z) then backward",
  lambda: (lambda b: (b.forward([[0.5], [1.0]], np.array([1, 0])), b.backward())[1])(BCE()),
  "BinaryCrossEntropy", ("z", "output"), ok=ACCEPT)
C(M, "BCE.forward(z, y strings ['a','b',...])",
  lambda: BCE().forward(zb, np.array(["a", "b", "c", "d"])), "BinaryCrossEntropy", "y")
C(M, "BCE.forward(z, y complex)", lambda: BCE().forward(zb, np.array([1, 0, 1, 0]) + 0.5j),
  "BinaryCrossEntropy", "y")
C(M, "BCE.forward(z, bool y) converts", lambda: BCE().forward(zb, np.array([True, False, True, False])),
  "BinaryCrossEntropy", "y", ok=ACCEPT)
C(M, "BCE.forward(z complex)", lambda: BCE().forward(zb * 1j, np.array([1, 0, 1, 0])),
  "BinaryCrossEntropy", "output")
C(M, "BCE.forward(0-d z)", lambda: BCE().forward(np.float64(0.3), 1), "BinaryCrossEntropy", "output")
MSE = hb.MeanSquaredError
C(M, "MSE.forward(out (4,1), y (1,4))", lambda: MSE().forward(np.ones((4, 1)), np.ones((1, 4))),
  "MeanSquaredError", "y")
C(M, "MSE.forward(out (4,1), y (4,2))", lambda: MSE().forward(np.ones((4, 1)), np.ones((4, 2))),
  "MeanSquaredError", "y")
C(M, "MSE.forward(out, y with NaN)", lambda: MSE().forward(np.ones((2, 1)), np.array([1.0, np.nan])),
  "MeanSquaredError", "y", ok=nan_check)
C(M, "MSE.forward(out, y complex)", lambda: MSE().forward(np.ones((2, 1)), np.array([1 + 1j, 2 + 0j])),
  "MeanSquaredError", "y")
C(M, "MSE.forward(out, y strings)", lambda: MSE().forward(np.ones((2, 1)), np.array(["a", "b"])),
  "MeanSquaredError", "y")
C(M, "MSE.forward(out, y objects with None)",
  lambda: MSE().forward(np.ones((2, 1)), np.array([1.0, None], dtype=object)), "MeanSquaredError", "y",
  ok=lambda r: (nan_check(r) and "None label silently becomes NaN; loss nan") or "accepted an object array")
C(M, "MSE.forward(float16 out of 300s) overflow",
  lambda: MSE().forward(np.full((2, 1), 300, np.float16), np.zeros(2)), "MeanSquaredError", "output",
  ok=IEEE)
C(M, "MSE.forward(out (0,1) empty)", lambda: MSE().forward(np.ones((0, 1)), np.ones(0)),
  "MeanSquaredError", "output")
C(M, "MSE.forward(list out)", lambda: MSE().forward([[1.0], [2.0]], [1.0, 2.0]), "MeanSquaredError",
  "output", ok=lambda r: None if r == 0 else f"{r}")
C(M, "MSE.backward before forward", lambda: MSE().backward(), "MeanSquaredError", "backward")
C(M, "hb.softmax(list)", lambda: hb.softmax([1.0, 2.0, 3.0]), "softmax", "z",
  ok=lambda r: None if np.allclose(np.sum(r), 1) else "not a distribution")
C(M, "hb.log_softmax(list)", lambda: hb.log_softmax([1.0, 2.0]), "log_softmax", "z", ok=ACCEPT)
C(M, "hb.softmax(row with +inf)", lambda: hb.softmax(np.array([[np.inf, 0.0]])), "softmax", "z",
  ok=IEEE)
C(M, "hb.softmax(row all -inf)", lambda: hb.softmax(np.array([[-np.inf, -np.inf]])), "softmax", "z",
  ok=IEEE)
C(M, "hb.softmax((3, 0) array)", lambda: hb.softmax(np.ones((3, 0))), "softmax", "z")
C(M, "hb.softmax(strings)", lambda: hb.softmax(np.array(["a", "b"])), "softmax", "z")
C(M, "hb.softmax(complex)", lambda: hb.softmax(np.array([1 + 1j, 2 + 0j])), "softmax", "z",
  silent="complex 'probabilities' returned")
C(M, "hb.softmax(int array)", lambda: hb.softmax(np.array([1, 2, 3])), "softmax", "z",
  ok=lambda r: None if np.allclose(r.sum(), 1) else "not a distribution")
C(M, "kl_divergence(p (3,), q (4,))",
  lambda: hb.kl_divergence(np.ones(3) / 3, np.ones(4) / 4), "kl_divergence", ("q", "shape"))
C(M, "kl_divergence(p with NaN, q)", lambda: hb.kl_divergence(np.array([np.nan, 1.0]), np.array([0.5, 0.5])),
  "kl_divergence", "p")
C(M, "kl_divergence(p, q with a 0 where p > 0) is inf",
  lambda: hb.kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 0.0])), "kl_divergence", "q",
  ok=lambda r: None if np.isinf(r) else f"{r}")
C(M, "kl_divergence(strings)", lambda: hb.kl_divergence(np.array(["a"]), np.array(["b"])),
  "kl_divergence", "p")
C(M, "kl_divergence(complex p)", lambda: hb.kl_divergence(np.array([0.5 + 0j, 0.5]), np.array([0.5, 0.5])),
  "kl_divergence", "p")
C(M, "kl_divergence(lists) percentages [50, 50]",
  lambda: hb.kl_divergence([50, 50], [50, 50]), "kl_divergence", "p")

# ======================================================================== optim
Op = "optim"
params = lambda: mlp().parameters()  # noqa: E731
C(Op, "SGD([], 0.1)", lambda: O.SGD([], 0.1), "SGD", "params")
C(Op, "SGD(model, 0.1) model instead of parameters, then step",
  lambda: (lambda m: (O.SGD(m, 0.1)))(mlp()), "SGD", "params",
  silent="optimizer built on the model's LAYERS (Sequential is iterable); fails only at step")
def sgd_on_model_step():
    model = trained_grads()
    O.SGD(model, 0.1).step()
    return model


C(Op, "SGD(model, 0.1).step() after a backward", sgd_on_model_step, "SGD", "params")
C(Op, "SGD(Dense(3,2), 0.1) a layer instead of parameters",
  lambda: O.SGD(hb.Dense(3, 2), 0.1), "SGD", "params")
C(Op, "SGD(model.parameters, 0.1) method not called",
  lambda: O.SGD(mlp().parameters, 0.1), "SGD", "params")
C(Op, "Adam([np.zeros(3)]) arrays instead of Parameters",
  lambda: O.Adam([np.zeros(3)]), "Adam", "params")
C(Op, "SGD(params, lr=-1)", lambda: O.SGD(params(), -1), "SGD", "lr")
C(Op, "SGD(params, lr=np.nan)", lambda: O.SGD(params(), np.nan), "SGD", "lr")
C(Op, "SGD(params, lr=np.inf)", lambda: O.SGD(params(), np.inf), "SGD", "lr")
C(Op, "SGD(params, lr='0.1')", lambda: O.SGD(params(), "0.1"), "SGD", "lr")
C(Op, "SGD(params, lr=None)", lambda: O.SGD(params(), None), "SGD", "lr")
C(Op, "SGD(params, lr=np.array([0.1]))", lambda: O.SGD(params(), np.array([0.1])), "SGD", "lr")
C(Op, "Momentum(params, 0.1, beta=1)", lambda: O.Momentum(params(), 0.1, beta=1), "Momentum", "beta")
C(Op, "Momentum(params, 0.1, beta=-0.1)", lambda: O.Momentum(params(), 0.1, beta=-0.1), "Momentum", "beta")
C(Op, "Nesterov(params, 0.1, beta=0.99) swapped args? beta=90",
  lambda: O.Nesterov(params(), 0.1, beta=90), "Nesterov", "beta")
C(Op, "Adam(params, beta1=1.0)", lambda: O.Adam(params(), beta1=1.0), "Adam", "beta1")
C(Op, "Adam(params, beta2=1.0)", lambda: O.Adam(params(), beta2=1.0), "Adam", "beta2")
C(Op, "Adam(params, eps=0)", lambda: O.Adam(params(), eps=0), "Adam", "eps")
C(Op, "Adam(params, eps='1e-8')", lambda: O.Adam(params(), eps="1e-8"), "Adam", "eps")
C(Op, "Adam(float16 params, eps=1e-8) underflows",
  lambda: O.Adam(mlp(dtype=np.float16).parameters(), eps=1e-8), "Adam", "eps")
C(Op, "RMSprop(float16 params) default eps underflows",
  lambda: O.RMSprop(mlp(dtype=np.float16).parameters(), 0.01), "RMSprop", "eps")
C(Op, "AdaGrad(params, 0.1, eps=-1)", lambda: O.AdaGrad(params(), 0.1, eps=-1), "AdaGrad", "eps")
C(Op, "AdamW(params, weight_decay=-0.1)", lambda: O.AdamW(params(), weight_decay=-0.1), "AdamW",
  "weight_decay")
C(Op, "AdamW(params, lr=10, weight_decay=1) shrink factor 1-lr*wd = -9",
  lambda: O.AdamW(params(), lr=10, weight_decay=1), "AdamW", ("weight_decay", "lr"),
  silent="lr * weight_decay = 10 > 1: every step flips and multiplies the weights by -9")


def step_before_backward():
    model = mlp()
    opt = O.Adam(model.parameters(), lr=0.1)
    before = [p.value.copy() for p in model.parameters()]
    opt.step()
    return opt, before, model


C(Op, "Adam.step() before any backward", step_before_backward, "Adam", ("step", "grad", "backward"),
  silent="does nothing (no gradients) but counts a step (t=1), shifting Adam's bias correction")


def nan_lr_step():
    model = mlp()
    X, y = data(8)
    opt = O.SGD(model.parameters(), 0.1)
    loss = SCE()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    opt.lr = float("nan")  # what a broken schedule does
    opt.step()
    return model.parameters()[0].value


C(Op, "optimizer.lr = nan then step()", nan_lr_step, "SGD", "lr", ok=nan_check)


def wrong_grad_shape_step():
    p = hb.Parameter(np.zeros((3, 2)), name="W")
    p.grad = np.ones((1, 2))  # a custom layer's bug: a row instead of the matrix
    O.SGD([p], 0.1).step()
    return p


C(Op, "SGD.step with a (1, 2) grad for a (3, 2) parameter", wrong_grad_shape_step, "SGD", "grad",
  silent="the (1, 2) gradient is broadcast over all 3 rows without a word")


def wrong_grad_shape_adam():
    p = hb.Parameter(np.zeros((3, 2)), name="W")
    p.grad = np.ones((1, 2))
    O.Adam([p], 0.1).step()
    return p


C(Op, "Adam.step with a (1, 2) grad for a (3, 2) parameter", wrong_grad_shape_adam, "Adam", "grad",
  silent="broadcast update")


def complex_grad_step():
    p = hb.Parameter(np.zeros(2), name="b")
    p.grad = np.array([1 + 1j, 0])
    O.SGD([p], 0.1).step()
    return p


C(Op, "SGD.step with a complex grad", complex_grad_step, "SGD", "grad")


def astype_after_optimizer():
    model, loss, _, X, y = fit_setup()
    opt = O.Adam(model.parameters(), lr=0.01)
    model.astype(np.float32)
    h = hb.fit(model, loss, opt, X.astype(np.float32), y, epochs=3, batch_size=8, rng=0)
    return h, model


C(Op, "Adam built, then model.astype(float32), then fit", astype_after_optimizer, "Adam", "dtype",
  ok=lambda r: None if r[0].train_loss[-1] < r[0].train_loss[0] and
  r[1].parameters()[0].value.dtype == np.float32 else "did not train")
C(Op, "clip_by_norm(params, 0)", lambda: O.clip_by_norm(params(), 0), "clip_by_norm", "max_norm")
C(Op, "clip_by_value(params, -1)", lambda: O.clip_by_value(params(), -1), "clip_by_value", "limit")
C(Op, "clip_by_norm(model, 1.0) model instead of params",
  lambda: O.clip_by_norm(trained_grads(), 1.0), "clip_by_norm", "params")


def trained_grads():
    model = mlp()
    X, y = data(8)
    loss = SCE()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    return model


def nan_grad_clip():
    model = trained_grads()
    model.parameters()[0].grad[0, 0] = np.nan
    return O.clip_by_norm(model.parameters(), 1.0)


C(Op, "clip_by_norm with a NaN gradient", nan_grad_clip, "clip_by_norm", "grad", ok=nan_check)
C(Op, "clip_by_norm(params) before any backward",
  lambda: O.clip_by_norm(params(), 1.0), "clip_by_norm", "grad",
  silent="returns norm 0.0 before any backward: nothing to clip, nothing said")
C(Op, "ewma(values, beta=1)", lambda: O.ewma([1, 2], 1), "ewma", "beta")
C(Op, "ewma(strings)", lambda: O.ewma(["a", "b"], 0.9), "ewma", "values")
C(Op, "ewma(2-D values)", lambda: O.ewma(np.ones((3, 2)), 0.9), "ewma", "values")
C(Op, "ewma(generator)", lambda: O.ewma((x for x in [1, 2, 3]), 0.9), "ewma", "values")
C(Op, "ewma(values with NaN)", lambda: O.ewma([1.0, np.nan, 2.0], 0.9), "ewma", "values", ok=nan_check)
C(Op, "Adam.state_of('m')", lambda: O.Adam(params()).state_of("m"), "Adam", "name")

# ==================================================================== schedules
Sc = "schedules"
C(Sc, "inverse_time(0.1, -1)", lambda: S.inverse_time(0.1, -1), "inverse_time", "decay_rate")
C(Sc, "inverse_time(0, 1)", lambda: S.inverse_time(0, 1), "inverse_time", "lr0")
C(Sc, "exponential(0.1, base=1.5)", lambda: S.exponential(0.1, 1.5), "exponential", "base")
C(Sc, "step(0.1, every=0)", lambda: S.step(0.1, every=0), "step", "every")
C(Sc, "step(0.1, every=2.5)", lambda: S.step(0.1, every=2.5), "step", "every")
C(Sc, "step(0.1, drop=2)", lambda: S.step(0.1, drop=2), "step", "drop")
C(Sc, "linear(0.1, lr_min=0.5, steps=10) floor above start",
  lambda: [S.linear(0.1, 0.5, 10)(t) for t in (1, 10)], "linear", "lr_min",
  ok=lambda r: None if r[1] <= r[0] else f"a 'decay' that rises from {r[0]:.2f} to {r[1]:.2f}")
C(Sc, "cosine(0.1, 10, lr_min=0.5) floor above start",
  lambda: [S.cosine(0.1, 10, 0.5)(t) for t in (0, 10)], "cosine", "lr_min",
  ok=lambda r: None if r[1] <= r[0] else f"a 'decay' that rises from {r[0]:.2f} to {r[1]:.2f}")
C(Sc, "inverse_sqrt(0.1, k=0)", lambda: S.inverse_sqrt(0.1, k=0), "inverse_sqrt", "k")
C(Sc, "step(0.1)(-1)", lambda: S.step(0.1)(-1), "step", ("epoch", "t"))
C(Sc, "step(0.1)('3') epoch as a string", lambda: S.step(0.1)("3"), "step", ("epoch", "t"))
C(Sc, "step(0.1)(None)", lambda: S.step(0.1)(None), "step", ("epoch", "t"))
C(Sc, "step(0.1)(np.nan)", lambda: S.step(0.1)(np.nan), "step", ("epoch", "t"), ok=nan_check)
C(Sc, "warmup(schedule, 0)", lambda: S.warmup(S.step(0.1), 0), "warmup", "warmup_steps")
C(Sc, "warmup('0.1', 5)", lambda: S.warmup("0.1", 5), "warmup", "schedule")
C(Sc, "warmup(hb.schedules.step, 5)(3) uncalled factory",
  lambda: S.warmup(S.step, 5)(3), "warmup", "schedule")
C(Sc, "warmup(-0.1, 5)", lambda: S.warmup(-0.1, 5), "warmup", "schedule")
C(Sc, "fit(schedule=0.1) a number, not a schedule", lambda: fit_with(schedule=0.1), "hb.fit",
  "schedule")
C(Sc, "fit(schedule=hb.schedules.step) uncalled factory", lambda: fit_with(schedule=S.step),
  "hb.fit", "schedule")
C(Sc, "fit(schedule=lambda e: -0.1) negative rate", lambda: fit_with(schedule=lambda e: -0.1, epochs=3),
  "hb.fit", ("schedule", "lr"),
  silent="trains with lr = -0.1 (gradient ascent) and records it without a word")
C(Sc, "fit(schedule=lambda e: np.nan)", lambda: fit_with(schedule=lambda e: np.nan, epochs=3),
  "hb.fit", ("schedule", "lr"))
C(Sc, "fit(schedule=lambda e: '0.1') a string rate", lambda: fit_with(schedule=lambda e: "0.1"),
  "hb.fit", ("schedule", "lr"))

# =============================================================== regularization
R = "regularization"
C(R, "L2(-1)", lambda: hb.L2(-1), "L2", "lambd")
C(R, "L2(np.nan)", lambda: hb.L2(np.nan), "L2", "lambd")
C(R, "L2('0.1')", lambda: hb.L2("0.1"), "L2", "lambd")
C(R, "L1(None)", lambda: hb.L1(None), "L1", "lambd")
C(R, "L2(0.1).penalty(model, m=0)", lambda: hb.L2(0.1).penalty(mlp(), 0), "L2", "m")
C(R, "L2(0.1).penalty(model, m=-5)", lambda: hb.L2(0.1).penalty(mlp(), -5), "L2", "m",
  ok=lambda r: None if r >= 0 else f"negative penalty {r:.3g}")
C(R, "L2(0.1).penalty(model, m=2.5)", lambda: hb.L2(0.1).penalty(mlp(), 2.5), "L2", "m",
  silent="a fractional batch size accepted")
C(R, "L2(0.1).add_gradient before backward", lambda: hb.L2(0.1).add_gradient(mlp(), 10), "L2",
  ("grad", "backward"))
C(R, "L1(0.1).add_gradient before backward", lambda: hb.L1(0.1).add_gradient(mlp(), 10), "L1",
  ("grad", "backward"))
C(R, "L2(0.1).penalty(model.parameters, 10) method not called",
  lambda: hb.L2(0.1).penalty(mlp().parameters, 10), "L2", "model")
C(R, "L2(0.1).penalty(np.ones(3), 10) an array instead of a model",
  lambda: hb.L2(0.1).penalty(np.ones(3), 10), "L2", "model")
C(R, "soft_threshold(w, -1)", lambda: hb.soft_threshold(np.ones(3), -1), "soft_threshold", "threshold")
C(R, "soft_threshold(w, np.array([0.1, 0.2]))",
  lambda: hb.soft_threshold(np.ones(2), np.array([0.1, 0.2])), "soft_threshold", "threshold")
C(R, "soft_threshold(strings, 0.1)", lambda: hb.soft_threshold(np.array(["a"]), 0.1), "soft_threshold", "w")
C(R, "soft_threshold(list, 0.1)", lambda: hb.soft_threshold([1.0, -0.05], 0.1), "soft_threshold", "w",
  ok=lambda r: None if np.allclose(r, [0.9, 0]) else f"{r}")
C(R, "fit(regularizer=hb.L2) the class", lambda: fit_with(regularizer=hb.L2), "hb.fit", "regularizer")
C(R, "fit(regularizer=0.01) a number", lambda: fit_with(regularizer=0.01), "hb.fit", "regularizer")
C(R, "fit(regularizer=L2(0.1)) works",
  lambda: fit_with(regularizer=hb.L2(0.1)), "hb.fit", "regularizer", ok=lambda h: nan_check(h.train_loss))

# ===================================================================== training
Tr = "training"
C(Tr, "fit(model=hb.Sequential) class",
  lambda: fit_with(model=hb.Sequential, optimizer=O.SGD(mlp().parameters(), 0.1)), "hb.fit", "model")
C(Tr, "fit(loss=hb.SoftmaxCrossEntropy) class", lambda: fit_with(loss=SCE), "hb.fit", "loss")
C(Tr, "fit(optimizer=O.SGD) class", lambda: fit_with(optimizer=O.SGD), "hb.fit", "optimizer")
C(Tr, "fit(loss=hb.softmax) a function, not a loss", lambda: fit_with(loss=hb.softmax), "hb.fit", "loss")
C(Tr, "fit(loss='cross_entropy') a string", lambda: fit_with(loss="cross_entropy"), "hb.fit", "loss")
C(Tr, "fit(optimizer of another model)",
  lambda: fit_with(optimizer=lambda a: O.SGD(mlp(seed=5).parameters(), 0.1)), "hb.fit", "optimizer")
C(Tr, "fit(optimizer=0.1) a learning rate", lambda: fit_with(optimizer=0.1), "hb.fit", "optimizer")
C(Tr, "fit(optimizer on params listed twice)",
  lambda: fit_with(optimizer=lambda a: O.SGD(a["model"].parameters() * 2, 0.1)), "hb.fit", "optimizer")
C(Tr, "fit(epochs=0)", lambda: fit_with(epochs=0), "hb.fit", "epochs")
C(Tr, "fit(epochs=2.0)", lambda: fit_with(epochs=2.0), "hb.fit", "epochs")
C(Tr, "fit(batch_size=0)", lambda: fit_with(batch_size=0), "hb.fit", "batch_size")
C(Tr, "fit(batch_size=True)", lambda: fit_with(batch_size=True), "hb.fit", "batch_size")
C(Tr, "fit(batch_size=None)", lambda: fit_with(batch_size=None), "hb.fit", "batch_size")
C(Tr, "fit(X 40 rows, y 39 labels)", lambda: fit_with(y=data()[1][:39]), "hb.fit", ("X and y", "y"))
C(Tr, "fit(X list of lists, y list) converted",
  lambda: fit_with(X=data()[0].tolist(), y=data()[1].tolist()), "hb.fit", ("X", "y"),
  ok=lambda h: nan_check(h.train_loss))
C(Tr, "fit(X array, y list) converted", lambda: fit_with(y=data()[1].tolist()), "hb.fit", "y",
  ok=lambda h: nan_check(h.train_loss))
C(Tr, "fit(X transposed (3, 40))", lambda: fit_with(X=data()[0].T), "hb.fit", ("X", "X and y"))
C(Tr, "fit(X 1-D)", lambda: fit_with(X=data()[0][:, 0]), "Dense", ("input", "x"))
C(Tr, "fit(X empty, y empty)", lambda: fit_with(X=np.ones((0, 3)), y=np.array([], int)), "hb.fit", "X")
C(Tr, "fit(X None)", lambda: fit_with(X=None), "hb.fit", "X")
C(Tr, "fit(X with a NaN)", lambda: fit_with(X=np.where(np.eye(40, 3) > 0, np.nan, data()[0])), "hb.fit",
  "X")
C(Tr, "fit(X with an inf)", lambda: fit_with(X=np.where(np.eye(40, 3) > 0, np.inf, data()[0])), "hb.fit",
  "X")
C(Tr, "fit(X float32, model float64)", lambda: fit_with(X=data()[0].astype(np.float32)), "Dense",
  ("input", "x"))
C(Tr, "fit(X int) converted", lambda: fit_with(X=(data()[0] * 3).astype(int)), "hb.fit", "X",
  ok=lambda h: nan_check(h.train_loss))
C(Tr, "fit(X complex)", lambda: fit_with(X=data()[0] + 0j), ("hb.fit", "Dense"), ("X", "x"))
C(Tr, "fit(X strings)", lambda: fit_with(X=data()[0].astype(str)), ("hb.fit", "Dense"), ("X", "x"))
C(Tr, "fit(y float labels)", lambda: fit_with(y=data()[1].astype(float)), "SoftmaxCrossEntropy", "labels")
C(Tr, "fit(y out of range for K=3)", lambda: fit_with(y=data()[1] + 1), "SoftmaxCrossEntropy", "labels")
C(Tr, "fit(y as (n, 1) column)", lambda: fit_with(y=data()[1][:, None]), "SoftmaxCrossEntropy", "labels")
C(Tr, "fit(y one-hot with 4 columns for 3 outputs)",
  lambda: fit_with(y=np.eye(4)[data()[1]]), "SoftmaxCrossEntropy", "labels")
C(Tr, "fit(validation=(X_dev,))", lambda: fit_with(validation=(data()[0],)), "hb.fit", "validation")
C(Tr, "fit(validation=X_dev) an array", lambda: fit_with(validation=data()[0]), "hb.fit", "validation")
C(Tr, "fit(validation=(X_dev, y_dev) mismatched rows)",
  lambda: fit_with(validation=(data()[0], data()[1][:5])), "hb.fit", ("X and y", "validation"))
C(Tr, "fit(validation=(X_dev with 4 features, y))",
  lambda: fit_with(validation=(data(d=4)[0], data()[1])), "hb.fit", ("validation", "X_dev"))
C(Tr, "fit(validation=(X_dev, float y_dev))",
  lambda: fit_with(validation=(data()[0], data()[1] * 1.0)), "hb.fit", ("validation", "y_dev", "labels"))
C(Tr, "fit(validation=(X_dev with NaN, y_dev))",
  lambda: fit_with(validation=(np.full((5, 3), np.nan), data()[1][:5])), "hb.fit", ("dev", "X_dev"))
C(Tr, "fit(validation=(X_dev as list, y_dev as list))",
  lambda: fit_with(validation=(data()[0].tolist(), data()[1].tolist())), "hb.fit", "validation",
  ok=lambda h: None if len(h.dev_loss) == 2 else "no dev loss")
C(Tr, "fit(early_stopping without validation)",
  lambda: fit_with(early_stopping=hb.EarlyStopping()), "hb.fit", "early_stopping")
C(Tr, "fit(early_stopping=hb.EarlyStopping) the class",
  lambda: fit_with(early_stopping=hb.EarlyStopping, validation=data()), "hb.fit", "early_stopping")
C(Tr, "fit(early_stopping=5) a patience number",
  lambda: fit_with(early_stopping=5, validation=data()), "hb.fit", "early_stopping")
C(Tr, "EarlyStopping(patience=0)", lambda: hb.EarlyStopping(patience=0), "EarlyStopping", "patience")
C(Tr, "EarlyStopping(patience=True)", lambda: hb.EarlyStopping(patience=True), "EarlyStopping", "patience")
C(Tr, "EarlyStopping(min_delta=-1)", lambda: hb.EarlyStopping(min_delta=-1), "EarlyStopping", "min_delta")
C(Tr, "EarlyStopping(monitor='val_loss')", lambda: hb.EarlyStopping(monitor="val_loss"),
  "EarlyStopping", "monitor")


def es_dev_acc_mse():
    model = hb.Sequential(hb.Dense(3, 1, rng=0))
    X, y = data()
    return hb.fit(model, MSE(), O.SGD(model.parameters(), 0.01), X, y * 1.0, epochs=2, batch_size=8,
                  validation=(X, y * 1.0), early_stopping=hb.EarlyStopping(monitor="dev_acc"))


C(Tr, "fit(early_stopping=EarlyStopping(monitor='dev_acc')) with MSE", es_dev_acc_mse, "hb.fit",
  "early_stopping")


def es_reuse():
    es = hb.EarlyStopping(patience=2)
    X, y = data()
    h1 = fit_with(validation=(X, y), early_stopping=es, epochs=6)
    h2 = fit_with(validation=(X, y), early_stopping=es, epochs=6)
    return h1, h2, es


C(Tr, "EarlyStopping reused across two runs", es_reuse, "EarlyStopping", "reset",
  ok=lambda r: None if r[1].best_epoch is not None and r[1].best_epoch <= r[1].epochs_run else "stale best")
C(Tr, "fit(SGD lr=1e4) huge learning rate", lambda: fit_with(optimizer=lambda a: O.SGD(a["model"].parameters(), 1e4), epochs=10),
  "hb.fit", "epoch")
C(Tr, "fit(Adam lr=50) huge learning rate",
  lambda: fit_with(optimizer=lambda a: O.Adam(a["model"].parameters(), 50.0), epochs=30), "hb.fit", "epoch",
  silent="trains 30 epochs at lr=50 without stopping")
C(Tr, "fit(MSE regression, SGD lr=1.0) diverging",
  lambda: (lambda m: hb.fit(m, MSE(), O.SGD(m.parameters(), 1.0), data()[0] * 10, data()[1] * 1.0,
                            epochs=20, batch_size=8, rng=0))(hb.Sequential(hb.Dense(3, 1, rng=0))),
  "hb.fit", "epoch", silent="diverging regression not stopped")
C(Tr, "fit(X scaled by 1e300) overflow", lambda: fit_with(X=data()[0] * 1e300), "hb.fit", ("epoch", "loss"))
C(Tr, "fit(SGD lr=1e30)", lambda: fit_with(optimizer=lambda a: O.SGD(a["model"].parameters(), 1e30), epochs=5),
  "hb.fit", "epoch")
C(Tr, "fit(MSE, targets 1e200)", lambda: (lambda m: hb.fit(m, MSE(), O.SGD(m.parameters(), 0.01), data()[0],
                                                          np.full(40, 1e200), epochs=3, batch_size=8))(
    hb.Sequential(hb.Dense(3, 1, rng=0))), "hb.fit", ("epoch", "loss"))
C(Tr, "fit(divergence=1)", lambda: fit_with(divergence=1), "hb.fit", "divergence")
C(Tr, "fit(divergence=np.inf)", lambda: fit_with(divergence=np.inf), "hb.fit", "divergence")
C(Tr, "fit(clip_norm=-1)", lambda: fit_with(clip_norm=-1), "hb.fit", "clip_norm")
C(Tr, "fit(clip_norm=np.nan)", lambda: fit_with(clip_norm=np.nan), "hb.fit", "clip_norm")
C(Tr, "fit(clip_norm='1')", lambda: fit_with(clip_norm="1"), "hb.fit", "clip_norm")
C(Tr, "fit(clip_norm=0) 'clip to zero'", lambda: fit_with(clip_norm=0), "hb.fit", "clip_norm",
  silent="clip_norm=0 is treated as 'no clipping' without a word")
C(Tr, "fit(rng='seed')", lambda: fit_with(rng="seed"), "hb.fit", "rng")
C(Tr, "fit(rng=1.5)", lambda: fit_with(rng=1.5), "hb.fit", "rng")


def bn_last_batch_of_one():
    X, y = data(33)
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.ReLU(), hb.Dense(4, 3, rng=1))
    return hb.fit(model, SCE(), O.SGD(model.parameters(), 0.1), X, y, epochs=1, batch_size=32)


C(Tr, "fit(BatchNorm model, 33 rows, batch_size=32) last batch of 1", bn_last_batch_of_one,
  ("hb.fit", "BatchNorm"), ("batch_size", "x"),
  bad_msg=lambda m: "does not say it is fit's last mini-batch (33 rows, batch_size=32)"
  if "batch_size" not in m and "mini-batch" not in m else None)


def float16_training():
    X, y = data()
    model = mlp(dtype=np.float16)
    return hb.fit(model, SCE(), O.Adam(model.parameters(), 0.01, eps=1e-4), X.astype(np.float16), y,
                  epochs=5, batch_size=8, rng=0)


C(Tr, "fit(float16 model and data, Adam eps=1e-4)", float16_training, "hb.fit", "dtype",
  ok=lambda h: nan_check(h.train_loss) or (None if h.train_loss[-1] < h.train_loss[0] else "no progress"))


def dense_with_validation():
    model = hb.Dense(3, 3, rng=0)
    X, y = data()
    return hb.fit(model, SCE(), O.SGD(model.parameters(), 0.1), X, y, epochs=1, batch_size=8,
                  validation=(X, y))


C(Tr, "fit(model=Dense(3,3)) a bare layer with validation", dense_with_validation, "hb.fit", "model",
  ok=lambda h: nan_check(h.dev_loss))


def dense_no_validation():
    model = hb.Dense(3, 3, rng=0)
    X, y = data()
    return hb.fit(model, SCE(), O.SGD(model.parameters(), 0.1), X, y, epochs=2, batch_size=8)


C(Tr, "fit(model=Dense(3,3)) a bare layer, no validation", dense_no_validation, "hb.fit", "model",
  ok=lambda h: nan_check(h.train_loss))
C(Tr, "fit(model with 2 outputs, labels up to 2)",
  lambda: fit_with(model=mlp(k=2)), "SoftmaxCrossEntropy", "labels")
C(Tr, "fit(MSE, y (n,) for 3 outputs)",
  lambda: fit_with(loss=MSE(), y=data()[1] * 1.0), "MeanSquaredError", "y")
C(Tr, "fit(shuffle='no')", lambda: fit_with(shuffle="no"), "hb.fit", "shuffle",
  silent="shuffle='no' (a truthy string) shuffles")
C(Tr, "fit(progress='no')", lambda: fit_with(progress="no"), "hb.fit", "progress",
  silent="progress='no' shows a progress bar")


def fit_twice_same_model():
    model, loss, opt, X, y = fit_setup()
    h1 = hb.fit(model, loss, opt, X, y, epochs=3, batch_size=8, rng=0)
    h2 = hb.fit(model, loss, opt, X, y, epochs=3, batch_size=8, rng=0)
    return h1, h2


C(Tr, "fit called twice on the same model/optimizer continues", fit_twice_same_model, "hb.fit", "model",
  ok=lambda r: None if r[1].train_loss[0] < r[0].train_loss[0] else "restarted?")
C(Tr, "fit(X, y) with X of 1 row", lambda: fit_with(X=data()[0][:1], y=data()[1][:1]), "hb.fit", "X",
  ok=lambda h: nan_check(h.train_loss))
C(Tr, "fit(y one-hot float rows) accepted",
  lambda: fit_with(y=np.eye(3)[data()[1]]), "hb.fit", "y", ok=lambda h: nan_check(h.train_acc))


def fit_lr_zero():
    return fit_with(optimizer=lambda a: O.SGD(a["model"].parameters(), 0.0), epochs=3)


C(Tr, "fit(SGD lr=0)", fit_lr_zero, ("SGD", "hb.fit"), "lr",
  ok=lambda h: None if h.train_loss[-1] != h.train_loss[0] else
  "lr=0 accepted: trains 3 epochs and changes nothing")

# ========================================================================= data
Da = "data"
X40, y40 = data()
C(Da, "split(X, y, ratios=(0.5, 0.5, 0.5))", lambda: D.split(X40, y40, (0.5, 0.5, 0.5)), "split", "ratios")
C(Da, "split(X, y, ratios=(60, 20, 20)) percentages", lambda: D.split(X40, y40, (60, 20, 20)), "split", "ratios")
C(Da, "split(X, y, ratios=(1.0,))", lambda: D.split(X40, y40, (1.0,)), "split", "ratios")
C(Da, "split(X, y, ratios=(0.7, 0.3, 0))", lambda: D.split(X40, y40, (0.7, 0.3, 0)), "split", "ratios")
C(Da, "split(X, y, ratios=0.8) a scalar", lambda: D.split(X40, y40, 0.8), "split", "ratios")
C(Da, "split(X, y, ratios=('a', 'b'))", lambda: D.split(X40, y40, ("a", "b")), "split", "ratios")
C(Da, "split(X, y, ratios=(0.8, np.nan))", lambda: D.split(X40, y40, (0.8, np.nan)), "split", "ratios")
C(Da, "split(X, y, ratios=None)", lambda: D.split(X40, y40, None), "split", "ratios")
C(Da, "split(X 40 rows, y 30)", lambda: D.split(X40, y40[:30]), "split", ("X and y", "y"))
C(Da, "split(X list, y list)", lambda: D.split(X40.tolist(), y40.tolist()), "split", ("X", "y"),
  ok=ACCEPT)  # lists are converted
C(Da, "split(X array, y list, stratify=True)", lambda: D.split(X40, y40.tolist(), stratify=True),
  "split", "y", ok=ACCEPT)
C(Da, "split(X, one-hot y (n, K), stratify=True)",
  lambda: D.split(X40, np.eye(3)[y40], stratify=True, rng=0), "split", ("y", "stratify"),
  ok=lambda r: None if sum(len(p[0]) for p in r) == 40 else
  f"set sizes {[len(p[0]) for p in r]} for 40 rows")
C(Da, "split(X, y with a NaN, stratify=True)",
  lambda: D.split(X40, np.where(np.arange(40) == 0, np.nan, y40 * 1.0), stratify=True, rng=0),
  "split", ("y", "stratify"))
C(Da, "split(X, continuous y, stratify=True)",
  lambda: D.split(X40, np.linspace(0, 1, 40), stratify=True), "split", "stratify")
C(Da, "split(2 rows, 3 ratios)", lambda: D.split(X40[:2], y40[:2]), "split", "ratios")
C(Da, "split(X (0, 3), y ())", lambda: D.split(np.ones((0, 3)), np.array([], int)), "split", ("X", "ratios"))
C(Da, "split(X, y, rng='a')", lambda: D.split(X40, y40, rng="a"), "split", "rng")
C(Da, "split(X, y, stratify=True) a class of 2 rows",
  lambda: D.split(X40, np.where(np.arange(40) < 2, 7, y40), stratify=True, rng=0), "split", "stratify")
C(Da, "split(X 1-D, y)", lambda: D.split(X40[:, 0], y40, rng=0), "split", "X", ok=ACCEPT)
C(Da, "split(X, y 2-D (n,1)) not stratified", lambda: D.split(X40, y40[:, None], rng=0), "split", "y",
  ok=ACCEPT)
C(Da, "split_sizes(0)", lambda: D.split_sizes(0), "split_sizes", "m")
C(Da, "split_sizes(100.0)", lambda: D.split_sizes(100.0), "split_sizes", "m")
C(Da, "split_sizes(4) tiny m", lambda: D.split_sizes(4), "split_sizes", "m",
  ok=lambda r: None if min(r) > 0 else f"returns {r}: an empty set without a word")
C(Da, "split_sizes(1)", lambda: D.split_sizes(1), "split_sizes", "m",
  ok=lambda r: None if min(r) > 0 else f"returns {r}: empty dev and test sets")
C(Da, "split_sizes(100, share=0.6)", lambda: D.split_sizes(100, share=0.6), "split_sizes", "share")
C(Da, "split_sizes(100, share=0)", lambda: D.split_sizes(100, share=0), "split_sizes", "share")
C(Da, "split_sizes(100, enough=-1)", lambda: D.split_sizes(100, enough=-1), "split_sizes", "enough")
C(Da, "split_sizes(100, enough=2.5)", lambda: D.split_sizes(100, enough=2.5), "split_sizes", "enough",
  silent="a fractional example count accepted")
C(Da, "split_sizes(10**6, large_share=2)", lambda: D.split_sizes(10**6, large_share=2), "split_sizes",
  "large_share", silent="a share of 2 (200 %) accepted")
C(Da, "split_sizes(100, enough=0)", lambda: D.split_sizes(100, enough=0), "split_sizes", "enough",
  ok=lambda r: None if min(r) > 0 else f"returns {r}")
C(Da, "list(minibatches(X, y, 0))", lambda: list(D.minibatches(X40, y40, 0)), "minibatches", "batch_size")
C(Da, "list(minibatches(X, y, 2.0))", lambda: list(D.minibatches(X40, y40, 2.0)), "minibatches", "batch_size")
C(Da, "list(minibatches(X, y[:5], 8))", lambda: list(D.minibatches(X40, y40[:5], 8)), "minibatches",
  ("X and y", "y"))
C(Da, "list(minibatches(X list, y list, 8))",
  lambda: list(D.minibatches(X40.tolist(), y40.tolist(), 8)), "minibatches", ("X", "y"),
  ok=ACCEPT)
C(Da, "list(minibatches(X, y, 8, rng=-3))", lambda: list(D.minibatches(X40, y40, 8, rng=-3)),
  "minibatches", "rng")
C(Da, "list(minibatches(X, None, 8))", lambda: list(D.minibatches(X40, None, 8)), "minibatches", "y")
C(Da, "Standardizer().transform before fit", lambda: D.Standardizer().transform(X40), "Standardizer", "fit")
C(Da, "Standardizer(eps=0).fit_transform(constant column)",
  lambda: D.Standardizer(eps=0).fit_transform(np.column_stack([X40[:, 0], np.ones(40)])),
  "Standardizer", "eps", ok=nan_check)
C(Da, "Standardizer(eps=-1)", lambda: D.Standardizer(eps=-1), "Standardizer", "eps",
  silent="a negative eps accepted (sigma - 1 may be 0 or negative)")
C(Da, "Standardizer(eps='a').fit(X)", lambda: D.Standardizer(eps="a").fit(X40), "Standardizer", "eps")
C(Da, "Standardizer().fit(X with a NaN).transform",
  lambda: D.Standardizer().fit_transform(np.where(np.eye(40, 3) > 0, np.nan, X40)), "Standardizer", "X",
  ok=nan_check)
C(Da, "Standardizer().fit(X with an inf).transform",
  lambda: D.Standardizer().fit_transform(np.where(np.eye(40, 3) > 0, np.inf, X40)), "Standardizer", "X",
  ok=nan_check)
C(Da, "Standardizer().fit(1-D X)", lambda: D.Standardizer().fit(X40[:, 0]), "Standardizer", "X")
C(Da, "Standardizer().fit(empty X)", lambda: D.Standardizer().fit(np.ones((0, 3))), "Standardizer", "X")
C(Da, "Standardizer().fit(strings)", lambda: D.Standardizer().fit(X40.astype(str)), "Standardizer", "X")
C(Da, "Standardizer().fit(complex)", lambda: D.Standardizer().fit(X40 + 1j), "Standardizer", "X")
C(Da, "Standardizer().fit(X).transform(X with 4 features)",
  lambda: D.Standardizer().fit(X40).transform(np.ones((2, 4))), "Standardizer", "X")
C(Da, "Standardizer().fit(float16 X in the 300s) std overflows",
  lambda: D.Standardizer().fit_transform((X40 * 300 + 1000).astype(np.float16)), "Standardizer", "X",
  ok=lambda r: nan_check(r) or (None if np.asarray(r, float).std(axis=0).min() > 0.5 else
                                f"output std {np.asarray(r, float).std(axis=0).round(3).tolist()}: "
                                "sigma overflowed to inf, every feature squashed to 0"))
C(Da, "Standardizer().fit(float16 X with a constant column): eps=1e-8 is 0 in float16",
  lambda: D.Standardizer().fit_transform(np.column_stack([X40[:, 0], np.ones(40)]).astype(np.float16)),
  "Standardizer", "eps", ok=nan_check)
C(Da, "Standardizer().inverse_transform before fit", lambda: D.Standardizer().inverse_transform(X40),
  "Standardizer", "fit")
C(Da, "MinMaxScaler((1, 0))", lambda: D.MinMaxScaler((1, 0)), "MinMaxScaler", "feature_range")
C(Da, "MinMaxScaler((0, '1'))", lambda: D.MinMaxScaler((0, "1")), "MinMaxScaler", "feature_range")
C(Da, "MinMaxScaler(5)", lambda: D.MinMaxScaler(5), "MinMaxScaler", "feature_range")
C(Da, "MinMaxScaler((0, np.inf)).fit_transform(X)",
  lambda: D.MinMaxScaler((0, np.inf)).fit_transform(X40), "MinMaxScaler", "feature_range", ok=nan_check)
C(Da, "MinMaxScaler((0, 1, 2))", lambda: D.MinMaxScaler((0, 1, 2)), "MinMaxScaler", "feature_range")
C(Da, "MinMaxScaler().fit(X with NaN).transform",
  lambda: D.MinMaxScaler().fit_transform(np.where(np.eye(40, 3) > 0, np.nan, X40)), "MinMaxScaler", "X",
  ok=nan_check)
C(Da, "MinMaxScaler().transform before fit", lambda: D.MinMaxScaler().transform(X40), "MinMaxScaler", "fit")
C(Da, "MinMaxScaler().fit(bool X) converts", lambda: D.MinMaxScaler().fit_transform(X40 > 0), "MinMaxScaler",
  "X", ok=lambda r: None if r.dtype.kind == "f" and r.max() == 1 else f"{r.dtype}")
C(Da, "Whitener(method='PCA')", lambda: D.Whitener("PCA"), "Whitener", "method")
C(Da, "Whitener(eps=0).fit(rank-deficient X)",
  lambda: D.Whitener(eps=0).fit_transform(np.column_stack([X40[:, 0], X40[:, 0], X40[:, 1]])),
  "Whitener", "eps", ok=nan_check)
C(Da, "Whitener(eps=-1)", lambda: D.Whitener(eps=-1), "Whitener", "eps",
  silent="negative eps accepted")
C(Da, "Whitener().fit(X with one feature)", lambda: D.Whitener().fit_transform(X40[:, :1]), "Whitener", "X",
  ok=nan_check)
C(Da, "Whitener().fit(X with NaN)",
  lambda: D.Whitener().fit_transform(np.where(np.eye(40, 3) > 0, np.nan, X40)), "Whitener", "X", ok=nan_check)
C(Da, "Whitener().transform before fit", lambda: D.Whitener().transform(X40), "Whitener", "fit")
C(Da, "one_hot(float labels)", lambda: D.one_hot(np.array([0.0, 1.0])), "one_hot", ("y", "labels"))
C(Da, "one_hot(y, K=2) label 5", lambda: D.one_hot(np.array([0, 5]), K=2), "one_hot", "K")
C(Da, "one_hot(y, K=2.5)", lambda: D.one_hot(np.array([0, 1]), K=2.5), "one_hot", "K")
C(Da, "one_hot(y, K='3')", lambda: D.one_hot(np.array([0, 1]), K="3"), "one_hot", "K")
C(Da, "one_hot(y, K=-1)", lambda: D.one_hot(np.array([0, 1]), K=-1), "one_hot", "K")
C(Da, "one_hot(empty y, K=-1)", lambda: D.one_hot(np.array([], int), K=-1), "one_hot", "K")
C(Da, "one_hot(bool labels)", lambda: D.one_hot(np.array([True, False])), "one_hot", ("y", "labels"))
C(Da, "one_hot(2-D labels)", lambda: D.one_hot(np.array([[0, 1]])), "one_hot", ("y", "labels"))
C(Da, "one_hot(y, dtype=np.int8)", lambda: D.one_hot(np.array([0, 2]), dtype=np.int8), "one_hot", "dtype",
  ok=ACCEPT)
C(Da, "one_hot(list [0, 2])", lambda: D.one_hot([0, 2]), "one_hot", "y", ok=ACCEPT)
C(Da, "flip(X with 10 features)", lambda: D.flip(np.ones((2, 10))), "flip", "X")
C(Da, "flip(1-D X)", lambda: D.flip(np.ones(64)), "flip", "X")
C(Da, "flip(list of rows)", lambda: D.flip(images().tolist()), "flip", "X", ok=ACCEPT)
C(Da, "shift(X, dx=10, dy=0) larger than the image", lambda: D.shift(images(), 10, 0), "shift", "dx",
  ok=lambda r: None if np.all(r == 0) else "not all zeros")
C(Da, "shift(X, dx=1.5, dy=0)", lambda: D.shift(images(), 1.5, 0), "shift", "dx")
C(Da, "shift(X, dx=-9, dy=0)", lambda: D.shift(images(), -9, 0), "shift", "dx",
  ok=lambda r: None if np.all(r == 0) else "wraps/garbage instead of an empty image")
C(Da, "add_noise(X, -1)", lambda: D.add_noise(images(), -1), "add_noise", "std")
C(Da, "add_noise(list, 0.1)", lambda: D.add_noise(images().tolist(), 0.1), "add_noise", "X", ok=nan_check)
C(Da, "add_noise(int X, 0.05)",
  lambda: (lambda X: D.add_noise(X, 0.05, rng=0) - X)((images() > 0.5).astype(int)),
  "add_noise", "X", ok=lambda r: None if np.any(r != 0) else "noise silently truncated to 0 for int images")
C(Da, "add_noise(X, 0.1, low=1, high=0) inverted range",
  lambda: D.add_noise(images(), 0.1, rng=0, low=1, high=0), "add_noise", ("low", "high"),
  ok=lambda r: None if r.std() > 0 else "every pixel clipped to one value")
C(Da, "add_noise(X, np.nan)", lambda: D.add_noise(images(), np.nan), "add_noise", "std")
C(Da, "affine(X, scale=0)", lambda: D.affine(images(), scale=0), "affine", "scale")
C(Da, "affine(X, degrees=np.nan)", lambda: D.affine(images(), degrees=np.nan), "affine", "degrees",
  ok=nan_check)
C(Da, "affine(X of 4, degrees=[10, 20]) wrong length", lambda: D.affine(images(), degrees=[10, 20]),
  "affine", "degrees")
C(Da, "affine(X, scale=np.inf)", lambda: D.affine(images(), scale=np.inf), "affine", "scale",
  ok=nan_check)
C(Da, "elastic(X, sigma=0)", lambda: D.elastic(images(), sigma=0), "elastic", "sigma")
C(Da, "elastic(X, alpha=np.nan)", lambda: D.elastic(images(), alpha=np.nan, rng=0), "elastic", "alpha",
  ok=nan_check)
C(Da, "elastic(X, alpha='1')", lambda: D.elastic(images(), alpha="1", rng=0), "elastic", "alpha")
C(Da, "augment(X, max_shift=-1)", lambda: D.augment(images(), rng=0, max_shift=-1), "augment", "max_shift")
C(Da, "augment(X, scale_range=(-1, 1))", lambda: D.augment(images(50), rng=0, scale_range=(-1, 1)),
  "augment", "scale_range")
C(Da, "augment(X, noise=-0.1)", lambda: D.augment(images(), rng=0, noise=-0.1), "augment", "noise")
C(Da, "augment(X, max_degrees=np.inf)", lambda: D.augment(images(), rng=0, max_degrees=np.inf),
  "augment", "max_degrees")
C(Da, "augment(X, max_shift=2.5)", lambda: D.augment(images(), rng=0, max_shift=2.5), "augment",
  "max_shift")
C(Da, "augment(1-D X)", lambda: D.augment(images()[0], rng=0), "augment", "X")
C(Da, "augment(X float32) keeps dtype", lambda: D.augment(images(dtype=np.float32), rng=0), "augment", "X",
  ok=lambda r: None if r.dtype == np.float32 else f"dtype {r.dtype}")

# ===================================================================== datasets
Ds = "datasets"
C(Ds, "two_moons(n=1)", lambda: DS.two_moons(1), "two_moons", "n")
C(Ds, "two_moons(n=100.0)", lambda: DS.two_moons(100.0), "two_moons", "n")
C(Ds, "two_moons(noise=-1)", lambda: DS.two_moons(noise=-1), "two_moons", "noise")
C(Ds, "two_moons(noise=np.nan)", lambda: DS.two_moons(noise=np.nan, rng=0), "two_moons", "noise",
  ok=nan_check)
C(Ds, "two_moons(noise='0.1')", lambda: DS.two_moons(noise="0.1"), "two_moons", "noise")
C(Ds, "two_moons(noise=None)", lambda: DS.two_moons(noise=None), "two_moons", "noise")
C(Ds, "two_moons(rng=0.5)", lambda: DS.two_moons(rng=0.5), "two_moons", "rng")
C(Ds, "two_moons(dtype=np.int64)", lambda: DS.two_moons(dtype=np.int64, rng=0), "two_moons", "dtype",
  ok=lambda r: None if r[0].dtype.kind == "f" else
  f"integer coordinates: {len(np.unique(r[0], axis=0))} distinct points of 200")
C(Ds, "circles(factor=np.nan)", lambda: DS.circles(factor=np.nan, rng=0), "circles", "factor", ok=nan_check)
C(Ds, "circles(factor=-1)", lambda: DS.circles(factor=-1, rng=0), "circles", "factor",
  silent="radius -1 is the outer circle again: both classes on ONE circle, an unlearnable set")
C(Ds, "circles(factor=2) 'inner' circle outside",
  lambda: DS.circles(factor=2, rng=0), "circles", "factor",
  silent="factor > 1 puts the label-1 'small circle' outside: docstring says inside")
def labels_report(r):
    X, y = r
    bad = nan_check(X)
    return (f"labels {sorted(set(np.unique(y).tolist()))[:5]} (dtype {y.dtype})"
            + (f", X {bad}" if bad else ""))


C(Ds, "spirals(classes=0)", lambda: DS.spirals(classes=0, rng=0), "spirals", "classes", ok=labels_report)
C(Ds, "spirals(classes=1.5)", lambda: DS.spirals(classes=1.5, rng=0), "spirals", "classes", ok=labels_report)
C(Ds, "spirals(classes=-2)", lambda: DS.spirals(classes=-2, rng=0), "spirals", "classes", ok=labels_report)
C(Ds, "flower(petals=0)", lambda: DS.flower(petals=0, rng=0), "flower", "petals",
  silent="petals=0 gives no flower (r is pure noise)")
C(Ds, "different_scales(n=0)", lambda: DS.different_scales(0), "different_scales", "n")
C(Ds, "digits(dtype=np.int64)", lambda: DS.digits(np.int64), "digits", "dtype",
  ok=lambda r: None if r[0].dtype.kind == "f" else
  f"pixels truncated to ints: values {np.unique(r[0]).tolist()}")
C(Ds, "digits(dtype='float8')", lambda: DS.digits("float8"), "digits", "dtype")
C(Ds, "overfitting_digits(n_train=0)", lambda: DS.overfitting_digits(0), "overfitting_digits", "n_train")
C(Ds, "overfitting_digits(n_train=5) fewer than 10 classes", lambda: DS.overfitting_digits(5),
  "overfitting_digits", "n_train")
C(Ds, "overfitting_digits(n_train=5000) > 1797",
  lambda: DS.overfitting_digits(5000), "overfitting_digits", "n_train")
C(Ds, "overfitting_digits(n_train=200.5)", lambda: DS.overfitting_digits(200.5), "overfitting_digits",
  "n_train", silent="fractional n_train accepted")
C(Ds, "overfitting_moons(n_train=0)", lambda: DS.overfitting_moons(0), "overfitting_moons", "n_train",
  ok=lambda r: None if len(r[0][0]) > 0 else "returns an EMPTY training set")
C(Ds, "overfitting_moons(n_dev=-50)", lambda: DS.overfitting_moons(100, -50), "overfitting_moons", "n_dev",
  ok=lambda r: None if len(r[1][0]) > 0 and len(r[0][0]) == 100 else
  f"returns train {len(r[0][0])} rows and dev {len(r[1][0])} rows")

# ========================================================================= init
In = "init"
C(In, "hb.init.normal(0)", lambda: I.normal(0), "normal", "std")
C(In, "hb.init.normal(-1)", lambda: I.normal(-1), "normal", "std")
C(In, "hb.init.normal('0.1')", lambda: I.normal("0.1"), "normal", "std")
C(In, "hb.init.normal(np.inf) used by Dense", lambda: hb.Dense(3, 2, init=I.normal(np.inf), rng=0), "normal",
  "std", ok=lambda r: nan_check(r.W))
C(In, "hb.init.uniform(0)", lambda: I.uniform(0), "uniform", "r")
C(In, "hb.init.constant('a')", lambda: hb.Dense(3, 2, init=I.constant("a")), ("constant", "Dense"), "c")
C(In, "hb.init.constant(np.nan)", lambda: hb.Dense(3, 2, init=I.constant(np.nan)), "constant", "c",
  ok=lambda r: nan_check(r.W))
C(In, "hb.init.sparse(0)", lambda: I.sparse(0), "sparse", "k")
C(In, "hb.init.sparse(2.0)", lambda: I.sparse(2.0), "sparse", "k")
C(In, "hb.init.sparse(3, std=-1)", lambda: hb.Dense(5, 2, init=I.sparse(3, std=-1)), "sparse", "std")
C(In, "hb.init.sparse(10) for n_in=3", lambda: hb.Dense(3, 2, init=I.sparse(10)), "sparse", ("k", "n_in"))
C(In, "hb.init.get(None)", lambda: I.get(None), ("get", "init"), "init")
C(In, "hb.init.get(['he_normal'])", lambda: I.get(["he_normal"]), ("get", "init"), "init")
C(In, "hb.init.he_normal((3, 2), rng=0) a seed, not a Generator", lambda: I.he_normal((3, 2), 0),
  "he_normal", "rng", ok=nan_check)  # a seed is accepted, as everywhere
C(In, "hb.init.orthogonal((3, 2), rng=None)", lambda: I.orthogonal((3, 2), None), "orthogonal", "rng",
  ok=nan_check)  # None: fresh entropy, as numpy.random.default_rng
C(In, "hb.init.he_normal((0, 3), rng)", lambda: I.he_normal((0, 3), np.random.default_rng(0)),
  "he_normal", "shape")
C(In, "hb.init.xavier_normal(3, rng) int shape", lambda: I.xavier_normal(3, np.random.default_rng(0)),
  "xavier_normal", "shape")
C(In, "hb.init.orthogonal((3, 2), rng, gain=np.nan)",
  lambda: I.orthogonal((3, 2), np.random.default_rng(0), gain=np.nan), "orthogonal", "gain", ok=nan_check)

# ==================================================================== gradcheck
G = "gradcheck"
Xg, yg = data(6)
C(G, "gradient_check(float32 model)", lambda: hb.gradient_check(mlp(dtype=np.float32), SCE(), Xg, yg),
  "gradient_check", ("float64", "parameters"))
C(G, "gradient_check(X float32)", lambda: hb.gradient_check(mlp(), SCE(), Xg.astype(np.float32), yg),
  "gradient_check", ("input", "X"))
C(G, "gradient_check(X list)", lambda: hb.gradient_check(mlp(), SCE(), Xg.tolist(), yg), "gradient_check",
  "X", ok=lambda r: None if r.relative_error < 1e-5 else str(r))
C(G, "gradient_check(eps=0)", lambda: hb.gradient_check(mlp(), SCE(), Xg, yg, eps=0), "gradient_check", "eps")
C(G, "gradient_check(eps=np.nan)", lambda: hb.gradient_check(mlp(), SCE(), Xg, yg, eps=np.nan),
  "gradient_check", "eps", ok=lambda r: None if np.isfinite(r.relative_error) else
  f"verdict '{r.verdict[:45]}...' blames the gradients, the eps was NaN")
C(G, "gradient_check(eps='1e-7')", lambda: hb.gradient_check(mlp(), SCE(), Xg, yg, eps="1e-7"),
  "gradient_check", "eps")
C(G, "gradient_check(eps=1.0) far too large",
  lambda: hb.gradient_check(mlp(), SCE(), Xg, yg, eps=1.0), "gradient_check", "eps",
  ok=lambda r: None if r.relative_error < 1e-3 else
  f"verdict '{r.verdict[:40]}...': a correct backprop called wrong because eps=1")
C(G, "gradient_check(eps=1e-20) underflow",
  lambda: hb.gradient_check(mlp(), SCE(), Xg, yg, eps=1e-20), "gradient_check", "eps",
  ok=lambda r: None if r.relative_error < 1e-3 else
  f"verdict '{r.verdict[:40]}...' for a correct backprop: theta +- 1e-20 == theta")
C(G, "gradient_check(model with Dropout(0.5))",
  lambda: hb.gradient_check(hb.Sequential(hb.Dense(3, 4), hb.Dropout(0.5), hb.Dense(4, 3)), SCE(), Xg, yg),
  "gradient_check", ("Dropout", "fix_dropout_mask"))
C(G, "gradient_check(loss=SoftmaxCrossEntropy class)",
  lambda: hb.gradient_check(mlp(), SCE, Xg, yg), "gradient_check", "loss")
C(G, "gradient_check(regularizer=hb.L2 class)",
  lambda: hb.gradient_check(mlp(), SCE(), Xg, yg, regularizer=hb.L2), "gradient_check", "regularizer")
C(G, "gradient_check(y out of range)", lambda: hb.gradient_check(mlp(), SCE(), Xg, yg + 5),
  "SoftmaxCrossEntropy", "labels")
C(G, "gradient_check(X with NaN)",
  lambda: hb.gradient_check(mlp(), SCE(), np.where(np.eye(6, 3) > 0, np.nan, Xg), yg), "gradient_check",
  ("X", "cost"))
C(G, "gradient_check(Sequential(ReLU())) no parameters",
  lambda: hb.gradient_check(hb.Sequential(hb.ReLU()), SCE(), Xg, yg), "gradient_check", "model")
C(G, "gradient_check(model class)", lambda: hb.gradient_check(hb.Sequential, SCE(), Xg, yg),
  "gradient_check", "model")
C(G, "gradient_check(BatchNorm model) restores running stats",
  lambda: (lambda m: (hb.gradient_check(m, SCE(), Xg, yg), m[1].running_mean.copy()))(
      hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dense(4, 3, rng=1))), "gradient_check",
  "model", ok=lambda r: None if r[0].relative_error < 1e-5 and np.all(r[1] == 0) else
  f"{r[0].relative_error:.2g} {r[1]}")
C(G, "gradient_check(y labels float)", lambda: hb.gradient_check(mlp(), SCE(), Xg, yg * 1.0),
  "SoftmaxCrossEntropy", "labels")
C(G, "GradientCheckReport(nan).verdict / worst on empty",
  lambda: hb.GradientCheckReport(0.0).worst, "GradientCheckReport", "per_parameter")

# ===================================================================== diagnose
Dg = "diagnose"
C(Dg, "bias_variance(20, 30) percentages", lambda: DG.bias_variance(20, 30), "bias_variance", "train_error")
C(Dg, "bias_variance(np.nan, 0.1)", lambda: DG.bias_variance(np.nan, 0.1), "bias_variance", "train_error")
C(Dg, "bias_variance('0.1', 0.2)", lambda: DG.bias_variance("0.1", 0.2), "bias_variance", "train_error")
C(Dg, "bias_variance(None, 0.2)", lambda: DG.bias_variance(None, 0.2), "bias_variance", "train_error")
C(Dg, "bias_variance(np.array([0.1, 0.2]), 0.3)",
  lambda: DG.bias_variance(np.array([0.1, 0.2]), 0.3), "bias_variance", "train_error")
C(Dg, "activation_stats(model, X with wrong features)",
  lambda: DG.activation_stats(mlp(), np.ones((4, 5))), "Dense", ("input", "x"))
C(Dg, "activation_stats(model, X empty (0, 3))",
  lambda: DG.activation_stats(mlp(), np.ones((0, 3))), "activation_stats", "X",
  ok=lambda r: None if all(np.isfinite(s["mean"]) for s in r) else
  f"stats of 0 rows: mean {r[0]['mean']}, std {r[0]['std']}")
C(Dg, "activation_stats(model, X with NaN)",
  lambda: DG.activation_stats(mlp(), np.array([[np.nan, 1, 2], [0, 1, 2]])), "activation_stats", "X",
  ok=lambda r: None if all(np.isfinite(s["mean"]) for s in r) else "NaN statistics returned")
C(Dg, "activation_stats(hb.Sequential class, X)",
  lambda: DG.activation_stats(hb.Sequential, X40), "activation_stats", "model")
C(Dg, "activation_stats(model, X list)",
  lambda: DG.activation_stats(hb.Sequential(hb.ReLU(), hb.Sigmoid()), [[1.0, -1.0]]), "activation_stats",
  "X", ok=ACCEPT)
C(Dg, "activation_stats(model, X float32)",
  lambda: DG.activation_stats(mlp(), X40.astype(np.float32)), "Dense", ("input", "x"))
C(Dg, "dead_relu_fraction(model, X empty (0, 3))",
  lambda: DG.dead_relu_fraction(mlp(), np.ones((0, 3))), "dead_relu_fraction", "X",
  ok=lambda r: None if r[0][1] < 1 else f"reports {r[0][1]:.0%} dead units from 0 examples")
C(Dg, "first_nonfinite_layer(model, object X with None)",
  lambda: DG.first_nonfinite_layer(mlp(), np.array([[1, None, 2]], dtype=object)), "first_nonfinite_layer",
  "X")
C(Dg, "first_nonfinite_layer(model, strings)",
  lambda: DG.first_nonfinite_layer(mlp(), X40.astype(str)), "first_nonfinite_layer", "X")
C(Dg, "first_nonfinite_layer(model, list)",
  lambda: DG.first_nonfinite_layer(mlp(), X40.tolist()), "first_nonfinite_layer", "X",
  ok=lambda r: None if r is None else r)
C(Dg, "initial_loss(regression model, MSE)",
  lambda: DG.initial_loss(hb.Sequential(hb.Dense(3, 1, rng=0)), MSE(), X40, y40 * 1.0),
  "initial_loss", "loss", ok=lambda r: f"expected loss {r[1]} = log(1): meaningless for MSE")
C(Dg, "initial_loss(BCE with 1 output)",
  lambda: DG.initial_loss(hb.Sequential(hb.Dense(3, 1, rng=0)), BCE(), X40, y40 % 2),
  "initial_loss", "loss", ok=lambda r: None if abs(r[1] - np.log(2)) < 1e-9 else
  f"expected {r[1]:.3f} = log(1); for binary cross-entropy it is log 2 = 0.693")
def bce_checkup():
    X, y = data()
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 1, rng=1, init=I.normal(0.01)))
    return DG.checkup(model, BCE(), X, y % 2, tiny_steps=300)


C(Dg, "checkup(binary model: 1 output + BinaryCrossEntropy, labels 0/1)", bce_checkup, "checkup", "loss",
  ok=lambda r: None if "initial loss" not in r.failed() else
  "'initial loss' FAILS for a perfectly initialised binary model (0.693 vs log K = log 1 = 0) "
  "and advises shrinking the output weights")


def mse_int_checkup():
    X, _ = data()
    y = np.arange(40) % 5  # integer regression targets (counts)
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 1, rng=1))
    return DG.checkup(model, MSE(), X, y, tiny_steps=5)


C(Dg, "checkup(regression model, MSE, integer targets)", mse_int_checkup, "checkup", ("y", "loss"),
  ok=lambda r: None if "label balance" not in [c.name for c in r.checks] else
  "treats integer regression targets as classes: 'label balance' and 'initial loss vs log 1 = 0' checks")
C(Dg, "checkup(model, loss, X with NaN)", lambda: DG.checkup(mlp(), SCE(), np.where(np.eye(40, 3) > 0, np.nan, X40), y40),
  "checkup", "X", ok=lambda r: None if not r.passed else "passed")
C(Dg, "checkup(model, loss, X, negative labels)",
  lambda: DG.checkup(mlp(), SCE(), X40, y40 - 1, tiny_steps=5), "checkup", ("y", "labels"))
C(Dg, "checkup(model, loss, X, labels up to 5 for 3 outputs)",
  lambda: DG.checkup(mlp(), SCE(), X40, y40 * 2, tiny_steps=5), "SoftmaxCrossEntropy", "labels")
C(Dg, "checkup(model, loss, string X)",
  lambda: DG.checkup(mlp(), SCE(), X40.astype(str), y40, tiny_steps=5), "checkup", "X")
C(Dg, "checkup(model, loss, X empty)",
  lambda: DG.checkup(mlp(), SCE(), np.ones((0, 3)), np.array([], int), tiny_steps=5), "checkup", "X")
C(Dg, "checkup(tiny_steps=2.5)", lambda: DG.checkup(mlp(), SCE(), X40, y40, tiny_steps=2.5), "checkup",
  "tiny_steps")
C(Dg, "checkup(tiny_steps=0)", lambda: DG.checkup(mlp(), SCE(), X40, y40, tiny_steps=0), "checkup",
  "tiny_steps", silent="0 training steps: 'overfit a tiny batch' fails and blames the model")
C(Dg, "checkup(X, y of another length)",
  lambda: DG.checkup(mlp(), SCE(), X40, y40[:30], tiny_steps=5), ("checkup", "SoftmaxCrossEntropy"),
  ("X and y", "labels"))
C(Dg, "checkup(X list, y list)", lambda: DG.checkup(mlp(), SCE(), X40.tolist(), y40.tolist(), tiny_steps=5),
  "checkup", ("X", "y"), ok=lambda r: None if str(r) == str(DG.checkup(mlp(), SCE(), X40, y40, tiny_steps=5))
  else "differs from the array version")
C(Dg, "checkup(model, loss class)", lambda: DG.checkup(mlp(), SCE, X40, y40, tiny_steps=5), "checkup", "loss")
C(Dg, "checkup(model, MSE, X, one-hot y)",
  lambda: DG.checkup(mlp(), MSE(), X40, np.eye(3)[y40], tiny_steps=5), "checkup", "y", ok=ACCEPT)
C(Dg, "checkup(float labels for a classifier)",
  lambda: DG.checkup(mlp(), SCE(), X40, y40 * 1.0, tiny_steps=5), ("checkup", "SoftmaxCrossEntropy"),
  "labels")
C(Dg, "overfit_tiny_batch(size=0)",
  lambda: DG.overfit_tiny_batch(mlp(), SCE(), X40, y40, steps=5, size=0), "overfit_tiny_batch", "size")
C(Dg, "overfit_tiny_batch(lr=-1)",
  lambda: DG.overfit_tiny_batch(mlp(), SCE(), X40, y40, steps=5, lr=-1), "overfit_tiny_batch", "lr")
C(Dg, "overfit_tiny_batch(steps=-1)",
  lambda: DG.overfit_tiny_batch(mlp(), SCE(), X40, y40, steps=-1), "overfit_tiny_batch", "steps",
  silent="negative step count runs 0 steps and returns the untrained loss")
C(Dg, "overfit_tiny_batch(lr=1e6) diverges",
  lambda: DG.overfit_tiny_batch(mlp(), SCE(), X40, y40, steps=50, lr=1e6), "overfit_tiny_batch", "lr",
  ok=nan_check)
C(Dg, "gradient_norms(model) before any backward", lambda: DG.gradient_norms(mlp()), "gradient_norms",
  ("grad", "backward"), ok=lambda r: None if r else "returns [] (no gradients yet) without a word")
C(Dg, "largest_logit(model, X empty)", lambda: DG.largest_logit(mlp(), np.ones((0, 3))), "largest_logit", "X")
C(Dg, "shuffled_label_check(model instance instead of factory)",
  lambda: DG.shuffled_label_check(mlp(), SCE(), X40, y40, X40, y40, epochs=1), "shuffled_label_check",
  "make_model")
C(Dg, "shuffled_label_check(float y_dev)",
  lambda: DG.shuffled_label_check(mlp, SCE(), X40, y40, X40, y40 * 1.0, epochs=1), "shuffled_label_check",
  "y_dev")
C(Dg, "shuffled_label_check(epochs=0)",
  lambda: DG.shuffled_label_check(mlp, SCE(), X40, y40, X40, y40, epochs=0), ("shuffled_label_check", "fit"),
  "epochs")
C(Dg, "shuffled_label_check(MSE regression)",
  lambda: DG.shuffled_label_check(lambda: hb.Sequential(hb.Dense(3, 1)), MSE(), X40, y40 * 1.0, X40,
                                  y40 * 1.0, epochs=1), "shuffled_label_check", "loss")

# ======================================================================= tuning
Tu = "tuning"
rng0 = lambda: np.random.default_rng(0)  # noqa: E731
C(Tu, "log_uniform(0, 1)", lambda: T.log_uniform(0, 1), "log_uniform", "low")
C(Tu, "log_uniform(1e-3, np.inf)(rng)", lambda: T.log_uniform(1e-3, np.inf)(rng0()), "log_uniform", "high")
C(Tu, "log_uniform(np.nan, 1)", lambda: T.log_uniform(np.nan, 1), "log_uniform", "low")
C(Tu, "log_uniform('1e-4', 1)", lambda: T.log_uniform("1e-4", 1), "log_uniform", "low")
C(Tu, "uniform(1, 0) reversed", lambda: T.uniform(1, 0)(rng0(), 5), "uniform", ("low", "high"),
  silent="low > high accepted")
C(Tu, "uniform(0, np.nan)(rng)", lambda: T.uniform(0, np.nan)(rng0()), "uniform", "high", ok=nan_check)
C(Tu, "integers(5, 1)(rng) reversed", lambda: T.integers(5, 1)(rng0()), "integers", ("low", "high"))
C(Tu, "integers(1.5, 3)(rng)", lambda: T.integers(1.5, 3)(rng0()), "integers", "low")
C(Tu, "one_minus_log_uniform(0.9, 1.0)", lambda: T.one_minus_log_uniform(0.9, 1.0), "one_minus_log_uniform",
  "high")
C(Tu, "random_search(train, space, trials=0)",
  lambda: T.random_search(lambda lr: lr, {"lr": T.uniform(0, 1)}, 0), "random_search", "trials",
  ok=lambda r: None if r else "returns [] for 0 trials")
C(Tu, "random_search(trials=2.5)", lambda: T.random_search(lambda lr: lr, {"lr": T.uniform(0, 1)}, 2.5),
  "random_search", "trials")
C(Tu, "random_search(space={'lr': 0.01}) a value, not a sampler",
  lambda: T.random_search(lambda lr: lr, {"lr": 0.01}, 2), "random_search", ("space", "lr"))
C(Tu, "random_search(space={'lr': [0.1, 0.01]}) a grid list",
  lambda: T.random_search(lambda lr: lr, {"lr": [0.1, 0.01]}, 2), "random_search", ("space", "lr"))
C(Tu, "random_search(space={'lr': T.log_uniform}) uncalled factory",
  lambda: T.random_search(lambda lr: lr, {"lr": T.log_uniform}, 2), "random_search", ("space", "lr"))
C(Tu, "random_search(train returns None)",
  lambda: T.random_search(lambda lr: None, {"lr": T.uniform(0, 1)}, 2), "random_search", ("train", "score"))
C(Tu, "random_search(train returns a History)",
  lambda: T.random_search(lambda lr: hb.History(), {"lr": T.uniform(0, 1)}, 2), "random_search",
  ("train", "score"))
C(Tu, "random_search(train returns NaN for all)",
  lambda: T.random_search(lambda lr: float("nan"), {"lr": T.uniform(0, 1)}, 2), "random_search", "score",
  ok=lambda r: None if any(np.isfinite(t.score) for t in r) else
  "every trial scored NaN; the 'best' trial returned is a NaN one")
C(Tu, "random_search(train returning an array)",
  lambda: T.random_search(lambda lr: np.array([0.1, 0.2]), {"lr": T.uniform(0, 1)}, 2), "random_search",
  ("train", "score"))
C(Tu, "random_search(train with wrong keyword)",
  lambda: T.random_search(lambda learning_rate: 1.0, {"lr": T.uniform(0, 1)}, 2), "random_search",
  ("space", "train"))
C(Tu, "grid_search(train, {'lr': 0.1}) a scalar, not a list",
  lambda: T.grid_search(lambda lr: lr, {"lr": 0.1}), "grid_search", ("grid", "lr"))
C(Tu, "grid_search(train, {'lr': '0.1'}) a string",
  lambda: T.grid_search(lambda lr: 1.0, {"lr": "0.1"}), "grid_search", ("grid", "lr"),
  ok=lambda r: f"runs {len(r)} trials, one per character: {[t.hyperparameters['lr'] for t in r]}")
C(Tu, "grid_search(train, {'lr': []}) empty list",
  lambda: T.grid_search(lambda lr: 1.0, {"lr": []}), "grid_search", ("grid", "lr"),
  ok=lambda r: None if r else "returns [] (no trials) without a word")
C(Tu, "coarse_to_fine(ranges reversed (1e-1, 1e-4))",
  lambda: T.coarse_to_fine(lambda lr: lr, {"lr": (1e-1, 1e-4)}, 3), ("coarse_to_fine", "log_uniform"),
  ("ranges", "low"))
C(Tu, "coarse_to_fine(keep=0)", lambda: T.coarse_to_fine(lambda lr: lr, {"lr": (1e-4, 1e-1)}, 3, keep=0),
  "coarse_to_fine", "keep")
C(Tu, "coarse_to_fine(trials=0)", lambda: T.coarse_to_fine(lambda lr: lr, {"lr": (1e-4, 1e-1)}, 0),
  "coarse_to_fine", "trials")
C(Tu, "coarse_to_fine(rounds=0)", lambda: T.coarse_to_fine(lambda lr: lr, {"lr": (1e-4, 1e-1)}, 3, rounds=0),
  "coarse_to_fine", "rounds", ok=lambda r: None if r else "returns [] for rounds=0")
C(Tu, "coarse_to_fine(ranges={'lr': 1e-3}) a number, not a range",
  lambda: T.coarse_to_fine(lambda lr: lr, {"lr": 1e-3}, 3), "coarse_to_fine", ("ranges", "lr"))
C(Tu, "coarse_to_fine(train all NaN)",
  lambda: T.coarse_to_fine(lambda lr: float("nan"), {"lr": (1e-4, 1e-1)}, 3), "coarse_to_fine", "score",
  ok=lambda r: "every trial NaN, yet round 2 narrows the range around NaN 'best' trials")

# ========================================================================= plot
Pl = "plot"


def short_history():
    return fit_with(epochs=2, validation=data())


C(Pl, "training_curves(History())", lambda: P.training_curves(hb.History()), "training_curves", "history")
C(Pl, "training_curves(a dict of lists)",
  lambda: P.training_curves({"train_loss": [1.0, 0.5]}), "training_curves", "history",
  bad_msg=lambda m: "says the history holds no training values; it holds train_loss, in a dict "
  "instead of a History" if "holds no training values" in m else None)
C(Pl, "training_curves(history, metrics='loss') a string",
  lambda: P.training_curves(short_history(), metrics="loss"), "training_curves", "metrics",
  ok=lambda r: None if len(r.axes) == 1 else f"{len(r.axes)} panels")
C(Pl, "training_curves(history, metrics=('accuracy',))",
  lambda: P.training_curves(short_history(), metrics=("accuracy",)), "training_curves", "metrics")
C(Pl, "training_curves(history) of MSE drops acc silently",
  lambda: P.training_curves(hb.History(train_loss=[1.0, 0.5])), "training_curves", "metrics", ok=ACCEPT)
C(Pl, "lines(x, ys as a list)", lambda: P.lines([1, 2], [[1, 2]]), "lines", "ys")
C(Pl, "lines(x, {'a': values of other length})", lambda: P.lines([1, 2, 3], {"a": [1, 2]}), "lines", "ys")
C(Pl, "decision_boundary(model.predict returning (n, K) logits)",
  lambda: P.decision_boundary(mlp(d=2).predict, X40[:, :2], y40, resolution=20), "decision_boundary",
  "predict", ok=ACCEPT)  # by design: the class of the largest score
C(Pl, "decision_boundary(predict of a 1-output model, float logits)",
  lambda: P.decision_boundary(hb.Sequential(hb.Dense(2, 1, rng=0)).predict, X40[:, :2], y40 % 2,
                              resolution=20), "decision_boundary", "predict",
  silent="raw float logits drawn as 'classes' (levels from -0.5 to max+1.5)")
C(Pl, "decision_boundary(predict, X with 3 features)",
  lambda: P.decision_boundary(lambda g: g[:, 0] > 0, X40, y40, resolution=20), "decision_boundary", "X")
C(Pl, "decision_boundary(predict, X list)",
  lambda: P.decision_boundary(lambda g: g[:, 0] > 0, X40[:, :2].tolist(), y40, resolution=20),
  "decision_boundary", "X", ok=ACCEPT)  # lists are converted
C(Pl, "decision_boundary(predict, 1-D X)",
  lambda: P.decision_boundary(lambda g: g[:, 0] > 0, X40[:, 0], y40, resolution=20), "decision_boundary", "X")
C(Pl, "decision_boundary(predict, X with NaN) (draws nothing)",
  lambda: P.decision_boundary(lambda g: (g[:, 0] > 0).astype(int), np.where(np.eye(40, 2) > 0, np.nan, X40[:, :2]),
                              y40, resolution=20), "decision_boundary", "X")
C(Pl, "decision_boundary(resolution=0)",
  lambda: P.decision_boundary(lambda g: (g[:, 0] > 0).astype(int), X40[:, :2], y40, resolution=0),
  "decision_boundary", "resolution")
C(Pl, "histograms([])", lambda: P.histograms([]), "histograms", "arrays")
C(Pl, "histograms(3 arrays, titles of 2)", lambda: P.histograms([X40, X40, X40], titles=["a", "b"]),
  "histograms", "titles")
C(Pl, "histograms(one (5, 3) array) instead of a list",
  lambda: P.histograms(np.random.default_rng(0).normal(size=(5, 3))), "histograms", "arrays",
  ok=lambda r: None if len(r.axes) == 1 else f"draws {len(r.axes)} panels, one per ROW of the array")
C(Pl, "histograms([x], bins=0)", lambda: P.histograms([X40], bins=0), "histograms", "bins")
C(Pl, "contours(f, xlim=(0,), ylim)", lambda: P.contours(lambda a, b: a + b, (0,), (0, 1)), "contours", "xlim",
  ok=lambda r: f"x axis from {r.axes[0].get_xlim()[0]:.0f} to {r.axes[0].get_xlim()[1]:.0f}: "
  "linspace(*xlim, resolution) read resolution=200 as the END of the range")
C(Pl, "contours(f, paths={'sgd': (2, steps) transposed})",
  lambda: P.contours(lambda a, b: a * a + b * b, (-1, 1), (-1, 1), paths={"sgd": np.ones((2, 10))},
                     resolution=20), "contours", "paths",
  ok=lambda r: "a (2, 10) path plotted as 2 points of its first 2 columns")
C(Pl, "contours(f returning a scalar)", lambda: P.contours(lambda a, b: 1.0, (-1, 1), (-1, 1), resolution=20),
  "contours", "f")
C(Pl, "set_language('fr')", lambda: P.set_language("fr"), "set_language", "language")
C(Pl, "label('epochs') unknown key", lambda: P.label("epochs"), "label", "key")
C(Pl, "to_svg(None)", lambda: P.to_svg(None), "to_svg", "fig")
C(Pl, "to_svg(axes) instead of the figure", lambda: P.to_svg(P.figure()[1]), "to_svg", "fig")
C(Pl, "figure(ncols=0)", lambda: P.figure(ncols=0), "figure", "ncols")


# ========================================================================= main


def main(cases=None):
    """Run ``cases`` (by default this file's CASES) and print one line each."""
    counts = {"OK": 0, "OBSCURE": 0, "SILENT": 0}
    rows = []
    for case in CASES if cases is None else cases:
        if FILTER and not any(f.lower() in (case.module + " " + case.label).lower() for f in FILTER):
            continue
        status, detail = run_case(case)
        counts[status] += 1
        rows.append((case.module, status, case.label, detail))
        if status != "OK" or VERBOSE:
            print(f"{status:7} [{case.module}] {case.label} :: {detail}", flush=True)
        else:
            print(f"{status:7} [{case.module}] {case.label}", flush=True)
    print()
    print(f"{len(rows)} cases: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
