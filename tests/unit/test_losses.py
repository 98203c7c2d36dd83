"""Losses against their formulas, numerical gradients and extreme logits."""

import numpy as np
import pytest

import handbook as hb
from tests.unit.conftest import numerical_gradient, rel_error


def loss_gradient_error(loss, z, y):
    loss.forward(z, y)
    analytic = loss.backward()
    return rel_error(numerical_gradient(lambda: loss.forward(z, y), z), analytic)


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_cross_entropy_gradient(rng, smoothing, one_hot):
    z, y = rng.normal(size=(5, 4)), rng.integers(0, 4, 5)
    labels = hb.data.one_hot(y, 4) if one_hot else y
    assert loss_gradient_error(hb.SoftmaxCrossEntropy(smoothing), z, labels) < 1e-7


def test_softmax_cross_entropy_value_and_dz_formula():
    z = np.array([[2.0, 1.0, 0.1]])
    p = np.exp(z) / np.exp(z).sum()
    loss = hb.SoftmaxCrossEntropy()
    assert loss.forward(z, np.array([0])) == pytest.approx(-np.log(p[0, 0]))
    np.testing.assert_allclose(loss.backward(), p - [[1, 0, 0]])  # dz = y_hat - y


def test_label_smoothing_puts_eps_over_k_minus_1_on_each_other_class():
    t = hb.SoftmaxCrossEntropy(label_smoothing=0.1).targets(np.array([2]), 5, np.float64)
    np.testing.assert_allclose(t, [[0.025, 0.025, 0.9, 0.025, 0.025]])


def test_no_overflow_or_nan_for_huge_logits():
    z = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 1e4]])
    loss = hb.SoftmaxCrossEntropy()
    value = loss.forward(z, np.array([0, 1]))
    assert np.isfinite(value) and value == pytest.approx(np.log(2) / 2)
    assert np.isfinite(loss.backward()).all()
    np.testing.assert_allclose(hb.softmax(z).sum(axis=1), 1)
    bce = hb.BinaryCrossEntropy()
    assert bce.forward(np.array([1e4, -1e4]), np.array([0, 1])) == pytest.approx(1e4)
    assert np.isfinite(bce.backward()).all()


def test_binary_cross_entropy_matches_the_logistic_loss(rng):
    z, y = rng.normal(size=6), rng.integers(0, 2, 6)
    sigma = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(sigma) + (1 - y) * np.log(1 - sigma))
    assert hb.BinaryCrossEntropy().forward(z, y) == pytest.approx(expected)
    assert loss_gradient_error(hb.BinaryCrossEntropy(), z.reshape(-1, 1), y) < 1e-7


def test_two_class_softmax_is_the_logistic_function(rng):
    z = rng.normal(size=(5, 1))
    logits = np.hstack([np.zeros_like(z), z])
    np.testing.assert_allclose(hb.softmax(logits)[:, 1:], 1 / (1 + np.exp(-z)))


def test_mean_squared_error_is_half_the_summed_square_averaged_over_examples(rng):
    out, y = np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [1.0, 1.0]])
    assert hb.MeanSquaredError().forward(out, y) == pytest.approx((5 + 2) / 2 / 2)
    assert loss_gradient_error(hb.MeanSquaredError(), rng.normal(size=(4, 3)), rng.normal(size=(4, 3))) < 1e-7


def test_kl_divergence_and_its_checks():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    assert hb.kl_divergence(p, q) == pytest.approx(np.log(2))
    assert hb.kl_divergence(p, p) == pytest.approx(0.0)
    not_normalized = np.array([1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="kl_divergence: q must be a probability distribution"):
        hb.kl_divergence(p, not_normalized)
    assert hb.kl_divergence(p, not_normalized, check=False) < 0  # the "negative KL" symptom


def test_loss_errors_are_clear():
    with pytest.raises(ValueError, match="labels must be integers in \\[0, 3\\)"):
        hb.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"labels must be of shape \(2,\) or \(2, 3\)"):
        hb.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(RuntimeError, match="backward called before forward"):
        hb.SoftmaxCrossEntropy().backward()
    with pytest.raises(ValueError, match="label_smoothing must be"):
        hb.SoftmaxCrossEntropy(label_smoothing=1.0)


@pytest.mark.parametrize(("loss", "output", "y", "message"), [
    # a transposed target has as many values as the output: refused, not reshaped
    (hb.MeanSquaredError(), np.zeros((6, 3)), np.zeros((3, 6)),
     r"MeanSquaredError: y must be of shape \(6, 3\) like the output, got shape \(3, 6\)"),
    (hb.MeanSquaredError(), np.zeros((0, 3)), np.zeros((0, 3)),
     "MeanSquaredError: output must be a batch of at least one row"),
    (hb.BinaryCrossEntropy(), np.zeros((4, 1)), np.array([0, 1, 2, 1]),
     r"BinaryCrossEntropy: y must be labels in \[0, 1\], got values from 0 to 2"),
    (hb.BinaryCrossEntropy(), np.zeros((1, 4)), np.array([0, 1, 1, 0]),
     r"BinaryCrossEntropy: y must be of shape \(1, 4\)"),
    (hb.SoftmaxCrossEntropy(), np.zeros(3), np.array([0]),
     r"SoftmaxCrossEntropy: logits must be of shape \(batch, K\), batch >= 1, "
     r"got shape \(3,\)"),
    (hb.SoftmaxCrossEntropy(), np.zeros((0, 3)), np.zeros(0, np.int64),
     "SoftmaxCrossEntropy: logits must be of shape"),
    (hb.SoftmaxCrossEntropy(), np.zeros((2, 3)), np.array([[0.5, 0.5, 0.5], [1, 0, 0]]),
     "SoftmaxCrossEntropy: label rows must be probabilities"),
    (hb.SoftmaxCrossEntropy(), np.zeros((2, 3)), np.array([0.0, 1.0]),
     r"SoftmaxCrossEntropy: labels must be integers in \[0, 3\), got dtype float64"),
])
def test_a_loss_refuses_targets_it_would_misread(loss, output, y, message):
    with pytest.raises(ValueError, match=message):
        loss.forward(output, y)


