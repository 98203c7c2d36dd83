"""PyTorch beside the handbook: ``hb.diagnose.checkup`` for a torch model.

``torch_checkup(model, loss_fn, X, y)`` runs the first checks a careful
practitioner makes on an untrained ``torch.nn.Module``, with the reader's own loss
and a batch of their data, and returns the same ``Checkup`` table as the NumPy
version, in the page's language. The model is left as it is: copies train, the
activations are read through forward hooks that are removed afterwards, and
PyTorch's random state is restored. PyTorch is imported only when the checkup
runs; the rest of the package does not need it.

Activations are found as modules (``nn.ReLU``, ``nn.Tanh``, ``nn.Sigmoid``, …): an
activation called as a function (``torch.relu(x)`` inside ``forward``) has no hook
and is not measured.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from handbook import validation as check
from handbook.diagnose import Check, Checkup, input_checks, label_balance
from handbook.language import tr

WHO = "torch_checkup"


def torch_checkup(
    model: Any,
    loss_fn: Callable,
    X: Any,
    y: Any,
    optimizer: Callable | None = None,
    tiny_steps: int = 300,
    signal_steps: int = 100,
    seed: int = 0,
) -> Checkup:
    r"""The checkup of an untrained PyTorch model, its loss and a batch of its data.

    In order: finite inputs, input scales, label balance, the initial loss
    against $\log K$ ($\log 2$ for one logit), the largest initial output, the
    first layer whose output is not finite, dead ReLU units and saturated tanh or
    sigmoid units per layer, whether examples are kept apart, the gradient norms
    of the weights, the update-to-weight ratios of the reader's optimizer,
    overfitting 16 examples, and whether the labels carry a signal (a copy
    trained on shuffled labels must do worse on held-out rows). Checks that need
    class labels are left out for a regression loss.

    Args:
        model: the untrained ``torch.nn.Module``; it stays as it is.
        loss_fn: the loss, called as ``loss_fn(model(X), y)``
            (``nn.CrossEntropyLoss()``, ``nn.BCEWithLogitsLoss()``, …).
        X: the inputs, a tensor or array with one row per example, (batch, …).
        y: the targets, one row per row of X: class indices for a classifier.
        optimizer: builds the reader's optimizer from the parameters, as in
            ``lambda p: torch.optim.SGD(p, lr=0.1)``; default Adam, lr 1e-3.
            Its first 10 steps give the update ratios.
        tiny_steps: Adam steps (lr 1e-2) on the 16 examples to memorize.
        signal_steps: full-batch Adam steps (lr 1e-2) of each of the two copies
            that the labels check trains, one on the labels, one on them shuffled.
        seed: seeds PyTorch for the checkup's training and the label shuffle.

    Returns:
        The Checkup, one Check per check; it prints as a table.

    Raises:
        ImportError: if PyTorch is not installed.
        TypeError: if model is not a torch.nn.Module, loss_fn or optimizer is not
            callable, X or y holds no numbers, or tiny_steps, signal_steps or
            seed is not a whole number.
        ValueError: if X has fewer than 2 rows, y has not one row per row of X,
            tiny_steps or signal_steps is below 1, or the model has no
            parameters.
    """
    torch = _import_torch()
    model, X, y, optimizer = _arguments(torch, model, loss_fn, X, y, optimizer)
    tiny_steps = check.whole(WHO, "tiny_steps", tiny_steps)
    signal_steps = check.whole(WHO, "signal_steps", signal_steps)
    seed = check.whole(WHO, "seed", seed, low=0)
    x = X.detach().cpu().double().reshape(len(X), -1).numpy()
    checks = input_checks(x)
    if not checks[0].passed:
        return Checkup(checks)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        checks += _checks_of_the_model(
            torch, model, loss_fn, X, y, optimizer, tiny_steps, signal_steps
        )
    return Checkup(checks)


def _checks_of_the_model(
    torch, model, loss_fn, X, y, optimizer, tiny_steps, signal_steps
):
    """Every check after the inputs', in the checkup's order."""
    probe = copy.deepcopy(model).eval()
    with torch.no_grad(), _Recorder(torch, probe) as recorder:
        output = probe(X)
    kind = _classes(torch, loss_fn, output, y)
    checks = []
    if kind is not None and kind > 1:
        counts = np.bincount(y.cpu().numpy(), minlength=kind)
        checks.append(label_balance(counts))
    bad = recorder.first_nonfinite()
    checks.append(
        Check(
            "finite outputs",
            bad is None,
            tr("every layer's output is finite", "每一层的输出都是有限值")
            if bad is None
            else tr(
                f"first NaN or inf in the output of {bad}",
                f"第一个 NaN 或 inf 出现在{bad}的输出中",
            ),
        )
    )
    if bad is not None:
        return checks
    if kind is not None:
        value = float(loss_fn(output, y))
        expected = math.log(2 if kind == 1 else kind)
        log = "log 2" if kind == 1 else "log K"
        checks.append(
            Check(
                "initial loss",
                abs(value - expected) < 0.5 * expected,
                tr(
                    f"{value:.3f} against {log} = {expected:.3f}",
                    f"{value:.3f}，应接近 {log} = {expected:.3f}",
                ),
            )
        )
    logit = float(output.abs().max())
    checks.append(
        Check(
            "initial outputs",
            logit < 50,
            tr(f"largest |output| {logit:.3g}", f"最大的 |输出| 为 {logit:.3g}"),
        )
    )
    checks += recorder.activation_checks()
    checks.append(_kept_apart(torch, probe, X))
    checks += _gradient_checks(torch, model, loss_fn, X, y, optimizer)
    checks.append(_tiny_batch(torch, model, loss_fn, X, y, tiny_steps))
    if kind is not None:
        checks.append(
            _labels_carry_signal(torch, model, loss_fn, X, y, kind, signal_steps)
        )
    return checks


class _Recorder:
    """Forward hooks on every leaf module that keep what the checkup reads of its
    output: whether it is finite, and the activations' dead or saturated units."""

    def __init__(self, torch, model):
        self.torch, self.model = torch, model
        self.calls: list[tuple[str, Any, bool]] = []
        self.dead: dict[str, float] = {}
        self.saturated: dict[str, float] = {}

    def __enter__(self) -> "_Recorder":
        self.handles = [
            module.register_forward_hook(self.hook(name))
            for name, module in self.model.named_modules()
            if not list(module.children())
        ]
        return self

    def __exit__(self, *exc) -> None:
        for handle in self.handles:
            handle.remove()

    def hook(self, name: str) -> Callable:
        """The hook of one module, which knows its name."""
        nn = self.torch.nn

        def record(module, inputs, output):
            if not isinstance(output, self.torch.Tensor):
                return
            kind = type(module).__name__
            where = tr(f"layer {name} ({kind})", f"层 {name}（{kind}）")
            a = output.detach().reshape(len(output), -1).double()
            self.calls.append((where, module, bool(self.torch.isfinite(a).all())))
            if isinstance(module, nn.ReLU):
                self.dead[where] = float((a <= 0).all(dim=0).double().mean())
            elif isinstance(module, nn.Sigmoid):
                self.saturated[where] = float(
                    (self.torch.minimum(a, 1 - a) < 0.01).double().mean()
                )
            elif isinstance(module, nn.Tanh):
                self.saturated[where] = float((a.abs() > 0.99).double().mean())

        return record

    def first_nonfinite(self) -> str | None:
        """The first module, in the order they ran, whose output is not finite."""
        return next((where for where, _, ok in self.calls if not ok), None)

    def activation_checks(self) -> list[Check]:
        """Dead ReLU units, and saturated units where there are tanh or sigmoids."""
        checks = []
        worst, where = max(
            ((v, k) for k, v in self.dead.items()), default=(0.0, None)
        )
        checks.append(
            Check(
                "dead ReLU units",
                worst < 0.5,
                tr(
                    f"up to {worst:.0%} of a layer's units never active"
                    + (f", {where}" if worst > 0 else ""),
                    f"某一层最多有 {worst:.0%} 的单元从不激活"
                    + (f"，{where}" if worst > 0 else ""),
                ),
            )
        )
        if self.saturated:
            worst, where = max((v, k) for k, v in self.saturated.items())
            checks.append(
                Check(
                    "saturated units",
                    worst < 0.5,
                    tr(
                        f"up to {worst:.0%} of a layer's outputs saturate, {where}",
                        f"某一层最多有 {worst:.0%} 的输出饱和，{where}",
                    ),
                )
            )
        return checks


