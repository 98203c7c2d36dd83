# %% [markdown]
# # 实验 2：正则化一个过拟合的网络，调出最好的验证集准确率
#
# [正则化一章](../../regularization/l2-l1/)让每种技术各取一个合理的设置来比较。这个实验则按真实项目中的做法来：为每种正则化（regularization）方法的强度做一次小范围扫描，在验证集（dev set）上为每种方法保留最好的设置，把最好的两种组合起来，最后才去看一个从未参与任何选择的测试集。
#
# “病人”沿用那一章的：一个有两个隐藏层、每层 $128$ 个 ReLU 单元的网络，用 Adam 在 $100$ 个带噪声的半月形数据点上训练，它会把这些点全部背下来。

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
print("no regularization: "
      f"training accuracy {accuracy(baseline, X_train, y_train):.3f}, "
      f"dev accuracy {accuracy(baseline, X_dev, y_dev):.3f}")

# %% [markdown]
# 训练集上满分，验证集上的分数却低得多：方差（variance）高。决策边界说明了原因：它绕着单个带噪声的点弯来弯去。

# %%
hb.plot.show(hb.plot.decision_boundary(lambda X: baseline.predict(X).argmax(axis=1),
                                       X_train, y_train))

# %% [markdown]
# ## 第 1 步：逐一扫描各种正则化方法
#
# 一共四类方法，每类取几个强度，相邻两个大约相差 3 倍：
#
# - **L2 惩罚** $\frac{\lambda}{2m}\sum_l \lVert W^{[l]}\rVert_F^2$；
# - 在每个隐藏层之后加**随机失活**（dropout），以概率 $p$ 保留单元；
# - **数据增强**（data augmentation）：把训练集复制九份，每份中的每个点都加上标准差为 $\sigma$ 的高斯噪声（梯度下降的步数保持不变：在十倍的数据上训练 30 轮）；
# - 依据验证集准确率做**早停**（early stopping），并恢复最好那一轮的参数。

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


sweeps = {
    "L2, lambda": {lambd: train(regularizer=hb.L2(lambd))
                   for lambd in (0.1, 0.3, 1.0, 3.0)},
    "dropout, keep": {p: train(keep_prob=p) for p in (0.5, 0.7, 0.9)},
    "jitter, sigma": {std: augmented(std) for std in (0.05, 0.1, 0.2)},
    "early stopping, patience": {patience: stopped_early(patience)
                                 for patience in (10, 30)},
}
for family, models in sweeps.items():
    scores = "   ".join(f"{setting:g}: {accuracy(model, X_dev, y_dev):.3f}"
                        for setting, model in models.items())
    print(f"{family:25} {scores}")

# %% [markdown]
# 正则化太弱，方差依旧；太强，偏差（bias）又回来了（看看最大的 $\lambda$）。每类方法的最佳设置都落在两者之间的某处。

# %%
best = {family: max(models, key=lambda s: accuracy(models[s], X_dev, y_dev))
        for family, models in sweeps.items()}
for family, setting in best.items():
    score = accuracy(sweeps[family][setting], X_dev, y_dev)
    print(f"best {family:25} {setting:<5g} dev accuracy {score:.3f}")

# %% [markdown]
# ## 第 2 步：把最好的两种组合起来
#
# 作用方式不同的正则化方法可以叠加：惩罚项让权重保持较小，抖动（jitter）则教会网络相邻的点标签相同。把最好的 L2 强度和最好的抖动组合起来；再试一试把惩罚减半，因为抖动已经替它做了一部分工作。

# %%
lambd, std = best["L2, lambda"], best["jitter, sigma"]
weaker = lambd / 2
candidates = {
    f"L2 {lambd:g} + jitter {std:g}": augmented(std, regularizer=hb.L2(lambd)),
    f"L2 {weaker:g} + jitter {std:g}": augmented(std, regularizer=hb.L2(weaker)),
}
for family, setting in best.items():
    candidates[f"{family} {setting:g}"] = sweeps[family][setting]
candidates["none"] = baseline

ranking = sorted(candidates,
                 key=lambda name: -accuracy(candidates[name], X_dev, y_dev))
for name in ranking:
    print(f"{name:30} dev accuracy {accuracy(candidates[name], X_dev, y_dev):.3f}")
assert ranking[-1] == "none"

# %% [markdown]
# ## 第 3 步：测试集，只用一次
#
# 这个实验中的每个模型都在同样的 $1000$ 个验证点上打分，所以最好的验证集分数略显乐观：胜出者的领先优势中，有一部分只是它在这些点上运气好。测试集是重新抽取的，从未参与任何选择，它给出的才是诚实的估计。

# %%
winner = candidates[ranking[0]]
print(f"chosen: {ranking[0]}")
print(f"dev accuracy {accuracy(winner, X_dev, y_dev):.3f}, "
      f"test accuracy {accuracy(winner, X_test, y_test):.3f}")
print("without regularization: "
      f"test accuracy {accuracy(baseline, X_test, y_test):.3f}")
assert accuracy(winner, X_test, y_test) > accuracy(baseline, X_test, y_test) + 0.01

# %%
hb.plot.show(hb.plot.decision_boundary(lambda X: winner.predict(X).argmax(axis=1),
                                       X_train, y_train))

# %% [markdown]
# ## 要点
#
# - 在对数尺度上扫描正则化的强度；最佳值介于太弱（方差）和太强（偏差）之间。
# - 正则化方法可以组合，但效果不是简单相加：要把各个强度放在一起重新调。
# - 在验证集上做的每一个选择，都会让它的分数少一分可信。留一个测试集做最终估计，并报告那个数字。
