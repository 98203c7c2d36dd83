# %% [markdown]
# # 实验 3：优化器与学习率调度的比赛
#
# [优化一章](../optimization/minibatch.md)逐一推导了各种更新规则，这里让它们赛跑。网络、数据和小批量（mini-batch）都相同，预算都是 $7$ 轮（epoch），变的只有更新规则、它的学习率（learning rate）和学习率调度。公平的比赛要让每个优化器都用上自己最好的学习率，所以每个优化器各用三个学习率跑一遍，保留最好的结果。

# %%
import numpy as np

import handbook as hb
from handbook import optim, schedules

X, y = hb.datasets.digits()
(X_train, y_train), (X_dev, y_dev) = hb.data.split(X, y, ratios=(0.7, 0.3),
                                                   stratify=True, rng=0)
scaler = hb.data.Standardizer().fit(X_train)
X_train, X_dev = scaler.transform(X_train), scaler.transform(X_dev)

EPOCHS = 7


def network(rng=0):
    rng = np.random.default_rng(rng)
    return hb.Sequential(hb.Dense(64, 100, rng=rng), hb.ReLU(),
                         hb.Dense(100, 100, rng=rng), hb.ReLU(),
                         hb.Dense(100, 10, init="xavier_normal", rng=rng))


def race(make_optimizer, lr, schedule=None, validation=None):
    """Train from the same initial weights on the same mini-batches; return the
    model and its history (with validation, the dev set scored every epoch)."""
    model = network()
    optimizer = make_optimizer(model.parameters(), lr=lr)
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X_train, y_train,
                     epochs=EPOCHS, batch_size=64, validation=validation,
                     schedule=schedule, rng=1)
    return model, history


def dev_accuracy(model):
    return float(np.mean(model.predict(X_dev).argmax(axis=1) == y_dev))

# %% [markdown]
# ## 第 1 步：每个优化器都用自己最好的固定学习率
#
# 每个方法试三个学习率，相邻两个大约相差 3 倍：中间一个接近最适合它的值，两边各有一个。评分看最后一轮结束时的训练损失，也就是优化器走了多远。如果某个学习率让训练溢出，就记为无穷大（训练循环会抛出清楚的错误，这里把它捕获下来）。溢出或停滞的训练，最终损失取决于舍入误差，所以只显示结论。

# %%
contestants = {
    "SGD": (optim.SGD, (0.3, 1.0, 3.0)),
    "Momentum": (optim.Momentum, (0.3, 1.0, 3.0)),
    "Nesterov": (optim.Nesterov, (0.3, 1.0, 3.0)),
    "AdaGrad": (optim.AdaGrad, (0.03, 0.1, 0.3)),
    "RMSprop": (optim.RMSprop, (1e-3, 3e-3, 1e-2)),
    "Adam": (optim.Adam, (3e-3, 1e-2, 3e-2)),
}


def final_loss(run):
    return run[1].train_loss[-1] if run is not None else np.inf


def shown(loss):
    """A run that overflows or stalls ends at a chaotic loss: show a verdict."""
    if loss == np.inf:
        return hb.tr("overflow", "溢出")
    return hb.tr("stalls", "停滞") if loss > 0.5 else f"{loss:.2g}"


def race_or_none(make, lr):
    try:
        # NumPy's warnings off; fit raises the error
        with np.errstate(over="ignore", invalid="ignore"):
            return race(make, lr)
    except FloatingPointError:
        return None


best = {}
for name, (make, rates) in contestants.items():
    runs = {lr: race_or_none(make, lr) for lr in rates}
    lr = min(runs, key=lambda r: final_loss(runs[r]))
    best[name] = (lr, runs[lr])
    tried = "  ".join(f"{r:g}: {shown(final_loss(run))}" for r, run in runs.items())
    print(hb.tr(f"{name:9} final training loss at each rate   {tried}",
                f"{name:9} 各学习率下最终的训练损失   {tried}"))

# %% [markdown]
# 每个方法的最佳学习率都落在取值范围内部，两边都是更差的值。假如最佳值恰好是试过的最大学习率，搜索就还得往上走。在 $7$ 轮之内，学习率越大走得越远。再大 3 倍，损失又变差了：SGD 这一族停滞或者溢出，自适应方法最后的损失也高出好几倍。

# %%
assert all(contestants[name][1][0] < lr < contestants[name][1][-1]
           for name, (lr, _) in best.items())
print(hb.tr(  # a Chinese character is two columns wide
    f"{'':9} {'best rate':>9} {'training loss':>14} {'dev accuracy':>13}",
    "         最佳学习率       训练损失  验证集准确率"))
for name, (lr, (model, history)) in best.items():
    loss, accuracy = history.train_loss[-1], dev_accuracy(model)
    print(f"{name:9} {lr:9g} {loss:14.4f} {accuracy:13.3f}")

epochs = np.arange(1, EPOCHS + 1)
curves = {name: h.train_loss for name, (_, (_, h)) in best.items()}
hb.plot.show(hb.plot.lines(epochs, curves, xlabel=hb.plot.label("epoch"),
                           ylabel=hb.plot.label("loss"), logy=True))

