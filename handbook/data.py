"""Data tools: splits, mini-batches, input scaling and whitening, one-hot labels."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from handbook import validation as check


# --8<-- [start:split]
def split(
    X: np.ndarray,
    y: np.ndarray,
    ratios=(0.6, 0.2, 0.2),
    *,
    stratify: bool = False,
    rng=None,
):
    """Shuffle and cut into train/dev(/test) sets by ``ratios``.

    With ``stratify``, each class is shuffled and cut alone. Every set but the first
    gets floor(ratio * n) rows (per class when stratified); the first gets the rest.
    Returns ``(X_train, y_train), (X_dev, y_dev)[, (X_test, y_test)]``. A set that
    would be empty, or with ``stratify`` miss a class, is refused.
    """
    check.same_rows("split", X, y)
    ratios = np.asarray(ratios, dtype=float)
    if not (
        len(ratios) in (2, 3) and (ratios > 0).all() and np.isclose(sum(ratios), 1)
    ):
        check.fail(
            "split",
            "ratios",
            "2 or 3 positive numbers summing to 1",
            tuple(ratios.tolist()),
        )
    rng = check.generator("split", rng)
    if stratify and np.ndim(y) != 1:
        check.fail(
            "split",
            "y",
            "class labels of shape (n,) to stratify by",
            f"shape {np.shape(y)}",
            described=True,
        )
    groups = (
        [np.flatnonzero(y == c) for c in np.unique(y)]
        if stratify
        else [np.arange(len(y))]
    )
    parts: list[list[np.ndarray]] = [[] for _ in ratios]
    for rows in groups:
        rows = rng.permutation(rows)
        sizes = np.floor(ratios[1:] * len(rows)).astype(int)
        if stratify and (sizes == 0).any():
            check.fail(
                "split",
                "stratify",
                "used with every class in every set",
                f"class {y[rows[0]]} with {len(rows)} rows",
                described=True,
            )
        bounds = np.cumsum([len(rows) - sizes.sum(), *sizes])
        chunks = np.split(rows, bounds[:-1])
        for part, chunk in zip(parts, chunks, strict=True):
            part.append(chunk)
    indices = [rng.permutation(np.concatenate(p)) for p in parts]
    if any(len(i) == 0 for i in indices):
        sizes = "/".join(str(len(i)) for i in indices)
        check.fail(
            "split",
            "ratios",
            "a split with no empty set",
            f"{sizes} rows of {len(X)}",
            described=True,
        )
    return tuple((X[i], y[i]) for i in indices)


# --8<-- [end:split]


# --8<-- [start:split-sizes]
def split_sizes(
    m: int, share: float = 0.2, enough: int = 10_000, large_share: float = 0.0025
) -> tuple[int, int, int]:
    """Train/dev/test sizes for m examples. Dev and test get ``share`` of m each
    until that reaches ``enough`` examples, keep ``enough`` until ``large_share`` of
    m is more, then grow with it; the training set gets the rest.

    The defaults give 60/20/20 up to 50,000 examples, 10,000 dev and 10,000 test
    examples up to 4,000,000 (98/1/1 at a million) and 99.5/0.25/0.25 beyond.
    No size ever shrinks when m grows, and the training set is never empty.
    """
    check.whole("split_sizes", "m", m)
    check.number(
        "split_sizes",
        "share",
        share,
        low=0,
        high=0.5,
        low_open=True,
        high_open=True,
    )
    check.non_negative("split_sizes", "enough", enough)
    check.non_negative("split_sizes", "large_share", large_share)
    each = min(share * m, max(enough, large_share * m))
    # rounded down once, then halved: no size ever shrinks
    held_out = int(2 * each)
    dev = held_out - held_out // 2  # an odd example goes to the dev set
    return int(m) - held_out, dev, held_out // 2


# --8<-- [end:split-sizes]


# --8<-- [start:minibatches]
def minibatches(
    X: np.ndarray, y: np.ndarray, batch_size: int, shuffle: bool = True, rng=None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Mini-batches X^{t}, y^{t} of batch_size rows, covering every row once.

    The last mini-batch may be smaller.
    """
    check.same_rows("minibatches", X, y)
    check.whole("minibatches", "batch_size", batch_size)
    rng = check.generator("minibatches", rng)
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]


