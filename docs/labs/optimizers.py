# %% [markdown]
# # Lab 3: an optimizer and schedule race
#
# The [optimization chapter](../optimization/minibatch.md) derives each update rule.
# Here they race: the same network, the same data, the same mini-batches and the same
# budget of $7$ epochs; only the update rule, its learning rate and its schedule change.
# A fair race gives every optimizer its own best learning rate, so each runs at three
# rates and keeps its best.

# %%
import numpy as np

import handbook as hb
from handbook import optim, schedules

X, y = hb.datasets.digits()
(X_train, y_train), (X_dev, y_dev) = hb.data.split(X, y, ratios=(0.7, 0.3),
                                                   stratify=True, rng=0)
scaler = hb.data.Standardizer().fit(X_train)
X_train, X_dev = scaler.transform(X_train), scaler.transform(X_dev)

EPOCHS = 7


def network(rng=0):
    rng = np.random.default_rng(rng)
    return hb.Sequential(hb.Dense(64, 100, rng=rng), hb.ReLU(),
                         hb.Dense(100, 100, rng=rng), hb.ReLU(),
                         hb.Dense(100, 10, init="xavier_normal", rng=rng))


def race(make_optimizer, lr, schedule=None, validation=None):
    """Train from the same initial weights on the same mini-batches; return the
    model and its history (with validation, the dev set scored every epoch)."""
    model = network()
    optimizer = make_optimizer(model.parameters(), lr=lr)
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X_train, y_train,
                     epochs=EPOCHS, batch_size=64, validation=validation,
                     schedule=schedule, rng=1)
    return model, history


def dev_accuracy(model):
    return float(np.mean(model.predict(X_dev).argmax(axis=1) == y_dev))

# %% [markdown]
# ## Step 1: every optimizer at its best constant learning rate
#
# Three rates per method, a factor of about 3 apart: one near the rate that suits it
# and one on either side. The score is the training loss after the last epoch: how
# far the optimizer got. A rate at which training overflows scores infinity (the
# loop stops with a clear error, caught here). The loss of a run that overflows or
# stalls depends on rounding, so such a run is shown by its verdict.

# %%
contestants = {
    "SGD": (optim.SGD, (0.3, 1.0, 3.0)),
    "Momentum": (optim.Momentum, (0.3, 1.0, 3.0)),
    "Nesterov": (optim.Nesterov, (0.3, 1.0, 3.0)),
    "AdaGrad": (optim.AdaGrad, (0.03, 0.1, 0.3)),
    "RMSprop": (optim.RMSprop, (1e-3, 3e-3, 1e-2)),
    "Adam": (optim.Adam, (3e-3, 1e-2, 3e-2)),
}


def final_loss(run):
    return run[1].train_loss[-1] if run is not None else np.inf


def shown(loss):
    """A run that overflows or stalls ends at a chaotic loss: show a verdict."""
    if loss == np.inf:
        return hb.tr("overflow", "溢出")
    return hb.tr("stalls", "停滞") if loss > 0.5 else f"{loss:.2g}"


def race_or_none(make, lr):
    try:
        # NumPy's warnings off; fit raises the error
        with np.errstate(over="ignore", invalid="ignore"):
            return race(make, lr)
    except FloatingPointError:
        return None


best = {}
for name, (make, rates) in contestants.items():
    runs = {lr: race_or_none(make, lr) for lr in rates}
    lr = min(runs, key=lambda r: final_loss(runs[r]))
    best[name] = (lr, runs[lr])
    tried = "  ".join(f"{r:g}: {shown(final_loss(run))}" for r, run in runs.items())
    print(hb.tr(f"{name:9} final training loss at each rate   {tried}",
                f"{name:9} 各学习率下最终的训练损失   {tried}"))

# %% [markdown]
# Every method's best rate lies inside its range, with a worse rate on either side:
# had the best been the largest rate tried, the search would have to go on upwards.
# Larger rates get further in $7$ epochs until, one step of 3 later, the loss is
# worse again: the SGD family stalls or overflows, and the adaptive methods end
# several times higher.

# %%
assert all(contestants[name][1][0] < lr < contestants[name][1][-1]
           for name, (lr, _) in best.items())
print(hb.tr(  # a Chinese character is two columns wide
    f"{'':9} {'best rate':>9} {'training loss':>14} {'dev accuracy':>13}",
    "         最佳学习率       训练损失  验证集准确率"))
for name, (lr, (model, history)) in best.items():
    loss, accuracy = history.train_loss[-1], dev_accuracy(model)
    print(f"{name:9} {lr:9g} {loss:14.4f} {accuracy:13.3f}")