def test_targets_of_one_per_row_fit_a_one_column_output_and_soft_rows_are_taken():
    z = np.array([[2.0], [-1.0]])
    assert hb.BinaryCrossEntropy().forward(z, np.array([1, 0])) == pytest.approx(
        hb.BinaryCrossEntropy().forward(z, np.array([[1.0], [0.0]])))
    soft = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    loss = hb.SoftmaxCrossEntropy()
    assert np.isfinite(loss.forward(np.zeros((2, 3)), soft))
    assert loss.accuracy(np.array([[3.0, 0, 0], [0, 0, 1.0]]), soft) == 1.0


def test_kl_divergence_keeps_float32():
    p = np.array([0.5, 0.5], np.float32)
    assert hb.kl_divergence(p, p).dtype == np.float32

# ------------------------------------------------------------------ class weights


def test_the_weighted_cross_entropy_is_a_weighted_mean_and_its_gradient_checks():
    import numpy as np

    import handbook as hb

    rng = np.random.default_rng(0)
    z, y = rng.normal(size=(6, 3)), np.array([0, 1, 2, 2, 1, 0])
    c = np.array([1.0, 2.0, 0.5])
    loss = hb.WeightedSoftmaxCrossEntropy(c)
    J = loss.forward(z, y)
    per_example = -hb.log_softmax(z)[np.arange(6), y]
    assert J == pytest.approx(np.sum(c[y] * per_example) / np.sum(c[y]))
    dz = loss.backward()
    numeric = np.zeros_like(z)
    for i, k in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[i, k] = 1e-6
        numeric[i, k] = (loss.forward(z + step, y) - loss.forward(z - step, y)) / 2e-6
    assert np.abs(dz - numeric).max() < 1e-8
    plain = hb.SoftmaxCrossEntropy()
    same = hb.WeightedSoftmaxCrossEntropy(np.ones(3))
    assert same.forward(z, y) == pytest.approx(plain.forward(z, y))
    assert np.allclose(same.backward(), plain.backward())
    assert hb.diagnose.classifies(loss)


def test_balanced_weights_make_every_class_weigh_the_same():
    import numpy as np

    from handbook.losses import balanced_weights

    y = np.array([0] * 8 + [1] * 2)
    c = balanced_weights(y)
    assert c.tolist() == [10 / 16, 10 / 4]
    assert np.bincount(y) @ c == pytest.approx(len(y))
    assert balanced_weights(y, K=2).tolist() == c.tolist()


@pytest.mark.parametrize(
    "make, error, expected",
    [
        (lambda hb, np: hb.WeightedSoftmaxCrossEntropy(np.array([1.0, 0.0])), ValueError,
         r"^WeightedSoftmaxCrossEntropy: class_weights must be positive, finite"),
        (lambda hb, np: hb.WeightedSoftmaxCrossEntropy(np.ones((2, 2))), ValueError,
         r"^WeightedSoftmaxCrossEntropy: class_weights must be"),
        (lambda hb, np: hb.WeightedSoftmaxCrossEntropy(np.ones(3)).forward(
            np.zeros((2, 2)), np.array([0, 1])), ValueError,
         r"^WeightedSoftmaxCrossEntropy: z must be 3 columns, one per class weight"),
        (lambda hb, np: hb.losses.balanced_weights(np.array([0, 0, 2])), ValueError,
         r"^balanced_weights: y must be an example of every class below K = 3, "
         r"got none of class 1$"),
        (lambda hb, np: hb.losses.balanced_weights(np.array([0.5, 1.0])), ValueError,
         r"^balanced_weights: y must be a 1-D array of integer labels"),
    ],
)
def test_the_weighted_loss_and_balanced_weights_refuse_bad_input(make, error, expected):
    import numpy as np

    import handbook as hb

    with pytest.raises(error, match=expected):
        make(hb, np)


@pytest.mark.parametrize("loss, z, y", [
    (hb.SoftmaxCrossEntropy(), np.eye(3, dtype=np.float32), np.array([0, 1, 1])),
    (hb.BinaryCrossEntropy(), np.array([[1.0], [-1.0]]), np.array([1, 1])),
])
def test_accuracy_is_a_python_float(loss, z, y):
    """A share a reader prints: 0.667, not np.float64(0.667) (and a comparison of it
    a plain True, not np.True_)."""
    accuracy = loss.accuracy(z, y)
    assert type(accuracy) is float and accuracy in (2 / 3, 0.5)
