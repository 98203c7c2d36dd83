"""Figure helpers: each returns a ``matplotlib.figure.Figure``.

``to_svg`` embeds a figure in a page.

Labels follow a module-level language (``set_language("en" | "zh")``), because a
page's code is identical in English and Chinese: the site build and the test runner
set the language of each page before running it. Chinese glyphs come from the Noto
Sans CJK SC font shipped by the ``mplfonts`` package. Nothing here touches pyplot's
global state or backend.
"""

from __future__ import annotations

import io
import os
import re
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib.figure import Figure

LANGUAGES = ("en", "zh")
CJK_FONT = "Noto Sans CJK SC"
_language = "en"
_cjk_ready = False

LABELS = {
    "epoch": ("epoch", "轮"),
    "iteration": ("iteration", "迭代次数"),
    "loss": ("loss", "损失"),
    "cost": ("cost", "代价"),
    "accuracy": ("accuracy", "准确率"),
    "error": ("error", "误差"),
    "train": ("training set", "训练集"),
    "dev": ("dev set", "验证集"),
    "test": ("test set", "测试集"),
    "learning rate": ("learning rate", "学习率"),
    "count": ("count", "计数"),
    "layer": ("layer", "层"),
}


def set_language(language: str) -> None:
    """Choose the language of figure labels: "en" or "zh".

    For Chinese, text everywhere (also text made outside the helpers) falls back
    from DejaVu Sans to Noto Sans CJK SC for the glyphs DejaVu lacks.
    """
    global _language
    if language not in LANGUAGES:
        raise ValueError(
            f"language must be one of {LANGUAGES} (set_language or HANDBOOK_LANG), "
            f"got {language!r}"
        )
    if language == "zh":
        _register_cjk_font()  # fails loudly before anything changes
    _language = language
    matplotlib.rcParams.update(_font_settings())


def _font_settings() -> dict:
    if _language == "zh":
        _register_cjk_font()
        return {
            "font.family": ["DejaVu Sans", CJK_FONT],
            "axes.unicode_minus": False,
        }
    return {"font.family": ["sans-serif"], "axes.unicode_minus": True}


def get_language() -> str:
    return _language


def tr(en: str, zh: str) -> str:
    """The text for the current language."""
    return zh if _language == "zh" else en


def label(key: str) -> str:
    """A common figure label, such as epoch or loss, in the current language."""
    return tr(*LABELS[key])


def _register_cjk_font() -> None:
    global _cjk_ready
    if _cjk_ready:
        return
    try:
        import mplfonts
    except ImportError as error:
        raise ImportError(
            "Chinese figure labels need the Noto Sans CJK font: "
            "pip install mplfonts"
        ) from error
    path = os.path.join(
        os.path.dirname(mplfonts.__file__), "fonts", "NotoSansCJKsc-Regular.otf"
    )
    matplotlib.font_manager.fontManager.addfont(path)
    _cjk_ready = True


@contextmanager
def style():
    """The handbook's figure style.

    DejaVu Sans, with a fallback to Noto Sans CJK for Chinese glyphs.
    """
    rc = {
        **_font_settings(),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "legend.frameon": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "handbook",
    }
    with matplotlib.rc_context(rc):
        yield


def figure(
    ncols: int = 1,
    nrows: int = 1,
    width: float = 6.4,
    height: float = 3.6,
    **kwargs,
):
    """A new figure and its axes, in the handbook's style (no pyplot state)."""
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, (axes[0, 0] if axes.size == 1 else axes.ravel())


def to_svg(fig: Figure) -> str:
    """The figure as inline SVG, ready to embed in a page.

    Text is drawn as paths, and the same figure always gives the same SVG.
    """
    buffer = io.StringIO()
    with style():
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    # made by pyplot: release it there
    if getattr(fig.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1
    )
    return svg.replace(
        "<svg", '<svg role="img" style="max-width:100%;height:auto"', 1
    )


def show(fig: Figure) -> None:
    """Display the figure in a notebook, as the same SVG the pages embed.

    The labs use this.
    """
    from IPython.display import SVG, display

    display(SVG(to_svg(fig)))


