# %% [markdown]
# # 实验 5：调试一个有问题的训练脚本，一次修一个 bug
#
# 下面是一个在手写数字上训练的简短脚本，里面有五个 bug，都属于[调试一章](../../debugging/checkup/)列举过的类型。每个 bug 都由一个带名字的开关控制，修掉一个 bug，就是把它的名字从 `bugs` 中删掉。假装你不知道这份清单：顺着症状往下查，让 `hb.diagnose.checkup` 指出第一个原因，修好它，再运行一次。

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
# ## 第 1 次运行：原样运行脚本

# %%
def run(bugs):
    """Train; return the model and its history, or None when fit refuses the data
    or stops on a NaN or inf."""
    try:
        # NumPy's warnings off; fit raises a clear error instead
        with np.errstate(all="ignore"):
            model, history = train(bugs)
    except (ValueError, FloatingPointError) as error:
        print("training stopped:", str(error).split(". Usual")[0])
        return None
    print(f"training accuracy {history.train_acc[-1]:.3f}, "
          f"dev accuracy {history.dev_acc[-1]:.3f}")
    return model, history


assert run(bugs) is None

# %% [markdown]
# `hb.fit` 拒绝开始训练：训练输入里有一个值不是有限数（NaN，非数，或无穷大）。它从哪里来？问题只有这一个吗？与其去猜，不如在训练之前，先对模型和训练数据做一次体检（checkup）。

# %%
def checkup(bugs):
    (X_train, y_train), _ = load(bugs)
    model = build(bugs, X_train.shape[1])
    result = hb.diagnose.checkup(model, hb.SoftmaxCrossEntropy(), X_train, y_train)
    print(result)
    return result


assert checkup(bugs).failed() == ["finite inputs"]

# %% [markdown]
# 输入中有 NaN：只要一条损坏的记录，就足以让它所在小批量的损失变成 NaN，继而让每一个权重都变成 NaN。删掉或修复这条记录（在这里就是去掉这个开关），然后再检查一次。

# %%
bugs.discard("missing value")
result = checkup(bugs)
assert result.failed()[0] == "input scales"

# %% [markdown]
# 各个输入特征的取值范围相差一千倍以上。像素值都在 $[0, 1]$ 中，所以有一个特征差得很远：第一列从 $0$ 一直数到 $1796$。行号不是数字图像的属性，必须去掉。先修复第一项失败的检查：随后出现的大输出值只是它的后果。

# %%
bugs.discard("row number as a feature")
assert checkup(bugs).failed() == ["initial loss", "initial outputs"]

# %% [markdown]
# 数据现在干净了，但模型一开始就错了：初始损失远高于 $\log 10 \approx 2.303$，logits 也大得惊人。输出层的权重是按标准差 $30$ 抽取的；改用方差缩放初始化（softmax 层用 Xavier 初始化）就能修好。

# %%
bugs.discard("output layer init")
assert checkup(bugs).passed

# %% [markdown]
# 所有检查都通过了：数据都是有限值，尺度也一致；网络起步时什么都不知道，这正是应有的状态；它还能背下一个很小的批量。再训练一次。

# %%
model, history = run(bugs)
assert history.dev_acc[-1] < 0.2

# %% [markdown]
# 这次没有 NaN 了，但网络并不比只猜一个类别更好，而只猜一个类别能猜对十分之一的数字。它在训练前通过了体检，那就在训练后再看看它：还有多少隐藏单元会对输入有所响应？

# %%
(X_train, y_train), (X_dev, y_dev) = load(bugs)
print(hb.diagnose.dead_relu_fraction(model, X_train))
assert hb.diagnose.dead_relu_fraction(model, X_train)[0][1] > 0.9

# %% [markdown]
# 几乎所有 ReLU 单元都死掉了：它们对每个训练样本都输出 0，梯度再也传不到它们的权重上，于是网络算出的只是一个常数。最初的几次更新步子太大，把每个单元的输入永久地推到了零以下：问题出在学习率上。$\alpha = 3$ 的动量法比这个网络所需的大了三十倍；体检看不出这一点，因为它检查的是模型和数据，而不是优化器的设置。

# %%
bugs.discard("learning rate")
model, history = run(bugs)

# %% [markdown]
# 网络现在能学习了，可它学到的是什么？它拟合了训练集的一部分，在验证集上却仍然接近瞎猜。模型和优化器的设置都没有问题时，就该怀疑标签了：用真实标签训练一个模型，再用打乱的标签训练一个。如果真实标签的效果并不比打乱的标签好，就说明这些标签和它们的图像对不上。

# %%
assert history.dev_acc[-1] < 0.2
scores = hb.diagnose.shuffled_label_check(
    lambda: build(bugs, X_train.shape[1]), hb.SoftmaxCrossEntropy(),
    X_train, y_train, X_dev, y_dev, epochs=10)
print({name: round(score, 3) for name, score in scores.items()})
assert abs(scores["labels"] - scores["shuffled labels"]) < 0.05

# %% [markdown]
# 真实标签并不比打乱的标签好：网络找不到任何可学的东西，因为标签是被单独打乱的，已经不再对应它们的图像。应该用同一个排列，把图像和标签一起打乱。

# %%
bugs.discard("labels shuffled apart")
model, history = run(bugs)
assert not bugs and history.dev_acc[-1] > 0.95
hb.plot.show(hb.plot.training_curves(history))

# %% [markdown]
# ## 要点
#
# - 先读错误信息：带着轮次（epoch）和批次的 NaN 告诉你问题出在*什么时候*；体检告诉你问题出在*哪里*（数据、初始化、模型）。
# - 先修复第一项失败的检查；后面的失败往往是它的后果。
# - 体检看不到优化器，也看不出标签错了。训练之后，死掉的单元指向学习率；一个本身没问题、却学不到任何能泛化的东西的模型指向标签，而打乱标签的检验可以证实这一点。
# - 一次只改一处，然后重新运行：五个 bug，五次修复，不靠猜。
