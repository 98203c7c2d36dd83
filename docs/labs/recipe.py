# %% [markdown]
# # Lab 6: a run that trains badly, repaired with the recipe
#
# Below is a training script for the digits that raises no error and trains badly,
# for several reasons at once, and whose data hide two problems of their own. Follow
# the [training recipe](../recipe/baselines.md) in order: check the model and
# measure what it must beat, watch a run, find the learning rate, look at the data,
# and judge every change over several seeds. Each step prints what it gains, and
# asserts it.

# %%
import numpy as np

import handbook as hb

X, y = hb.datasets.digits()
(X_train, y_train), (X_dev, y_dev) = hb.data.split(X, y, ratios=(0.7, 0.3),
                                                   stratify=True, rng=0)
# What happened to the data before the script: 63 training labels (5 %) mistyped,
# and 60 training images copied into the dev set.
rng = np.random.default_rng(3)
wrong = rng.choice(len(y_train), 63, replace=False)
copied = rng.choice(len(X_train), 60, replace=False)
X_dev = np.vstack([X_dev, X_train[copied]])
y_dev = np.concatenate([y_dev, y_train[copied]])
y_train[wrong] = (y_train[wrong] + rng.integers(1, 10, 63)) % 10

standardizer = hb.data.Standardizer().fit(X_train)
X_train, X_dev = standardizer.transform(X_train), standardizer.transform(X_dev)
loss = hb.SoftmaxCrossEntropy()


def network(seed, small_output=False):
    """Four hidden ReLU layers of 64 units; the output layer's weights from
    He's initialization, or of standard deviation 0.01."""
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(4):
        layers += [hb.Dense(64, 64, rng=rng), hb.ReLU()]
    output_init = hb.init.normal(0.01) if small_output else "he_normal"
    return hb.Sequential(*layers, hb.Dense(64, 10, init=output_init, rng=rng))


def train(seed, recipe, X=X_train, y=y_train, monitor=None):
    """Five epochs of SGD, as the script has always trained."""
    model = network(seed, recipe["small output"])
    optimizer = hb.optim.SGD(model.parameters(), lr=recipe["lr"])
    hb.fit(model, loss, optimizer, X, y, epochs=5, batch_size=32, rng=seed,
           monitor=monitor)
    return model


def dev_accuracies(recipe, X=X_train, y=y_train, X_dev=X_dev, y_dev=y_dev):
    """The dev accuracy of the recipe over five seeds, one per seed."""
    return hb.tuning.over_seeds(
        lambda seed: loss.accuracy(train(seed, recipe, X, y).predict(X_dev), y_dev),
        range(5))


def show(name, accuracies):
    print(hb.language.pad(name, 26), hb.tr("median", "中位数"),
          f"{np.median(accuracies):.3f},", f"{accuracies.min():.3f}",
          hb.tr("to", "到"), f"{accuracies.max():.3f}")

# %% [markdown]
# ## Run 1: the script as written

# %%
recipe = {"lr": 3e-4, "small output": False}
start = dev_accuracies(recipe)
show(hb.tr("as written", "原样"), start)
assert np.median(start) < 0.3

# %% [markdown]
# No error, no NaN, a dev accuracy a little above guessing. Before changing anything,
# the checkup: is the model sound before training?

# %% [markdown]
# ## Step 1: the checkup, and the loss before training

# %%
result = hb.diagnose.checkup(network(0), loss, X_train[:200], y_train[:200])
print(result)
assert result.failed() == ["initial loss"]

# %% [markdown]
# The first loss is far above $\log 10 \approx 2.303$: on standardized inputs, four
# layers of He-initialized weights hand the output layer large activations, and its
# own He-initialized weights make large logits. Output weights of standard deviation
# $0.01$ start the network at $\log K$
# ([the loss before training](../recipe/baselines.md#the-loss-before-training)).

# %%
recipe["small output"] = True
value, expected = hb.diagnose.initial_loss(network(0, True), loss, X_train, y_train)
print(hb.tr("initial loss", "初始损失"), f"{value:.3f}, log K {expected:.3f}")
assert abs(value - expected) < 0.05
result = hb.diagnose.checkup(network(0, True), loss, X_train[:200], y_train[:200])
assert result.passed

# %% [markdown]
# ## Step 2: what the network must beat

# %%
scores = hb.diagnose.baselines(lambda: network(0, True), loss, X_train, y_train,
                               X_dev, y_dev, epochs=5)
shown = {"model": hb.tr("the network", "网络"),
         "linear": hb.tr("linear", "线性分类器"),
         "zeroed inputs": hb.tr("zeroed inputs", "输入置零"),
         "majority class": hb.tr("majority class", "多数类")}
for name, accuracy in scores.items():
    print(hb.language.pad(shown[name], 16), f"{accuracy:.3f}")
assert scores["model"] > 0.9 > np.median(start)

# %% [markdown]
# The baselines train with Adam at $10^{-2}$, and with it the same network gets more
# than nine dev digits in ten right, as the linear classifier does. The data and the architecture are not
# what holds the script back; its training is
# ([baselines](../recipe/baselines.md#three-baselines-the-model-must-beat)).

# %% [markdown]
# ## Step 3: watch a run, then find the learning rate

# %%
monitor = hb.diagnose.Monitor()
train(0, recipe, monitor=monitor)
print(monitor.report())
assert monitor.report().failed() == ["update ratios"]

# %% [markdown]
# Some layers' weights change by a few parts in a million per step, far below the
# rule of thumb's $10^{-3}$: the rate is far too small
# ([watching a run](../recipe/watching.md#the-update-to-weight-ratio)). A
# range test finds the rate where the loss is lowest, and a tenth of it is a sound
# rate to train at ([finding the learning rate](../recipe/learning-rate.md)).

