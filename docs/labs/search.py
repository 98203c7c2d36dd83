# %% [markdown]
# # Lab 4: a random search, with and without batch normalization
#
# The [tuning chapter](../tuning/hyperparameter-search.md) recommends random search on
# the right scale, and [batch normalization](../tuning/batch-normalization.md) is said
# to make a network less sensitive to its learning rate. This lab puts both to work:
# the same random search, with the same draws, tunes a four-layer ReLU network with
# and without batch normalization, and we count how many settings work.

# %%
import numpy as np

import handbook as hb
from handbook import tuning

X, y = hb.datasets.digits()
(X_train, y_train), (X_dev, y_dev), (X_test, y_test) = hb.data.split(
    X, y, ratios=(0.6, 0.2, 0.2), stratify=True, rng=0)


def network(hidden, batch_norm, depth=4, rng=0):
    """depth x (Dense, [BatchNorm], ReLU), then a softmax layer; batch norm's beta
    replaces the bias."""
    rng = np.random.default_rng(rng)
    layers, n_in = [], 64
    for _ in range(depth):
        norm = [hb.BatchNorm(hidden)] if batch_norm else []
        dense = hb.Dense(n_in, hidden, bias=not batch_norm, rng=rng)
        layers += [dense, *norm, hb.ReLU()]
        n_in = hidden
    return hb.Sequential(*layers, hb.Dense(n_in, 10, init="xavier_normal", rng=rng))

# %% [markdown]
# ## Step 1: the search space
#
# Three hyperparameters, each sampled on its own scale:
#
# - the learning rate $\alpha$, log-uniform over more than three decades, $0.001$ to $3$;
# - momentum's $\beta$, such that $1 - \beta$ is log-uniform: $\beta$ from $0.5$ to $0.99$;
# - the width of the hidden layers, a whole number from $32$ to $128$.
#
# Each trial trains for 2 epochs with momentum and scores the dev accuracy; a run
# that overflows scores 0.

# %%
space = {
    "lr": tuning.log_uniform(1e-3, 3.0),
    "beta": tuning.one_minus_log_uniform(0.5, 0.99),
    "hidden": tuning.integers(32, 128),
}


def trainer(batch_norm, X=X_train, y=y_train):
    def train(lr, beta, hidden):
        model = network(hidden, batch_norm)
        optimizer = hb.optim.Momentum(model.parameters(), lr=lr, beta=beta)
        try:
            # fit itself stops on a NaN
            with np.errstate(over="ignore", invalid="ignore"):
                hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X, y,
                       epochs=2, batch_size=64, rng=1)
        except FloatingPointError:
            return 0.0
        return float(np.mean(model.predict(X_dev).argmax(axis=1) == y_dev))
    return train


def named(batch_norm):
    return (hb.tr("with batch norm", "使用批量归一化") if batch_norm
            else hb.tr("without batch norm", "不用批量归一化"))


searches = {batch_norm: tuning.random_search(trainer(batch_norm), space,
                                             trials=16, rng=0)
            for batch_norm in (False, True)}
for batch_norm, trials in searches.items():
    print(named(batch_norm))
    for trial in trials[:5]:
        print("  ", trial)

# %% [markdown]
# ## Step 2: how many settings work?
#
# The same 16 draws (the same seed) went to both networks, so the comparison is
# setting by setting.

# %%
def working(trials, threshold=0.9):
    return sum(trial.score >= threshold for trial in trials)


for batch_norm, trials in searches.items():
    name, best, n = named(batch_norm), trials[0].score, len(trials)
    print(hb.tr(
        f"{name:19} best dev accuracy {best:.3f}, "
        f"settings at 90 % or better: {working(trials)} of {n}",
        f"{name}：最佳验证集准确率 {best:.3f}，"
        f"{n} 组设置中有 {working(trials)} 组不低于 90 %"))
assert working(searches[True]) > working(searches[False])
assert searches[True][0].score > searches[False][0].score

