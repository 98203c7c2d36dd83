"""Figures: deterministic SVG, labels in the page's language, Chinese glyphs
present, and a clear error for every bad argument."""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import handbook as hb


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    hb.plot.set_language("en")


def history():
    return hb.History(
        train_loss=[1.0, 0.5, 0.3],
        dev_loss=[1.1, 0.7, 0.6],
        train_acc=[0.5, 0.8, 0.9],
        dev_acc=[0.4, 0.7, 0.8],
    )


def test_svg_is_deterministic_and_embeddable():
    a = hb.plot.to_svg(hb.plot.training_curves(history()))
    b = hb.plot.to_svg(hb.plot.training_curves(history()))
    assert a == b
    assert a.startswith("<svg") and "<?xml" not in a and "max-width:100%" in a


def test_a_legend_made_after_figure_returns_has_no_frame_either():
    fig, ax = hb.plot.figure()
    ax.plot([1, 2], [3, 4], label="a")
    legend = ax.legend()  # outside style(): matplotlib's default frame
    assert legend.get_frame_on()
    hb.plot.to_svg(fig)
    assert not legend.get_frame_on()


def test_labels_follow_the_language():
    assert hb.plot.label("dev") == "dev set"
    hb.plot.set_language("zh")
    assert hb.plot.label("dev") == "验证集" and hb.plot.tr("loss", "损失") == "损失"
    with pytest.raises(
        ValueError,
        match=r"set_language: language \(or HANDBOOK_LANG\) must be one of",
    ):
        hb.plot.set_language("fr")


def test_chinese_labels_have_every_glyph():
    hb.plot.set_language("zh")
    fig, ax = hb.plot.figure()
    ax.plot([1, 2], [3, 4])
    ax.set_title("梯度消失与梯度爆炸 −1")  # text made outside the helpers too
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = hb.plot.to_svg(hb.plot.training_curves(history()))
        hb.plot.to_svg(fig)
    hb.plot.set_language("en")
    assert (
        hb.plot.to_svg(hb.plot.training_curves(history())) != svg
    )  # labels differ by language


def test_other_helpers_draw(rng):
    X, y = hb.datasets.two_moons(50, rng=0)
    figs = [
        hb.plot.decision_boundary(
            lambda P: (P[:, 1] > 0.25).astype(int), X, y, resolution=20
        ),
        hb.plot.histograms([rng.normal(size=100) for _ in range(3)]),
        hb.plot.lines(
            np.arange(5),
            {"a": np.arange(1, 6), "b": np.arange(1, 6) ** 2},
            logy=True,
        ),
        hb.plot.contours(
            lambda a, b: a**2 + 10 * b**2,
            (-1, 1),
            (-1, 1),
            paths={"gd": [[1, 1], [0, 0]]},
            resolution=20,
        ),
    ]
    for fig in figs:
        assert hb.plot.to_svg(fig).count("<path") > 5


def test_missing_cjk_font_fails_loudly(monkeypatch):
    monkeypatch.setitem(sys.modules, "mplfonts", None)  # as if not installed
    monkeypatch.setattr(hb.plot, "_cjk_ready", False)
    with pytest.raises(ImportError, match="pip install mplfonts"):
        hb.plot.set_language("zh")
    assert hb.plot.get_language() == "en"


def test_language_from_the_environment():
    run = [
        sys.executable,
        "-c",
        "import handbook as hb; "
        "print(hb.plot.get_language(), hb.plot.label('epoch'))",
    ]
    zh = subprocess.run(
        run,
        env={**os.environ, "HANDBOOK_LANG": "zh"},
        capture_output=True,
        text=True,
    )
    assert zh.stdout.split() == ["zh", "轮"]
    fr = subprocess.run(
        run,
        env={**os.environ, "HANDBOOK_LANG": "fr"},
        capture_output=True,
        text=True,
    )
    assert (
        fr.returncode != 0
        and "language (or HANDBOOK_LANG) must be one of ['en', 'zh'], got 'fr'"
        in fr.stderr
    )


def test_to_svg_releases_pyplot_figures_and_empty_history_is_refused():
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1])
    assert plt.fignum_exists(fig.number)
    hb.plot.to_svg(fig)
    assert not plt.fignum_exists(fig.number)
    with pytest.raises(
        ValueError, match="training_curves: history must be a History holding"
    ):
        hb.plot.training_curves(hb.History())


