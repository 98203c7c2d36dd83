"""Figure helpers: each returns a ``matplotlib.figure.Figure``.

``to_svg`` embeds a figure in a page.

Labels follow the language of ``handbook.language`` (``set_language("en" | "zh")``
here also sets the fonts), because a page's code is identical in English and
Chinese: the site build and the test runner set the language of each page before
running it. Chinese glyphs come from the Noto
Sans CJK SC font shipped by the ``mplfonts`` package. Nothing here touches pyplot's
global state or backend.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from handbook import language as words
from handbook import validation as check
from handbook.language import LANGUAGES, get_language, tr

if TYPE_CHECKING:
    from handbook.training import History

SUBPLOTS_OPTIONS = (
    "sharex",
    "sharey",
    "width_ratios",
    "height_ratios",
    "subplot_kw",
    "gridspec_kw",
)
CJK_FONT = "Noto Sans CJK SC"
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
    """Choose the language of figure labels and printed words: "en" or "zh".

    For Chinese, text everywhere (also text made outside the helpers) falls back
    from DejaVu Sans to Noto Sans CJK SC for the glyphs DejaVu lacks.

    Args:
        language: ``"en"`` or ``"zh"``. The environment variable ``HANDBOOK_LANG``
            sets it when the package is imported.

    Raises:
        ValueError: for any other language.
        ImportError: for ``"zh"`` without the ``mplfonts`` package, which ships
            the font (nothing is changed then).
    """
    check.choice("set_language", "language (or HANDBOOK_LANG)", language, LANGUAGES)
    if language == "zh":
        _register_cjk_font()  # fails loudly before anything changes
    words.set_language(language)
    matplotlib.rcParams.update(_font_settings())


def _font_settings() -> dict:
    if get_language() == "zh":
        _register_cjk_font()
        return {
            "font.family": ["DejaVu Sans", CJK_FONT],
            "axes.unicode_minus": False,
        }
    return {"font.family": ["sans-serif"], "axes.unicode_minus": True}


def label(key: str) -> str:
    """A common figure label, such as epoch or loss, in the current language.

    Args:
        key: one of ``"epoch"``, ``"iteration"``, ``"loss"``, ``"cost"``,
            ``"accuracy"``, ``"error"``, ``"train"``, ``"dev"``, ``"test"``,
            ``"learning rate"``, ``"count"``, ``"layer"``.

    Returns:
        The label, such as ``"dev set"`` or ``"验证集"``.

    Raises:
        ValueError: for any other key.
    """
    return tr(*LABELS[check.choice("label", "key", key, LABELS)])


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
def style() -> Iterator[None]:
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
    **kwargs: Any,
) -> tuple[Figure, Axes | np.ndarray]:
    """A new figure and its axes, in the handbook's style (no pyplot state).

    One panel gives its Axes, several an array of them; ``kwargs`` go to
    ``Figure.subplots`` (``sharex``, ``sharey``, ``width_ratios``, ...).

    Args:
        ncols: panels side by side.
        nrows: rows of panels.
        width: the figure's width, in inches.
        height: the figure's height, in inches.
        kwargs: for ``Figure.subplots``: ``sharex`` and ``sharey`` (True, False,
            ``"all"``, ``"row"``, ``"col"``, ``"none"``), ``width_ratios`` (one
            per column), ``height_ratios`` (one per row), ``subplot_kw`` and
            ``gridspec_kw`` (dicts).

    Returns:
        ``(fig, ax)``: the Figure and its Axes, or for several panels a flat
            array of ``nrows * ncols`` Axes, row by row.

    Raises:
        TypeError: if an argument is of the wrong kind (ncols not a whole number,
            width not a number, subplot_kw not a dict, ...).
        ValueError: if a count is below 1, a size not positive, a keyword
            unknown, a sharing mode or ratio invalid, or matplotlib refuses
            subplot_kw or gridspec_kw.
    """
    check.whole("figure", "ncols", ncols)
    check.whole("figure", "nrows", nrows)
    check.positive("figure", "width", width)
    check.positive("figure", "height", height)
    check_subplots(ncols, nrows, kwargs)
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        try:
            axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            if not {"subplot_kw", "gridspec_kw"} & set(kwargs):
                raise
            check.fail(
                "figure",
                "subplot_kw and gridspec_kw",
                "options that matplotlib's Axes and GridSpec accept",
                f"{kwargs}, which matplotlib refused: {error}",
                ValueError if isinstance(error, ValueError) else TypeError,
                described=True,
            )
    return fig, (axes[0, 0] if axes.size == 1 else axes.ravel())


def check_subplots(ncols: int, nrows: int, kwargs: dict) -> None:
    """The keyword arguments of ``figure`` for ``Figure.subplots``: known names,
    a sharing mode for ``sharex`` and ``sharey``, one ratio > 0 per column or row,
    dicts for ``subplot_kw`` and ``gridspec_kw`` (whose content matplotlib checks
    when the axes are made).

    Args:
        ncols: the figure's columns of panels (one width ratio each).
        nrows: the figure's rows of panels (one height ratio each).
        kwargs: the keyword arguments, name -> value.

    Raises:
        TypeError: if a ratio is not a number, or subplot_kw or gridspec_kw not a
            dict.
        ValueError: if a name is unknown, sharex or sharey no sharing mode, or
            the ratios not one finite number > 0 per column or row.
    """
    for key, value in kwargs.items():
        check.choice("figure", "a keyword argument", key, SUBPLOTS_OPTIONS)
        if key in ("sharex", "sharey"):
            modes = [True, False, "all", "row", "col", "none"]
            if not isinstance(value, bool | np.bool_ | str) or value not in modes:
                check.fail("figure", key, f"one of {modes}", value)
        elif key.endswith("_ratios"):
            count, per = (
                (ncols, "column") if key == "width_ratios" else (nrows, "row")
            )
            ratios = values_array("figure", key, value, ndim=1)
            if len(ratios) != count or not np.all(ratios > 0):
                check.fail(
                    "figure", key, f"{count} numbers > 0, one per {per}", value
                )
        elif not isinstance(value, dict):
            check.fail("figure", key, "a dict of options", value, TypeError)


def check_figure(who: str, fig: Any) -> Figure:
    """A whole matplotlib ``Figure``: not its Axes (pass ``ax.figure``), not
    None.

    Args:
        who: the caller, as the message names it.
        fig: the figure to check.

    Returns:
        ``fig``, as given.

    Raises:
        TypeError: if fig is not a Figure (Axes, None, a pair ``(fig, ax)``).
    """
    if not isinstance(fig, Figure):
        check.fail(
            who,
            "fig",
            "a matplotlib Figure (such as hb.plot.figure()[0]; for axes ax, "
            "pass ax.figure)",
            type(fig).__name__,
            TypeError,
            described=True,
        )
    return fig


def to_svg(fig: Figure) -> str:
    """The figure as inline SVG, ready to embed in a page.

    Text is drawn as paths, and the same figure always gives the same SVG. Axes
    labelled with a count get whole-number ticks (``whole_number_ticks``), legends
    have no frame, as in ``style()``; a figure made with pyplot is closed there.

    Args:
        fig: the figure, such as ``hb.plot.figure()[0]``.

    Returns:
        The ``<svg>`` element, a string, without a fixed size: it scales to the
            page's width.

    Raises:
        TypeError: if fig is not a Figure (for Axes ``ax``, pass ``ax.figure``).
    """
    check_figure("to_svg", fig)
    whole_number_ticks(fig)
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if legend is not None:  # made outside style(), where legends have a frame
            legend.set_frame_on(False)
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
    # lighter pages: no comments (the text of each label), no indentation
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r">\s+<", "><", svg)
    svg = re.sub(r"[ \t]*\n[ \t]*", " ", svg).strip()
    return svg.replace(
        "<svg", '<svg role="img" style="max-width:100%;height:auto"', 1
    )


# Axis labels that count things get whole-number ticks (there is no epoch 2.5).
COUNTS = ("epoch", "iteration", "layer")


def whole_number_ticks(fig: Figure) -> None:
    """Whole-number ticks on every linear axis labelled with a count, in either
    language (the labels of ``label``, alone or followed by a remark in brackets:
    "layer (input side first)").

    Args:
        fig: the figure, changed in place.
    """
    counted = {text for key in COUNTS for text in LABELS[key]}
    counted |= {f"{text}{bracket}" for text in counted for bracket in (" (", "（")}
    for ax in fig.axes:
        for axis, text, scale in (
            (ax.xaxis, ax.get_xlabel(), ax.get_xscale()),
            (ax.yaxis, ax.get_ylabel(), ax.get_yscale()),
        ):
            if scale == "linear" and (
                text in counted
                or text.startswith(tuple(c for c in counted if c[-1] in "(（"))
            ):
                axis.set_major_locator(MaxNLocator(integer=True))


def show(fig: Figure) -> None:
    """Display the figure in a notebook, as the same SVG the pages embed.

    The labs use this.

    Args:
        fig: the figure, such as ``hb.plot.figure()[0]``.

    Raises:
        TypeError: if fig is not a Figure (for Axes ``ax``, pass ``ax.figure``).
    """
    check_figure("show", fig)
    from IPython.display import SVG, display

    display(SVG(to_svg(fig)))


def training_curves(
    history: History, metrics: str | Sequence[str] = ("loss", "acc")
) -> Figure:
    """Training and dev curves per epoch, one panel per metric.

    Reads history.train_loss, history.dev_acc and so on; ``metrics`` names
    them without the prefix (one name or several). A metric the history did not
    record (accuracy for a regression) is left out.

    Args:
        history: what ``hb.fit`` returns, a ``History``.
        metrics: ``"loss"``, ``"acc"``, or a list or tuple of them.

    Returns:
        The figure.

    Raises:
        TypeError: if history is no History, metrics no name or list of names, or
            a recorded curve not numbers.
        ValueError: if metrics is empty or names a metric History has not, none
            of them was recorded, or a recorded curve holds NaN or inf.
    """
    curves = check_metrics(history, metrics)
    fig, axes = figure(ncols=len(curves), width=4.2 * len(curves))
    for ax, (metric, splits) in zip(
        np.atleast_1d(axes), curves.items(), strict=True
    ):
        with style():
            for split, values in splits.items():
                epochs = np.arange(1, len(values) + 1)
                ax.plot(epochs, values, label=label(split))
            ax.set_xlabel(label("epoch"))
            ax.set_ylabel(label("loss" if metric == "loss" else "accuracy"))
            ax.legend()
    return fig


def check_metrics(
    history: History, metrics: str | Sequence[str]
) -> dict[str, dict[str, np.ndarray]]:
    """The curves ``training_curves`` draws: for each metric that ``history``
    recorded, its training and dev values (the dev values if recorded), as
    arrays of finite numbers (lists and arrays alike; NaN would leave a gap).

    Args:
        history: as in ``training_curves``.
        metrics: as in ``training_curves``.

    Returns:
        metric -> {"train": values, "dev": values}, the dev entry only if recorded.

    Raises:
        TypeError: if history is no History, metrics no name or list of names, or
            a recorded curve not numbers.
        ValueError: if metrics is empty or names a metric History has not, none
            of them was recorded, or a recorded curve holds NaN or inf.
    """
    who = "training_curves"
    if not hasattr(history, "train_loss"):
        check.fail(
            who,
            "history",
            "a History (what hb.fit returns, with train_loss, dev_loss, ...)",
            type(history).__name__,
            TypeError,
            described=True,
        )
    known = [name[6:] for name in vars(history) if name.startswith("train_")]
    if isinstance(metrics, str):
        metrics = [metrics]
    if not isinstance(metrics, list | tuple):
        expectation = f"a name or a list of names in {known}"
        check.fail(who, "metrics", expectation, metrics, TypeError)
    if not metrics:
        check.fail(who, "metrics", f"at least one name in {known}", metrics)
    for metric in metrics:
        check.choice(who, "metrics", metric, known)
    curves = {}
    for metric in metrics:
        splits = {}
        for split in ("train", "dev"):
            argument = f"history.{split}_{metric}"
            values = getattr(history, f"{split}_{metric}", None)
            if values is not None and check.as_array(who, argument, values).size:
                splits[split] = values_array(who, argument, values, ndim=1)
        if "train" in splits:
            curves[metric] = splits
    if not curves:
        wanted = " or ".join(f"train_{m}" for m in metrics)
        check.fail(
            who,
            "history",
            f"a History holding {wanted}",
            "none of them recorded",
            described=True,
        )
    return curves


def lines(
    x: ArrayLike,
    ys: dict[str, ArrayLike],
    xlabel: str = "",
    ylabel: str = "",
    logy: bool = False,
    title: str = "",
) -> Figure:
    """One curve per entry of ``ys`` (label -> values) against ``x``.

    ``logy`` draws the values on a log scale (they must be positive).

    Args:
        x: the positions along the x axis, one per value.
        ys: label -> values, each as long as ``x``; one curve has no legend.
        xlabel: the x axis's label.
        ylabel: the y axis's label.
        logy: a log scale for the values.
        title: the figure's title.

    Returns:
        The figure.

    Raises:
        TypeError: if ys is not a dict, x or a curve not numbers, logy not a
            bool, or xlabel, ylabel or title not a string.
        ValueError: if ys is empty, x or a curve not 1-D, empty or not finite, a
            curve not as long as x, or (logy) not positive everywhere.
    """
    x, ys = check_lines(x, ys, xlabel, ylabel, logy, title)
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


def check_lines(
    x: ArrayLike,
    ys: dict[str, ArrayLike],
    xlabel: str,
    ylabel: str,
    logy: bool,
    title: str,
) -> tuple[np.ndarray, dict]:
    """The arguments of ``lines``: x and each curve as arrays of one length.

    Args:
        x: as in ``lines``.
        ys: as in ``lines``.
        xlabel: as in ``lines``.
        ylabel: as in ``lines``.
        logy: as in ``lines``.
        title: as in ``lines``.

    Returns:
        ``(x, curves)``: x as an array, and label -> values as arrays.

    Raises:
        TypeError: if ys is not a dict, x or a curve not numbers, logy not a
            bool, or xlabel, ylabel or title not a string.
        ValueError: if ys is empty, x or a curve not 1-D, empty or not finite, a
            curve not as long as x, or (logy) not positive everywhere.
    """
    who = "lines"
    x = values_array(who, "x", x, ndim=1)
    if not isinstance(ys, dict):
        check.fail(
            who,
            "ys",
            "a dict of curves, label -> values ({'train': losses})",
            type(ys).__name__,
            TypeError,
            described=True,
        )
    if not ys:
        check.fail(who, "ys", "a dict of at least one curve", ys)
    check.flag(who, "logy", logy)
    for argument, text in (
        ("xlabel", xlabel),
        ("ylabel", ylabel),
        ("title", title),
    ):
        if not isinstance(text, str):
            check.fail(who, argument, "a string", text, TypeError)
    curves = {
        name: values_array(who, f"ys[{name!r}]", v, ndim=1)
        for name, v in ys.items()
    }
    for name, values in curves.items():
        if len(values) != len(x):
            check.fail(
                who,
                f"ys[{name!r}]",
                f"as long as x ({len(x)} values)",
                f"{len(values)} values",
                described=True,
            )
        if logy and values.min() <= 0:
            check.fail(
                who,
                f"ys[{name!r}]",
                "positive everywhere to be drawn with logy=True",
                f"a smallest value of {values.min():g}",
                described=True,
            )
    return x, curves


def decision_boundary(
    predict: Callable,
    X: ArrayLike,
    y: ArrayLike,
    ax: Axes | None = None,
    resolution: int = 200,
) -> Figure:
    """Regions of the plane by predicted class, with the points over them.

    ``predict`` takes an (n, 2) array of points and gives each a class: n whole
    numbers >= 0, or an (n, K) array of K >= 2 scores (logits or
    probabilities), of which the largest is the class. One score per point is
    refused, since it is no class until thresholded (a logit at 0, a
    probability at 0.5): ``lambda P: (model.predict(P)[:, 0] > 0).astype(int)``.
    The points of X, two features each, are coloured by their true class y.

    Args:
        predict: the classifier, points -> classes or scores (see above).
        X: the points, of shape (n, 2).
        y: their true classes, n numbers.
        ax: the Axes to draw on, or None for a new figure.
        resolution: grid points per axis (``predict`` sees resolution**2 points).

    Returns:
        The figure: a new one, or ``ax.figure`` when ``ax`` is given.

    Raises:
        TypeError: if predict is not callable, X, y or predict's output is not
            numbers, ax is not Axes, or resolution not a whole number.
        ValueError: if X is not of shape (n, 2), y not n values, either empty or
            not finite, resolution below 2, or predict's output neither n
            classes (whole numbers >= 0) nor (n, K) scores.
    """
    X, y = check_points(predict, X, y, ax, resolution)
    fig, ax = figure(width=4.5, height=4.0) if ax is None else (ax.figure, ax)
    span = X.max(axis=0) - X.min(axis=0)
    pad = np.where(span > 0, 0.1 * span, 0.5)
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(
        np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    )
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(X.dtype)
    regions = predicted_classes(predict(grid), len(grid)).reshape(gx.shape)
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


def check_points(
    predict: Callable,
    X: ArrayLike,
    y: ArrayLike,
    ax: Axes | None,
    resolution: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The arguments of ``decision_boundary``: X as (n, 2), y as n labels.

    Args:
        predict: as in ``decision_boundary``.
        X: as in ``decision_boundary``.
        y: as in ``decision_boundary``.
        ax: as in ``decision_boundary``.
        resolution: as in ``decision_boundary``.

    Returns:
        ``(X, y)``, as arrays.

    Raises:
        TypeError: if predict is not callable, X or y not numbers, ax not Axes,
            or resolution not a whole number.
        ValueError: if X is not of shape (n, 2), y not n values, either empty or
            not finite, or resolution below 2.
    """
    who = "decision_boundary"
    check.function(who, "predict", predict, "lambda P: model.predict(P)")
    X = values_array(who, "X", X, ndim=2)
    if X.shape[1] != 2:
        check.fail(
            who,
            "X",
            "of shape (n, 2), two features to draw as the plane's axes",
            f"shape {X.shape}",
            described=True,
        )
    y = values_array(who, "y", y, ndim=1)
    check.same_rows(who, X, y)
    if ax is not None and not isinstance(ax, Axes):
        check.fail(
            who,
            "ax",
            "None or matplotlib Axes",
            type(ax).__name__,
            TypeError,
            described=True,
        )
    check.whole(who, "resolution", resolution, low=2)
    return X, y


