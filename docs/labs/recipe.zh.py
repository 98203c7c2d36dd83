# %% [markdown]
# # 实验 6：按训练配方修好一次糟糕的训练
#
# 下面是一段在手写数字上训练的脚本。它不报任何错误，却训练得很差，而且毛病不止一处。它的数据里还另外藏着两个问题。按[训练配方](../recipe/baselines.md)的顺序一步步来。先检查模型，测出它必须超过的基线（baseline），再监视一次训练，找到合适的学习率（learning rate），然后检查数据。每一处改动都要在几个种子上评判。每一步都打印出自己带来的改进，并用断言确认。

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
# ## 第 1 次运行：原样运行脚本

# %%
recipe = {"lr": 3e-4, "small output": False}
start = dev_accuracies(recipe)
show(hb.tr("as written", "原样"), start)
assert np.median(start) < 0.3

# %% [markdown]
# 没有报错，也没有 NaN，验证集（dev set）准确率（accuracy）却只比瞎猜高一点。先别急着改，给模型做一次体检（checkup），看看它在训练之前是否健全。

# %% [markdown]
# ## 第 1 步：体检，以及训练前的损失

# %%
result = hb.diagnose.checkup(network(0), loss, X_train[:200], y_train[:200])
print(result)
assert result.failed() == ["initial loss"]

# %% [markdown]
# 初始损失远高于 $\log 10 \approx 2.303$。输入经过了标准化（standardization），再经过四层按 He 初始化的权重，送到输出层的激活值已经很大。输出层自己的权重也按 He 初始化，算出的 logits 自然很大。把输出层权重的标准差改成 $0.01$，网络的初始损失就落在 $\log K$ 附近（见[训练前的损失](../recipe/baselines.md#the-loss-before-training)）。

# %%
recipe["small output"] = True
value, expected = hb.diagnose.initial_loss(network(0, True), loss, X_train, y_train)
print(hb.tr("initial loss", "初始损失"), f"{value:.3f}, log K {expected:.3f}")
assert abs(value - expected) < 0.05
result = hb.diagnose.checkup(network(0, True), loss, X_train[:200], y_train[:200])
assert result.passed

# %% [markdown]
# ## 第 2 步：网络必须超过什么

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
# 基线用学习率为 $10^{-2}$ 的 Adam 训练。这样训练，同样的网络在验证集上十个数字能认对九个以上，线性分类器也是如此。可见拖后腿的不是数据，也不是网络结构，而是脚本的训练方式（见[基线](../recipe/baselines.md#three-baselines-the-model-must-beat)）。

# %% [markdown]
# ## 第 3 步：监视一次训练，再找学习率

# %%
monitor = hb.diagnose.Monitor()
train(0, recipe, monitor=monitor)
print(monitor.report())
assert monitor.report().failed() == ["update ratios"]

# %% [markdown]
# 看更新与权重之比（update-to-weight ratio），有几层的权重每一步只变化百万分之几，远低于经验法则给出的 $10^{-3}$。学习率太小了（见[监视一次训练](../recipe/watching.md#the-update-to-weight-ratio)）。学习率范围测试（learning-rate range test）能找出损失最低处的学习率，取它的十分之一来训练就很稳妥（见[寻找学习率](../recipe/learning-rate.md)）。

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
# 还是这五个种子，每个种子的分数都提高了五十个百分点以上。训练本身已经健康，剩下的问题在数据里。

# %% [markdown]
# ## 第 4 步：检查验证集里有没有训练集的副本

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
# 验证集里有 60 张图像其实来自训练集（training set），这就是数据泄漏（data leakage）。模型在这些图像上训练过，答对它们比答对新图像容易，所以每个种子的分数都偏高了（见[划分之间的重复与泄漏](../recipe/data-problems.md#duplicates-and-leakage-between-splits)）。从这里开始，只用去掉副本之后的验证集。分数是低了，但它是真实的，这正是这一步的收获。

# %% [markdown]
# ## 第 5 步：按损失给训练标签排序

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
# 按损失排序，能找出大部分标错的标签。这些标签值得在数据里改正。可是把这些样本去掉，验证集分数并没有可测的变化。在五个配对种子（paired seeds）上，提升的自助法区间（bootstrap interval）包含零。训练五轮（epoch）之后，百分之五的错误标签对这个网络影响很小。要是只跑一次，碰巧分数升了，就会误以为有了提升（见[种子与运行之间的噪声](../recipe/seeds.md#paired-seeds-and-a-bootstrap-interval)）。

# %% [markdown]
# ## 修复前后

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
# 修复过程中每一步之后，五个种子各自的验证集准确率。只把输出层权重调小，变化不大。这次训练缺的是合适的学习率，换成范围测试选出的学习率，每个种子都大幅提高。去掉副本之后的验证集让每个种子都略有下降。去掉可疑的标签，对有的种子有帮助，对有的没有。
# ///

# %% [markdown]
# ## 要点
#
# - 先做体检，再训练基线。两者代价都很小，能分清是模型坏了还是训练坏了。
# - 看一眼更新与权重之比，就知道学习率是不是太小，再用范围测试选出学习率。
# - 相信验证集的分数之前，先查查里面有没有训练集的副本。
# - 按损失给训练样本排序，找出错误的标签。去掉它们有没有用，要在配对种子上判断，并不是每一处修正都会改变分数。
