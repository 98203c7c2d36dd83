"""Optimizers: built on a list of Parameters; ``step()`` moves each ``.value`` in
place along its ``.grad``.

``lr`` is a plain attribute, so a schedule may change it between steps. State arrays
(velocities, squared-gradient averages) have the dtype of their parameter.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from handbook import validation as check
from handbook.parameter import Parameter

if TYPE_CHECKING:  # names for the annotations only
    from handbook.layers import Layer


class Optimizer:
    """Holds the parameters, the learning rate and each parameter's state arrays.

    A subclass lists its per-parameter arrays in ``state_names`` (zero at the start,
    e.g. ``("v",)``) and defines ``update(w, g, *state)``: one parameter's update,
    written like its formula, that changes ``w`` and the state arrays in place
    (``w -= ...``, ``v[...] = ...``). An assignment such as ``w = w - lr * g`` would
    only rebind a local name and change nothing; the contract tests catch that.
    Parameters are updated independently, so for a large model ``step`` runs their
    updates on all cores at once (NumPy releases the GIL inside its loops).

    An optimizer whose update treats every entry on its own (all of this module's)
    says so with ``elementwise = True``: ``step`` may then pass a large parameter's
    arrays slice by slice, so that the update's temporary arrays stay in the CPU's
    cache. An update that needs a whole array (a norm of w) leaves it False.

    Args:
        params: the parameters to train, such as ``model.parameters()``.
        lr: the learning rate, >= 0; a plain attribute that a schedule may change.

    Raises:
        TypeError: if params is not an iterable of Parameters, or lr is not a real
            number.
        ValueError: if params is empty, or lr is negative or not finite.
    """

    state_names: tuple[str, ...] = ()
    elementwise = False

    def __init__(self, params: Iterable[Parameter], lr: float):
        self.params: list[Parameter] = check_parameters(type(self), params)
        self.lr = check.non_negative(self, "lr", lr)
        self.t = 0  # the number of steps taken, for bias correction
        self.state = [
            {name: np.zeros_like(p.value) for name in self.state_names}
            for p in self.params
        ]

    def step(self) -> None:
        """One update of every parameter that has a gradient; ``t`` counts it.

        Raises:
            RuntimeError: if no parameter has a gradient (no backward yet).
            TypeError: if a gradient is not an array of floats, or lr is not a real
                number.
            ValueError: if a gradient's shape is not its parameter's, or
                ``check_rate`` refuses lr.
        """
        self.check_rate()  # a schedule or a user may have changed lr
        jobs = []
        for p, state in zip(self.params, self.state, strict=True):
            if p.grad is None:
                continue
            check_grad(self, p)
            jobs.append((p.value, p.grad, *state.values()))
        if not jobs:
            raise RuntimeError(
                f"{self!r}: step called before any backward: no "
                "parameter has a gradient"
            )
        self.t += 1  # counted once the step is sure to happen
        if self.elementwise:
            jobs = [piece for arrays in jobs for piece in _slices(arrays)]
        _run_in_parallel(self.update, jobs)

    def update(self, w: np.ndarray, g: np.ndarray, *state: np.ndarray) -> None:
        """One parameter's update, written like its formula, changing the arrays in
        place (``w -= ...``, ``v[...] = ...``); what a subclass defines.

        ``step`` calls it once for each parameter that has a gradient, after ``t``
        has counted the step (``t`` is 1 at the first one). With ``elementwise``, it
        may call it once per slice of a large parameter instead: ``w``, ``g`` and
        the state arrays are then flat views of the same entries.

        Args:
            w: the parameter's values, changed in place.
            g: their gradient, an array of floats of ``w``'s shape.
            state: the parameter's state arrays, in the order of ``state_names``
                (none for SGD), of ``w``'s shape and dtype, changed in place.

        Raises:
            NotImplementedError: if a subclass does not define it.
        """
        raise NotImplementedError

    def check_rate(self) -> None:
        """Refuse a learning rate the update cannot use (checked at every step).

        Raises:
            TypeError: if lr is not a real number.
            ValueError: if lr is negative or not finite (for AdamW, also if
                ``lr * weight_decay >= 1``).
        """
        check.non_negative(self, "lr", self.lr)

    def check_eps(self, eps: float) -> float:
        """The constant that keeps a division finite: positive, and still positive
        in every parameter's dtype (1e-8 is 0 in float16).

        Args:
            eps: the constant to check.

        Returns:
            ``eps``, a float.

        Raises:
            TypeError: if eps is not a real number.
            ValueError: if eps is not positive and finite, or rounds to 0 in the
                dtype of some parameter.
        """
        return check.epsilon(type(self), eps, {p.value.dtype for p in self.params})

    def state_of(self, name: str) -> list[np.ndarray]:
        """The state array ``name`` of every parameter, in order.

        Args:
            name: one of ``state_names``, such as ``"v"``.

        Returns:
            A list of arrays, one per parameter, the optimizer's own (not copies).

        Raises:
            ValueError: if name is not one of ``state_names``.
        """
        if name not in self.state_names:
            check.fail(self, "name", f"one of {self.state_names}", name)
        return [state[name] for state in self.state]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr})"


def check_parameters(who: Any, params: Iterable[Parameter]) -> list[Parameter]:
    """A non-empty list of Parameters (what model.parameters() returns).

    Args:
        who: the caller, as messages name it (an optimizer's class, a function's
            name).
        params: anything iterable holding objects with ``value`` and ``grad``.

    Returns:
        ``params`` as a list.

    Raises:
        TypeError: if params is a class, not iterable, or holds something other
            than Parameters.
        ValueError: if params is empty.
    """
    if isinstance(params, type) or not hasattr(params, "__iter__"):
        check.fail(
            who,
            "params",
            "a list of Parameters (model.parameters())",
            check.shown_value(params),
            TypeError,
            described=True,
        )
    params = list(params)
    for p in params:
        if not (hasattr(p, "value") and hasattr(p, "grad")):
            check.fail(
                who,
                "params",
                "a list of Parameters (model.parameters())",
                f"a list holding {type(p).__name__} {p!r}",
                TypeError,
                described=True,
            )
    if not params:
        check.fail(
            who, "params", "a non-empty list of Parameters", "[]", described=True
        )
    return params


def check_grad(who: Any, p: Parameter) -> None:
    """A gradient the update can use: an array of ``p``'s shape (another shape
    would broadcast over the rows) and of real floats (a complex gradient would lose
    its imaginary part, a string one cannot be subtracted).

    Args:
        who: the caller, as messages name it.
        p: a parameter whose ``grad`` is set.

    Raises:
        TypeError: if ``p.grad`` is not an array of floats.
        ValueError: if ``p.grad`` does not have ``p.value``'s shape.
    """
    grad = p.grad
    if not isinstance(grad, np.ndarray) or grad.dtype.kind != "f":
        kind = type(grad).__name__
        kind = f"dtype {grad.dtype}" if isinstance(grad, np.ndarray) else kind
        check.fail(
            who,
            f"the gradient of {p!r}",
            "an array of floats",
            kind,
            TypeError,
            described=True,
        )
    if grad.shape != p.value.shape:
        check.fail(
            who,
            f"the gradient of {p!r}",
            f"of shape {p.value.shape}",
            f"shape {grad.shape}",
            described=True,
        )


# Below this many values in all, threads cost more than they save.
PARALLEL_SIZE = 1 << 18
# Entries per slice of an elementwise update: float32 temporaries of 128 KB, which
# stay in a core's L2 cache.
SLICE = 1 << 15
_pool: ThreadPoolExecutor | None = None
CORES = os.cpu_count() or 1


def _slices(arrays: tuple[np.ndarray, ...]) -> list[tuple[np.ndarray, ...]]:
    """The same arrays as flat views, SLICE entries at a time (whole when small or
    not contiguous: a view of those could not be written through)."""
    size = arrays[0].size
    if size <= SLICE or not all(a.flags.c_contiguous for a in arrays):
        return [arrays]
    flat = [a.reshape(-1) for a in arrays]
    return [tuple(a[i : i + SLICE] for a in flat) for i in range(0, size, SLICE)]


def _run_in_parallel(update, jobs: list[tuple[np.ndarray, ...]]) -> None:
    """Apply ``update`` to every job's arrays; for large models, on all cores at
    once, each core taking a run of jobs of about the same number of entries."""
    global _pool
    cores = CORES
    total = sum(arrays[0].size for arrays in jobs)
    if total < PARALLEL_SIZE or cores < 2 or len(jobs) < 2:
        for arrays in jobs:
            update(*arrays)
        return
    _pool = _pool or ThreadPoolExecutor(
        max_workers=cores - 1, thread_name_prefix="handbook-optim"
    )
    shares: list[list[tuple[np.ndarray, ...]]] = [[] for _ in range(cores)]
    done = 0
    for arrays in jobs:
        shares[min(cores - 1, done * cores // total)].append(arrays)
        done += arrays[0].size

    def run(share: list[tuple[np.ndarray, ...]]) -> None:
        for arrays in share:
            update(*arrays)

    futures = [_pool.submit(run, share) for share in shares[1:] if share]
    run(shares[0])
    for future in futures:
        future.result()


# --8<-- [start:ewma]
def ewma(values, beta: float, bias_correction: bool = False) -> np.ndarray:
    r"""Exponentially weighted averages
    $v_t = \beta v_{t-1} + (1 - \beta)\,\theta_t$.

    From $v_0 = 0$; with ``bias_correction``, $\hat v_t = v_t / (1 - \beta^t)$. One
    number of memory, an effective window of $1 / (1 - \beta)$ values.

    Args:
        values (np.ndarray): $\theta_1, \theta_2, \dots$, a 1-D array (or a list).
        beta: the weight of the past average, in [0, 1).
        bias_correction: divide by $1 - \beta^t$, undoing the pull toward
            $v_0 = 0$.

    Returns:
        $v_1, v_2, \dots$, a float64 array of the length of ``values``.

    Raises:
        TypeError: if beta is not a real number, bias_correction not a bool, or
            values not real numbers.
        ValueError: if beta is outside [0, 1), or values is not 1-D or not finite.
    """
    check.fraction("ewma", "beta", beta)
    check.flag("ewma", "bias_correction", bias_correction)
    values = check.finite(
        "ewma", "values", check.real_array("ewma", "values", values, ndim=1)
    )
    v, out = 0.0, np.empty(len(values))
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        out[t - 1] = v / (1 - beta**t) if bias_correction else v
    return out


# --8<-- [end:ewma]


# --8<-- [start:sgd]
class SGD(Optimizer):
    r"""$W \leftarrow W - \alpha g$.

    Args:
        params: the parameters to train, such as ``model.parameters()``.
        lr: the learning rate, >= 0.

    Raises:
        TypeError: if params is not Parameters, or lr is not a real number.
        ValueError: if params is empty, or lr < 0.
    """

    elementwise = True  # each entry alone: step may pass large arrays in slices

    def update(self, w, g):
        w -= self.lr * g


# --8<-- [end:sgd]


# --8<-- [start:momentum]
class Momentum(Optimizer):
    r"""$v \leftarrow \beta v + (1 - \beta)\, g$; $W \leftarrow W - \alpha v$.

    An average of recent gradients damps the oscillations across a ravine.

    Args:
        params (Iterable[Parameter]): the parameters, such as model.parameters().
        lr: the learning rate, >= 0.
        beta: the weight of the past velocity, in [0, 1).

    Raises:
        TypeError: if params is not Parameters, or a number is not a real number.
        ValueError: if params is empty, lr < 0, or beta is outside [0, 1).
    """

    state_names = ("v",)
    elementwise = True

    def __init__(self, params, lr: float, beta: float = 0.9):
        super().__init__(params, lr)
        self.beta = check.fraction(self, "beta", beta)

    def update(self, w, g, v):
        """Move the velocity ``v``, then ``w``, in place.

        Args:
            w (np.ndarray): one parameter's values, changed in place.
            g (np.ndarray): their gradient, of w's shape.
            v (np.ndarray): their velocity, of w's shape, changed in place.
        """
        v[...] = self.beta * v + (1 - self.beta) * g
        w -= self.lr * v


# --8<-- [end:momentum]


# --8<-- [start:nesterov]
class Nesterov(Momentum):
    r"""Momentum that looks ahead:
    $W \leftarrow W - \alpha (\beta v + (1 - \beta)\, g)$, a step where the
    velocity is going.

    Args:
        params (Iterable[Parameter]): the parameters, such as model.parameters().
        lr: the learning rate, >= 0.
        beta: the weight of the past velocity, in [0, 1).

    Raises:
        TypeError: if params is not Parameters, or a number is not a real number.
        ValueError: if params is empty, lr < 0, or beta is outside [0, 1).
    """

    def update(self, w, g, v):
        v[...] = self.beta * v + (1 - self.beta) * g
        w -= self.lr * (self.beta * v + (1 - self.beta) * g)


# --8<-- [end:nesterov]


# --8<-- [start:adagrad]
class AdaGrad(Optimizer):
    r"""$\text{cache} \leftarrow \text{cache} + g^2$;
    $W \leftarrow W - \alpha\, g / (\sqrt{\text{cache}} + \epsilon)$.

    The steps shrink forever as the cache grows.

    Args:
        params (Iterable[Parameter]): the parameters, such as model.parameters().
        lr: the learning rate, >= 0.
        eps: keeps the division finite; > 0 even in the parameters' dtype.

    Raises:
        TypeError: if params is not Parameters, or a number is not a real number.
        ValueError: if params is empty, lr < 0, or eps <= 0 (in some dtype).
    """

    state_names = ("cache",)
    elementwise = True

    def __init__(self, params, lr: float, eps: float = 1e-7):
        super().__init__(params, lr)
        self.eps = self.check_eps(eps)

    def update(self, w, g, cache):
        """Add $g^2$ to the ``cache``, then move ``w``, in place.

        Args:
            w (np.ndarray): one parameter's values, changed in place.
            g (np.ndarray): their gradient, of w's shape.
            cache (np.ndarray): their sum of squared gradients, changed in place.
        """
        cache += g * g
        w -= self.lr * g / (np.sqrt(cache) + self.eps)


# --8<-- [end:adagrad]


# --8<-- [start:rmsprop]
class RMSprop(Optimizer):
    r"""$S \leftarrow \beta S + (1 - \beta)\, g^2$;
    $W \leftarrow W - \alpha\, g / (\sqrt{S} + \epsilon)$.

    AdaGrad that forgets old gradients.

    Args:
        params (Iterable[Parameter]): the parameters, such as model.parameters().
        lr: the learning rate, >= 0.
        beta: the weight of the past average of $g^2$, in [0, 1).
        eps: keeps the division finite; > 0 even in the parameters' dtype.

    Raises:
        TypeError: if params is not Parameters, or a number is not a real number.
        ValueError: if params is empty, lr < 0, beta is outside [0, 1), or
            eps <= 0 (in some dtype).
    """

    state_names = ("s",)
    elementwise = True

    def __init__(self, params, lr: float, beta: float = 0.9, eps: float = 1e-8):
        super().__init__(params, lr)
        self.beta = check.fraction(self, "beta", beta)
        self.eps = self.check_eps(eps)

    def update(self, w, g, s):
        """Average $g^2$ into ``s``, then move ``w``, in place.

        Args:
            w (np.ndarray): one parameter's values, changed in place.
            g (np.ndarray): their gradient, of w's shape.
            s (np.ndarray): their average of $g^2$, changed in place.
        """
        s[...] = self.beta * s + (1 - self.beta) * g * g
        w -= self.lr * g / (np.sqrt(s) + self.eps)


# --8<-- [end:rmsprop]


# --8<-- [start:adam]
class Adam(Optimizer):
    """Kingma and Ba (2015): momentum (v) plus RMSprop (s), both bias-corrected.

    Args:
        params (Iterable[Parameter]): the parameters, such as model.parameters().
        lr: the learning rate, >= 0.
        beta1: the weight of the past average of g (v), in [0, 1).
        beta2: the weight of the past average of $g^2$ (s), in [0, 1).
        eps: keeps the division finite; > 0 even in the parameters' dtype.

    Raises:
        TypeError: if params is not Parameters, or a number is not a real number.
        ValueError: if params is empty, lr < 0, a beta is outside [0, 1), or
            eps <= 0 (in some dtype).
    """

    state_names = ("v", "s")
    elementwise = True

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ):
        super().__init__(params, lr)
        self.beta1 = check.fraction(self, "beta1", beta1)
        self.beta2 = check.fraction(self, "beta2", beta2)
        self.eps = self.check_eps(eps)

    def update(self, w, g, v, s):
        """Average g into ``v`` and $g^2$ into ``s``, then move ``w``, in place.

        Args:
            w (np.ndarray): one parameter's values, changed in place.
            g (np.ndarray): their gradient, of w's shape.
            v (np.ndarray): their average of g, changed in place.
            s (np.ndarray): their average of $g^2$, changed in place.
        """
        b1, b2, t = self.beta1, self.beta2, self.t
        v[...] = b1 * v + (1 - b1) * g
        s[...] = b2 * s + (1 - b2) * g * g
        v_hat = v / (1 - b1**t)
        s_hat = s / (1 - b2**t)
        w -= self.lr * v_hat / (np.sqrt(s_hat) + self.eps)


# --8<-- [end:adam]


# --8<-- [start:adamw]
class AdamW(Adam):
    r"""Loshchilov and Hutter (2019): Adam with decoupled weight decay, a
    shrinking $W \leftarrow W - \alpha \cdot \text{weight\_decay} \cdot W$ before
    Adam's step.

    Args:
        params (Iterable[Parameter]): the parameters, such as model.parameters().
        lr: the learning rate, >= 0.
        beta1: the weight of the past average of g (v), in [0, 1).
        beta2: the weight of the past average of $g^2$ (s), in [0, 1).
        eps: keeps the division finite; > 0 even in the parameters' dtype.
        weight_decay: the share of w removed per unit of lr, >= 0.

    Raises:
        TypeError: if params is not Parameters, or a number is not a real number.
        ValueError: as Adam, or if weight_decay < 0 or ``lr * weight_decay >= 1``.
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ):
        super().__init__(params, lr, beta1, beta2, eps)
        self.weight_decay = check.non_negative(self, "weight_decay", weight_decay)
        self.check_rate()

    def check_rate(self) -> None:
        super().check_rate()
        if self.lr * self.weight_decay >= 1:  # w would flip sign at every step
            check.fail(
                self,
                "lr * weight_decay",
                "< 1",
                self.lr * self.weight_decay,
            )

    def update(self, w, g, v, s):
        w *= 1 - self.lr * self.weight_decay
        super().update(w, g, v, s)


