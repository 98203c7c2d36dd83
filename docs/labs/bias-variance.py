# %% [markdown]
# # Lab 1: a digits classifier, diagnosed and repaired
#
# This lab runs the loop of the [first chapter](../setting-up/splits.md) on one
# network from start to finish: split the data, train, read the bias and the variance,
# look inside the network to find out *why*, and fix the inputs and the
# initialization. Every cell runs in a few seconds; the `assert` lines are the lab's
# own test, so if a result changes, the site does not build.
#
# The patient: the 8×8 digits of scikit-learn ($1797$ images, pixels scaled to
# [0, 1] by `hb.datasets.digits`), a network with two hidden layers of 64 tanh units, and plain mini-batch gradient
# descent.

# %%
import numpy as np

import handbook as hb

X, y = hb.datasets.digits()
(X_train, y_train), (X_dev, y_dev), (X_test, y_test) = hb.data.split(
    X, y, ratios=(0.6, 0.2, 0.2), stratify=True, rng=0)
print(hb.tr(
    f"train {len(X_train)}, dev {len(X_dev)}, test {len(X_test)}; "
    f"pixels from {X.min():g} to {X.max():g}",
    f"训练集 {len(X_train)}，验证集 {len(X_dev)}，测试集 {len(X_test)}；"
    f"像素取值从 {X.min():g} 到 {X.max():g}"))

# %% [markdown]
# ## Step 1: train the network as first written
#
# The first version draws every weight from $\mathcal N(0, 1)$, a common default in
# hand-written code, and feeds the raw pixels.

# %%
def classifier(init, rng=0):
    rng = np.random.default_rng(rng)
    return hb.Sequential(
        hb.Dense(64, 64, init=init, rng=rng), hb.Tanh(),
        hb.Dense(64, 64, init=init, rng=rng), hb.Tanh(),
        hb.Dense(64, 10, init=init, rng=rng))


def error(model, X, y):
    return float(np.mean(model.predict(X).argmax(axis=1) != y))


def train(init, X_train, X_dev, epochs=20):
    model = classifier(init)
    optimizer = hb.optim.SGD(model.parameters(), lr=0.05)
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X_train, y_train,
                     epochs=epochs, batch_size=32, validation=(X_dev, y_dev), rng=0)
    return model, history


first, first_history = train(hb.init.normal(1.0), X_train, X_dev)
errors = {"as written": (error(first, X_train, y_train),
                         error(first, X_dev, y_dev))}
train_error, dev_error = errors["as written"]
print(hb.tr(f"training error {train_error:.1%}, dev error {dev_error:.1%}",
            f"训练误差 {train_error:.1%}，验证误差 {dev_error:.1%}"))

# %% [markdown]
# ## Step 2: read the bias and the variance
#
# People misread very few of these digits, so take the Bayes error as about 0. The
# avoidable bias is the training error minus the Bayes error; the variance is the
# gap between the dev and the training error.

# %%
diagnosis = hb.diagnose.bias_variance(*errors["as written"], bayes_error=0.0)
print(diagnosis)
assert diagnosis.variance > 5 * diagnosis.avoidable_bias

# %% [markdown]
# Both gaps exceed the 2-point tolerance, but the variance is several times the
# avoidable bias: the network fits its training set and fails on new digits. The
# recipe's answer to variance is more data or regularization. Before reaching for
# either, look at what the network computes: a variance problem can have a cause
# that no regularizer treats.

# %%
hb.plot.show(hb.plot.training_curves(first_history))

# %% [markdown]
# /// caption
# The loss (left) and the accuracy (right) per epoch of the network as first written,
# on the training and the dev set. The training loss keeps falling and the training
# accuracy climbs towards 1, while the dev curves level off: the gap that opens
# between the two accuracy curves shows the variance diagnosed above. The training
# curves average each epoch's mini-batches while the weights change, which is why
# they start out worse than the dev curves.
# ///

# %% [markdown]
# ## Step 3: look inside
#
# `hb.diagnose.activation_stats` reports, for every layer, the share of tanh outputs
# beyond $\pm 0.99$, where the gradient $1 - \tanh^2$ is below 0.02.

