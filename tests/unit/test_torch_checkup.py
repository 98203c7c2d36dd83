"""hb.torch_checkup: the checkup of a PyTorch model finds what the NumPy one finds.

Each test plants one bug in a small classifier of the digits and asserts that the
check made for it fails (and, for the healthy model, that every check passes).
"""

import numpy as np
import pytest

import handbook as hb
from handbook.diagnose import CHECKS, Checkup

torch = pytest.importorskip("torch")
nn = torch.nn

X_np, y_np = hb.datasets.digits()
X_np, y_np = X_np[:200], y_np[:200]
X = torch.tensor(X_np, dtype=torch.float32)
y = torch.tensor(y_np)


def classifier(hidden=nn.ReLU, seed=0):
    """A 64-32-10 network, seeded."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, 32), hidden(), nn.Linear(32, 10))


class RowMeanRemoved(nn.Module):
    """A planted bug: the mean over the batch (axis 0) where the features' was meant."""

    def forward(self, x):
        return x - x.mean(dim=0)


class Log(nn.Module):
    """A planted bug: log of values that may be negative."""

    def forward(self, x):
        return torch.log(x)


def run(model, loss=None, inputs=X, labels=y, **options) -> Checkup:
    return hb.torch_checkup(model, loss or nn.CrossEntropyLoss(), inputs, labels,
                            **options)


@pytest.fixture(scope="module")
def healthy() -> tuple[Checkup, nn.Module, dict]:
    model = classifier()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    torch.manual_seed(123)
    state = torch.random.get_rng_state()
    result = run(model)
    return result, model, {"before": before, "rng": state}


def test_a_healthy_model_passes_every_check_and_is_left_as_it_was(healthy):
    result, model, saved = healthy
    names = [c.name for c in result.checks]
    assert names == [
        "finite inputs", "input scales", "label balance", "finite outputs",
        "initial loss", "initial outputs", "dead ReLU units", "examples kept apart",
        "gradient norms", "update ratios", "overfit a tiny batch",
        "labels carry signal"], names
    assert result.passed, str(result)
    assert all(name in CHECKS for name in names)
    for key, value in model.state_dict().items():
        assert torch.equal(value, saved["before"][key]), key
    assert torch.equal(torch.random.get_rng_state(), saved["rng"])


def test_the_report_is_the_numpy_checkups_table_in_the_pages_language(healthy):
    result = healthy[0]
    assert str(result).splitlines()[4].startswith("ok    initial loss")
    hb.language.set_language("zh")
    try:
        assert "初始损失" in str(result) and "通过" in str(result)
    finally:
        hb.language.set_language("en")


def test_output_weights_far_too_large_fail_the_initial_loss_and_outputs():
    model = classifier()
    nn.init.normal_(model[2].weight, std=30.0)
    failed = run(model, tiny_steps=50).failed()
    assert {"initial loss", "initial outputs"} <= set(failed), failed


def test_inputs_in_different_units_fail_the_input_scales():
    inputs = X * torch.cat([torch.ones(32), torch.full((32,), 1000.0)])
    assert "input scales" in run(classifier(), inputs=inputs, tiny_steps=50).failed()


def test_a_missing_value_is_reported_alone():
    inputs = X.clone()
    inputs[3, 5] = float("nan")
    result = run(classifier(), inputs=inputs)
    assert [(c.name, c.passed) for c in result.checks] == [("finite inputs", False)]


def test_the_first_layer_with_a_non_finite_output_is_named():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), Log(), nn.ReLU(), nn.Linear(32, 10))
    result = run(model)
    last = result.checks[-1]
    assert (last.name, last.passed) == ("finite outputs", False)
    assert "1 (Log)" in last.finding, last.finding


def test_weights_initialized_to_zero_fail_the_gradient_norms():
    model = classifier()
    for layer in (model[0], model[2]):
        nn.init.zeros_(layer.weight)
    check = next(c for c in run(model, tiny_steps=50).checks
                 if c.name == "gradient norms")
    assert not check.passed and "0.weight" in check.finding, check.finding