# --8<-- [end:adamw]


# --8<-- [start:averaged]
class Averaged(Optimizer):
    r"""Weight averaging (Polyak averaging): the steps of any optimizer, each
    followed by an exponential moving average of every parameter,
    $\bar W \leftarrow \beta \bar W + (1 - \beta)\, W$, bias-corrected as
    ``ewma`` does it.

    At the $n$-th step averaged, the update is
    $\bar W \leftarrow \bar W + \frac{1 - \beta}{1 - \beta^n} (W - \bar W)$, which
    keeps $\bar W$ equal to $\hat v_n = v_n / (1 - \beta^n)$, the bias-corrected
    average of $v_n = \beta v_{n-1} + (1 - \beta)\, W_n$ from $v_0 = 0$ (put
    $v_n = (1 - \beta^n)\, \bar W_n$ into that recurrence). The first average is
    the weights themselves, and the average covers about the last
    $1 / (1 - \beta)$ steps. The limit $\beta = 1$ weighs every step since
    ``start`` alike, $\bar W \leftarrow \bar W + (W - \bar W) / n$: the mean of
    the iterates of Polyak and Juditsky (1992).

    The optimizer trains the raw weights $W$ exactly as it would alone, under
    ``hb.fit`` and its schedules too (``lr`` is the optimizer's). Evaluate with
    the averages inside ``with averaged.swapped(): ...``, or keep them with
    ``copy_to(model)``. Only parameters are averaged, not buffers: batch norm's
    running statistics were gathered under the raw weights and do not fit the
    averages; recompute them on training data inside ``swapped(model)``, which
    puts the model's own back on exit.

    Args:
        optimizer: the optimizer that trains, such as
            ``hb.optim.Adam(model.parameters())``.
        beta: the weight of the past average, in [0, 1]; 1 weighs all steps
            alike.
        start: the first step averaged, counted from 1 over this optimizer's
            steps; before it, the averages are the weights.

    Attributes:
        averages: the averaged values, one array per parameter, in its dtype.

    Raises:
        TypeError: if optimizer is a class or no optimizer (no step, params or
            lr), beta is not a real number, or start not a whole number.
        ValueError: if optimizer has no parameters, beta is outside [0, 1], or
            start is below 1.
    """

    def __init__(self, optimizer: Optimizer, beta: float = 0.999, start: int = 1):
        # no super().__init__(): the optimizer keeps the parameters and the rate
        self.optimizer = check_optimizer(type(self), optimizer)
        self.beta = check.fraction(type(self), "beta", beta, one=True)
        self.start = check.whole(type(self), "start", start)
        self.t = 0  # the steps taken; the average starts at t = start
        self.averages = [p.value.copy() for p in self.params]
        self.inside = False  # within swapped(): the parameters hold the averages

    @property
    def params(self) -> "list[Parameter]":
        """The optimizer's parameters."""
        return self.optimizer.params

    @property
    def lr(self) -> float:
        """The optimizer's learning rate; setting it (a schedule) sets the
        optimizer's."""
        return self.optimizer.lr

    @lr.setter
    def lr(self, lr: float) -> None:
        self.optimizer.lr = lr

    def step(self) -> None:
        """The optimizer's step, then the averages' update.

        Raises:
            RuntimeError: inside ``swapped()``, where a step would train the
                averages; or as the optimizer's step does (no gradient yet).
            TypeError: as the optimizer's step does.
            ValueError: as the optimizer's step does.
        """
        self.refuse_inside("step")
        self.optimizer.step()
        self.t += 1
        n, beta = self.t - self.start + 1, self.beta  # n: the steps averaged
        for p, average in zip(self.params, self.averages, strict=True):
            if n <= 1:  # before start, and at the first averaged step
                average[...] = p.value
            elif beta == 1:
                average += (p.value - average) / n
            else:
                average += (1 - beta) / (1 - beta**n) * (p.value - average)

    @contextmanager
    def swapped(self, model: "Layer | None" = None) -> "Iterator[None]":
        """The averages in the parameters, in place, within a ``with`` block; the
        raw weights back on exit, exactly, even after an error.

        Args:
            model: the model of these parameters, or None. Given, its buffers
                (batch norm's running statistics) are put back on exit too, so
                that they may be recomputed for the averages inside.

        Yields:
            None, once: the ``with`` block runs with the averages in place.

        Raises:
            RuntimeError: inside another ``swapped()`` of this optimizer.
            ValueError: if model's parameters are not the optimizer's.
        """
        from handbook.training import restore_state, state_of

        self.refuse_inside("swapped")
        target = self.params if model is None else model
        parameters_matching(self, target, self.params, own=True)
        saved = state_of(target)
        self.copy_to(self.params)
        self.inside = True
        try:
            yield
        finally:
            self.inside = False
            restore_state(target, saved)

    def copy_to(self, model: "Layer | list[Parameter]") -> None:
        """Write the averages into a model's parameters, in place: to keep the
        averaged weights for good, or to fill a copy of the model.

        Args:
            model: a model (or a list of parameters) with parameters of the
                averages' shapes, in the same order.

        Raises:
            TypeError: if model is neither a model nor a list of Parameters.
            ValueError: if its parameters differ in number or shapes.
        """
        params = parameters_matching(self, model, self.params)
        for p, average in zip(params, self.averages, strict=True):
            p.value[...] = average

    def refuse_inside(self, what: str) -> None:
        """Refuse a step or a second swap while the averages are swapped in.

        Args:
            what: the method called, for the message.

        Raises:
            RuntimeError: if called inside ``swapped()``.
        """
        if self.inside:
            raise RuntimeError(
                f"{self!r}: {what} called inside swapped(), where the parameters "
                "hold the averages"
            )

    def __repr__(self) -> str:
        return f"Averaged({self.optimizer!r}, beta={self.beta}, start={self.start})"