def _kept_apart(torch, probe, X) -> Check:
    """Whether row 0's output depends on the other rows: the gradient of a weighted
    sum of that output with respect to every row of X (in evaluation mode, where
    batch norm uses its running statistics and mixes nothing)."""
    if len(X) < 2 or not X.is_floating_point():
        return Check(
            "examples kept apart",
            True,
            tr(
                "not measured: needs 2 rows of real inputs",
                "未测量：需要两行以上的实数输入",
            ),
        )
    inputs = X.detach().clone().requires_grad_(True)
    output = probe(inputs)
    weights = torch.linspace(1.0, 2.0, output[0].numel(), dtype=output.dtype)
    (output[0].reshape(-1) * weights).sum().backward()
    dX = inputs.grad.abs().reshape(len(X), -1)
    own, others = float(dX[0].max()), float(dX[1:].max())
    if others == 0:
        return Check(
            "examples kept apart",
            True,
            tr(
                "row 0's output depends on no other row",
                "第 0 行的输出与其他行无关",
            ),
        )
    share = others / own if own > 0 else math.inf
    return Check(
        "examples kept apart",
        False,
        tr(
            f"other rows move row 0's output: gradient {share:.2g} of its own",
            f"其他行会改变第 0 行的输出：梯度是自身的 {share:.2g} 倍",
        ),
    )


