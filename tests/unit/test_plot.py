"""Figures: deterministic SVG, labels in the page's language, Chinese glyphs present."""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import handbook as hb


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    hb.plot.set_language("en")


def history():
    return hb.History(train_loss=[1.0, 0.5, 0.3], dev_loss=[1.1, 0.7, 0.6],
                      train_acc=[0.5, 0.8, 0.9], dev_acc=[0.4, 0.7, 0.8])


def test_svg_is_deterministic_and_embeddable():
    a = hb.plot.to_svg(hb.plot.training_curves(history()))
    b = hb.plot.to_svg(hb.plot.training_curves(history()))
    assert a == b
    assert a.startswith("<svg") and "<?xml" not in a and "max-width:100%" in a


def test_labels_follow_the_language():
    assert hb.plot.label("dev") == "dev set"
    hb.plot.set_language("zh")
    assert hb.plot.label("dev") == "验证集" and hb.plot.tr("loss", "损失") == "损失"
    with pytest.raises(ValueError, match="language must be one of"):
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
    assert hb.plot.to_svg(hb.plot.training_curves(history())) != svg  # labels differ by language


def test_other_helpers_draw(rng):
    X, y = hb.datasets.two_moons(50, rng=0)
    figs = [
        hb.plot.decision_boundary(lambda P: (P[:, 1] > 0.25).astype(int), X, y, resolution=20),
        hb.plot.histograms([rng.normal(size=100) for _ in range(3)]),
        hb.plot.lines(np.arange(5), {"a": np.arange(5), "b": np.arange(5) ** 2}, logy=True),
        hb.plot.contours(lambda a, b: a**2 + 10 * b**2, (-1, 1), (-1, 1), paths={"gd": [[1, 1], [0, 0]]},
                         resolution=20),
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
    run = [sys.executable, "-c", "import handbook as hb; print(hb.plot.get_language(), hb.plot.label('epoch'))"]
    zh = subprocess.run(run, env={**os.environ, "HANDBOOK_LANG": "zh"}, capture_output=True, text=True)
    assert zh.stdout.split() == ["zh", "轮"]
    fr = subprocess.run(run, env={**os.environ, "HANDBOOK_LANG": "fr"}, capture_output=True, text=True)
    assert fr.returncode != 0 and "HANDBOOK_LANG), got 'fr'" in fr.stderr


def test_to_svg_releases_pyplot_figures_and_empty_history_is_refused():
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1])
    assert plt.fignum_exists(fig.number)
    hb.plot.to_svg(fig)
    assert not plt.fignum_exists(fig.number)
    with pytest.raises(ValueError, match="no training values"):
        hb.plot.training_curves(hb.History())
