# %% [markdown]
# # 实验 4：随机搜索，用与不用批量归一化
#
# [调参一章](../tuning/hyperparameter-search.md)推荐在合适的尺度上做随机搜索（random search），而据说[批量归一化](../tuning/batch-normalization.md)（batch normalization）能让网络对学习率（learning rate）不那么敏感。本实验让两者都派上用场。同一个随机搜索用同样的抽样，分别为带和不带批量归一化的四层 ReLU 网络调参，然后数一数有多少组设置能用。

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
# ## 第 1 步：搜索空间
#
# 三个超参数（hyperparameter）各自在合适的尺度上采样：
#
# - 学习率 $\alpha$，在 $0.001$ 到 $3$ 之间按对数均匀分布采样，跨越三个多数量级。
# - 动量（momentum）的 $\beta$，让 $1 - \beta$ 服从对数均匀分布，$\beta$ 的范围是 $0.5$ 到 $0.99$。
# - 隐藏层的宽度，取 $32$ 到 $128$ 之间的整数。
#
# 每次试验用动量法训练 2 轮（epoch），以验证集（dev set）准确率（accuracy）打分。数值溢出的训练记 0 分。

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
# ## 第 2 步：有多少组设置能用？
#
# 两个网络拿到的是同样的 16 组抽样（随机种子相同），所以可以逐组设置比较。

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
# $16$ 次试验各自的验证集准确率，横轴是学习率，取对数尺度（log scale）。两种颜色分别是不用和使用批量归一化的网络。两次搜索抽到的设置相同，所以每个学习率上两种颜色的点各有一个，两点重合时橙点会盖住蓝点。学习率低于 $10^{-2}$ 时，两个网络训练两轮都学不到多少。在整个取值范围的上半段，两个网络都能学到东西，而且每一组抽样都是带批量归一化的网络得分更高。
# ///

# %% [markdown]
# 学习率几乎决定了一切。学习率最小时，两轮训练对两个网络都不够。学习率最大时，普通网络的准确率掉了下来，带批量归一化的网络却照常工作。对每一层的输入做归一化，它们的尺度就保持不变，步子迈大了造成的破坏也小一些。

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
# ## 第 3 步：由粗到细
#
# 取批量归一化网络最好的三组设置，把它们张成的范围当作新的搜索区域，在里面再按对数均匀分布搜索一次，隐藏层宽度固定为最好的那个（`hb.tuning.coarse_to_fine` 能自动完成这样一次次缩小范围的搜索）。

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
# ## 第 4 步：在测试集上检验选定的设置
#
# 取两次搜索中最好的设置重新训练，在测试集（test set）上只评估一次。此前的任何选择都没见过测试集。

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
# ## 要点
#
# - 学习率（以及 $1 - \beta$）要在对数尺度上采样。在宽范围内做随机搜索，只要寥寥几次试验就能看出好的区域在哪里。
# - 批量归一化拓宽了好学习率所在的区域。随机搜索有更多抽样能成功，最好的那组也更好。
# - 知道了区域在哪以后再放大细看，并用任何选择都没见过的数据给最终选择打分。
