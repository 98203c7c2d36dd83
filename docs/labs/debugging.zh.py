# %% [markdown]
# # 实验 5：调试有问题的训练脚本，一次修一处错误
#
# 下面这段在手写数字上训练的简短脚本里藏着五个错误，类型都是[调试一章](../debugging/checkup.md)列举过的。每个错误都由带名字的开关控制，修好某个错误，就是把它的名字从 `bugs` 中删掉。假装你不知道这份清单，顺着症状往下查。让 `hb.diagnose.checkup` 指出第一处病因，修好它，再运行一次。

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
# `hb.fit` 拒绝开始训练，因为训练输入中有个值不是有限数。它从哪里来？问题就这一处吗？与其去猜，不如在训练之前先给模型和训练数据做一次体检（checkup）。

# %%
def checkup(bugs):
    (X_train, y_train), _ = load(bugs)
    model = build(bugs, X_train.shape[1])
    result = hb.diagnose.checkup(model, hb.SoftmaxCrossEntropy(), X_train, y_train)
    print(result)
    return result


assert checkup(bugs).failed() == ["finite inputs"]

# %% [markdown]
# 输入里有 NaN。只要一条损坏的记录，它所在小批量（mini-batch）的损失就会变成 NaN，接着每个权重都会变成 NaN。删掉或修好这条记录（在这里就是去掉这个开关），再检查一次。

# %%
bugs.discard("missing value")
result = checkup(bugs)
assert result.failed()[0] == "input scales"

# %% [markdown]
# 各个输入的取值范围相差一千倍以上。像素都在 $[0, 1]$ 之间，可见有某个特征远远超出了这个范围，原来第一列从 $0$ 一直数到 $1796$。行号不是数字图像的属性，必须去掉。先修第一项没通过的检查，后面出现的大输出只是它的后果。

# %%
bugs.discard("row number as a feature")
assert checkup(bugs).failed() == ["initial loss", "initial outputs"]

# %% [markdown]
# 数据干净了，模型却从一开始就错了。初始损失远高于 $\log 10 \approx 2.303$，logits 也大得惊人。输出层的权重是按标准差 $30$ 抽取的。改用按方差（variance）缩放的初始化（softmax 层用 Xavier 初始化），问题就解决了。

# %%
bugs.discard("output layer init")
assert checkup(bugs).passed

# %% [markdown]
# 所有检查都通过了。数据都是有限值，尺度也一致。网络起步时什么都不知道，本来就该如此。它还能把很小的一批样本背下来。再训练一次。

# %%
model, history = run(bugs)
assert history.dev_acc[-1] < 0.2

# %% [markdown]
# 这次没有 NaN 了，可网络并不比一直猜同一类强，那样只能猜对十分之一的数字。训练前它通过了体检，那就在训练后再看看它。还有多少隐藏单元仍对输入有所响应？

# %%
(X_train, y_train), (X_dev, y_dev) = load(bugs)
print(hb.diagnose.dead_relu_fraction(model, X_train))
assert hb.diagnose.dead_relu_fraction(model, X_train)[0][1] > 0.9

# %% [markdown]
# 几乎所有 ReLU 单元都死了。它们对每个训练样本都输出 0，梯度再也传不到它们的权重，网络算出的只是常数。最初几次更新的步子太大，把每个单元的输入永远推到了零以下，问题出在学习率（learning rate）上。$\alpha = 3$ 的动量（momentum）法是这个网络所需的三十倍。体检看不出这一点，因为它检查的是模型和数据，不检查优化器的设置。

# %%
bugs.discard("learning rate")
model, history = run(bugs)

# %% [markdown]
# 网络现在能学了，可学到的是什么？它拟合了训练集（training set）的一部分，在验证集（dev set）上却仍然接近瞎猜。模型和优化器设置都没问题，就该怀疑标签了。分别用真实标签和打乱的标签各训练一个模型。如果真实标签并不比打乱的标签好，这些标签就和图像对不上。

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
# 真实标签并不比打乱的标签好。网络找不到可学的东西，因为标签被单独打乱过，已经对不上各自的图像。应该用同一个排列，把图像和标签一起打乱。

# %%
bugs.discard("labels shuffled apart")
model, history = run(bugs)
assert not bugs and history.dev_acc[-1] > 0.95
hb.plot.show(hb.plot.training_curves(history))

# %% [markdown]
# /// caption
# 修好的脚本每一轮（epoch）的损失和准确率（accuracy），左边是损失，右边是准确率，训练集和验证集各一条曲线。五个错误都修掉以后，网络从第一轮起就在学，训练集和验证集的曲线一直贴在一起，几乎没有方差（variance）。训练集曲线是每一轮各个小批量的平均值，测的时候权重还在变，所以开头看上去比验证集曲线差。
# ///

# %% [markdown]
# ## 要点
#
# - 先读错误信息。NaN 报错里写着第几轮（epoch）、第几个批次，它告诉你问题出在*什么时候*。体检告诉你问题出在*哪里*（数据、初始化还是模型）。
# - 先修第一项没通过的检查，后面的失败往往是它的后果。
# - 体检看不到优化器，也看不出标签错了。训练之后，死掉的单元指向学习率。模型本身没问题，却学不到任何能泛化的东西，那就指向标签，打乱标签的检验可以证实这一点。
# - 一次只改一处，然后重新运行。五个错误，五次修复，不靠猜。