def _gradient_checks(torch, model, loss_fn, X, y, optimizer) -> list[Check]:
    r"""The gradient norm of every weight matrix at the first step, and the
    update-to-weight ratios $\lVert \Delta W \rVert / \lVert W \rVert$ over
    the first 10 steps of the reader's optimizer (their median per matrix)."""
    trained = copy.deepcopy(model).train()
    weights = {
        name: p
        for name, p in trained.named_parameters()
        if p.requires_grad and p.dim() >= 2
    }
    steps = optimizer(list(trained.parameters()))
    ratios: dict[str, list[float]] = {name: [] for name in weights}
    norms: dict[str, float] = {}
    for step in range(10):
        steps.zero_grad()
        loss_fn(trained(X), y).backward()
        if step == 0:
            norms = {
                name: float(p.grad.norm()) if p.grad is not None else 0.0
                for name, p in weights.items()
            }
        before = {name: p.detach().clone() for name, p in weights.items()}
        steps.step()
        for name, p in weights.items():
            size = float(before[name].norm())
            moved = float((p.detach() - before[name]).norm())
            if size > 0 or moved > 0:
                ratios[name].append(moved / size if size > 0 else math.inf)
    zero = [name for name, g in norms.items() if g == 0]
    finite = all(math.isfinite(g) for g in norms.values())
    low = min(norms, key=norms.get)
    high = max(norms, key=norms.get)
    spread = norms[high] / norms[low] if norms[low] > 0 else math.inf
    if zero:
        finding = tr(
            f"no gradient reaches {', '.join(zero)}",
            f"没有梯度到达 {', '.join(zero)}",
        )
    else:
        finding = tr(
            f"from {norms[low]:.2g} ({low}) to {norms[high]:.2g} ({high})",
            f"从 {norms[low]:.2g}（{low}）到 {norms[high]:.2g}（{high}）",
        )
    checks = [
        Check("gradient norms", finite and not zero and spread < 100, finding)
    ]
    still = [name for name, r in ratios.items() if not r]
    if (
        still
    ):  # all zeros that never move: a ratio 0/0, which says nothing of the rate
        checks.append(
            Check(
                "update ratios",
                False,
                tr(
                    f"{', '.join(still)}: all zeros, never moved",
                    f"{', '.join(still)} 全为零，一直没动",
                ),
            )
        )
        return checks
    median = {name: float(np.median(r)) for name, r in ratios.items()}
    low = min(median, key=median.get)
    high = max(median, key=median.get)
    checks.append(
        Check(
            "update ratios",
            median[low] >= 1e-4 and median[high] <= 3e-2,
            tr(
                f"from {median[low]:.2g} ({low}) to {median[high]:.2g} ({high})",
                f"从 {median[low]:.2g}（{low}）到 {median[high]:.2g}（{high}）",
            ),
        )
    )
    return checks


def _tiny_batch(torch, model, loss_fn, X, y, steps: int, size: int = 16) -> Check:
    """Train a copy on `size` examples with Adam (lr 1e-2); a sound model, loss
    and labels drive that loss near 0."""
    tiny = copy.deepcopy(model).train()
    adam = torch.optim.Adam(tiny.parameters(), lr=1e-2)
    X_t, y_t = X[:size], y[:size]
    for _ in range(steps):
        adam.zero_grad()
        loss_fn(tiny(X_t), y_t).backward()
        adam.step()
    with torch.no_grad():
        final = float(loss_fn(tiny.eval()(X_t), y_t))
    return Check(
        "overfit a tiny batch",
        final < 0.05,
        tr(
            f"loss on {len(X_t)} examples after {steps} steps: {final:.4f}",
            f"{len(X_t)} 个样本训练 {steps} 步后，损失为 {final:.4f}",
        ),
    )