# --8<-- [end:minibatches]


class Fitted:
    """A scaler that refuses to transform before fit, so that dev and test data can
    only reuse training statistics.

    ``fitting(X)`` and ``fitted_input(X)`` check the array a scaler is given and
    return it as real numbers (integers become float64; floats keep their dtype).
    """

    fitted = False

    def fitting(self, X: np.ndarray) -> np.ndarray:
        """The training data of ``fit``: a non-empty (batch, features) array."""
        X = check.real_array(type(self), "X", X)
        if X.ndim != 2 or len(X) == 0:
            check.fail(
                type(self),
                "X",
                "a non-empty (batch, features) array",
                f"shape {X.shape}",
                described=True,
            )
        check.finite(type(self), "X", X)  # one NaN would spoil a whole column
        self.n_features, self.fitted = X.shape[1], True
        return X

    def fitted_input(self, X: np.ndarray) -> np.ndarray:
        """The input of ``transform``: after fit, with the training features."""
        if not self.fitted:
            raise RuntimeError(
                f"{type(self).__name__}: call fit(X_train) before transform"
            )
        X = check.real_array(type(self), "X", X)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            check.fail(
                type(self),
                "X",
                f"of shape (batch, {self.n_features})",
                f"shape {X.shape}",
                described=True,
            )
        return X

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).transform(X)


# --8<-- [start:standardizer]
class Standardizer(Fitted):
    """x_norm = (x - mu) / sigma, with mu and sigma of the training set, reused on
    dev and test."""

    def __init__(self, eps: float = 1e-8):
        self.eps = check.positive("Standardizer", "eps", eps)

    def fit(self, X: np.ndarray) -> "Standardizer":
        X = self.fitting(X)
        self.mu = X.mean(axis=0)
        self.sigma = X.std(axis=0) + self.eps  # divide by sigma, not sigma^2
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = self.fitted_input(X)
        return ((X - self.mu) / self.sigma).astype(X.dtype, copy=False)

    def inverse_transform(self, X: np.ndarray) -> np.ndarray:
        X = self.fitted_input(X)
        return (X * self.sigma + self.mu).astype(X.dtype, copy=False)


# --8<-- [end:standardizer]


# --8<-- [start:minmax]
class MinMaxScaler(Fitted):
    """x' = (x - min) / (max - min), mapped to feature_range, with the training
    set's min and max."""

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)):
        self.low, self.high = feature_range
        if not self.low < self.high:
            raise ValueError(
                "MinMaxScaler: feature_range must be (low, high) with "
                f"low < high, got {feature_range}"
            )

    def fit(self, X: np.ndarray) -> "MinMaxScaler":
        X = self.fitting(X)
        self.min, top = X.min(axis=0), X.max(axis=0)
        span = top - self.min
        self.span = np.where(span > 0, span, 1)  # a constant feature keeps span 1
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = self.fitted_input(X)
        scaled = self.low + (X - self.min) / self.span * (self.high - self.low)
        return scaled.astype(X.dtype, copy=False)

    def inverse_transform(self, X: np.ndarray) -> np.ndarray:
        X = self.fitted_input(X)
        original = self.min + (X - self.low) / (self.high - self.low) * self.span
        return original.astype(X.dtype, copy=False)


# --8<-- [end:minmax]


