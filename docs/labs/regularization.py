# %% [markdown]
# # Lab 2: an overfitting network, regularized to its best dev accuracy
#
# The [regularization chapter](../regularization/l2-l1.md) compares its techniques at
# one reasonable setting each. This lab does what you would do on a real project:
# give each regularizer a small sweep of its strength, keep the best setting of each
# on the dev set, combine the two best, and only then look at a test set that played
# no part in the choices.
#
# The patient is the chapter's: a network with two hidden layers of $128$ ReLU units,
# trained with Adam on $100$ noisy two-moons points, which it learns by heart.

# %%
import numpy as np

import handbook as hb

(X_train, y_train), (X_dev, y_dev) = hb.datasets.overfitting_moons()
# a fresh draw, used once at the end
X_test, y_test = hb.datasets.two_moons(1000, noise=0.3, rng=1)


def network(keep_prob=1.0, rng=0):
    rng = np.random.default_rng(rng)
    def drop():  # a layer of its own at each place
        return [hb.Dropout(keep_prob, rng=rng)] if keep_prob < 1 else []

    return hb.Sequential(hb.Dense(2, 128, rng=rng), hb.ReLU(), *drop(),
                         hb.Dense(128, 128, rng=rng), hb.ReLU(), *drop(),
                         hb.Dense(128, 2, rng=rng))


def accuracy(model, X, y):
    return float(np.mean(model.predict(X).argmax(axis=1) == y))


def train(keep_prob=1.0, X=X_train, y=y_train, epochs=300, **options):
    """300 full-batch Adam steps on the 100 points (fewer epochs over an augmented
    set)."""
    model = network(keep_prob)
    optimizer = hb.optim.Adam(model.parameters(), lr=1e-2)
    hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X, y,
           epochs=epochs, batch_size=100, rng=1, **options)
    return model


baseline = train()
train_acc = accuracy(baseline, X_train, y_train)
dev_acc = accuracy(baseline, X_dev, y_dev)
print(hb.tr(
    f"no regularization: training accuracy {train_acc:.3f}, "
    f"dev accuracy {dev_acc:.3f}",
    f"不做正则化：训练集准确率 {train_acc:.3f}，验证集准确率 {dev_acc:.3f}"))

# %% [markdown]
# A perfect training score and a much lower dev score: high variance. The decision
# boundary shows why: it bends around single noisy points.

# %%
hb.plot.show(hb.plot.decision_boundary(lambda X: baseline.predict(X).argmax(axis=1),
                                       X_train, y_train))

# %% [markdown]
# /// caption
# The class the unregularized network predicts at each point of the plane (shaded),
# with its $100$ training points drawn over it, coloured by their true class. The
# boundary twists to put every training point on its own side: a narrow tongue of
# blue reaches down through the red class, cutting its region in two, to take in a
# single blue point.
# ///

# %% [markdown]
# ## Step 1: sweep each regularizer
#
# Four families, each with a few strengths spaced by factors of about 3:
#
# - an **L2 penalty** $\frac{\lambda}{2m}\sum_l \lVert W^{[l]}\rVert_F^2$;
# - **dropout** after each hidden layer, keeping units with probability `keep_prob`;
# - **augmentation**: nine copies of the training set, each point moved by Gaussian
#   noise of standard deviation $\sigma$ (the same number of gradient steps: 30 epochs
#   over ten times the data);
# - **early stopping** on the dev accuracy, restoring the best epoch.

# %%
def jittered(std, copies=9, rng=0):
    rng = np.random.default_rng(rng)
    moved = [X_train + rng.normal(0, std, X_train.shape) for _ in range(copies)]
    return np.concatenate([X_train, *moved]), np.tile(y_train, copies + 1)


def augmented(std, **options):
    X, y = jittered(std)
    return train(X=X, y=y, epochs=30, **options)


def stopped_early(patience):
    stopper = hb.EarlyStopping(patience=patience, monitor="dev_acc")
    return train(validation=(X_dev, y_dev), early_stopping=stopper)