def _labels_carry_signal(
    torch, model, loss_fn, X, y, kind: int, steps: int
) -> Check:
    """Train one copy on the labels and one on shuffled labels (``steps``
    full-batch Adam steps, lr 1e-2, on three quarters of the rows) and compare
    their accuracy on the last quarter: a model that does no better with the
    real labels than with shuffled ones learns nothing from them."""
    held_out = len(X) // 4
    if held_out < 25:
        return Check(
            "labels carry signal",
            True,
            tr("not measured: needs 100 rows or more", "未测量：需要至少 100 行"),
        )
    order = torch.randperm(len(X))
    train, dev = order[held_out:], order[:held_out]
    shuffled = y[train][torch.randperm(len(train))]
    scores = []
    for labels in (y[train], shuffled):
        learner = copy.deepcopy(model).train()
        adam = torch.optim.Adam(learner.parameters(), lr=1e-2)
        for _ in range(steps):
            adam.zero_grad()
            loss_fn(learner(X[train]), labels).backward()
            adam.step()
        with torch.no_grad():
            scores.append(_accuracy(learner.eval()(X[dev]), y[dev], kind))
    real, shuffle = scores
    counts = np.bincount(y[dev].cpu().numpy().astype(int).ravel())
    chance = float(counts.max() / counts.sum())
    passed = real > shuffle + 0.1 and real > chance + 0.1
    return Check(
        "labels carry signal",
        passed,
        tr(
            f"held-out accuracy {real:.2f} with labels, {shuffle:.2f} shuffled, "
            f"{chance:.2f} by chance",
            f"留出数据上的准确率：真实标签 {real:.2f}，打乱后 {shuffle:.2f}，"
            f"随机猜测 {chance:.2f}",
        ),
    )


def _accuracy(output, y, kind: int) -> float:
    """The share of rows classified right: argmax of K logits, or one's sign."""
    if kind == 1:
        predicted = (output.reshape(-1) > 0).to(y.dtype)
        return float((predicted == y.reshape(-1)).double().mean())
    return float((output.argmax(dim=1) == y).double().mean())


def _classes(torch, loss_fn, output, y) -> int | None:
    """K for class indices with K logits, 1 for a 0/1 target with one logit
    (``BCEWithLogitsLoss``), None for anything else (a regression)."""
    if (
        output.dim() == 2
        and output.shape[1] > 1
        and y.dim() == 1
        and not (y.is_floating_point() or y.is_complex())
    ):
        return int(output.shape[1])
    binary = isinstance(loss_fn, torch.nn.BCEWithLogitsLoss)
    if binary and output.numel() == len(output) and y.numel() == len(y):
        return 1
    return None


def _import_torch():
    """PyTorch, or an ImportError that says how to install it."""
    try:
        import torch
    except ImportError as error:
        raise ImportError(
            f"{WHO} needs PyTorch: pip install torch (its CPU build is enough)"
        ) from error
    return torch


def _arguments(torch, model, loss_fn, X, y, optimizer):
    """The checkup's arguments, checked: X and y as tensors (X in the dtype of the
    model's parameters, class labels as int64) and the optimizer's builder."""
    if not isinstance(model, torch.nn.Module):
        check.fail(WHO, "model", "a torch.nn.Module", model, TypeError)
    parameters = list(model.parameters())
    if not parameters:
        check.fail(
            WHO,
            "model",
            "a model with parameters to train",
            f"{type(model).__name__}, which has none",
            described=True,
        )
    if not callable(loss_fn):
        check.fail(
            WHO,
            "loss_fn",
            "a loss, such as nn.CrossEntropyLoss()",
            loss_fn,
            TypeError,
        )
    if optimizer is None:

        def optimizer(params):
            return torch.optim.Adam(params, lr=1e-3)
    elif not callable(optimizer):
        check.fail(
            WHO,
            "optimizer",
            "a function of the parameters, such as "
            "lambda p: torch.optim.SGD(p, lr=0.1)",
            optimizer,
            TypeError,
        )
    X = _tensor(torch, "X", X)
    y = _tensor(torch, "y", y)
    if X.dim() < 2 or len(X) < 2:
        check.fail(
            WHO,
            "X",
            "a batch of 2 rows or more, (batch, features)",
            f"shape {tuple(X.shape)}",
            described=True,
        )
    if len(y) != len(X):
        check.fail(
            WHO,
            "y",
            f"one row per row of X ({len(X)})",
            f"{len(y)} rows",
            described=True,
        )
    if X.is_floating_point():
        X = X.to(parameters[0].dtype)
    if not y.is_floating_point() and y.dtype != torch.bool:
        y = y.long()
    return model, X, y, optimizer


def _tensor(torch, name: str, value):
    """value as a tensor on the CPU, a NumPy array or a list converted."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        check.fail(
            WHO,
            name,
            "real numbers",
            f"dtype {array.dtype}",
            TypeError,
            described=True,
        )
    if array.ndim == 0:
        check.fail(
            WHO, name, "one row per example", "a single number", described=True
        )
    return torch.from_numpy(np.ascontiguousarray(array))
