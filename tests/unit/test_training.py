"""The training loop: determinism, early stopping, NaN stops, float32, argument checks."""

import numpy as np
import pytest

import handbook as hb


def digits_subset(n=300):
    X, y = hb.datasets.digits()
    return X[:n], y[:n]


def train(seed, dtype=np.float64, **kwargs):
    X, y = digits_subset()
    model = hb.Sequential(hb.Dense(64, 32, rng=seed, dtype=dtype), hb.ReLU(), hb.Dropout(0.9, rng=seed),
                          hb.Dense(32, 10, rng=seed + 1, dtype=dtype))
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.Adam(model.parameters(), lr=1e-2),
                     X.astype(dtype), y, epochs=5, batch_size=32, validation=(X[:100].astype(dtype), y[:100]),
                     rng=seed, **kwargs)
    return model, history


def test_same_seed_gives_identical_runs():
    (m1, h1), (m2, h2) = train(0), train(0)
    assert h1.train_loss == h2.train_loss and h1.dev_acc == h2.dev_acc
    for a, b in zip(m1.parameters(), m2.parameters()):
        np.testing.assert_array_equal(a.value, b.value)
    assert train(1)[1].train_loss != h1.train_loss


def test_training_learns_and_records_every_epoch():
    _, history = train(0)
    assert history.epochs_run == 5 and len(history.dev_acc) == 5 and len(history.lr) == 5
    assert history.train_loss[-1] < history.train_loss[0] / 2
    assert history.dev_acc[-1] > 0.8
    assert "epochs=5" in repr(history)


def test_float32_end_to_end():
    model, history = train(0, dtype=np.float32)
    assert all(p.value.dtype == np.float32 for p in model.parameters())
    assert history.train_acc[-1] > 0.5


def test_early_stopping_restores_the_best_weights(rng):
    # A wide network on 12 noisy points: the dev loss falls, then rises as it memorizes the noise.
    X = rng.uniform(-1, 1, size=(12, 1))
    y = np.sin(3 * X) + rng.normal(0, 0.3, size=X.shape)
    X_dev = rng.uniform(-1, 1, size=(200, 1))
    y_dev = np.sin(3 * X_dev)
    model = hb.Sequential(hb.Dense(1, 200, rng=0), hb.Tanh(), hb.Dense(200, 1, rng=1))
    snapshots = []

    class Watch(hb.EarlyStopping):
        def should_stop(self, epoch, dev_loss, model):
            snapshots.append([p.value.copy() for p in model.parameters()])
            return super().should_stop(epoch, dev_loss, model)

    stopper = Watch(patience=20)
    history = hb.fit(model, hb.MeanSquaredError(), hb.optim.Adam(model.parameters(), lr=0.01), X, y,
                     epochs=3000, batch_size=12, validation=(X_dev, y_dev), early_stopping=stopper, rng=0)
    assert history.epochs_run < 3000
    best = int(np.argmin(history.dev_loss)) + 1
    assert history.best_epoch == best and history.epochs_run == best + 20
    for p, value in zip(model.parameters(), snapshots[best - 1]):
        np.testing.assert_array_equal(p.value, value)
    assert hb.fit.__module__ == "handbook.training"


def test_nan_stops_training_naming_epoch_and_batch():
    X, y = digits_subset()
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    with pytest.raises(FloatingPointError, match=r"became (inf|nan) in epoch \d+, batch \d+ .*learning rate too large"):
        with np.errstate(all="ignore"):
            hb.fit(model, hb.MeanSquaredError(), hb.optim.SGD(model.parameters(), lr=1e6),
                   X * 1e3, hb.data.one_hot(y, 10), epochs=3, batch_size=32, rng=0)


def test_regularizer_and_clipping_are_applied(rng):
    X, y = digits_subset(100)
    loss = hb.SoftmaxCrossEntropy()
    plain = hb.Sequential(hb.Dense(64, 10, rng=0))
    penalized = hb.Sequential(hb.Dense(64, 10, rng=0))
    h1 = hb.fit(plain, loss, hb.optim.SGD(plain.parameters(), 0.5), X, y, epochs=20, batch_size=100, rng=0)
    h2 = hb.fit(penalized, loss, hb.optim.SGD(penalized.parameters(), 0.5), X, y, epochs=20, batch_size=100,
                rng=0, regularizer=hb.L2(5.0), clip_norm=1.0)
    assert np.linalg.norm(penalized[0].W.value) < np.linalg.norm(plain[0].W.value)
    assert h2.train_loss[-1] > h1.train_loss[-1]