# Bad inputs: every public function refuses them naming itself and the argument,
# with a TypeError for a wrong kind of object and a ValueError for a wrong value.


def points():
    X, y = hb.datasets.two_moons(30, rng=0)
    return X, y


def above(P):
    return (P[:, 1] > 0.25).astype(int)


def scores(P):
    """Three scores per point, as a softmax model's logits."""
    return np.column_stack([P[:, 0], P[:, 1], -P[:, 0] - P[:, 1]])


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: hb.plot.to_svg(None),
            r"to_svg: fig must be a matplotlib Figure.*got NoneType",
        ),
        (
            lambda: hb.plot.to_svg(hb.plot.figure()[1]),
            r"to_svg: fig .*ax\.figure.*got Axes",
        ),
        (lambda: hb.plot.show(None), r"show: fig must be a matplotlib Figure"),
        (
            lambda: hb.plot.training_curves({"train_loss": [1.0, 0.5]}),
            r"training_curves: history must be a History .*got dict",
        ),
        (
            lambda: hb.plot.training_curves(history(), metrics=None),
            r"training_curves: metrics must",
        ),
        (
            lambda: hb.plot.lines([1, 2], [[1, 2]]),
            r"lines: ys must be a dict .*got list",
        ),
        (
            lambda: hb.plot.lines([1, 2], {"a": [1, 2]}, logy="no"),
            r"lines: logy must be True or False",
        ),
        (
            lambda: hb.plot.lines([1, 2], {"a": [1, 2]}, xlabel=3),
            r"lines: xlabel must be a string",
        ),
        (
            lambda: hb.plot.decision_boundary(None, *points()),
            r"decision_boundary: predict must be a function",
        ),
        (
            lambda: hb.plot.decision_boundary(above, *points(), ax="left"),
            r"decision_boundary: ax must be",
        ),
        (
            lambda: hb.plot.decision_boundary(above, *points(), resolution=10.0),
            r"decision_boundary: resolution must be a whole number",
        ),
        (
            lambda: hb.plot.histograms(np.ones((5, 3))),
            r"histograms: arrays must be a list of arrays.*\[x\].*got one array of"
            r" shape \(5, 3\)",
        ),
        (lambda: hb.plot.histograms("abc"), r"histograms: arrays must be a list"),
        (
            lambda: hb.plot.histograms({"a": [1.0]}),
            r"histograms: arrays must be a list",
        ),
        (
            lambda: hb.plot.histograms([[1.0, 2.0]], titles="a"),
            r"histograms: titles must be a list",
        ),
        (
            lambda: hb.plot.histograms([[1.0, 2.0]], bins=2.5),
            r"histograms: bins must be a whole number",
        ),
        (
            lambda: hb.plot.contours(None, (0, 1), (0, 1)),
            r"contours: f must be a function",
        ),
        (
            lambda: hb.plot.contours(np.add, (0, 1), (0, 1), paths=[[0, 0]]),
            r"contours: paths must be None or a dict",
        ),
        (
            lambda: hb.plot.contours(np.add, "ab", (0, 1)),
            r"contours: xlim must be a pair",
        ),
        (
            lambda: hb.plot.figure(nrows=1.5),
            r"figure: nrows must be a whole number",
        ),
        (lambda: hb.plot.tr(1, "一"), r"tr: en must be a string"),
    ],
)
def test_a_wrong_kind_of_object_is_a_type_error(call, match):
    with pytest.raises(TypeError, match=match):
        call()


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: hb.plot.decision_boundary(above, "ab", [0, 1]),
            r"decision_boundary: X must be an array of real",
        ),
        (
            lambda: hb.plot.decision_boundary(above, points()[0] + 1j, points()[1]),
            r"decision_boundary: X .*complex",
        ),
        (
            lambda: hb.plot.decision_boundary(above, points()[0], ["a"] * 30),
            r"decision_boundary: y must be an array",
        ),
        (
            lambda: hb.plot.histograms([[1.0], ["a"]]),
            r"histograms: arrays\[1\] must be an array of real numbers",
        ),
        (
            lambda: hb.plot.lines([1, 2], {"a": [None, 1]}),
            r"lines: ys\['a'\] must be an array of real numbers",
        ),
        (
            lambda: hb.plot.contours(
                np.add, (0, 1), (0, 1), paths={"gd": [["a", "b"]]}
            ),
            r"contours: paths\['gd'\]",
        ),
        (
            lambda: hb.plot.decision_boundary(
                lambda P: np.array(["a"] * len(P)), *points(), resolution=5
            ),
            r"decision_boundary: predict\(points\) must be an array of real"
            r" numbers",
        ),
    ],
)
def test_arrays_of_strings_objects_or_complex_numbers_are_type_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