# --8<-- [end:averaged]


def check_optimizer(who: Any, optimizer: Any) -> Optimizer:
    """An optimizer to build on: an instance (not a class) with ``step``, a
    learning rate ``lr`` and a non-empty list of Parameters ``params``, what
    ``hb.fit``, its schedules and ``Averaged`` use.

    Args:
        who: the caller, as messages name it.
        optimizer: the object to check.

    Returns:
        ``optimizer``, as given.

    Raises:
        TypeError: if optimizer is a class, lacks step, lr or a list ``params``,
            or its params hold something other than Parameters.
        ValueError: if its params are empty.
    """
    example = "hb.optim.Adam(model.parameters())"
    check.instance(who, "optimizer", optimizer, ("step",), example)
    params = getattr(optimizer, "params", None)
    if not isinstance(params, list) or not hasattr(optimizer, "lr"):
        check.fail(
            who,
            "optimizer",
            f"an optimizer with params and lr, such as {example}",
            f"{type(optimizer).__name__} {optimizer!r}",
            TypeError,
            described=True,
        )
    check_parameters(who, params)
    return optimizer


def parameters_matching(
    who: Any, model: Any, params: list[Parameter], *, own: bool = False
) -> list[Parameter]:
    """The parameters of ``model`` (a model, or a list of parameters), checked
    against ``params``: as many, of the same shapes in the same order; with
    ``own``, the very parameters ``params`` holds (model is the model they belong
    to, or the list itself).

    Args:
        who: the caller, as messages name it.
        model: a model (anything with ``parameters()``) or a list of Parameters.
        params: the parameters to match.
        own: require the same Parameter objects, not only the same shapes.

    Returns:
        The parameters of model, as a list.

    Raises:
        TypeError: if model is a class, or neither a model nor a list of
            Parameters.
        ValueError: if its parameters differ from params in number or shapes
            (with own, if they are other Parameter objects).
    """
    expectation = "a model or a list of Parameters"
    if isinstance(model, type):
        check.fail(who, "model", expectation, model, TypeError)
    if callable(getattr(model, "parameters", None)):
        found = list(model.parameters())
    elif isinstance(model, (list, tuple)) and all(
        hasattr(p, "value") and hasattr(p, "grad") for p in model
    ):
        found = list(model)
    else:
        shown = f"{type(model).__name__} {check.shown_value(model)}"
        check.fail(who, "model", expectation, shown, TypeError, described=True)
    if own:
        ours = {id(p) for p in params}
        if len(found) != len(params) or {id(p) for p in found} != ours:
            check.fail(
                who,
                "model",
                "the model whose parameters the optimizer trains",
                "a model with other parameters",
                described=True,
            )
        return found
    if len(found) != len(params):
        check.fail(
            who,
            "model",
            f"a model of {len(params)} parameters, as the averages",
            f"{len(found)} parameters",
            described=True,
        )
    for i, (p, mine) in enumerate(zip(found, params, strict=True)):
        if p.value.shape != mine.value.shape:
            check.fail(
                who,
                "model",
                "a model with parameters of the averages' shapes",
                f"parameter {i} of shape {p.value.shape}, not {mine.value.shape}",
                described=True,
            )
    return found


