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