# %%
fig, ax = hb.plot.figure()
with hb.plot.style():
    for batch_norm, trials in searches.items():
        lrs = [t.hyperparameters["lr"] for t in trials]
        ax.scatter(lrs, [t.score for t in trials], label=named(batch_norm))
    ax.set(xscale="log", xlabel=hb.plot.label("learning rate"),
           ylabel=hb.tr("dev accuracy", "验证集准确率"))
    ax.legend()
hb.plot.show(fig)

# %% [markdown]
# /// caption
# The dev accuracy of each of the $16$ trials against its learning rate (log scale),
# without and with batch normalization. Both searches drew the same settings, so
# each learning rate carries one dot of either colour (where two coincide, the orange
# one hides the blue). Below a rate of $10^{-2}$ neither network gets far in two
# epochs. In the upper half of the searched range both networks learn, and at every
# draw there the batch-normalized one scores higher.
# ///

# %% [markdown]
# The learning rate decides almost everything: at the smallest rates two epochs are
# not enough for either network. At the largest, batch normalization keeps the
# network working where the plain one loses accuracy: normalizing each layer's
# inputs keeps their scale fixed, so a large step does less damage.

# %%
def mean_score_above(trials, lr):
    return np.mean([t.score for t in trials if t.hyperparameters["lr"] > lr])


without_bn = mean_score_above(searches[False], 0.5)
with_bn = mean_score_above(searches[True], 0.5)
print(hb.tr(
    f"mean dev accuracy of the trials with a learning rate above 0.5: "
    f"{without_bn:.3f} without, {with_bn:.3f} with batch norm",
    f"学习率大于 0.5 的试验的平均验证集准确率："
    f"不用批量归一化 {without_bn:.3f}，使用批量归一化 {with_bn:.3f}"))
assert with_bn > without_bn

# %% [markdown]
# ## Step 3: coarse to fine
#
# Zoom in on the box spanned by the three best settings of the batch-normalized
# network and search again inside it, log-uniformly, keeping the best width
# (`hb.tuning.coarse_to_fine` automates such rounds).

# %%
best3 = searches[True][:3]
box = {name: (min(t.hyperparameters[name] for t in best3),
              max(t.hyperparameters[name] for t in best3))
       for name in ("lr", "beta")}
rounded = {name: tuple(round(v, 3) for v in bounds) for name, bounds in box.items()}
print(hb.tr(f"box: {rounded}", f"搜索范围：{rounded}"))

hidden = searches[True][0].hyperparameters["hidden"]
fine_space = {name: tuning.log_uniform(*bounds) for name, bounds in box.items()}
fine = tuning.random_search(lambda lr, beta: trainer(True)(lr, beta, hidden),
                            fine_space, trials=4, rng=1)
print(hb.tr(f"best of the fine search: {fine[0]}",
            f"精细搜索的最佳结果：{fine[0]}"))

# %% [markdown]
# ## Step 4: the chosen setting on the test set
#
# Retrain the best setting of both rounds and score it once on the test set, which no
# choice has seen.

# %%
chosen = max([searches[True][0], fine[0]], key=lambda t: t.score)
settings = {"hidden": hidden, **chosen.hyperparameters}
model = network(settings["hidden"], batch_norm=True)
optimizer = hb.optim.Momentum(model.parameters(), lr=settings["lr"],
                              beta=settings["beta"])
hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X_train, y_train,
       epochs=2, batch_size=64, rng=1)
test_accuracy = float(np.mean(model.predict(X_test).argmax(axis=1) == y_test))
print(hb.tr(
    f"chosen {chosen}: dev accuracy {chosen.score:.3f}, "
    f"test accuracy {test_accuracy:.3f}",
    f"选定的设置 {chosen}：验证集准确率 {chosen.score:.3f}，"
    f"测试集准确率 {test_accuracy:.3f}"))

# %% [markdown]
# ## What to take away
#
# - Sample learning rates (and $1 - \beta$) on a log scale; a random search over a
#   wide range shows where the good region is in a handful of trials.
# - Batch normalization widens the region of good learning rates: more of a random
#   search's draws succeed, and the best one is better.
# - Zoom in once you know the region, and score the final choice on data no choice
#   has seen.