# --8<-- [start:clipping]
def clip_by_value(params, limit: float) -> float:
    """Clip every gradient entry to [-limit, limit], in place.

    Args:
        params (Iterable[Parameter]): the parameters whose gradients to clip.
        limit: the largest size of an entry, > 0.

    Returns:
        The global norm of the gradients before clipping, a float.

    Raises:
        TypeError: if params is not Parameters, a gradient is not an array of
            floats, or limit is not a real number.
        ValueError: if limit is not positive, or a gradient is not finite or not
            of its parameter's shape.
        RuntimeError: if no parameter has a gradient.
    """
    check.positive("clip_by_value", "limit", limit)
    grads = gradients("clip_by_value", params)
    norm = norm_of(grads)
    for g in grads:
        np.clip(g, -limit, limit, out=g)
    return norm


def clip_by_norm(params, max_norm: float) -> float:
    """Rescale all gradients together, in place, so that their global norm is at
    most max_norm, keeping their direction.

    Args:
        params (Iterable[Parameter]): the parameters whose gradients to clip.
        max_norm: the largest global norm, > 0.

    Returns:
        The global norm of the gradients before clipping, a float.

    Raises:
        TypeError: if params is not Parameters, a gradient is not an array of
            floats, or max_norm is not a real number.
        ValueError: if max_norm is not positive, or a gradient is not finite or not
            of its parameter's shape.
        RuntimeError: if no parameter has a gradient.
    """
    check.positive("clip_by_norm", "max_norm", max_norm)
    grads = gradients("clip_by_norm", params)
    norm = norm_of(grads)
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return norm