def predicted_classes(output: ArrayLike, n: int) -> np.ndarray:
    """What ``decision_boundary``'s predict gave for n points, as n classes.

    Args:
        output: what predict returned: n classes, or (n, K) scores.
        n: the number of points predict was given.

    Returns:
        The classes, an int64 array of shape (n,): the largest score's column
            for (n, K) scores with K >= 2.

    Raises:
        TypeError: if output is not numbers.
        ValueError: if output has another shape, is not finite, or (as classes)
            holds values that are not whole numbers >= 0.
    """
    who, argument = "decision_boundary", "predict(points)"
    output = check.real_array(who, argument, output)
    if output.ndim == 2 and output.shape[0] == n:
        check.finite(who, argument, output)
        output = output.argmax(axis=1) if output.shape[1] > 1 else output[:, 0]
    if output.shape != (n,):
        check.fail(
            who,
            argument,
            f"one class per point, shape ({n},), or K scores per point, "
            f"shape ({n}, K)",
            f"shape {output.shape}",
            described=True,
        )
    check.finite(who, argument, output)
    wrong = (output < 0) | (output != np.round(output))
    if np.any(wrong):
        check.fail(
            who,
            argument,
            "classes, whole numbers >= 0 (threshold a single score per point: "
            "lambda P: (model.predict(P)[:, 0] > 0).astype(int))",
            f"values such as {output[wrong][0]:g}",
            described=True,
        )
    return output.astype(np.int64)