@pytest.mark.parametrize(
    "call, match",
    [
        # empty
        (
            lambda: hb.plot.histograms([]),
            r"histograms: arrays must be a list of at least one array, got \[\]",
        ),
        (
            lambda: hb.plot.histograms([[1.0], []]),
            r"histograms: arrays\[1\] must be non-empty",
        ),
        (lambda: hb.plot.lines([], {"a": []}), r"lines: x must be non-empty"),
        (
            lambda: hb.plot.lines([1], {}),
            r"lines: ys must be a dict of at least one curve",
        ),
        (
            lambda: hb.plot.decision_boundary(above, np.zeros((0, 2)), []),
            r"decision_boundary: X must be non-empty",
        ),
        (
            lambda: hb.plot.training_curves(history(), metrics=()),
            r"training_curves: metrics must be at least one",
        ),
        # NaN or inf
        (
            lambda: hb.plot.decision_boundary(
                above, np.where(np.eye(30, 2) > 0, np.nan, points()[0]), points()[1]
            ),
            r"decision_boundary: X must be finite everywhere, got 2 NaN",
        ),
        (
            lambda: hb.plot.histograms([[1.0, np.inf]]),
            r"histograms: arrays\[0\] must be finite",
        ),
        (
            lambda: hb.plot.lines([1, 2], {"a": [1, np.nan]}),
            r"lines: ys\['a'\] must be finite",
        ),
        (
            lambda: hb.plot.contours(
                np.add, (0, 1), (0, 1), paths={"gd": [[0, np.nan]]}
            ),
            r"contours: paths\['gd'\] must be finite",
        ),
        # shapes
        (
            lambda: hb.plot.decision_boundary(above, np.ones((5, 3)), np.ones(5)),
            r"decision_boundary: X must be of shape \(n, 2\).*got shape \(5, 3\)",
        ),
        (
            lambda: hb.plot.decision_boundary(above, np.ones(5), np.ones(5)),
            r"decision_boundary: X must be 2-dim",
        ),
        (
            lambda: hb.plot.decision_boundary(above, points()[0], points()[1][:3]),
            r"decision_boundary: X and y must be of the same length",
        ),
        (
            lambda: hb.plot.decision_boundary(
                above, points()[0], points()[1][:, None]
            ),
            r"decision_boundary: y must be 1-dim",
        ),
        (
            lambda: hb.plot.lines([1, 2, 3], {"a": [1, 2]}),
            r"lines: ys\['a'\] must be as long as x \(3 values\), got 2",
        ),
        (
            lambda: hb.plot.lines([1, 2], {"a": [[1, 2]]}),
            r"lines: ys\['a'\] must be 1-dim",
        ),
        (
            lambda: hb.plot.histograms([[1.0, 2.0], [[1.0, 2.0], [3.0]]]),
            r"histograms: arrays\[1\] must be an array \(nested lists with rows of"
            r" one length\)",
        ),
        (
            lambda: hb.plot.histograms([[1.0]] * 3, titles=["a", "b"]),
            r"histograms: titles must be one per array \(3\)",
        ),
        (
            lambda: hb.plot.contours(
                np.add, (-1, 1), (-1, 1), paths={"sgd": np.ones((2, 10))}
            ),
            r"contours: paths\['sgd'\] must be of shape \(steps, 2\).*got shape"
            r" \(2, 10\)",
        ),
        (
            lambda: hb.plot.contours(
                lambda a, b: 1.0, (-1, 1), (-1, 1), resolution=5
            ),
            r"contours: f\(w1, w2\) must be one value per grid point, shape \(5,"
            r" 5\), got shape \(\)",
        ),
        (
            lambda: hb.plot.contours(
                lambda a, b: np.full_like(a, np.inf), (-1, 1), (-1, 1), resolution=4
            ),
            r"contours: f\(w1, w2\) must be finite everywhere",
        ),
        # out of range
        (
            lambda: hb.plot.decision_boundary(above, *points(), resolution=1),
            r"decision_boundary: resolution must be >= 2",
        ),
        (
            lambda: hb.plot.contours(np.add, (0, 1), (0, 1), resolution=0),
            r"contours: resolution must be >= 2",
        ),
        (
            lambda: hb.plot.contours(np.add, (0,), (0, 1)),
            r"contours: xlim must be a pair \(low, high\), got \(0,\)",
        ),
        (
            lambda: hb.plot.contours(np.add, (0, 1), (1, 0)),
            r"contours: ylim must be a pair \(low, high\) with low < high",
        ),
        (
            lambda: hb.plot.contours(np.add, (0, 1), (0, 1), levels=0),
            r"contours: levels must be >= 1",
        ),
        (
            lambda: hb.plot.contours(np.add, (0, 1), (0, 1), levels=[3, 2]),
            r"contours: levels must be increasing",
        ),
        (
            lambda: hb.plot.histograms([[1.0]], bins=0),
            r"histograms: bins must be >= 1",
        ),
        (
            lambda: hb.plot.histograms([[1.0]], range=(1,)),
            r"histograms: range must be a pair",
        ),
        (
            lambda: hb.plot.lines([1, 2], {"a": [1, 0]}, logy=True),
            r"lines: ys\['a'\] must be positive .*logy=True",
        ),
        (lambda: hb.plot.figure(ncols=0), r"figure: ncols must be >= 1, got 0"),
        (lambda: hb.plot.figure(width=0), r"figure: width must be > 0"),
        (
            lambda: hb.plot.figure(share=True),
            r"figure: a keyword argument must be one of .*sharey.*got 'share'",
        ),
        # unknown names
        (
            lambda: hb.plot.label("epochs"),
            r"label: key must be one of \[.*'epoch'.*\], got 'epochs'",
        ),
        (
            lambda: hb.plot.set_language(["en"]),
            r"set_language: language \(or HANDBOOK_LANG\) must be one of",
        ),
        (
            lambda: hb.plot.training_curves(history(), metrics=("accuracy",)),
            r"training_curves: metrics must be one of \['loss', 'acc'\], got"
            r" 'accuracy'",
        ),
        (
            lambda: hb.plot.training_curves(hb.History()),
            r"training_curves: history must be a History holding train_loss or"
            r" train_acc, got none",
        ),
        (
            lambda: hb.plot.training_curves(
                hb.History(train_loss=[1.0]), metrics="acc"
            ),
            r"training_curves: history must be a History holding train_acc, got"
            r" none",
        ),
    ],
)
def test_a_wrong_value_is_a_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "predict, match",
    [
        (
            lambda P: P[:, 0] * 3.3,
            r"classes, whole numbers >= 0 \(threshold a single score.*got values"
            r" such as",
        ),
        (lambda P: P[:, :1] * 3.3, r"classes, whole numbers >= 0"),
        (
            lambda P: -above(P),
            r"classes, whole numbers >= 0.*got values such as -1",
        ),
        (
            lambda P: above(P)[:10],
            r"one class per point, shape \(25,\), or K scores per point.*got shape"
            r" \(10,\)",
        ),
        (lambda P: np.zeros((len(P), 2, 2)), r"got shape \(25, 2, 2\)"),
        (
            lambda P: np.full(len(P), np.nan),
            r"finite everywhere, got 25 NaN",
        ),
        (
            lambda P: np.full((len(P), 3), np.nan),
            r"finite everywhere, got 75 NaN",
        ),
        (lambda P: [[1], [2, 3]], r"nested lists with rows of one length"),
    ],
    ids=[
        "1-D logits",
        "(n, 1) logits",
        "negative",
        "too few",
        "3-D",
        "NaN",
        "NaN scores",
        "ragged",
    ],
)
def test_what_predict_returns_must_be_classes_or_scores(predict, match):
    with pytest.raises(
        ValueError, match=r"decision_boundary: predict\(points\) must be .*" + match
    ):
        hb.plot.decision_boundary(predict, *points(), resolution=5)