def test_invalid_arguments_are_named():
    X, y = digits_subset(10)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    opt = hb.optim.SGD(model.parameters(), 0.1)
    loss = hb.SoftmaxCrossEntropy()
    with pytest.raises(ValueError, match="hb.fit: epochs must be >= 1, got 0"):
        hb.fit(model, loss, opt, X, y, epochs=0, batch_size=2)
    with pytest.raises(TypeError, match="hb.fit: epochs must be a whole number"):
        hb.fit(model, loss, opt, X, y, epochs=2.5, batch_size=2)
    with pytest.raises(ValueError, match="hb.fit: batch_size must be >= 1, got 0"):
        hb.fit(model, loss, opt, X, y, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="hb.fit: X and y must be of the same length"
                                         r".*got 10 rows and shape \(9,\)"):
        hb.fit(model, loss, opt, X, y[:9], epochs=1, batch_size=2)
    with pytest.raises(ValueError, match="hb.fit: X must be a set of at least one row, got 0 rows"):
        hb.fit(model, loss, opt, X[:0], y[:0], epochs=1, batch_size=2)
    with pytest.raises(ValueError, match="hb.fit: early_stopping must be used with "
                                         "validation"):
        hb.fit(model, loss, opt, X, y, epochs=1, batch_size=2,
               early_stopping=hb.EarlyStopping())
    with pytest.raises(TypeError, match=r"hb.fit: validation must be a pair \(X_dev, "
                                        r"y_dev\), got ndarray"):
        hb.fit(model, loss, opt, X, y, epochs=1, batch_size=2, validation=X)
    with pytest.raises(ValueError, match="hb.fit: validation's X_dev and y_dev must be"):
        hb.fit(model, loss, opt, X, y, epochs=1, batch_size=2, validation=(X, y[:3]))
    with pytest.raises(ValueError, match="hb.fit: validation must be a dev set of at "
                                         "least one row, got 0 rows"):
        hb.fit(model, loss, opt, X, y, epochs=1, batch_size=2, validation=(X[:0], y[:0]))
    regression = hb.Sequential(hb.Dense(64, 1, rng=0))
    with pytest.raises(ValueError, match="monitor='dev_loss' for a loss without "
                                         "accuracy, got monitor='dev_acc' with "
                                         "MeanSquaredError"):
        hb.fit(regression, hb.MeanSquaredError(),
               hb.optim.SGD(regression.parameters(), 0.1), X, y.astype(float),
               epochs=1, batch_size=2, validation=(X, y.astype(float)),
               early_stopping=hb.EarlyStopping(monitor="dev_acc"))
    with pytest.raises(ValueError, match="EarlyStopping: min_delta must be >= 0"):
        hb.EarlyStopping(min_delta=-0.1)
    with pytest.raises(ValueError, match="hb.fit: divergence must be > 1"):
        hb.fit(model, loss, opt, X, y, epochs=1, batch_size=2, divergence=0.5)


@pytest.mark.parametrize("make", [lambda p: hb.optim.SGD(p, lr=100.0),
                                  lambda p: hb.optim.Adam(p, lr=100.0)],
                         ids=["SGD", "Adam"])
def test_a_run_that_diverges_without_reaching_inf_is_stopped_with_its_epoch(make):
    X, y = digits_subset(300)
    model = hb.Sequential(hb.Dense(64, 32, rng=0), hb.ReLU(), hb.Dense(32, 10, rng=1))
    with pytest.raises(FloatingPointError, match=r"hb.fit: training diverged: the "
                                                 r"training loss was .* in epoch \d+"):
        hb.fit(model, hb.SoftmaxCrossEntropy(), make(model.parameters()), X, y,
               epochs=30, batch_size=32, rng=0)


def test_divergence_none_trains_on_and_a_healthy_run_is_never_stopped():
    X, y = digits_subset(300)
    for divergence, lr in ((None, 100.0), (10.0, 0.1)):
        model = hb.Sequential(hb.Dense(64, 32, rng=0), hb.ReLU(), hb.Dense(32, 10, rng=1))
        history = hb.fit(model, hb.SoftmaxCrossEntropy(),
                         hb.optim.SGD(model.parameters(), lr), X, y, epochs=10,
                         batch_size=32, rng=0, divergence=divergence)
        assert history.epochs_run == 10


def test_one_early_stopping_serves_two_runs():
    """reset() at the start of fit: the second run does not inherit the first's
    best loss (it would stop at once) or its weights."""
    X, y = digits_subset(300)
    stopper = hb.EarlyStopping(patience=2)
    runs = []
    for seed in (0, 1):
        model = hb.Sequential(hb.Dense(64, 10, rng=seed))
        history = hb.fit(model, hb.SoftmaxCrossEntropy(),
                         hb.optim.SGD(model.parameters(), 0.5), X[:200], y[:200],
                         epochs=40, batch_size=50, validation=(X[200:], y[200:]),
                         early_stopping=stopper, rng=0)
        runs.append((history, model[0].W.value.copy()))
    (first, w_first), (second, w_second) = runs
    assert second.epochs_run > 3 and second.best_epoch is not None
    assert not np.allclose(w_first, w_second)