def histograms(
    arrays: Iterable[ArrayLike],
    titles: Sequence[str] | None = None,
    bins: int = 50,
    range: tuple[float, float] | None = None,
) -> Figure:
    """Side-by-side histograms, for example the activations of each layer.

    ``arrays`` is a list, one panel per array (of any shape, all its values);
    one array alone goes in a list too: ``histograms([x])``.

    Args:
        arrays: the arrays, one panel each.
        titles: one title per array, or None for "layer 1", "layer 2", ...
        bins: bins per histogram.
        range: ``(low, high)``, the values' range drawn in every panel, or None
            for each array's own.

    Returns:
        The figure.

    Raises:
        TypeError: if arrays is one array, a string, a dict or not iterable, an
            array not numbers, titles not a list, bins not a whole number, or
            range not a sequence of numbers.
        ValueError: if arrays is empty, an array empty or not finite, titles not
            one per array, bins below 1, or range not two finite numbers with
            low < high.
    """
    arrays, titles = check_histograms(arrays, titles, bins, range)
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


def check_histograms(
    arrays: Iterable[ArrayLike],
    titles: Sequence[str] | None,
    bins: int,
    range: tuple[float, float] | None,
) -> tuple[list, list | None]:
    """The arguments of ``histograms``: a list of arrays, as many titles.

    Args:
        arrays: as in ``histograms``.
        titles: as in ``histograms``.
        bins: as in ``histograms``.
        range: as in ``histograms``.

    Returns:
        ``(arrays, titles)``: a list of arrays, and titles as given.

    Raises:
        TypeError: if arrays is one array, a string, a dict or not iterable, an
            array not numbers, titles not a list, bins not a whole number, or
            range not a sequence of numbers.
        ValueError: if arrays is empty, an array empty or not finite, titles not
            one per array, bins below 1, or range not two finite numbers with
            low < high.
    """
    who = "histograms"
    if isinstance(arrays, (np.ndarray, str, dict)) or not hasattr(
        arrays, "__iter__"
    ):
        shown = (
            f"one array of shape {arrays.shape}"
            if isinstance(arrays, np.ndarray)
            else type(arrays).__name__
        )
        check.fail(
            who,
            "arrays",
            "a list of arrays, one per panel ([x] for one panel)",
            shown,
            TypeError,
            described=True,
        )
    arrays = [
        values_array(who, f"arrays[{i}]", values) for i, values in enumerate(arrays)
    ]
    if not arrays:
        check.fail(who, "arrays", "a list of at least one array", [])
    if titles is not None:
        if isinstance(titles, str) or not hasattr(titles, "__len__"):
            check.fail(who, "titles", "a list of strings", titles, TypeError)
        if len(titles) != len(arrays):
            check.fail(
                who,
                "titles",
                f"one per array ({len(arrays)})",
                f"{len(titles)} titles",
                described=True,
            )
    check.whole(who, "bins", bins)
    if range is not None:
        check.interval(who, "range", range)
    return arrays, titles


