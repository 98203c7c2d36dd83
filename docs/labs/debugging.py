# %% [markdown]
# # Lab 5: debugging a broken training script, one bug at a time
#
# Below is a short training script for the digits with five bugs of the kinds the
# [debugging chapter](../debugging/checkup.md) catalogues. Each bug is behind a named
# switch, so that fixing one is removing its name from `bugs`. Pretend you do not
# know the list: follow the symptoms, let `hb.diagnose.checkup` point at the first
# cause, fix that one, and run again.

# %%
import numpy as np

import handbook as hb

bugs = {"missing value", "row number as a feature", "output layer init",
        "learning rate", "labels shuffled apart"}


def load(bugs):
    X, y = hb.datasets.digits()
    if "missing value" in bugs:
        X[17, 30] = np.nan                     # a corrupt record in the file
    if "row number as a feature" in bugs:
        X = np.c_[np.arange(len(X)), X]        # the index column was never dropped
    if "labels shuffled apart" in bugs:
        y = np.random.default_rng(7).permutation(y)  # labels shuffled, images not
    return hb.data.split(X, y, ratios=(0.7, 0.3), stratify=True, rng=0)


def build(bugs, n_in, rng=0):
    rng = np.random.default_rng(rng)
    too_large = "output layer init" in bugs
    output_init = hb.init.normal(30.0) if too_large else "xavier_normal"
    return hb.Sequential(hb.Dense(n_in, 64, rng=rng), hb.ReLU(),
                         hb.Dense(64, 10, init=output_init, rng=rng))


def train(bugs, epochs=15):
    (X_train, y_train), (X_dev, y_dev) = load(bugs)
    model = build(bugs, X_train.shape[1])
    lr = 3.0 if "learning rate" in bugs else 0.1
    optimizer = hb.optim.Momentum(model.parameters(), lr=lr)
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X_train, y_train,
                     epochs=epochs, batch_size=32, validation=(X_dev, y_dev), rng=1)
    return model, history

# %% [markdown]
# ## Run 1: the script as written

# %%
def run(bugs):
    """Train; return the model and its history, or None when fit refuses the data
    or stops on a NaN or inf."""
    try:
        # NumPy's warnings off; fit raises a clear error instead
        with np.errstate(all="ignore"):
            model, history = train(bugs)
    except (ValueError, FloatingPointError) as error:
        reason = str(error).split(". Usual")[0]
        print(hb.tr(f"training stopped: {reason}", f"训练中止：{reason}"))
        return None
    train_acc, dev_acc = history.train_acc[-1], history.dev_acc[-1]
    print(hb.tr(
        f"training accuracy {train_acc:.3f}, dev accuracy {dev_acc:.3f}",
        f"训练集准确率 {train_acc:.3f}，验证集准确率 {dev_acc:.3f}"))
    return model, history


assert run(bugs) is None

# %% [markdown]
# `hb.fit` refuses to start: one value of the training inputs is not finite. Where
# does it come from, and is it the only problem? Rather than guess, run the checkup
# on the model and the training data before any training.

# %%
def checkup(bugs):
    (X_train, y_train), _ = load(bugs)
    model = build(bugs, X_train.shape[1])
    result = hb.diagnose.checkup(model, hb.SoftmaxCrossEntropy(), X_train, y_train)
    print(result)
    return result


assert checkup(bugs).failed() == ["finite inputs"]

# %% [markdown]
# A NaN in the inputs: one corrupt record is enough to turn the loss of its
# mini-batch, and then every weight, into NaN. Drop or repair the record (here: the
# switch goes) and check again.

# %%
bugs.discard("missing value")
result = checkup(bugs)
assert result.failed()[0] == "input scales"

# %% [markdown]
# The inputs' ranges differ by a factor of more than a thousand. The pixels lie in
# $[0, 1]$, so one feature is far off: the first column counts from $0$ to $1796$. A
# row number is no property of a digit; it must go. Fix the first failing check
# first: the large outputs that follow are its consequence.

# %%
bugs.discard("row number as a feature")
assert checkup(bugs).failed() == ["initial loss", "initial outputs"]

# %% [markdown]
# The data are clean now, and the model starts wrong: an initial loss far above
# $\log 10 \approx 2.303$ and huge logits. The output layer's weights are drawn with a
# standard deviation of $30$; a variance-scaling initialization (Xavier for the
# softmax layer) fixes it.

# %%
bugs.discard("output layer init")
assert checkup(bugs).passed

# %% [markdown]
# Every check passes: the data are finite and on one scale, the network starts
# knowing nothing, as it should, and it can memorize a tiny batch. Train again.

# %%
model, history = run(bugs)
assert history.dev_acc[-1] < 0.2

# %% [markdown]
# No NaN this time, but the network is no better than guessing one class, which is
# right for a tenth of the digits. It passed the checkup before training, so look at
# it after training: how many hidden units still respond to any input?

# %%
(X_train, y_train), (X_dev, y_dev) = load(bugs)
print(hb.diagnose.dead_relu_fraction(model, X_train))
assert hb.diagnose.dead_relu_fraction(model, X_train)[0][1] > 0.9

# %% [markdown]
# Nearly every ReLU unit is dead: it outputs 0 for every training example, so no
# gradient reaches its weights again, and the network computes a constant. The first
# updates were so large that they pushed every unit's input below zero for good: the
# learning rate. Momentum at $\alpha = 3$ is thirty times more than this network
# needs; the checkup could not see it, since it tests the model and the data, not the
# optimizer's settings.

# %%
bugs.discard("learning rate")
model, history = run(bugs)

# %% [markdown]
# The network learns now, but what? It fits part of its training set and stays near
# chance on the dev set. With a sound model and sound optimizer settings, suspect
# the labels: train one model on the labels and one on shuffled labels. If the real
# labels do no better than shuffled ones, the labels do not belong to their images.

# %%
assert history.dev_acc[-1] < 0.2
scores = hb.diagnose.shuffled_label_check(
    lambda: build(bugs, X_train.shape[1]), hb.SoftmaxCrossEntropy(),
    X_train, y_train, X_dev, y_dev, epochs=10)
chinese = {"labels": "真实标签", "shuffled labels": "打乱的标签",
           "chance": "随机猜测"}
print({hb.tr(name, chinese[name]): round(score, 3)
       for name, score in scores.items()})
assert abs(scores["labels"] - scores["shuffled labels"]) < 0.05

# %% [markdown]
# The real labels do no better than shuffled ones: the network finds nothing to
# learn, because the labels were shuffled on their own and no longer belong to their
# images. Shuffle images and labels together, with one permutation.

# %%
bugs.discard("labels shuffled apart")
model, history = run(bugs)
assert not bugs and history.dev_acc[-1] > 0.95
hb.plot.show(hb.plot.training_curves(history))

# %% [markdown]
# /// caption
# The loss (left) and the accuracy (right) per epoch of the repaired script, on the
# training and the dev set. With the five bugs fixed, the network learns from the
# first epoch on, and its training and dev curves run together to the end: no
# variance to speak of. The training curves average each epoch's mini-batches while
# the weights change, which is why they look worse than the dev curves at first.
# ///

# %% [markdown]
# ## What to take away
#
# - Read the error first: a NaN with an epoch and a batch tells you *when*; the
#   checkup tells you *where* (data, initialization, model).
# - Fix the first failing check first; later failures are often its consequences.
# - The checkup does not see the optimizer or wrong labels. After training, dead units
#   point at the learning rate; a sound model that learns nothing that generalizes
#   points at the labels, and the shuffled-label test confirms it.
# - Change one thing at a time and run again: five bugs, five fixes, no guessing.