def test_a_loss_class_defined_on_a_page_records_accuracy_like_the_packages():
    """fit asks the loss for its accuracy, so the class a page defines from the
    package's source (its own copy) behaves like the package's: no isinstance."""
    import re
    from pathlib import Path

    import handbook.losses

    source = Path(handbook.losses.__file__).read_text(encoding="utf-8")
    section = re.search(r"\[start:cross-entropy\]\n(.*?)# --8<-- \[end", source,
                        re.DOTALL)[1]
    page: dict = {}
    exec("import numpy as np\nfrom handbook import validation as check\n"
         "from handbook.losses import Loss, check_logits, class_labels, class_probabilities, "
         "log_softmax\n" + section, page)
    assert page["SoftmaxCrossEntropy"] is not hb.SoftmaxCrossEntropy
    X, y = digits_subset(100)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    history = hb.fit(model, page["SoftmaxCrossEntropy"](),
                     hb.optim.SGD(model.parameters(), 0.1), X, y, epochs=2,
                     batch_size=50, validation=(X, y), rng=0)
    assert len(history.train_acc) == len(history.dev_acc) == 2


def test_the_first_non_finite_batch_is_the_one_named():
    class BreaksAtTheThirdBatch(hb.SoftmaxCrossEntropy):
        calls = 0

        def forward(self, z, y):
            self.calls += 1
            J = super().forward(z, y)
            return float("nan") if self.calls == 3 else J

    X, y = digits_subset(200)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    with pytest.raises(FloatingPointError, match=r"the loss became nan in epoch 1, batch 3 ") as raised:
        hb.fit(model, BreaksAtTheThirdBatch(), hb.optim.SGD(model.parameters(), 0.1), X, y,
               epochs=2, batch_size=32, shuffle=False)
    # the same place, for code that reacts to it rather than reading the message
    assert isinstance(raised.value, hb.TrainingStopped)
    assert (raised.value.epoch, raised.value.batch) == (1, 3) and np.isnan(raised.value.value)


def test_progress_bar_shows_the_epochs(capsys):
    X, y = digits_subset(64)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), 0.1), X, y,
                     epochs=3, batch_size=32, rng=0, progress=True)
    assert history.epochs_run == 3
    assert "3/3" in capsys.readouterr().err


def test_early_stopping_can_watch_the_dev_accuracy():
    X, y = digits_subset(300)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    stopper = hb.EarlyStopping(patience=3, monitor="dev_acc")
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), 0.5), X[:200], y[:200],
                     epochs=200, batch_size=50, validation=(X[200:], y[200:]), early_stopping=stopper, rng=0)
    assert history.best_epoch == int(np.argmax(history.dev_acc)) + 1
    assert history.epochs_run == history.best_epoch + 3
    with pytest.raises(ValueError, match="monitor must be"):
        hb.EarlyStopping(monitor="train_loss")


def _digits_like(rng_seed=0):
    rng = np.random.default_rng(rng_seed)
    return rng.normal(size=(20, 4)), rng.integers(0, 3, 20)


def test_fit_refuses_an_optimizer_of_other_parameters_or_a_parameter_twice():
    X, y = _digits_like()
    model, other = hb.Sequential(hb.Dense(4, 3, rng=0)), hb.Sequential(hb.Dense(4, 3, rng=1))
    loss = hb.SoftmaxCrossEntropy()
    with pytest.raises(ValueError, match=r"^hb.fit: optimizer must be built on this model's parameters"):
        hb.fit(model, loss, hb.optim.SGD(other.parameters(), lr=0.1), X, y, epochs=1, batch_size=5)
    twice = model.parameters() + model.parameters()[:1]
    with pytest.raises(ValueError, match="^hb.fit: optimizer must be built on each parameter once"):
        hb.fit(model, loss, hb.optim.SGD(twice, lr=0.1), X, y, epochs=1, batch_size=5)


def test_fit_refuses_a_class_where_an_instance_is_needed():
    X, y = _digits_like()
    model = hb.Sequential(hb.Dense(4, 3, rng=0))
    with pytest.raises(TypeError, match=r"^hb.fit: loss must be an instance, such as hb.SoftmaxCrossEntropy\(\), got the class SoftmaxCrossEntropy$"):
        hb.fit(model, hb.SoftmaxCrossEntropy, hb.optim.SGD(model.parameters(), lr=0.1), X, y,
               epochs=1, batch_size=5)


def test_a_dev_set_with_nan_stops_training_with_the_epoch_named():
    X, y = _digits_like()
    X_dev = X.copy()
    X_dev[0, 0] = np.nan
    model = hb.Sequential(hb.Dense(4, 3, rng=0))
    with pytest.raises(FloatingPointError, match="dev loss became nan after epoch 1"):
        hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), lr=0.1), X, y,
               epochs=3, batch_size=5, validation=(X_dev, y))