epochs = np.arange(1, EPOCHS + 1)
curves = {name: h.train_loss for name, (_, (_, h)) in best.items()}
hb.plot.show(hb.plot.lines(epochs, curves, xlabel=hb.plot.label("epoch"),
                           ylabel=hb.plot.label("loss"), logy=True))

# %% [markdown]
# /// caption
# The training loss per epoch of each optimizer at its best constant learning rate, on
# a log scale. Every curve falls from about 1 to a few thousandths in seven epochs,
# not always steadily (some climb back up for an epoch on the way), and all six end
# close together, as in the table above.
# ///

# %% [markdown]
# Once each has its own learning rate, every optimizer ends with a tiny training loss
# and the dev accuracies lie within a couple of points: on a small, standardized,
# well-conditioned problem the choice of optimizer matters far less than its learning
# rate. (The handbook's momentum is the averaging form $v \leftarrow \beta v + (1-\beta)\,dW$,
# whose long-run step is $\alpha$ times the gradient, like SGD's; its gain shows on
# ill-conditioned problems, as the [momentum page](../optimization/momentum.md)
# shows.)

# %%
dev = [dev_accuracy(model) for _, (model, _) in best.values()]
losses = [history.train_loss[-1] for _, (_, history) in best.values()]
assert max(losses) < 0.01 and max(dev) - min(dev) < 0.02

# %% [markdown]
# ## Step 2: a schedule tames a rate that is too large
#
# A decaying learning rate takes large steps early and small ones at the end. Start
# Adam at three times its best constant rate, $\alpha_0 = 0.03$, and compare three
# plans over the $7$ epochs: constant, step decay (halve every 2 epochs) and cosine
# decay to zero, $\alpha_t = \tfrac{\alpha_0}{2}\,(1 + \cos(\pi t / T))$. Besides the final
# training loss, the spread (standard deviation) of the dev accuracy over the last
# three epochs shows how settled each run is.

# %%
lr0 = 3 * best["Adam"][0]
plans = {
    "constant": None,
    "step": schedules.step(lr0, drop=0.5, every=2),
    "cosine": schedules.cosine(lr0, steps=EPOCHS),
}
finish = {plan: race(optim.Adam, lr0, schedule, validation=(X_dev, y_dev))[1]
          for plan, schedule in plans.items()}
chinese = {"constant": "固定学习率", "step": "阶梯衰减", "cosine": "余弦衰减"}
for plan, history in finish.items():
    loss, accuracy = history.train_loss[-1], history.dev_acc[-1]
    spread = np.std(history.dev_acc[-3:])
    print(hb.tr(
        f"{plan:9} training loss {loss:.4f}   dev accuracy {accuracy:.3f}"
        f"   spread over the last 3 epochs {spread:.4f}",
        f"训练损失 {loss:.4f}   验证集准确率 {accuracy:.3f}"
        f"   最后 3 轮的标准差 {spread:.4f}   {chinese[plan]}"))
assert finish["cosine"].train_loss[-1] < finish["constant"].train_loss[-1] / 10

curves = {hb.tr(plan, chinese[plan]): h.dev_acc for plan, h in finish.items()}
hb.plot.show(hb.plot.lines(epochs, curves, xlabel=hb.plot.label("epoch"),
                           ylabel=hb.plot.label("accuracy")))

# %% [markdown]
# /// caption
# The dev accuracy per epoch of Adam started at $\alpha_0 = 0.03$, under the three
# plans. For the first two epochs step decay keeps the constant rate, and the two
# curves coincide. In the second half the constant rate keeps the accuracy moving by
# about a point from one epoch to the next, up to the last, while both decayed runs,
# their steps shrinking, barely move.
# ///

# %% [markdown]
# At a constant $\alpha = 0.03$ Adam keeps bouncing around the minimum; the decayed
# runs start just as fast and settle in the last epochs. Decay lets you start with a
# bolder rate.
#
# A rate that is far too large is another matter: no schedule rescues plain SGD at
# three times its best rate. The training loop notices the overflow and stops, naming
# the epoch and the batch:

# %%
too_fast = 3 * best["SGD"][0]
try:
    # NumPy's own warnings off; fit raises the error
    with np.errstate(over="ignore", invalid="ignore"):
        race(optim.SGD, too_fast, schedules.cosine(too_fast, steps=EPOCHS))
except FloatingPointError as error:
    print(str(error).split(". Usual")[0])

# %% [markdown]
# ## What to take away
#
# - Compare optimizers at their own best learning rates, never at one shared rate.
# - On an easy, well-scaled problem the tuned optimizers end close together; Adam
#   near its usual rate is a safe first choice, and the learning rate is the
#   hyperparameter to tune first.
# - Decay the learning rate towards the end of training; a schedule lets you start
#   with a larger rate, but not with any rate.