def global_norm(params) -> float:
    """sqrt of the sum of all squared gradient entries, over all parameters.

    Args:
        params (Iterable[Parameter]): the parameters; those without a gradient
            are left out.

    Returns:
        The norm, a float.

    Raises:
        TypeError: if params is not Parameters, or a gradient is not an array of
            floats.
        ValueError: if a gradient is not finite or not of its parameter's shape.
        RuntimeError: if no parameter has a gradient.
    """
    return norm_of(gradients("global_norm", params))


def norm_of(grads: list[np.ndarray]) -> float:
    """sqrt of the sum of the squared entries of all the arrays, in float64: float16
    and float32 squares overflow long before their norm does.

    Args:
        grads: arrays of any shapes, unchecked.

    Returns:
        The norm, a float.
    """
    wide = [g if g.dtype == np.float64 else g.astype(np.float64) for g in grads]
    return float(np.sqrt(sum(float(np.vdot(g, g)) for g in wide)))


# --8<-- [end:clipping]


def gradients(who: str, params: Iterable[Parameter]) -> list[np.ndarray]:
    """The gradients of ``params`` that exist, checked: at least one (clipping
    before any backward would clip nothing), and finite (the norm of a NaN is NaN,
    and rescaling by it would spread the NaN to every gradient).

    Args:
        who: the caller's name, for messages (``"clip_by_norm"``).
        params: the parameters, as ``check_parameters`` takes them.

    Returns:
        The gradient arrays themselves (not copies), in the order of ``params``.

    Raises:
        TypeError: if params is not Parameters, or a gradient is not an array of
            floats.
        ValueError: if a gradient's shape is not its parameter's, or it is not
            finite.
        RuntimeError: if no parameter has a gradient.
    """
    params = check_parameters(who, params)
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        check.fail(
            who,
            "params",
            "parameters with gradients (call backward first)",
            "no gradient",
            RuntimeError,
            described=True,
        )
    for p in params:
        if p.grad is not None:
            check_grad(who, p)
            check.finite(who, f"the gradient of {p!r}", p.grad)
    return grads
