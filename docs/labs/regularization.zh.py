# %% [markdown]
# # 实验 2：正则化过拟合的网络，调出最好的验证集准确率
#
# [正则化一章](../regularization/l2-l1.md)让每种技术各取一个合理的设置来比较。本实验则照真实项目的做法来。先为每种正则化方法的正则化强度（regularization strength）做小范围扫描，在验证集（dev set）上为每种方法留下最好的设置，再把最好的两种组合起来，最后才去看从未参与任何选择的测试集（test set）。
#
# “病人”沿用那一章的。网络有两个隐藏层，每层 $128$ 个 ReLU 单元，用 Adam 在 $100$ 个带噪声的双月形数据点上训练，它会把这些点全部背下来。

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
# 训练集（training set）上拿满分，验证集上的分数却低得多，这是高方差（variance）。决策边界说明了原因，它绕着单个带噪声的点弯来弯去。

# %%
hb.plot.show(hb.plot.decision_boundary(lambda X: baseline.predict(X).argmax(axis=1),
                                       X_train, y_train))

# %% [markdown]
# /// caption
# 不做正则化的网络在平面上每一点预测的类别（底色），上面是 $100$ 个训练点，按真实类别着色。为了让每个训练点都落在自己那一侧，决策边界扭来扭去。一条窄窄的蓝色长舌向下穿过红色类别，把红色区域切成两块，只为了圈住一个蓝点。
# ///

# %% [markdown]
# ## 第 1 步：逐一扫描各种正则化方法
#
# 一共四类方法，每类取几个强度，相邻两个大约相差 3 倍：
#
# - **L2 惩罚** $\frac{\lambda}{2m}\sum_l \lVert W^{[l]}\rVert_F^2$。
# - 在每个隐藏层之后加**随机失活**（dropout），单元以保留概率 `keep_prob` 保留。
# - **数据增强**（data augmentation）。把训练集复制九份，每个点都加上标准差为 $\sigma$ 的高斯噪声。梯度下降的步数不变，在十倍的数据上训练 30 轮（epoch）。
# - 依据验证集准确率（accuracy）做**早停**（early stopping），并恢复最好那一轮的参数。

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
# 正则化太弱，方差降不下来。太强了，偏差（bias）又会回来（看看最大的 $\lambda$）。每类方法的最佳设置都在两者之间的某处。

# %%
best = {family: max(models, key=lambda s: accuracy(models[s], X_dev, y_dev))
        for family, models in sweeps.items()}
for family, setting in best.items():
    score = accuracy(sweeps[family][setting], X_dev, y_dev)
    print(hb.tr(f"best {family:25} {setting:<5g} dev accuracy {score:.3f}",
                f"{family} 最好取 {setting:g}，验证集准确率 {score:.3f}"))

# %% [markdown]
# ## 第 2 步：把最好的两种组合起来
#
# 作用方式不同的正则化方法可以叠加。惩罚项让权重保持较小，抖动（jitter）则教会网络相邻的点标签相同。把最好的 L2 强度和最好的抖动组合起来，再试试把惩罚减半，因为抖动已经替它做了一部分工作。

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
# ## 第 3 步：测试集，只用一次
#
# 本实验的每个模型都在同样的 $1000$ 个验证点上打分，所以最好的验证集分数略显乐观，胜出者领先的幅度有一部分只是在这些点上运气好。测试集是重新抽取的，从未参与任何选择，它给出的才是诚实的估计。

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
# 同样的图，换成在验证集上选中的模型。它的决策边界由几段近乎笔直的线段组成，沿着两个月牙之间的空隙走。深入另一个月牙那一侧的训练点，它干脆放弃了，比如下方红色区域里那个孤零零的蓝点。换来的是在新数据上表现更好，上面的测试集准确率说明了这一点。
# ///

# %% [markdown]
# ## 要点
#
# - 在对数尺度上扫描正则化强度。最佳值介于太弱（方差）和太强（偏差）之间。
# - 正则化方法可以组合，但效果不是简单相加，要把各个强度放在一起重新调。
# - 在验证集上每做一次选择，它的分数就少一分可信。留一个测试集做最终估计，并报告那个数字。