# %%
probe = network(0, True)
test = hb.tuning.lr_range_test(probe, loss, X_train, y_train,
                               hb.optim.SGD(probe.parameters(), lr=1e-4),
                               lr_min=1e-4, lr_max=10.0)
print(test)
before = dev_accuracies(recipe)
recipe["lr"] = test.lowest / 10
after = dev_accuracies(recipe)
show(f"lr {3e-4:g}", before)
rate = f"lr {recipe['lr']:.2g}"
show(rate + hb.tr(" (range test)", "（范围测试）"), after)
assert 0.01 < recipe["lr"] < 0.3
assert np.all(after - before > 0.5)

# %% [markdown]
# The same five seeds, each better by more than fifty points. The run is healthy
# now; what remains is in the data.

# %% [markdown]
# ## Step 4: the dev set, checked for copies of the training set

# %%
pairs = hb.data.duplicates(X_dev, X_train)
print(hb.tr(f"dev rows that are training rows: {len(pairs)}",
            f"与训练集重复的验证集行：{len(pairs)}"))
leaked = np.isin(np.arange(len(X_dev)), pairs[:, 0])
X_honest, y_honest = X_dev[~leaked], y_dev[~leaked]
honest = dev_accuracies(recipe, X_dev=X_honest, y_dev=y_honest)
show(hb.tr("dev set with the copies", "含副本的验证集"), after)
show(hb.tr("dev set without them", "去掉副本的验证集"), honest)
assert len(pairs) == 60
assert np.all(honest < after)

# %% [markdown]
# Sixty dev images are training images, and the model, which has trained on them,
# gets them right more often than new ones: every seed's score was too high
# ([duplicates and leakage](../recipe/data-problems.md#duplicates-and-leakage-between-splits)).
# From here on, the dev set is the honest one. A lower number that is true is the
# gain of this step.

# %% [markdown]
# ## Step 5: the training labels, ranked by their loss

# %%
model = train(0, recipe)
losses = hb.diagnose.example_losses(model, loss, X_train, y_train)
suspects = np.argsort(losses)[-63:]
caught = len(np.intersect1d(suspects, wrong))
print(hb.tr(f"mistyped labels among the 63 highest losses: {caught}",
            f"损失最高的 63 个样本中标错的：{caught}"))
kept = np.setdiff1d(np.arange(len(X_train)), suspects)
cleaned = dev_accuracies(recipe, X_train[kept], y_train[kept], X_honest, y_honest)
comparison = hb.tuning.compare(honest, cleaned, rng=0)
show(hb.tr("all training labels", "全部训练标签"), honest)
show(hb.tr("63 suspects dropped", "去掉 63 个可疑样本"), cleaned)
low, high = 100 * comparison.low, 100 * comparison.high
print(hb.tr("paired gain, 95% interval:", "配对提升，95% 区间："),
      f"{low:+.1f}", hb.tr("to", "到"), f"{high:+.1f}", hb.tr("points", "个百分点"))
assert caught > 40
assert not comparison.decided

# %% [markdown]
# The ranking finds most of the mistyped labels: worth fixing, in the data. But
# dropping them does not measurably change the dev score: over five paired seeds the
# interval of the gain includes zero. Five per cent of wrong labels cost this network
# little after five epochs; a single run that happened to rise would have claimed
# a gain ([seeds](../recipe/seeds.md#paired-seeds-and-a-bootstrap-interval)).

# %% [markdown]
# ## The whole repair

# %%
final = hb.tuning.compare(start, cleaned, rng=0)
show(hb.tr("as written", "原样"), start)
show(hb.tr("repaired", "修复后"), cleaned)
gain = 100 * final.difference
print(hb.tr(f"gain {gain:+.1f} points, decided: {final.decided}",
            f"提升 {gain:+.1f} 个百分点，结论确定：{final.decided}"))
assert final.decided and final.difference > 0.5

# %%
stages = {hb.tr("as written", "原样"): start,
          hb.tr("small output weights", "输出层权重调小"): before,
          hb.tr("rate from the range test", "范围测试选出的学习率"): after,
          hb.tr("honest dev set", "去掉副本的验证集"): honest,
          hb.tr("suspects dropped", "去掉可疑样本"): cleaned}
fig, ax = hb.plot.figure(width=7.0, height=3.6)
for seed, accuracies in enumerate(np.array(list(stages.values())).T):
    ax.plot(range(len(stages)), accuracies, marker="o",
            label=hb.tr(f"seed {seed}", f"种子 {seed}"))
ax.set_xticks(range(len(stages)), list(stages), rotation=20, ha="right")
ax.set(ylabel=hb.tr("dev accuracy", "验证集准确率"))
ax.legend(fontsize=8)
hb.plot.show(fig)

# %% [markdown]
# /// caption
# The dev accuracy of each of the five seeds after each step of the repair. Small
# output weights alone change little: the rate is what the run lacked, and the range
# test's rate lifts every seed. The honest dev set lowers every seed a little;
# dropping the suspect labels helps some seeds and not others.
# ///

# %% [markdown]
# ## What to take away
#
# - The checkup and the baselines come first: they are cheap, and they tell a broken
#   model from a broken training.
# - The update-to-weight ratio names a learning rate too small at a glance; the range
#   test then chooses one.
# - Check the dev set for copies of the training set before believing its score.
# - Rank the training examples by their loss to find wrong labels, and judge the
#   effect of removing them over paired seeds: not every fix moves the score.
