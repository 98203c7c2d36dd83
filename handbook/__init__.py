"""The Practical Deep Learning Handbook: a NumPy neural-network stack.

Every algorithm the handbook's pages teach lives here, written to be read
beside its formula. Rows are samples: ``x`` has shape ``(batch, features)``.
"""

from handbook import (
    data,
    datasets,
    diagnose,
    init,
    language,
    optim,
    plot,
    schedules,
    tuning,
)
from handbook.gradcheck import GradientCheckReport, gradient_check
from handbook.language import tr
from handbook.layers import (
    BatchNorm,
    Dense,
    Dropout,
    Layer,
    LayerNorm,
    LeakyReLU,
    Maxout,
    ReLU,
    Residual,
    Sequential,
    Sigmoid,
    Tanh,
)
from handbook.losses import (
    BinaryCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    WeightedSoftmaxCrossEntropy,
    kl_divergence,
    log_softmax,
    softmax,
)
from handbook.parameter import Parameter
from handbook.pytorch import torch_checkup
from handbook.regularization import L1, L2, soft_threshold
from handbook.training import EarlyStopping, History, TrainingStopped, fit

__version__ = "0.1.0"

__all__ = [
    "L1",
    "L2",
    "BatchNorm",
    "BinaryCrossEntropy",
    "Dense",
    "Dropout",
    "EarlyStopping",
    "GradientCheckReport",
    "History",
    "Layer",
    "LayerNorm",
    "LeakyReLU",
    "Maxout",
    "MeanSquaredError",
    "Parameter",
    "ReLU",
    "Residual",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Tanh",
    "TrainingStopped",
    "WeightedSoftmaxCrossEntropy",
    "data",
    "datasets",
    "diagnose",
    "fit",
    "gradient_check",
    "init",
    "kl_divergence",
    "language",
    "log_softmax",
    "optim",
    "plot",
    "schedules",
    "soft_threshold",
    "softmax",
    "torch_checkup",
    "tr",
    "tuning",
]