def contours(
    f: Callable,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    paths: dict[str, ArrayLike] | None = None,
    levels: int | ArrayLike = 30,
    resolution: int = 200,
) -> Figure:
    """Contours of a cost f(w1, w2), with optional optimizer trajectories.

    ``f`` is called once, on two (resolution, resolution) grids of w1 and w2,
    and returns the cost at each point. ``xlim`` and ``ylim`` are the ranges
    (low, high) of w1 and w2; ``levels`` a number of contours or their
    increasing values. ``paths`` maps a label to a (steps, 2) array of points.

    Args:
        f: the cost, ``lambda w1, w2: w1**2 + 10 * w2**2``.
        xlim: ``(low, high)``, the range of w1.
        ylim: ``(low, high)``, the range of w2.
        paths: label -> (steps, 2) array of points (w1, w2), or None.
        levels: a number of contours, or their increasing values.
        resolution: grid points per axis.

    Returns:
        The figure.

    Raises:
        TypeError: if f is not callable, xlim, ylim, a path or f's result not
            numbers, paths not a dict, levels neither a whole number nor a list
            or array of numbers, or resolution not a whole number.
        ValueError: if xlim or ylim is not two finite numbers with low < high, a
            path not of shape (steps, 2), empty or not finite, levels below 1,
            empty or not increasing, resolution below 2, or f's result not
            finite numbers of the grid's shape.
    """
    xlim, ylim, paths = check_contours(f, xlim, ylim, paths, levels, resolution)
    fig, ax = figure(width=5.5, height=4.0)
    w1, w2 = np.meshgrid(
        np.linspace(*xlim, resolution), np.linspace(*ylim, resolution)
    )
    costs = grid_values("contours", "f(w1, w2)", f(w1, w2), w1.shape)
    with style():
        ax.contour(w1, w2, costs, levels=levels, cmap="viridis", linewidths=0.6)
        for name, path in paths.items():
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