def test_fit_names_what_it_cannot_use_before_the_first_epoch():
    X, y = digits_subset(20)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    opt = hb.optim.SGD(model.parameters(), 0.1)
    loss = hb.SoftmaxCrossEntropy()
    cases = [
        (dict(regularizer=hb.L2), TypeError, r"regularizer must be an instance, such as hb.L2\(1e-4\), got the class L2"),
        (dict(regularizer=0.01), TypeError, "regularizer must be an object with penalty"),
        (dict(early_stopping=hb.EarlyStopping, validation=(X, y)), TypeError,
         "early_stopping must be an instance"),
        (dict(validation=(X[:, :4], y)), ValueError,
         "validation must be a dev set like the training set, got one the model"),
        (dict(schedule=lambda epoch: -0.1), ValueError,
         r"hb.fit: schedule\(1\) must be >= 0, got -0.1"),
    ]
    for extra, error, message in cases:
        with pytest.raises(error, match=message):
            hb.fit(model, loss, opt, X, y, epochs=1, batch_size=5, **extra)
    with pytest.raises(TypeError, match="hb.fit: loss must be an object with forward"):
        hb.fit(model, hb.softmax, opt, X, y, epochs=1, batch_size=5)
    history = hb.fit(model, loss, opt, X.tolist(), y.tolist(), epochs=1, batch_size=5)
    assert history.epochs_run == 1  # lists are taken as arrays


def test_a_nan_in_the_data_is_named_before_training():
    X, y = digits_subset(64)
    X = X.copy()
    X[3, 3] = np.inf
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    with pytest.raises(ValueError, match="^hb.fit: X must be finite everywhere, got 1 "
                                         "NaN or infinite values$"):
        hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), 0.1),
               X, y, epochs=1, batch_size=32, shuffle=False)


def test_fit_checks_the_learning_rate_and_the_schedule_before_the_first_step():
    X, y = digits_subset(20)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    loss = hb.SoftmaxCrossEntropy()
    still = hb.optim.SGD(model.parameters(), 0.0)
    with pytest.raises(ValueError, match=r"^hb.fit: optimizer.lr \(with no schedule\) must be > 0, got 0.0$"):
        hb.fit(model, loss, still, X, y, epochs=1, batch_size=5)
    opt = hb.optim.SGD(model.parameters(), 0.1)
    cases = [
        (0.1, TypeError, r"^hb.fit: schedule must be a function \(hb.schedules.step"),
        (hb.schedules.step, TypeError, r"^hb.fit: schedule must be a function of the epoch"),
        (lambda epoch: 0.0, ValueError, "^hb.fit: schedule must be above 0 for some epoch"),
        (lambda epoch: 0.1 if epoch < 2 else np.nan, ValueError,
         r"^hb.fit: schedule\(2\) must be finite, got nan$"),
    ]
    before = model[0].W.value.copy()
    for schedule, error, message in cases:
        with pytest.raises(error, match=message):
            hb.fit(model, loss, opt, X, y, epochs=2, batch_size=5, schedule=schedule)
    np.testing.assert_array_equal(model[0].W.value, before)  # refused before any step
    warm_up_from_zero = hb.fit(model, loss, still, X, y, epochs=2, batch_size=5,
                               schedule=lambda epoch: 0.1 * (epoch - 1))
    assert warm_up_from_zero.lr == [0.0, 0.1]


def test_a_last_mini_batch_of_one_row_is_refused_for_batch_norm_only():
    X, y = digits_subset(21)
    for layers, refused in (((hb.BatchNorm(64),), True), ((), False)):
        model = hb.Sequential(*layers, hb.Dense(64, 10, rng=0))
        opt = hb.optim.SGD(model.parameters(), 0.1)
        call = lambda: hb.fit(model, hb.SoftmaxCrossEntropy(), opt, X, y, epochs=1, batch_size=5)
        if refused:
            with pytest.raises(ValueError, match=r"^hb.fit: batch_size must be one that leaves no "
                                                 r"last mini-batch of 1 row.*got batch_size=5 for 21 rows$"):
                call()
        else:
            assert call().epochs_run == 1


def test_fit_stops_at_an_overflow_without_numpy_warnings(recwarn):
    X, y = digits_subset(40)
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    opt = hb.optim.SGD(model.parameters(), 1e30)
    with pytest.raises(FloatingPointError, match=r"^hb.fit: the .* became (nan|inf) in epoch \d+, batch \d+"):
        hb.fit(model, hb.SoftmaxCrossEntropy(), opt, X * 1e300, y, epochs=3, batch_size=8,
               divergence=None)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