# %%
def saturation(model, X):
    stats = hb.diagnose.activation_stats(model, X)
    return [round(s["saturated"], 2) for s in stats if "Tanh" in s["layer"]]


print(hb.tr("saturated tanh outputs, per hidden layer:",
            "每个隐藏层中饱和的 tanh 输出比例"), saturation(first, X_dev))
assert min(saturation(first, X_dev)) > 0.5

# %% [markdown]
# Most hidden units are pinned at ±1. A unit sums 64 inputs, each multiplied by a
# weight of standard deviation 1, so its input $z$ has a standard deviation of
# several units, far beyond tanh's linear range:

# %%
a = X_dev
for layer in first:
    if isinstance(layer, hb.Dense):
        z = layer.forward(a, training=False)
        print(hb.tr(f"std of z after {layer!r}: {z.std():.1f}",
                    f"{layer!r} 之后 z 的标准差：{z.std():.1f}"))
    a = layer.forward(a, training=False)

# %% [markdown]
# Tanh saturates, the gradient vanishes in most directions, and what the network
# does learn is a brittle fit to the training set: the variance we measured.
#
# Two fixes, both from the first chapter:
#
# 1. **Normalize the inputs** with the training set's mean and standard deviation
#    (and use the same statistics on the dev and test sets).
# 2. **Initialize for tanh** with Xavier's variance $1/n_{\text{in}}$ (here
#    `xavier_normal`, variance $2/(n_{\text{in}} + n_{\text{out}})$).

# %%
scaler = hb.data.Standardizer().fit(X_train)
Z_train, Z_dev, Z_test = (scaler.transform(A) for A in (X_train, X_dev, X_test))

runs = {
    "inputs standardized": (hb.init.normal(1.0), Z_train, Z_dev),
    "Xavier initialization": ("xavier_normal", X_train, X_dev),
    "both": ("xavier_normal", Z_train, Z_dev),
}
models = {"as written": first}
for name, (init, A_train, A_dev) in runs.items():
    models[name], _ = train(init, A_train, A_dev)
    model = models[name]
    errors[name] = (error(model, A_train, y_train), error(model, A_dev, y_dev))

chinese = {"as written": "最初的写法", "inputs standardized": "只标准化输入",
           "Xavier initialization": "只改用 Xavier 初始化", "both": "两项都改"}
for name, (train_error, dev_error) in errors.items():
    print(hb.tr(  # in Chinese the name comes last: its characters are wider
        f"{name:24} training error {train_error:6.1%}   dev error {dev_error:6.1%}",
        f"训练误差 {train_error:6.1%}   验证误差 {dev_error:6.1%}   "
        f"{chinese[name]}"))

# %% [markdown]
# Standardizing alone does not help: with $\mathcal N(0, 1)$ weights the
# standardized inputs still drive every unit into saturation (the dev error even
# grows). The initialization is the main cause; with both fixes the same network,
# trained for the same $20$ epochs, gets most dev digits right.

# %%
assert (errors["both"][1] < errors["Xavier initialization"][1]
        < errors["as written"][1])
print(hb.tr("saturated tanh outputs with both fixes:",
            "两项都改之后饱和的 tanh 输出比例"), saturation(models["both"], Z_dev))

# %% [markdown]
# ## Step 4: diagnose again, then look at the test set once
#
# The repaired network still fits the training set better than the dev set. That is
# the next job, regularization ([lab 2](regularization.py)). The test set, kept
# aside until now, gives an unbiased estimate of the error of the chosen model.

# %%
print(hb.diagnose.bias_variance(*errors["both"], bayes_error=0.0))
test_error = error(models["both"], Z_test, y_test)
print(hb.tr(f"test error of the repaired network: {test_error:.1%}",
            f"修好的网络的测试误差：{test_error:.1%}"))

# %% [markdown]
# ## What to take away
#
# - The bias/variance diagnosis tells you *where* the error is, not *why*. Here it
#   pointed at variance, and the cause was an initialization that saturated the
#   units.
# - Check the activations before a long training: saturated tanh units (or dead ReLU
#   units) are visible in one forward pass.
# - Normalize with training statistics only, and keep the test set for the end.