def check_contours(
    f: Callable,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    paths: dict[str, ArrayLike] | None,
    levels: int | ArrayLike,
    resolution: int,
) -> tuple:
    """The arguments of ``contours``: both ranges and the paths as arrays.

    Args:
        f: as in ``contours``.
        xlim: as in ``contours``.
        ylim: as in ``contours``.
        paths: as in ``contours``.
        levels: as in ``contours``.
        resolution: as in ``contours``.

    Returns:
        ``(xlim, ylim, paths)``: the ranges as pairs of numbers, the paths as
            label -> array (a dict, empty for None).

    Raises:
        TypeError: if f is not callable, xlim, ylim or a path not numbers,
            paths not a dict, levels neither a whole number nor a list or array
            of numbers, or resolution not a whole number.
        ValueError: if xlim or ylim is not two finite numbers with low < high, a
            path not of shape (steps, 2), empty or not finite, levels below 1,
            empty or not increasing, or resolution below 2.
    """
    who = "contours"
    check.function(who, "f", f, "lambda w1, w2: w1**2 + 10 * w2**2")
    xlim = check.interval(who, "xlim", xlim)
    ylim = check.interval(who, "ylim", ylim)
    if paths is None:
        paths = {}
    if not isinstance(paths, dict):
        check.fail(
            who,
            "paths",
            "None or a dict, label -> (steps, 2) array of points",
            type(paths).__name__,
            TypeError,
            described=True,
        )
    paths = {
        name: values_array(who, f"paths[{name!r}]", path, ndim=2)
        for name, path in paths.items()
    }
    for name, path in paths.items():
        if path.shape[1] != 2:
            check.fail(
                who,
                f"paths[{name!r}]",
                "of shape (steps, 2), one row (w1, w2) per step",
                f"shape {path.shape}",
                described=True,
            )
    if isinstance(levels, np.ndarray | list | tuple):
        levels = values_array(who, "levels", levels, ndim=1)
        if not np.all(np.diff(levels) > 0):
            check.fail(who, "levels", "increasing", levels)
    else:
        check.whole(who, "levels", levels)
    check.whole(who, "resolution", resolution, low=2)
    return xlim, ylim, paths


