# %% [markdown]
# # 实验 1：诊断并修复一个手写数字分类器
#
# 这个实验拿一个网络，把[第一章](../../setting-up/splits/)的流程从头到尾走一遍：划分数据、训练、读出偏差（bias）和方差（variance），再深入网络内部找出*原因*，最后修正输入和初始化（initialization）。每个单元格都能在几秒钟内跑完；其中的 `assert` 语句是实验自带的测试，一旦某个结果变了，网站就无法构建。
#
# 这次的“病人”是 scikit-learn 中 8×8 的手写数字（$1797$ 张图像，`hb.datasets.digits` 已把像素缩放到 [0, 1]），一个有两个隐藏层、每层 64 个 tanh 单元的网络，以及朴素的小批量（mini-batch）梯度下降。

# %%
import numpy as np

import handbook as hb

X, y = hb.datasets.digits()
(X_train, y_train), (X_dev, y_dev), (X_test, y_test) = hb.data.split(
    X, y, ratios=(0.6, 0.2, 0.2), stratify=True, rng=0)
print(f"train {len(X_train)}, dev {len(X_dev)}, test {len(X_test)}; "
      f"pixels from {X.min():g} to {X.max():g}")

# %% [markdown]
# ## 第 1 步：按最初的写法训练网络
#
# 第一版把每个权重都从 $\mathcal N(0, 1)$ 中抽取，这是手写代码里常见的默认做法；输入则直接用原始像素。

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
print(f"training error {train_error:.1%}, dev error {dev_error:.1%}")

# %% [markdown]
# ## 第 2 步：读出偏差和方差
#
# 这些数字人几乎不会认错，所以把贝叶斯误差（Bayes error）取为 0 左右。可避免偏差（avoidable bias）是训练误差减去贝叶斯误差；方差是验证集（dev set）误差与训练误差之差。

# %%
diagnosis = hb.diagnose.bias_variance(*errors["as written"], bayes_error=0.0)
print(diagnosis)
assert diagnosis.variance > 5 * diagnosis.avoidable_bias

# %% [markdown]
# 两个差距都超过了 2 个百分点的容差，但方差是可避免偏差的好几倍：网络拟合了自己的训练集，一遇到新的数字就出错。针对方差，基本流程给出的药方是更多数据或正则化（regularization）。不过在动用这两者之前，先看看网络到底在计算什么：方差问题背后的原因，有可能是任何正则化手段都治不了的。

# %%
hb.plot.show(hb.plot.training_curves(first_history))

# %% [markdown]
# ## 第 3 步：深入网络内部
#
# `hb.diagnose.activation_stats` 会对每一层报告 tanh 输出落在 $\pm 0.99$ 之外的比例；在那里，梯度 $1 - \tanh^2$ 小于 0.02。

# %%
def saturation(model, X):
    stats = hb.diagnose.activation_stats(model, X)
    return [round(s["saturated"], 2) for s in stats if "Tanh" in s["layer"]]


print("saturated tanh outputs, per hidden layer:", saturation(first, X_dev))
assert min(saturation(first, X_dev)) > 0.5

# %% [markdown]
# 大多数隐藏单元都被钉死在 ±1 上。一个单元要把 64 个输入加起来，每个输入都乘以一个标准差为 1 的权重，所以它的输入 $z$ 的标准差有好几个单位，远远超出了 tanh 的线性区间：

# %%
a = X_dev
for layer in first:
    if isinstance(layer, hb.Dense):
        z = layer.forward(a, training=False)
        print(f"std of z after {layer!r}: {z.std():.1f}")
    a = layer.forward(a, training=False)

# %% [markdown]
# tanh 饱和（saturation）了，梯度在大多数方向上都消失了，网络真正学到的只是对训练集的一种脆弱的拟合：这正是我们测到的方差。
#
# 两个修正方法，都出自第一章：
#
# 1. **对输入做归一化**，使用训练集的均值和标准差（验证集和测试集也用同样的统计量）。
# 2. **按 tanh 的需要做初始化**，采用 Xavier 的方差 $1/n_{\text{in}}$（这里用 `xavier_normal`，方差为 $2/(n_{\text{in}} + n_{\text{out}})$）。

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

for name, (train_error, dev_error) in errors.items():
    print(f"{name:24} training error {train_error:6.1%}   "
          f"dev error {dev_error:6.1%}")

# %% [markdown]
# 只做标准化并不管用：权重取 $\mathcal N(0, 1)$ 时，标准化后的输入照样把每个单元推进饱和区（验证误差甚至变大了）。主要原因在于初始化；两个修正都用上之后，同一个网络同样训练 $20$ 轮（epoch），就能认对验证集中的大多数数字。

# %%
assert (errors["both"][1] < errors["Xavier initialization"][1]
        < errors["as written"][1])
print("saturated tanh outputs with both fixes:", saturation(models["both"], Z_dev))

# %% [markdown]
# ## 第 4 步：重新诊断，然后看一次测试集
#
# 修好的网络对训练集的拟合仍然好于验证集。那是下一步的工作：正则化（[实验 2](../regularization/)）。测试集一直留到现在才用，它为选定模型的误差给出无偏的估计。

# %%
print(hb.diagnose.bias_variance(*errors["both"], bayes_error=0.0))
test_error = error(models["both"], Z_test, y_test)
print(f"test error of the repaired network: {test_error:.1%}")

# %% [markdown]
# ## 要点
#
# - 偏差/方差诊断告诉你误差*在哪里*，而不是*为什么*。在这里，它指向方差，而真正的原因是初始化让单元饱和了。
# - 长时间训练之前，先检查激活值：饱和的 tanh 单元（或死掉的 ReLU 单元）只需一次前向传播就能看出来。
# - 只用训练集的统计量做归一化，把测试集留到最后。
