"""The bias/variance diagnosis on the course's four cases."""

import pytest

import handbook as hb


@pytest.mark.parametrize("train, dev, verdict", [
    (0.01, 0.11, "high variance"),
    (0.15, 0.16, "high bias"),
    (0.15, 0.30, "high bias and high variance"),
    (0.005, 0.01, "low bias and low variance"),
])
def test_the_four_classic_cases(train, dev, verdict):
    assert hb.diagnose.bias_variance(train, dev).verdict == verdict


def test_bayes_error_changes_the_verdict_and_the_recipe():
    d = hb.diagnose.bias_variance(0.15, 0.16, bayes_error=0.15)
    assert d.verdict == "low bias and low variance" and d.next_steps == []
    d = hb.diagnose.bias_variance(0.15, 0.30)
    assert "a bigger network (more units or layers)" in d.next_steps and "more training data" in d.next_steps
    assert len(d.next_steps) == len(set(d.next_steps))
    assert "avoidable bias 15.0%, variance 15.0%" in str(d)


def test_errors_must_be_fractions():
    with pytest.raises(ValueError, match="dev_error must be a fraction in \\[0, 1\\], got 11"):
        hb.diagnose.bias_variance(0.01, 11)


def test_gradient_norms_follow_the_layers():
    import numpy as np

    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 2, bias=False, rng=1))
    x = np.ones((5, 3))
    model.forward(x)
    model.backward(np.ones((5, 2)))
    norms = hb.diagnose.gradient_norms(model)
    assert [name for name, _ in norms] == ["0.W", "2.W"]
    assert norms[1][1] == pytest.approx(np.linalg.norm(model[2].W.grad))
    assert hb.diagnose.gradient_norms(hb.Sequential(hb.Dense(2, 2))) == []  # no backward yet


def _digits_model(rng=0, out_init="xavier_normal"):
    import numpy as np

    rng = np.random.default_rng(rng)
    return hb.Sequential(hb.Dense(64, 32, rng=rng), hb.ReLU(), hb.Dense(32, 10, init=out_init, rng=rng))


def test_checkup_passes_a_healthy_model_and_catches_three_bugs():
    import numpy as np

    X, y = hb.datasets.digits()
    X, y = X[:200], y[:200]
    healthy = hb.diagnose.checkup(_digits_model(), hb.SoftmaxCrossEntropy(), X, y)
    assert healthy.passed, str(healthy)
    huge_logits = hb.diagnose.checkup(_digits_model(out_init=hb.init.normal(30.0)), hb.SoftmaxCrossEntropy(), X, y)
    assert {"initial loss", "initial outputs"} <= set(huge_logits.failed())
    raw = X * np.r_[np.ones(32), np.full(32, 1000.0)]
    assert "input scales" in hb.diagnose.checkup(_digits_model(), hb.SoftmaxCrossEntropy(), raw, y).failed()
    with_nan = X.copy()
    with_nan[3, 5] = np.nan
    assert "finite inputs" in hb.diagnose.checkup(_digits_model(), hb.SoftmaxCrossEntropy(), with_nan, y).failed()
    assert "FAIL" in str(huge_logits) and "fix:" in str(huge_logits)


def test_first_nonfinite_layer_and_activation_statistics():
    import numpy as np

    model = hb.Sequential(hb.Dense(2, 3, init=hb.init.constant(1e308)), hb.Tanh(), hb.Dense(3, 2, rng=0))
    X = np.ones((4, 2))
    assert hb.diagnose.first_nonfinite_layer(model, X) == "0: Dense(2 -> 3)"
    assert hb.diagnose.first_nonfinite_layer(_digits_model(), np.zeros((2, 64))) is None
    assert hb.diagnose.first_nonfinite_layer(model, np.full((1, 2), np.nan)) == "the input data"
    stats = hb.diagnose.activation_stats(hb.Sequential(hb.Dense(2, 3, init=hb.init.constant(10.0)), hb.Tanh()),
                                         np.ones((4, 2)))
    assert stats[1]["saturated"] == 1.0
    dead = hb.Sequential(hb.Dense(2, 4, init=hb.init.constant(-1.0)), hb.ReLU())
    assert hb.diagnose.dead_relu_fraction(dead, np.ones((5, 2))) == [("1: ReLU()", 1.0)]


def test_shuffled_label_check_separates_real_from_shuffled_labels():
    X, y = hb.datasets.digits()
    scores = hb.diagnose.shuffled_label_check(lambda: _digits_model(), hb.SoftmaxCrossEntropy(),
                                              X[:400], y[:400], X[400:800], y[400:800], epochs=15)
    assert scores["labels"] > 0.85
    assert scores["shuffled labels"] < scores["chance"] + 0.1


def test_tolerance_decides_what_counts_as_high():
    assert hb.diagnose.bias_variance(0.05, 0.08).verdict == "high bias and high variance"
    assert hb.diagnose.bias_variance(0.05, 0.08, tolerance=0.05).verdict == "low bias and low variance"
    with pytest.raises(ValueError, match="tolerance must be a fraction"):
        hb.diagnose.bias_variance(0.05, 0.08, tolerance=2)
