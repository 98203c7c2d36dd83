# %% [markdown]
# # 实验 1：诊断并修复手写数字分类器
#
# 本实验拿一个网络，把[第一章](../setting-up/splits.md)的流程从头到尾走一遍。先划分数据、训练，再读出偏差（bias）和方差（variance），然后深入网络内部找出*原因*，最后修正输入和初始化。每个单元格几秒钟就能跑完。其中的 `assert` 语句是实验自带的测试，结果一旦改变，网站就无法构建。
#
# “病人”是这样的：数据用 `scikit-learn` 自带的 8×8 手写数字（$1797$ 张图像，`hb.datasets.digits` 已把像素缩放到 [0, 1]），网络有两个隐藏层、每层 64 个 tanh 单元，训练用朴素的小批量（mini-batch）梯度下降。

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
# ## 第 1 步：按最初的写法训练网络
#
# 第一版把每个权重都从 $\mathcal N(0, 1)$ 中抽取，这是手写代码里常见的默认做法。输入直接用原始像素。

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
# ## 第 2 步：读出偏差和方差
#
# 这些数字人几乎不会认错，所以贝叶斯误差（Bayes error）取 0 左右。训练误差减去贝叶斯误差，就是可避免偏差（avoidable bias）。验证集（dev set）误差与训练误差之差，就是方差。

# %%
diagnosis = hb.diagnose.bias_variance(*errors["as written"], bayes_error=0.0)
print(diagnosis)
assert diagnosis.variance > 5 * diagnosis.avoidable_bias

# %% [markdown]
# 两个差距都超过了 2 个百分点的容差，但方差是可避免偏差的好几倍。网络拟合了自己的训练集（training set），遇到新的数字就出错。对付方差，基本流程开出的药方是更多数据或者正则化。先别急着下药，看看网络到底算出了什么。方差问题背后的原因，可能是任何正则化手段都治不了的。

# %%
hb.plot.show(hb.plot.training_curves(first_history))

# %% [markdown]
# /// caption
# 最初那版网络每一轮（epoch）的损失和准确率（accuracy），左边是损失，右边是准确率，训练集和验证集各一条曲线。训练损失一路下降，训练准确率逼近 1，验证集的两条曲线却渐渐平了下来。两条准确率曲线之间拉开的差距，反映的正是上面诊断出的方差。训练集曲线是每一轮各个小批量的平均值，测的时候权重还在变，所以一开始比验证集曲线还差。
# ///

# %% [markdown]
# ## 第 3 步：深入网络内部
#
# `hb.diagnose.activation_stats` 报告每一层 tanh 输出落在 $\pm 0.99$ 之外的比例。输出一旦越过 $\pm 0.99$，梯度 $1 - \tanh^2$ 就小于 0.02。

# %%
def saturation(model, X):
    stats = hb.diagnose.activation_stats(model, X)
    return [round(s["saturated"], 2) for s in stats if "Tanh" in s["layer"]]


print(hb.tr("saturated tanh outputs, per hidden layer:",
            "每个隐藏层中饱和的 tanh 输出比例"), saturation(first, X_dev))
assert min(saturation(first, X_dev)) > 0.5

# %% [markdown]
# 大多数隐藏单元都被钉死在 ±1 上。每个单元要对 64 个输入求和，每个输入都乘上标准差为 1 的权重，所以单元输入 $z$ 的标准差有好几个单位，远远超出 tanh 的线性区间：

# %%
a = X_dev
for layer in first:
    if isinstance(layer, hb.Dense):
        z = layer.forward(a, training=False)
        print(hb.tr(f"std of z after {layer!r}: {z.std():.1f}",
                    f"{layer!r} 之后 z 的标准差：{z.std():.1f}"))
    a = layer.forward(a, training=False)

# %% [markdown]
# tanh 饱和了，梯度在大多数方向上消失，网络真正学到的只是对训练集脆弱的拟合，这就是我们测到的方差。
#
# 第一章给出了两个修正办法：
#
# 1. 用训练集的均值和标准差对输入做**标准化**（standardization），验证集和测试集（test set）也用同一组统计量。
# 2. **为 tanh 选初始化**，取 Xavier 的方差 $1/n_{\text{in}}$（这里用 `xavier_normal`，方差为 $2/(n_{\text{in}} + n_{\text{out}})$）。

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
# 单靠标准化无济于事。权重取 $\mathcal N(0, 1)$ 时，标准化后的输入照样把每个单元推进饱和区（验证误差甚至变大了）。主因在初始化。两项修正都用上以后，同一个网络同样训练 $20$ 轮（epoch），就能认对验证集中的大多数数字。

# %%
assert (errors["both"][1] < errors["Xavier initialization"][1]
        < errors["as written"][1])
print(hb.tr("saturated tanh outputs with both fixes:",
            "两项都改之后饱和的 tanh 输出比例"), saturation(models["both"], Z_dev))

# %% [markdown]
# ## 第 4 步：重新诊断，再看一次测试集
#
# 修好的网络对训练集的拟合仍然好于验证集。这是下一步要做的事，也就是正则化（[实验 2](regularization.py)）。测试集一直留到现在才用，它给出所选模型误差的无偏估计。

# %%
print(hb.diagnose.bias_variance(*errors["both"], bayes_error=0.0))
test_error = error(models["both"], Z_test, y_test)
print(hb.tr(f"test error of the repaired network: {test_error:.1%}",
            f"修好的网络的测试误差：{test_error:.1%}"))

# %% [markdown]
# ## 要点
#
# - 偏差/方差诊断告诉你误差*在哪里*，不告诉你*为什么*。这里诊断指向方差，真正的原因却是初始化让单元饱和了。
# - 长时间训练之前先检查激活值。饱和的 tanh 单元（或死掉的 ReLU 单元）做一次前向传播（forward pass）就能看出来。
# - 只用训练集的统计量做标准化，测试集留到最后。
