# %% [markdown]
# # Lab 3: an optimizer and schedule race
#
# The [optimization chapter](../optimization/minibatch.md) derives each update rule.
# Here they race: the same network, the same data, the same mini-batches and the same
# budget of $20$ epochs; only the update rule, its learning rate and its schedule change.
# A fair race gives every optimizer its own best learning rate, so each runs at four
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

EPOCHS = 20


def network(rng=0):
    rng = np.random.default_rng(rng)
    return hb.Sequential(hb.Dense(64, 100, rng=rng), hb.ReLU(),
                         hb.Dense(100, 100, rng=rng), hb.ReLU(),
                         hb.Dense(100, 10, init="xavier_normal", rng=rng))


def race(make_optimizer, lr, schedule=None):
    """Train from the same initial weights on the same mini-batches; return the
    history."""
    model = network()
    optimizer = make_optimizer(model.parameters(), lr=lr)
    return hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X_train, y_train,
                  epochs=EPOCHS, batch_size=64, validation=(X_dev, y_dev),
                  schedule=schedule, rng=1)

# %% [markdown]
# ## Step 1: every optimizer at its best constant learning rate
#
# Four rates per method, spaced by factors of about 3 around its usual value. The
# score is the training loss after the last epoch: how far the optimizer got. A rate
# at which training overflows scores infinity (the loop stops with a clear error,
# caught here).

# %%
contestants = {
    "SGD": (optim.SGD, (0.1, 0.3, 1.0, 3.0)),
    "Momentum": (optim.Momentum, (0.1, 0.3, 1.0, 3.0)),
    "Nesterov": (optim.Nesterov, (0.1, 0.3, 1.0, 3.0)),
    "AdaGrad": (optim.AdaGrad, (0.01, 0.03, 0.1, 0.3)),
    "RMSprop": (optim.RMSprop, (1e-3, 3e-3, 1e-2, 3e-2)),
    "Adam": (optim.Adam, (1e-3, 3e-3, 1e-2, 3e-2)),
}


def final_loss(history):
    return history.train_loss[-1] if history is not None else np.inf


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
    tried = "  ".join(f"{r:g}: {final_loss(h):.4f}" for r, h in runs.items())
    print(hb.tr(f"{name:9} final training loss at each rate   {tried}",
                f"{name:9} 各学习率下最终的训练损失   {tried}"))

# %% [markdown]
# Every method's best rate lies inside its range, with a worse rate on either side:
# had the best been the largest rate tried, the search would have to go on upwards.
# Larger rates get further in $20$ epochs until, one step of 3 later, training stalls
# or overflows.

# %%
assert all(contestants[name][1][0] < lr < contestants[name][1][-1]
           for name, (lr, _) in best.items())
print(hb.tr(  # a Chinese character is two columns wide
    f"{'':9} {'best rate':>9} {'training loss':>14} {'dev accuracy':>13}",
    "         最佳学习率       训练损失  验证集准确率"))
for name, (lr, history) in best.items():
    loss, accuracy = history.train_loss[-1], history.dev_acc[-1]
    print(f"{name:9} {lr:9g} {loss:14.4f} {accuracy:13.3f}")

epochs = np.arange(1, EPOCHS + 1)
curves = {name: h.train_loss for name, (_, h) in best.items()}
hb.plot.show(hb.plot.lines(epochs, curves, xlabel=hb.plot.label("epoch"),
                           ylabel=hb.plot.label("loss"), logy=True))

# %% [markdown]
# /// caption
# The training loss per epoch of each optimizer at its best constant learning rate, on
# a log scale. The curves fall steeply in the first half of training and then level
# off, and five of them end close together, as in the table above. RMSprop takes a
# path of its own: its loss climbs back up twice in mid-training, then drops far below
# the others.
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
dev = [history.dev_acc[-1] for _, history in best.values()]
losses = [history.train_loss[-1] for _, history in best.values()]
assert max(losses) < 0.01 and max(dev) - min(dev) < 0.02

# %% [markdown]
# ## Step 2: a schedule tames a rate that is too large
#
# A decaying learning rate takes large steps early and small ones at the end. Start
# Adam at three times its best constant rate, $\alpha_0 = 0.03$, and compare three
# plans over the $20$ epochs: constant, step decay (halve every 5 epochs) and cosine
# decay to zero, $\alpha_t = \tfrac{\alpha_0}{2}\,(1 + \cos(\pi t / T))$. Besides the final
# training loss, the spread (standard deviation) of the dev accuracy over the last
# five epochs shows how settled each run is.

# %%
lr0 = 3 * best["Adam"][0]
plans = {
    "constant": None,
    "step": schedules.step(lr0, drop=0.5, every=5),
    "cosine": schedules.cosine(lr0, steps=EPOCHS),
}
finish = {plan: race(optim.Adam, lr0, schedule) for plan, schedule in plans.items()}
chinese = {"constant": "固定学习率", "step": "阶梯衰减", "cosine": "余弦衰减"}
for plan, history in finish.items():
    loss, accuracy = history.train_loss[-1], history.dev_acc[-1]
    spread = np.std(history.dev_acc[-5:])
    print(hb.tr(
        f"{plan:9} training loss {loss:.4f}   dev accuracy {accuracy:.3f}"
        f"   spread over the last 5 epochs {spread:.4f}",
        f"训练损失 {loss:.4f}   验证集准确率 {accuracy:.3f}"
        f"   最后 5 轮的标准差 {spread:.4f}   {chinese[plan]}"))
assert finish["cosine"].train_loss[-1] < finish["constant"].train_loss[-1] / 10

curves = {hb.tr(plan, chinese[plan]): h.dev_acc for plan, h in finish.items()}
hb.plot.show(hb.plot.lines(epochs, curves, xlabel=hb.plot.label("epoch"),
                           ylabel=hb.plot.label("accuracy")))

# %% [markdown]
# /// caption
# The dev accuracy per epoch of Adam started at $\alpha_0 = 0.03$, under the three
# plans. For the first five epochs step decay keeps the constant rate, and the two
# curves coincide. In the second half the constant rate keeps the accuracy jumping by
# several points up to the last epoch, while both decayed runs, their steps shrinking,
# settle on one value.
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