# --8<-- [start:whitener]
class Whitener(Fitted):
    """PCA whitening rotates onto the covariance's eigenvectors and scales each to
    unit variance; ZCA rotates back, giving the whitened data closest to the
    original."""

    def __init__(self, method: str = "pca", eps: float = 1e-5):
        if method not in ("pca", "zca"):
            raise ValueError(
                f"Whitener: method must be 'pca' or 'zca', got {method!r}"
            )
        self.method = method
        self.eps = check.non_negative("Whitener", "eps", eps)  # 0: exact whitening

    def fit(self, X: np.ndarray) -> "Whitener":
        X = self.fitting(X)
        self.mu = X.mean(axis=0)
        covariance = np.atleast_2d(np.cov(X - self.mu, rowvar=False, bias=True))
        eigenvalues, U = np.linalg.eigh(covariance)
        if eigenvalues.min() + self.eps <= 0:
            check.fail(
                "Whitener",
                "eps",
                "> 0 for data of lower rank than its "
                f"{len(eigenvalues)} features (a direction of zero variance)",
                self.eps,
            )
        # column j of U divided by sqrt(lambda_j + eps)
        self.W = U / np.sqrt(eigenvalues + self.eps)
        if self.method == "zca":
            self.W = self.W @ U.T
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = self.fitted_input(X)
        return ((X - self.mu) @ self.W).astype(X.dtype, copy=False)


# --8<-- [end:whitener]


# --8<-- [start:one-hot]
def one_hot(y: np.ndarray, K: int | None = None, dtype=np.float64) -> np.ndarray:
    """Integer labels 0..K-1 to rows with a single 1.

    K defaults to the largest label + 1.
    """
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or (y < 0).any():
        check.fail(
            "one_hot",
            "y",
            "a 1-D array of integer labels >= 0",
            f"{y.dtype} of shape {y.shape}",
            described=True,
        )
    if K is None and len(y) == 0:
        check.fail("one_hot", "K", "given for an empty label array", None)
    K = int(y.max()) + 1 if K is None else check.whole("one_hot", "K", K)
    if len(y) and y.max() >= K:
        check.fail("one_hot", "K", f"more than the largest label {y.max()}", K)
    Y = np.zeros((len(y), K), dtype=dtype)
    Y[np.arange(len(y)), y] = 1
    return Y


# --8<-- [end:one-hot]


# Data augmentation for square grey-level images stored as rows
# (the digits: 8 x 8 = 64 features).


def as_images(X: np.ndarray) -> tuple[np.ndarray, int]:
    """Rows of side * side pixels as images (n, side, side), and the side."""
    X = np.asarray(X)
    side = round(np.sqrt(X.shape[1])) if X.ndim == 2 else 0
    if X.ndim != 2 or side * side != X.shape[1]:
        check.fail(
            "augmentation",
            "X",
            "rows of square images (n, side * side)",
            f"shape {X.shape}",
            described=True,
        )
    return X.reshape(len(X), side, side), side


# --8<-- [start:flip-shift]
def flip(X: np.ndarray, horizontal: bool = True) -> np.ndarray:
    """Mirror every image left-right (or top-bottom).

    Only for labels that survive it.
    """
    images, _ = as_images(X)
    mirrored = images[:, :, ::-1] if horizontal else images[:, ::-1, :]
    return mirrored.reshape(X.shape)