def test_lists_and_scores_draw_what_arrays_and_classes_draw():
    """Lists are converted; K scores per point are drawn as the class of the
    largest, as argmax would give."""
    X, y = points()
    svg = hb.plot.to_svg(
        hb.plot.decision_boundary(
            lambda P: scores(P).argmax(axis=1), X, y, resolution=15
        )
    )
    assert (
        hb.plot.to_svg(
            hb.plot.decision_boundary(scores, X.tolist(), y.tolist(), resolution=15)
        )
        == svg
    )
    thresholded = hb.plot.to_svg(
        hb.plot.decision_boundary(lambda P: P[:, 1:] > 0.25, X, y, resolution=15)
    )
    assert thresholded == hb.plot.to_svg(
        hb.plot.decision_boundary(above, X, y, resolution=15)
    )
    assert thresholded != svg


def test_names_and_lists_that_fit_are_drawn():
    assert len(hb.plot.training_curves(history(), metrics="loss").axes) == 1
    assert (
        len(hb.plot.training_curves(hb.History(train_loss=[1.0, 0.5])).axes) == 1
    )  # no accuracy to draw
    assert len(hb.plot.histograms(np.full(4, i) for i in range(3)).axes) == 3
    assert len(hb.plot.histograms([np.ones((5, 3))]).axes) == 1
    single = hb.plot.decision_boundary(
        above, [[0.0, 1.0]], [1], resolution=5
    )  # no spread: padded
    assert np.all(np.isfinite(single.axes[0].get_xlim()))
    path = [[1.0, 1.0], [0.0, 0.0]]
    drawn = hb.plot.contours(
        np.add, (0, 1), (0, 1), paths={"gd": path}, levels=[0.5, 1.0], resolution=5
    )
    assert np.array_equal(drawn.axes[0].lines[0].get_xydata(), path)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-5, 5)))