# %% [markdown]
# /// caption
# 每个优化器用自己最佳的固定学习率训练时每一轮的训练损失，纵轴取对数。七轮里每条曲线都从 1 左右降到千分之几。下降并不总是平稳的，有几条中途会回升一轮。六条曲线最后挨得很近，和上表一致。
# ///

# %% [markdown]
# 各自用上自己的学习率以后，每个优化器最终的训练损失都很小，验证集（dev set）准确率（accuracy）也只相差一两个百分点。在已经标准化（standardization）、条件良好的小问题上，选哪个优化器远不如它的学习率要紧。顺带一提，本手册的动量（momentum）采用平均形式 $v \leftarrow \beta v + (1-\beta)\,dW$，长期来看每一步是梯度的 $\alpha$ 倍，和 SGD 相同。它的好处要到病态问题上才显现，[动量](../optimization/momentum.md)一页演示了这一点。

# %%
dev = [dev_accuracy(model) for _, (model, _) in best.values()]
losses = [history.train_loss[-1] for _, (_, history) in best.values()]
assert max(losses) < 0.01 and max(dev) - min(dev) < 0.02

# %% [markdown]
# ## 第 2 步：学习率调度能驯服过大的学习率
#
# 学习率衰减（learning-rate decay）让训练前期迈大步，末期迈小步。让 Adam 从最佳固定学习率的三倍 $\alpha_0 = 0.03$ 起步，在 $7$ 轮里比较三种方案：固定不变、阶梯衰减（每 2 轮减半），以及衰减到零的余弦衰减 $\alpha_t = \tfrac{\alpha_0}{2}\,(1 + \cos(\pi t / T))$。除了最终的训练损失，还要看最后三轮验证集准确率的离散程度（标准差），它说明每次训练稳定到了什么程度。

# %%
lr0 = 3 * best["Adam"][0]
plans = {
    "constant": None,
    "step": schedules.step(lr0, drop=0.5, every=2),
    "cosine": schedules.cosine(lr0, steps=EPOCHS),
}
finish = {plan: race(optim.Adam, lr0, schedule, validation=(X_dev, y_dev))[1]
          for plan, schedule in plans.items()}
chinese = {"constant": "固定学习率", "step": "阶梯衰减", "cosine": "余弦衰减"}
for plan, history in finish.items():
    loss, accuracy = history.train_loss[-1], history.dev_acc[-1]
    spread = np.std(history.dev_acc[-3:])
    print(hb.tr(
        f"{plan:9} training loss {loss:.4f}   dev accuracy {accuracy:.3f}"
        f"   spread over the last 3 epochs {spread:.4f}",
        f"训练损失 {loss:.4f}   验证集准确率 {accuracy:.3f}"
        f"   最后 3 轮的标准差 {spread:.4f}   {chinese[plan]}"))
assert finish["cosine"].train_loss[-1] < finish["constant"].train_loss[-1] / 10

curves = {hb.tr(plan, chinese[plan]): h.dev_acc for plan, h in finish.items()}
hb.plot.show(hb.plot.lines(epochs, curves, xlabel=hb.plot.label("epoch"),
                           ylabel=hb.plot.label("accuracy")))

# %% [markdown]
# /// caption
# Adam 从 $\alpha_0 = 0.03$ 起步，三种方案下每一轮的验证集准确率。前两轮里阶梯衰减的学习率和固定学习率相同，两条曲线重合在一起。到了后半程，固定学习率下的准确率每一轮仍在变，幅度约一个百分点，一直到最后一轮。两种衰减方案的步子越迈越小，准确率几乎不再变化。
# ///

# %% [markdown]
# 学习率固定为 $\alpha = 0.03$ 时，Adam 一直在最小值附近来回跳。做了衰减的两次训练起步一样快，并在最后几轮安定下来。有了衰减，起步的学习率就可以大胆一些。
#
# 学习率大得离谱就是另一回事了。朴素 SGD 用到最佳学习率的三倍时，什么调度都救不回来。训练循环发现溢出就会停下，并报出出错的轮次和批次：

# %%
too_fast = 3 * best["SGD"][0]
try:
    # NumPy's own warnings off; fit raises the error
    with np.errstate(over="ignore", invalid="ignore"):
        race(optim.SGD, too_fast, schedules.cosine(too_fast, steps=EPOCHS))
except FloatingPointError as error:
    print(str(error).split(". Usual")[0])

# %% [markdown]
# ## 要点
#
# - 比较优化器时，要让每个优化器各用自己最好的学习率，绝不能让它们共用一个学习率。
# - 在简单、尺度合适的问题上，调好的各个优化器最终相差无几。学习率取常用值附近的 Adam 是稳妥的首选，学习率则是最先要调的超参数（hyperparameter）。
# - 训练快结束时让学习率衰减。有了调度，起步的学习率可以大一些，但不是多大都行。