def shift(X: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """Move every image dx pixels right and dy pixels down, filling with zeros."""
    images, side = as_images(X)
    out = np.zeros_like(images)
    src_r = slice(max(-dy, 0), side - max(dy, 0))
    dst_r = slice(max(dy, 0), side - max(-dy, 0))
    src_c = slice(max(-dx, 0), side - max(dx, 0))
    dst_c = slice(max(dx, 0), side - max(-dx, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out.reshape(X.shape)


def add_noise(
    X: np.ndarray, std: float, rng=None, low: float = 0.0, high: float = 1.0
) -> np.ndarray:
    """Add Gaussian noise to every pixel, clipped to the valid range."""
    check.non_negative("add_noise", "std", std)
    check.number("add_noise", "high", high, low=low, low_open=True)
    X = check.real_array("add_noise", "X", X)  # integer pixels would drop the noise
    noise = check.generator("add_noise", rng).normal(0, std, X.shape)
    return np.clip(X + noise.astype(X.dtype), low, high)


# --8<-- [end:flip-shift]


# --8<-- [start:warp]
def warp(X: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Resample each image at source coordinates by bilinear interpolation.

    ``rows`` and ``cols`` hold the coordinates, per image and output pixel; outside
    the image is 0.
    """
    images, side = as_images(X)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    fr, fc = rows - r0, cols - c0
    n = np.arange(len(images))[:, None, None]
    out = np.zeros(images.shape, dtype=np.result_type(X.dtype, np.float32))
    for dr, dc, weight in (
        (0, 0, (1 - fr) * (1 - fc)),
        (0, 1, (1 - fr) * fc),
        (1, 0, fr * (1 - fc)),
        (1, 1, fr * fc),
    ):
        r, c = r0 + dr, c0 + dc
        inside = (r >= 0) & (r < side) & (c >= 0) & (c < side)
        out += weight * np.where(
            inside, images[n, np.clip(r, 0, side - 1), np.clip(c, 0, side - 1)], 0
        )
    return out.reshape(X.shape).astype(X.dtype)


def affine(X: np.ndarray, degrees=0.0, scale=1.0, rng=None) -> np.ndarray:
    """Rotate by `degrees` and zoom by `scale` about the image centre.

    Arrays give one value per image.
    """
    _, side = as_images(X)
    check.finite("affine", "degrees", np.asarray(degrees))
    angle = np.deg2rad(np.broadcast_to(degrees, len(X)))[:, None, None]
    zoom = np.broadcast_to(scale, len(X))[:, None, None]
    if not np.all(zoom > 0):
        check.fail("affine", "scale", "> 0 for every image", scale)
    centre = (side - 1) / 2
    positions = np.arange(side) - centre
    r, c = np.meshgrid(positions, positions, indexing="ij")
    # the inverse map: output -> source
    rows = (np.cos(angle) * r - np.sin(angle) * c) / zoom + centre
    cols = (np.sin(angle) * r + np.cos(angle) * c) / zoom + centre
    return warp(X, rows, cols)


def elastic(
    X: np.ndarray, alpha: float = 1.0, sigma: float = 1.5, rng=None
) -> np.ndarray:
    """Simard et al. (2003): displace every pixel by a smooth random field.

    The field is random noise smoothed with a Gaussian of width sigma.
    """
    _, side = as_images(X)
    check.positive("elastic", "sigma", sigma)
    rng = check.generator("elastic", rng)
    offsets = np.arange(side) - np.arange(side)[:, None]
    # smoothing along one axis, applied to both
    kernel = np.exp(-(offsets**2) / (2 * sigma**2))
    field = rng.uniform(-1, 1, size=(2, len(X), side, side))
    field = kernel @ field @ kernel.T
    field *= alpha / np.abs(field).max(axis=(2, 3), keepdims=True)
    r, c = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    return warp(X, r + field[0], c + field[1])


# --8<-- [end:warp]


# --8<-- [start:augment]
def augment(
    X: np.ndarray,
    rng=None,
    max_shift: int = 1,
    max_degrees: float = 15.0,
    scale_range: tuple[float, float] = (0.9, 1.1),
    noise: float = 0.05,
) -> np.ndarray:
    """One random label-preserving variant of every image.

    A small rotation and zoom, a shift of up to max_shift pixels and a little noise.
    """
    rng = check.generator("augment", rng)
    check.whole("augment", "max_shift", max_shift, low=0)
    check.number("augment", "max_degrees", max_degrees, low=0)
    n = len(X)
    out = affine(
        X,
        degrees=rng.uniform(-max_degrees, max_degrees, n),
        scale=rng.uniform(*scale_range, n),
    )
    moves = rng.integers(-max_shift, max_shift + 1, size=(n, 2))
    for dx, dy in np.unique(moves, axis=0):
        chosen = np.all(moves == (dx, dy), axis=1)
        out[chosen] = shift(out[chosen], int(dx), int(dy))
    return add_noise(out, noise, rng) if noise else out


# --8<-- [end:augment]