def test_only_whole_non_negative_predictions_pass_as_classes(values):
    whole = bool(np.all((values >= 0) & (values == np.round(values))))
    if whole:
        assert np.array_equal(
            hb.plot.predicted_classes(values, len(values)), values
        )
    else:
        with pytest.raises(
            ValueError,
            match=r"decision_boundary: predict\(points\) must be classes",
        ):
            hb.plot.predicted_classes(values, len(values))


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(2, 4)),
        elements=st.floats(-1e6, 1e6),
    )
)
def test_scores_become_the_class_of_the_largest(values):
    assert np.array_equal(
        hb.plot.predicted_classes(values, len(values)), values.argmax(axis=1)
    )


# --- training_curves reads a History's records as arrays: lists and arrays alike,
# NaN, ragged or non-numeric records refused under the record's name


def test_training_curves_draws_a_history_of_numpy_arrays_like_one_of_lists():
    arrays = hb.History(
        train_loss=np.array([1.0, 0.5]),
        dev_loss=np.array([1.2, 0.9]),
        train_acc=np.array([0.5, 0.7]),
    )
    fig = hb.plot.training_curves(arrays)
    drawn = [[list(line.get_ydata()) for line in ax.get_lines()] for ax in fig.axes]
    assert drawn == [[[1.0, 0.5], [1.2, 0.9]], [[0.5, 0.7]]]


@pytest.mark.parametrize(
    "record, error, match",
    [
        (
            {"train_loss": [1.0, np.nan, 0.5]},
            ValueError,
            r"^training_curves: history.train_loss must be finite everywhere, "
            r"got 1 NaN",
        ),
        (
            {"train_loss": [1.0, 0.5], "dev_loss": np.array([1.0, np.inf])},
            ValueError,
            r"^training_curves: history.dev_loss must be finite everywhere",
        ),
        (
            {"train_loss": [1.0], "dev_loss": [[1.0, 2.0], [3.0]]},
            ValueError,
            r"^training_curves: history.dev_loss must be an array \(nested lists",
        ),
        (
            {"train_loss": [[1.0, 2.0]]},
            ValueError,
            r"^training_curves: history.train_loss must be 1-dimensional",
        ),
        (
            {"train_loss": ["1.0", "0.5"]},
            TypeError,
            r"^training_curves: history.train_loss must be an array of real",
        ),
    ],
)
def test_training_curves_refuses_records_it_cannot_draw(record, error, match):
    with pytest.raises(error, match=match):
        hb.plot.training_curves(hb.History(**record))