def training_curves(history, metrics=("loss", "acc")) -> Figure:
    """Training and dev curves per epoch, one panel per metric.

    Reads history.train_loss, history.dev_acc and so on.
    """
    metrics = [m for m in metrics if getattr(history, f"train_{m}", None)]
    if not metrics:
        raise ValueError(
            "training_curves: the history holds no training values to draw "
            "(train_loss, train_acc, ...)"
        )
    fig, axes = figure(ncols=len(metrics), width=4.2 * len(metrics))
    for ax, metric in zip(np.atleast_1d(axes), metrics, strict=True):
        with style():
            for split in ("train", "dev"):
                values = getattr(history, f"{split}_{metric}", None)
                if values:
                    epochs = np.arange(1, len(values) + 1)
                    ax.plot(epochs, values, label=label(split))
            ax.set_xlabel(label("epoch"))
            ax.set_ylabel(label("loss" if metric == "loss" else "accuracy"))
            ax.legend()
    return fig


def lines(
    x,
    ys: dict,
    xlabel: str = "",
    ylabel: str = "",
    logy: bool = False,
    title: str = "",
) -> Figure:
    """One curve per entry of ``ys`` (label -> values) against ``x``."""
    fig, ax = figure()
    with style():
        for name, values in ys.items():
            ax.plot(x, values, label=name)
        ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
        if logy:
            ax.set_yscale("log")
        if len(ys) > 1:
            ax.legend()
    return fig


def decision_boundary(
    predict, X: np.ndarray, y: np.ndarray, ax=None, resolution: int = 200
) -> Figure:
    """Regions of the plane by predicted class, with the points over them.

    The points are coloured by their true class.
    """
    fig, ax = figure(width=4.5, height=4.0) if ax is None else (ax.figure, ax)
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0))
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(
        np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    )
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(X.dtype)
    regions = np.asarray(predict(grid)).reshape(gx.shape)
    with style():
        ax.contourf(
            gx,
            gy,
            regions,
            alpha=0.25,
            cmap="coolwarm",
            levels=np.arange(regions.max() + 2) - 0.5,
        )
        ax.scatter(
            X[:, 0],
            X[:, 1],
            c=y,
            cmap="coolwarm",
            s=12,
            edgecolors="k",
            linewidths=0.3,
        )
        ax.set_aspect("equal", adjustable="box")
        ax.grid(False)
    return fig


def histograms(arrays, titles=None, bins: int = 50, range=None) -> Figure:
    """Side-by-side histograms, for example the activations of each layer."""
    arrays = list(arrays)
    fig, axes = figure(
        ncols=len(arrays), width=1.6 * len(arrays) + 1, height=2.4, sharey=True
    )
    for i, (ax, values) in enumerate(zip(np.atleast_1d(axes), arrays, strict=True)):
        with style():
            ax.hist(np.ravel(values), bins=bins, range=range, color="C0")
            ax.set_title(
                titles[i] if titles else f"{label('layer')} {i + 1}", fontsize=9
            )
            ax.tick_params(labelsize=7)
    return fig


def contours(
    f,
    xlim,
    ylim,
    paths: dict | None = None,
    levels: int = 30,
    resolution: int = 200,
) -> Figure:
    """Contours of a cost f(w1, w2), with optional optimizer trajectories.

    ``paths`` maps a label to a (steps, 2) array of points.
    """
    fig, ax = figure(width=5.5, height=4.0)
    w1, w2 = np.meshgrid(
        np.linspace(*xlim, resolution), np.linspace(*ylim, resolution)
    )
    with style():
        ax.contour(w1, w2, f(w1, w2), levels=levels, cmap="viridis", linewidths=0.6)
        for name, path in (paths or {}).items():
            path = np.asarray(path)
            ax.plot(
                path[:, 0],
                path[:, 1],
                marker="o",
                markersize=2,
                linewidth=1,
                label=name,
            )
        if paths:
            ax.legend()
        ax.grid(False)
    return fig


if os.environ.get("HANDBOOK_LANG"):
    set_language(os.environ["HANDBOOK_LANG"])