def test_weights_that_stay_zero_are_named_by_the_update_ratios_not_called_fast():
    model = nn.Sequential(nn.Linear(64, 16), nn.Tanh(), nn.Linear(16, 10))
    for layer in (model[0], model[2]):
        nn.init.zeros_(layer.weight)
        nn.init.zeros_(layer.bias)
    check = next(c for c in run(model, tiny_steps=50).checks
                 if c.name == "update ratios")
    assert not check.passed, check.finding
    assert check.finding == "0.weight, 2.weight: all zeros, never moved", check.finding


def test_a_layer_that_mixes_the_batch_fails_the_examples_kept_apart():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), RowMeanRemoved(), nn.ReLU(),
                          nn.Linear(32, 10))
    assert "examples kept apart" in run(model, tiny_steps=50).failed()


def test_batch_norm_in_evaluation_mode_keeps_examples_apart():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(),
                          nn.Linear(32, 10))
    assert "examples kept apart" not in run(model, tiny_steps=50).failed()


def test_dead_and_saturated_units_are_found_per_layer():
    model = classifier()
    nn.init.constant_(model[0].bias, -50.0)
    dead = next(c for c in run(model, tiny_steps=50).checks
                if c.name == "dead ReLU units")
    assert not dead.passed and "1 (ReLU)" in dead.finding, dead.finding
    model = classifier(hidden=nn.Tanh)
    nn.init.normal_(model[0].weight, std=5.0)
    saturated = next(c for c in run(model, tiny_steps=50).checks
                     if c.name == "saturated units")
    assert not saturated.passed and "1 (Tanh)" in saturated.finding


def test_shuffled_labels_fail_the_signal_check_and_too_fast_a_rate_the_ratios():
    shuffled = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(1))]
    failed = run(classifier(), labels=shuffled, tiny_steps=50,
                 optimizer=lambda p: torch.optim.SGD(p, lr=5.0)).failed()
    assert {"labels carry signal", "update ratios"} <= set(failed), failed


def test_the_labels_check_trains_for_signal_steps():
    finding = next(c.finding for c in run(classifier(), tiny_steps=50,
                                          signal_steps=1).checks
                   if c.name == "labels carry signal")
    default = next(c.finding for c in run(classifier(), tiny_steps=50).checks
                   if c.name == "labels carry signal")
    assert finding != default, finding


def test_a_regression_loss_skips_the_checks_of_class_labels():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1))
    target = X[:, :1] * 2.0
    names = [c.name for c in run(model, nn.MSELoss(), labels=target,
                                 tiny_steps=50).checks]
    assert not {"label balance", "initial loss", "labels carry signal"} & set(names)


def test_one_logit_with_bce_expects_log_2():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1))
    target = (y >= 5).float().reshape(-1, 1)
    initial = next(c for c in run(model, nn.BCEWithLogitsLoss(), labels=target,
                                  tiny_steps=50).checks if c.name == "initial loss")
    assert "log 2 = 0.693" in initial.finding, initial.finding


@pytest.mark.parametrize(("arguments", "error", "message"), [
    ({"model": "net"}, TypeError, "torch_checkup: model must be a torch.nn.Module"),
    ({"loss_fn": 3}, TypeError, "loss_fn must be a loss"),
    ({"y": y[:10]}, ValueError, r"y must be one row per row of X \(200\), got 10 rows"),
    ({"X": X[:1], "y": y[:1]}, ValueError, "X must be a batch of 2 rows or more"),
    ({"X": np.array(["a", "b"])}, TypeError, "X must be real numbers"),
    ({"tiny_steps": 0}, ValueError, "tiny_steps"),
    ({"signal_steps": 0}, ValueError, "signal_steps"),
    ({"signal_steps": 2.5}, TypeError, "signal_steps"),
    ({"optimizer": "adam"}, TypeError, "optimizer must be a function"),
])
def test_bad_arguments_are_refused_with_a_clear_message(arguments, error, message):
    given = {"model": classifier(), "loss_fn": nn.CrossEntropyLoss(), "X": X, "y": y}
    with pytest.raises(error, match=message):
        hb.torch_checkup(**{**given, **arguments})