# --- figure's keyword arguments for Figure.subplots: checked, or matplotlib's
# refusal under figure's name


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"sharex": "banana"},
            ValueError,
            r"^figure: sharex must be one of \[True, False, 'all', 'row', 'col', "
            r"'none'\], got 'banana'$",
        ),
        ({"sharey": 2}, ValueError, r"^figure: sharey must be one of .*got 2$"),
        (
            {"sharex": np.array([1, 2])},
            ValueError,
            r"^figure: sharex must be one of",
        ),
        (
            {"ncols": 2, "width_ratios": [1]},
            ValueError,
            r"^figure: width_ratios must be 2 numbers > 0, one per column, got \[1\]$",
        ),
        (
            {"ncols": 2, "width_ratios": [1, -1]},
            ValueError,
            r"^figure: width_ratios must be 2 numbers > 0",
        ),
        (
            {"nrows": 2, "height_ratios": [1, 0]},
            ValueError,
            r"^figure: height_ratios must be 2 numbers > 0, one per row",
        ),
        (
            {"height_ratios": [np.nan]},
            ValueError,
            r"^figure: height_ratios must be finite",
        ),
        (
            {"width_ratios": "a"},
            TypeError,
            r"^figure: width_ratios must be an array of real numbers",
        ),
        ({"subplot_kw": 3}, TypeError, r"^figure: subplot_kw must be a dict"),
        (
            {"subplot_kw": {"projection": "banana"}},
            ValueError,
            r"^figure: subplot_kw and gridspec_kw must be options .*, which "
            r"matplotlib refused: 'banana' is not a valid value for projection",
        ),
        (
            {"gridspec_kw": {"foo": 1}},
            TypeError,
            r"^figure: subplot_kw and gridspec_kw must be options .*foo",
        ),
    ],
)
def test_figure_refuses_subplot_options_under_its_own_name(kwargs, error, match):
    with pytest.raises(error, match=match):
        hb.plot.figure(**kwargs)


def test_figure_passes_valid_subplot_options_on():
    fig, axes = hb.plot.figure(
        ncols=2,
        nrows=2,
        sharex="col",
        sharey=np.True_,
        width_ratios=np.array([1, 3]),
    )
    assert len(axes) == 4
    widths = [ax.get_subplotspec().get_gridspec().get_width_ratios() for ax in axes]
    assert list(widths[0]) == [1, 3]


def test_axes_that_count_get_whole_number_ticks_in_both_languages():
    """Epochs 1 to 5 are ticked 1, 2, 3, 4, 5, not 1.5 or 2.5 (to_svg sees to it)."""
    for language in ("en", "zh"):
        hb.plot.set_language(language)
        try:
            fig, ax = hb.plot.figure()
            ax.plot([1, 2, 3, 4, 5], [0.5, 0.4, 0.3, 0.25, 0.2])
            ax.set(xlabel=hb.plot.label("epoch"), ylabel=hb.plot.label("loss"))
            hb.plot.to_svg(fig)
            ticks = ax.get_xticks()
            assert len(ticks) > 2 and all(float(t).is_integer() for t in ticks)
            assert not all(float(t).is_integer() for t in ax.get_yticks())  # loss is no count
        finally:
            hb.plot.set_language("en")


def test_a_count_label_with_a_remark_in_brackets_still_gets_whole_number_ticks():
    for xlabel in ("layer (input side first)", "层（从输入一侧数起）", "layers of it"):
        fig, ax = hb.plot.figure()
        ax.plot([1, 2, 3, 4, 5], [0.5, 0.4, 0.3, 0.25, 0.2])
        ax.set(xlabel=xlabel)
        hb.plot.whole_number_ticks(fig)
        whole = all(float(t).is_integer() for t in ax.get_xticks())
        assert whole == (xlabel != "layers of it"), xlabel