def values_array(
    who: str, argument: str, value: ArrayLike, *, ndim: int | None = None
) -> np.ndarray:
    """A non-empty array of finite real numbers (lists are converted): what a
    figure can draw. An empty array would draw nothing, NaN would leave gaps.

    Args:
        who: the caller, as the message names it.
        argument: the argument's name, as the message shows it.
        value: an array or a (nested) list of numbers.
        ndim: the number of dimensions required, or None for any.

    Returns:
        The array, as ``check.real_array`` gives it.

    Raises:
        TypeError: if value is a masked array, or holds other than real numbers.
        ValueError: if value is a ragged nested list, has not ``ndim``
            dimensions, is empty, or holds NaN or infinite values.
    """
    array = check.real_array(who, argument, value, ndim=ndim)
    if array.size == 0:
        check.fail(
            who, argument, "non-empty", f"shape {array.shape}", described=True
        )
    return check.finite(who, argument, array)


def grid_values(
    who: str, argument: str, value: ArrayLike, shape: tuple
) -> np.ndarray:
    """What a function of the plotting grid returned: finite numbers, one per
    point of the grid.

    Args:
        who: the caller, as the message names it.
        argument: how the message names the result (``"f(w1, w2)"``).
        value: what the function returned.
        shape: the grid's shape.

    Returns:
        The values, an array of ``shape``.

    Raises:
        TypeError: if value is a masked array, or holds other than real numbers.
        ValueError: if value is a ragged nested list, has another shape, or holds
            NaN or infinite values.
    """
    array = check.real_array(who, argument, value)
    if array.shape != shape:
        check.fail(
            who,
            argument,
            f"one value per grid point, shape {shape}",
            f"shape {array.shape}",
            described=True,
        )
    return check.finite(who, argument, array)


if os.environ.get("HANDBOOK_LANG"):
    set_language(os.environ["HANDBOOK_LANG"])  # the fonts, too