sweeps = {  # each family named in the page's language
    hb.tr("L2, lambda", "L2 惩罚的 λ"):
        {lambd: train(regularizer=hb.L2(lambd)) for lambd in (0.1, 0.3, 1.0, 3.0)},
    hb.tr("dropout, keep", "随机失活的 keep_prob"):
        {keep: train(keep_prob=keep) for keep in (0.5, 0.7, 0.9)},
    hb.tr("jitter, sigma", "抖动的 σ"):
        {std: augmented(std) for std in (0.05, 0.1, 0.2)},
    hb.tr("early stopping, patience", "早停的 patience"):
        {patience: stopped_early(patience) for patience in (10, 30)},
}
l2, _, jitter, _ = sweeps  # the families' names
for family, models in sweeps.items():
    scores = "   ".join(f"{setting:g}: {accuracy(model, X_dev, y_dev):.3f}"
                        for setting, model in models.items())
    print(hb.tr(f"{family:25} {scores}", f"{family}\n    {scores}"))

# %% [markdown]
# Too little of a regularizer leaves the variance; too much brings back bias (look at
# the largest $\lambda$). Each family has a best setting somewhere in between.

# %%
best = {family: max(models, key=lambda s: accuracy(models[s], X_dev, y_dev))
        for family, models in sweeps.items()}
for family, setting in best.items():
    score = accuracy(sweeps[family][setting], X_dev, y_dev)
    print(hb.tr(f"best {family:25} {setting:<5g} dev accuracy {score:.3f}",
                f"{family} 最好取 {setting:g}，验证集准确率 {score:.3f}"))

# %% [markdown]
# ## Step 2: combine the two best
#
# Regularizers that act differently can add up: the penalty keeps the weights small,
# the jitter teaches the network that nearby points share a label. Combine the best
# L2 strength with the best jitter, and try half the penalty too, since the jitter
# already does part of its work.

# %%
lambd, std = best[l2], best[jitter]
weaker = lambd / 2
both = hb.tr("L2 {:g} + jitter {:g}", "L2 惩罚的 λ = {:g}，抖动的 σ = {:g}")
candidates = {
    both.format(lambd, std): augmented(std, regularizer=hb.L2(lambd)),
    both.format(weaker, std): augmented(std, regularizer=hb.L2(weaker)),
}
for family, setting in best.items():
    name = hb.tr(f"{family} {setting:g}", f"{family} = {setting:g}")
    candidates[name] = sweeps[family][setting]
unregularized = hb.tr("none", "不做正则化")
candidates[unregularized] = baseline

ranking = sorted(candidates,
                 key=lambda name: -accuracy(candidates[name], X_dev, y_dev))
for name in ranking:
    score = accuracy(candidates[name], X_dev, y_dev)
    print(hb.tr(f"{name:30} dev accuracy {score:.3f}",
                f"验证集准确率 {score:.3f}   {name}"))
assert ranking[-1] == unregularized

# %% [markdown]
# ## Step 3: the test set, once
#
# Every model of this lab was scored on the same $1000$ dev points, so the best dev score
# is a little optimistic: some of the winner's margin is luck on those points. The
# test set, drawn afresh and never used for a choice, gives the honest estimate.

# %%
winner = candidates[ranking[0]]
dev_acc, test_acc = accuracy(winner, X_dev, y_dev), accuracy(winner, X_test, y_test)
baseline_acc = accuracy(baseline, X_test, y_test)
print(hb.tr(f"chosen: {ranking[0]}", f"选中的模型：{ranking[0]}"))
print(hb.tr(f"dev accuracy {dev_acc:.3f}, test accuracy {test_acc:.3f}",
            f"验证集准确率 {dev_acc:.3f}，测试集准确率 {test_acc:.3f}"))
print(hb.tr(f"without regularization: test accuracy {baseline_acc:.3f}",
            f"不做正则化：测试集准确率 {baseline_acc:.3f}"))
assert test_acc > baseline_acc + 0.01

# %%
hb.plot.show(hb.plot.decision_boundary(lambda X: winner.predict(X).argmax(axis=1),
                                       X_train, y_train))

# %% [markdown]
# /// caption
# The same view for the model chosen on the dev set. Its boundary is made of a few
# nearly straight pieces that follow the gap between the two moons. It gives up the
# training points that lie deep on the other moon's side, such as the lone blue
# point in the red region at the bottom, and in exchange it does better on new
# points, as the test accuracy above shows.
# ///

# %% [markdown]
# ## What to take away
#
# - Sweep a regularizer's strength on a log scale; its best value sits between too
#   little (variance) and too much (bias).
# - Regularizers combine, but not additively: retune the strengths together.
# - Every choice made on the dev set spends some of its honesty. Keep a test set for
#   the final estimate, and report that number.
