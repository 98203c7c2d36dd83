"""Data tools: splits, mini-batches, input scaling and whitening, one-hot labels."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from handbook import validation as check


def split_ratios(ratios: Sequence[float]) -> np.ndarray:
    """The ratios of ``split``: 2 or 3 positive numbers summing to 1, as floats.

    Args:
        ratios: the shares of the train, dev (and test) sets.

    Returns:
        The ratios, a 1-D float array.

    Raises:
        TypeError: if ratios is not a sequence of real numbers.
        ValueError: if it is not 2 or 3 positive finite numbers summing to 1.
    """
    expectation = "2 or 3 positive numbers summing to 1"
    if isinstance(ratios, (str, bytes)) or not hasattr(ratios, "__len__"):
        check.fail("split", "ratios", expectation, ratios, TypeError)
    try:
        values = np.asarray(ratios)
    except ValueError:  # a ragged list
        check.fail("split", "ratios", expectation, ratios)
    if values.dtype.kind not in "biuf":
        check.fail("split", "ratios", expectation, ratios, TypeError)
    values = values.astype(float)
    if not (
        values.ndim == 1
        and len(values) in (2, 3)
        and (values > 0).all()  # False for NaN
        and np.isfinite(values).all()
        and np.isclose(values.sum(), 1)
    ):
        shown = tuple(values.tolist()) if values.ndim == 1 else ratios
        check.fail("split", "ratios", expectation, shown)
    return values


def check_split(
    X: np.typing.ArrayLike,
    y: np.typing.ArrayLike,
    ratios: Sequence[float],
    stratify: bool,
    rng: int | np.random.Generator | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.random.Generator]:
    """The arguments of ``split``: X and y as arrays of one length, the ratios as
    floats, class labels without NaN to stratify by, and the generator.

    Args:
        X: inputs, one row per example.
        y: labels, one per row of X.
        ratios: the shares of the train, dev (and test) sets.
        stratify: whether y holds classes to stratify by.
        rng: a seed or Generator.

    Returns:
        X and y as arrays, the ratios as floats, and the Generator.

    Raises:
        TypeError: if X, y or ratios hold no real numbers, stratify is not a bool,
            or rng is neither a seed nor a Generator.
        ValueError: if X and y differ in length, the ratios are not 2 or 3
            positive numbers summing to 1, or, with stratify, y is not 1-D or
            holds NaN or inf.
    """
    X, y = check.inputs_and_labels("split", X, y)
    ratios = split_ratios(ratios)
    if check.flag("split", "stratify", stratify):
        if y.ndim != 1:
            check.fail(
                "split",
                "y",
                "class labels of shape (n,) to stratify by",
                f"shape {y.shape}",
                described=True,
            )
        # NaN == NaN is False: a NaN label would be a class with no rows
        if not np.isfinite(y).all():
            bad = int(len(y) - np.count_nonzero(np.isfinite(y)))
            check.fail(
                "split",
                "y",
                "class labels without NaN or inf to stratify by",
                f"{bad} NaN or infinite labels",
                described=True,
            )
    return X, y, ratios, check.generator("split", rng)


# --8<-- [start:split]
def split(
    X: np.ndarray,
    y: np.ndarray,
    ratios: "Sequence[float]" = (0.6, 0.2, 0.2),
    *,
    stratify: bool = False,
    rng: int | np.random.Generator | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    r"""Shuffle and cut into train/dev(/test) sets by ``ratios``.

    Every set but the first gets $\lfloor \text{ratio} \cdot n \rfloor$ rows (per
    class when stratified; the product rounded to 9 decimals first, against float
    error); the first gets the rest.

    Args:
        X: inputs, one row per example.
        y: labels, one per row of X.
        ratios: the shares of the train, dev (and test) sets: 2 or 3, summing to 1.
        stratify: shuffle and cut each class alone, so that every set has its share.
        rng: a seed or Generator for the shuffle.

    Returns:
        The sets, each an ``(X, y)`` pair: train, dev, and test for 3 ratios.

    Raises:
        TypeError: if X, y or ratios hold no real numbers, or stratify is no bool.
        ValueError: if X and y differ in length, the ratios are not 2 or 3
            positive numbers summing to 1, or a set would be empty (or, with
            stratify, miss a class).
    """
    X, y, ratios, rng = check_split(X, y, ratios, stratify, rng)
    groups = (
        [np.flatnonzero(y == c) for c in np.unique(y)]
        if stratify
        else [np.arange(len(y))]
    )
    parts: list[list[np.ndarray]] = [[] for _ in ratios]
    for rows in groups:
        rows = rng.permutation(rows)
        # rounded first: 0.29 * 100 is 28.999999999999996, where 29 rows are meant
        sizes = np.floor(np.round(ratios[1:] * len(rows), 9)).astype(int)
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


def check_split_sizes(m: int, share: float, enough: int, large_share: float) -> int:
    """The arguments of ``split_sizes``; returns m as an int.

    Shares below 0.5 leave a training set; ``enough`` counts examples, so it is a
    whole number. Dev and test sets of at least one example each need
    ``share * m >= 1`` (to 9 decimals, as split_sizes rounds): fewer examples are
    refused, with the number needed, and a share too small for any array.

    Args:
        m: the number of examples.
        share: the share of m of the dev set, and of the test set, in (0, 0.5).
        enough: the size, in examples, at which dev and test sets stop growing.
        large_share: the share of m they grow with again past that, in [0, 0.5).

    Returns:
        m, as an int.

    Raises:
        TypeError: if m or enough is not a whole number, or share or large_share
            is not a real number.
        ValueError: if m or enough is below 1, share is not in (0, 0.5),
            large_share not in [0, 0.5), or m too small for a dev and a test
            example (or share too small for any m).
    """
    m = check.whole("split_sizes", "m", m)
    check.number(
        "split_sizes",
        "share",
        share,
        low=0,
        high=0.5,
        low_open=True,
        high_open=True,
    )
    check.whole("split_sizes", "enough", enough)
    check.number(
        "split_sizes", "large_share", large_share, low=0, high=0.5, high_open=True
    )

    def held_out(m: int) -> int:  # as split_sizes computes it
        return int(round(2 * min(share * m, max(enough, large_share * m)), 9))

    if held_out(m) >= 2:
        return m
    # the fewest m that gives 2, by bisection (1 / share is rounded); it only grows
    # with m, and no array holds more than check.LARGEST_WHOLE examples
    fails, gives = m, check.LARGEST_WHOLE + 1
    while gives - fails > 1:
        middle = (fails + gives) // 2
        fails, gives = (fails, middle) if held_out(middle) >= 2 else (middle, gives)
    if gives > check.LARGEST_WHOLE:
        check.fail(
            "split_sizes",
            "share",
            "large enough for a dev and a test example from at most "
            f"{check.LARGEST_WHOLE:.3g} examples",
            share,
        )
    check.fail(
        "split_sizes",
        "m",
        f">= {gives} for a dev and a test example at share={share:g}",
        m,
    )


# --8<-- [start:split-sizes]
def split_sizes(
    m: int, share: float = 0.2, enough: int = 10_000, large_share: float = 0.0025
) -> tuple[int, int, int]:
    """Train/dev/test sizes for m examples. Dev and test get ``share`` of m each
    until that reaches ``enough`` examples, keep ``enough`` until ``large_share`` of
    m is more, then grow with it; the training set gets the rest.

    The defaults give 60/20/20 up to 50,000 examples, 10,000 dev and 10,000 test
    examples up to 4,000,000 (98/1/1 at a million) and 99.5/0.25/0.25 beyond.
    No size ever shrinks when m grows, and no set is ever empty.

    Args:
        m: the number of examples.
        share: the share of m for dev, and for test, while small: in (0, 0.5).
        enough: the dev (and test) size that is enough, in examples.
        large_share: the share of m they grow with once it is more, in [0, 0.5).

    Returns:
        The sizes ``(train, dev, test)``, summing to m.

    Raises:
        TypeError: if m or enough is not a whole number, or a share no number.
        ValueError: if a share is out of range, or m too few for a dev and a test
            example.
    """
    m = check_split_sizes(m, share, enough, large_share)
    each = min(share * m, max(enough, large_share * m))
    # rounded off (2 * 0.29 * 100 is 57.99999999999999), then down once, then
    # halved: no size ever shrinks
    held_out = int(round(2 * each, 9))
    dev = held_out - held_out // 2  # an odd example goes to the dev set
    return m - held_out, dev, held_out // 2


# --8<-- [end:split-sizes]


def check_minibatches(
    X: np.typing.ArrayLike,
    y: np.typing.ArrayLike,
    batch_size: int,
    shuffle: bool,
    rng: int | np.random.Generator | None,
) -> tuple[np.ndarray, np.ndarray, np.random.Generator]:
    """The arguments of ``minibatches``: X and y as arrays of one length (see
    ``check.values``), a whole batch size, a shuffle flag, and the generator.

    Args:
        X: inputs, one row per example.
        y: labels, one per row of X.
        batch_size: the rows of a mini-batch.
        shuffle: whether the rows are shuffled.
        rng: a seed or Generator.

    Returns:
        X and y as arrays, and the Generator.

    Raises:
        TypeError: if X or y holds no real numbers, batch_size is not a whole
            number, shuffle is not a bool, or rng is neither a seed nor a
            Generator.
        ValueError: if X and y differ in length, or batch_size is below 1.
    """
    X, y = check.inputs_and_labels("minibatches", X, y)
    check.whole("minibatches", "batch_size", batch_size)
    check.flag("minibatches", "shuffle", shuffle)
    return X, y, check.generator("minibatches", rng)


# --8<-- [start:minibatches]
def minibatches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    rng: int | np.random.Generator | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    r"""Mini-batches $X^{\{t\}}, y^{\{t\}}$ of batch_size rows, covering every
    row once.

    The last mini-batch may be smaller; the arguments are checked when the first
    is drawn.

    Args:
        X: inputs, one row per example.
        y: labels, one per row of X.
        batch_size: the rows of a mini-batch.
        shuffle: shuffle the rows first (else they keep their order).
        rng: a seed or Generator for the shuffle.

    Yields:
        ``(X_t, y_t)``, rows of X and the labels of those rows.

    Raises:
        TypeError: if X or y holds no real numbers, batch_size is no whole
            number, shuffle no bool, or rng neither a seed nor a Generator.
        ValueError: if X and y differ in length, or batch_size is below 1.
    """
    X, y, rng = check_minibatches(X, y, batch_size, shuffle, rng)
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]


# --8<-- [end:minibatches]


class Fitted:
    """A scaler that refuses to transform before fit, so that dev and test data can
    only reuse training statistics.

    ``fitting(X)`` and ``fitted_input(X)`` check the array a scaler is given;
    ``output(Z, dtype)`` returns a result in the input's dtype. A scaler is
    fitted once its ``fit`` has set all its statistics (``self.fitted = True``,
    the last step of ``fit``): training data refused by ``fitting`` change
    nothing (an earlier fit stays), and a fit that fails on the way leaves the
    scaler unfitted rather than half fitted.
    """

    fitted = False
    LARGEST = 1e150  # the squares of larger values overflow float64 statistics

    def fitting(self, X: np.ndarray) -> np.ndarray:
        """The training data of ``fit``: a non-empty, finite (batch, features)
        array of values within +-1e150, as float64. Once X passes, the scaler is
        unfitted until ``fit`` ends.

        Statistics in float64: in float16 the squares of a std of 300 overflow
        (65,504 is its largest value) and an eps of 1e-8 is 0. Beyond 1e150 even
        float64 squares (a variance, a covariance) overflow.

        Args:
            X: the training data, (batch, features).

        Returns:
            X as float64.

        Raises:
            TypeError: if X holds no real numbers.
            ValueError: if X is not a non-empty 2-D array, or holds NaN, inf or a
                value beyond +-1e150.
        """
        X = check.real_array(type(self), "X", check.values(type(self), "X", X))
        if X.ndim != 2 or len(X) == 0:
            check.fail(
                type(self),
                "X",
                "a non-empty (batch, features) array",
                f"shape {X.shape}",
                described=True,
            )
        check.finite(type(self), "X", X)  # one NaN would spoil a whole column
        largest = float(np.abs(X).max())
        if largest > self.LARGEST:
            check.fail(
                type(self),
                "X",
                f"within +-{self.LARGEST:g} (the squares of larger values "
                "overflow float64 statistics; rescale X first)",
                f"a value of magnitude {largest:g}",
                described=True,
            )
        self.n_features, self.fitted = X.shape[1], False
        return X.astype(np.float64, copy=False)

    def fitted_input(self, X: np.ndarray) -> np.ndarray:
        """The input of ``transform``: after fit, finite, with the training
        features. Integers become float64; floats keep their dtype.

        Args:
            X: the data to transform, (batch, features).

        Returns:
            X as a float array.

        Raises:
            RuntimeError: if the scaler is not fitted.
            TypeError: if X holds no real numbers.
            ValueError: if X is not (batch, features) with the training set's
                features, or holds NaN or inf.
        """
        if not self.fitted:
            raise RuntimeError(
                f"{type(self).__name__}: call fit(X_train) before transform"
            )
        X = check.real_array(type(self), "X", check.values(type(self), "X", X))
        if X.ndim != 2 or X.shape[1] != self.n_features:
            check.fail(
                type(self),
                "X",
                f"of shape (batch, {self.n_features})",
                f"shape {X.shape}",
                described=True,
            )
        return check.finite(type(self), "X", X)

    def output(self, Z: np.ndarray, dtype: np.typing.DTypeLike) -> np.ndarray:
        """Z, computed in float64, in the input's ``dtype``.

        Refused if a value does not fit that dtype: a float16 input far from the
        training data can scale beyond 65,504, which would become inf.

        Args:
            Z: the transformed data, in float64.
            dtype: the float dtype of the input.

        Returns:
            Z in dtype.

        Raises:
            ValueError: if a value of Z is beyond the range of dtype.
        """
        with np.errstate(over="ignore"):
            out = Z.astype(dtype, copy=False)
        if not np.isfinite(out).all():
            bad = int(out.size - np.count_nonzero(np.isfinite(out)))
            check.fail(
                type(self),
                "X",
                f"within the range of {np.dtype(dtype).name} once transformed "
                f"(up to {np.finfo(dtype).max:g})",
                f"{bad} values beyond it",
                described=True,
            )
        return out

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """Fit to X, then transform X.

        Args:
            X: the training data, (batch, features).

        Returns:
            X transformed with its own statistics, in its dtype.

        Raises:
            TypeError: if X holds no real numbers.
            ValueError: if X is not a non-empty, finite (batch, features) array.
        """
        return self.fit(X).transform(X)


# --8<-- [start:standardizer]
class Standardizer(Fitted):
    r"""$\hat x = (x - \mu) / \sigma$, with $\mu$ and $\sigma$ of the training set,
    reused on dev and test.

    Args:
        eps: added to sigma, so that a constant feature is not divided by 0.

    Raises:
        TypeError: if eps is not a real number.
        ValueError: if eps is not positive.
    """

    def __init__(self, eps: float = 1e-8):
        self.eps = check.positive("Standardizer", "eps", eps)

    def fit(self, X: np.ndarray) -> "Standardizer":
        """Learn mu and sigma of every feature.

        Args:
            X: the training data, (batch, features).

        Returns:
            The scaler, fitted.

        Raises:
            TypeError: if X holds no real numbers.
            ValueError: if X is empty, not 2-D, or not finite (or beyond 1e150).
        """
        X = self.fitting(X)
        self.mu = X.mean(axis=0)
        self.sigma = X.std(axis=0) + self.eps  # divide by sigma, not sigma^2
        self.fitted = True
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Standardize with the training mu and sigma.

        Args:
            X: data with the training features, (batch, features).

        Returns:
            X standardized, in its float dtype (integers as float64).

        Raises:
            RuntimeError: if the scaler is not fitted.
            TypeError: if X holds no real numbers.
            ValueError: if X has other features, is not finite, or overflows.
        """
        X = self.fitted_input(X)
        return self.output((X - self.mu) / self.sigma, X.dtype)

    def inverse_transform(self, X: np.ndarray) -> np.ndarray:
        r"""Undo ``transform``: $x = \hat x\, \sigma + \mu$.

        Args:
            X: standardized data, (batch, features).

        Returns:
            X in the original units, in its float dtype (integers as float64).

        Raises:
            RuntimeError: if the scaler is not fitted.
            TypeError: if X holds no real numbers.
            ValueError: if X has other features, is not finite, or overflows.
        """
        X = self.fitted_input(X)
        return self.output(X * self.sigma + self.mu, X.dtype)


# --8<-- [end:standardizer]


# --8<-- [start:minmax]
class MinMaxScaler(Fitted):
    r"""$\hat x = (x - \min(x)) / (\max(x) - \min(x))$, mapped to feature_range,
    with the training set's min and max.

    Args:
        feature_range: ``(low, high)``, where the training min and max go.

    Raises:
        TypeError: if feature_range is not a pair of real numbers.
        ValueError: if low >= high, or high - low overflows.
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)):
        self.low, self.high = map(
            float, check.interval("MinMaxScaler", "feature_range", feature_range)
        )
        check.number(
            "MinMaxScaler", "feature_range's high - low", self.high - self.low
        )

    def fit(self, X: np.ndarray) -> "MinMaxScaler":
        """Learn min and max of every feature (a constant one gets a span of 1).

        Args:
            X: the training data, (batch, features).

        Returns:
            The scaler, fitted.

        Raises:
            TypeError: if X holds no real numbers.
            ValueError: if X is empty, not 2-D, or not finite (or beyond 1e150).
        """
        X = self.fitting(X)
        self.min, top = X.min(axis=0), X.max(axis=0)
        span = top - self.min
        self.span = np.where(span > 0, span, 1)  # a constant feature keeps span 1
        self.fitted = True
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Map the training min and max to feature_range.

        Args:
            X: data with the training features, (batch, features).

        Returns:
            X scaled, in its float dtype (integers as float64); dev and test
            values can fall outside feature_range.

        Raises:
            RuntimeError: if the scaler is not fitted.
            TypeError: if X holds no real numbers.
            ValueError: if X has other features, is not finite, or overflows.
        """
        X = self.fitted_input(X)
        scaled = self.low + (X - self.min) / self.span * (self.high - self.low)
        return self.output(scaled, X.dtype)

    def inverse_transform(self, X: np.ndarray) -> np.ndarray:
        """Undo ``transform``.

        Args:
            X: scaled data, (batch, features).

        Returns:
            X in the original units, in its float dtype (integers as float64).

        Raises:
            RuntimeError: if the scaler is not fitted.
            TypeError: if X holds no real numbers.
            ValueError: if X has other features, is not finite, or overflows.
        """
        X = self.fitted_input(X)
        original = self.min + (X - self.low) / (self.high - self.low) * self.span
        return self.output(original, X.dtype)


# --8<-- [end:minmax]


# --8<-- [start:whitener]
class Whitener(Fitted):
    """PCA whitening rotates onto the covariance's eigenvectors and scales each to
    unit variance; ZCA rotates back, giving the whitened data closest to the
    original.

    Args:
        method: ``"pca"`` or ``"zca"``.
        eps: added to every eigenvalue before its square root divides.

    Raises:
        TypeError: if eps is not a real number.
        ValueError: if method is neither, or eps is negative.
    """

    def __init__(self, method: str = "pca", eps: float = 1e-5):
        self.method = check.choice("Whitener", "method", method, ("pca", "zca"))
        self.eps = check.non_negative("Whitener", "eps", eps)  # 0: exact whitening

    def fit(self, X: np.ndarray) -> "Whitener":
        """Learn the mean and the whitening matrix W.

        Args:
            X: the training data, (batch, features).

        Returns:
            The whitener, fitted.

        Raises:
            TypeError: if X holds no real numbers.
            ValueError: if X is empty, not 2-D, or not finite (or beyond 1e150),
                or if eps is 0 and X has a direction of zero variance.
        """
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
        self.fitted = True
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Whiten with the training mean and W.

        Args:
            X: data with the training features, (batch, features).

        Returns:
            X whitened, in its float dtype (integers as float64).

        Raises:
            RuntimeError: if the whitener is not fitted.
            TypeError: if X holds no real numbers.
            ValueError: if X has other features, is not finite, or overflows.
        """
        X = self.fitted_input(X)
        return self.output((X - self.mu) @ self.W, X.dtype)


# --8<-- [end:whitener]


def check_one_hot(
    y: np.typing.ArrayLike, K: int | None, dtype: np.typing.DTypeLike
) -> tuple[np.ndarray, int]:
    """The arguments of ``one_hot``: labels as a 1-D integer array, K (the largest
    label + 1 by default), a dtype of real numbers; returns y and K.

    Args:
        y: integer labels >= 0, shape (n,).
        K: the number of classes, or None for the largest label + 1.
        dtype: the dtype of the one-hot rows.

    Returns:
        y as an array, and K.

    Raises:
        TypeError: if K is not a whole number, or dtype no dtype of real numbers.
        ValueError: if y is not 1-D integers >= 0, K is not above every label, or
            K is None for an empty y.
    """
    try:
        y = np.asarray(y)
    except ValueError:  # a ragged list
        check.fail("one_hot", "y", "a 1-D array of integer labels >= 0", y)
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
    expectation = "a dtype of real numbers (np.float64, np.float32, np.int8)"
    try:
        kind = np.dtype(dtype).kind
    except TypeError:
        check.fail("one_hot", "dtype", expectation, dtype, TypeError)
    if kind not in "biuf":
        check.fail("one_hot", "dtype", expectation, dtype, TypeError)
    return y, K


# --8<-- [start:one-hot]
def one_hot(
    y: np.ndarray, K: int | None = None, dtype: np.typing.DTypeLike = np.float64
) -> np.ndarray:
    """Integer labels 0..K-1 to rows with a single 1.

    Args:
        y: integer labels 0..K-1, shape (n,).
        K: the number of classes; None for the largest label + 1.
        dtype: the dtype of the rows.

    Returns:
        Y, of shape (n, K): row i holds a 1 in column y[i], 0 elsewhere.

    Raises:
        TypeError: if K is not a whole number, or dtype no dtype of real numbers.
        ValueError: if y is not 1-D integers >= 0, or K is not above every label.
    """
    y, K = check_one_hot(y, K, dtype)
    Y = np.zeros((len(y), K), dtype=dtype)
    Y[np.arange(len(y)), y] = 1
    return Y


# --8<-- [end:one-hot]


# Data augmentation for square grey-level images stored as rows
# (the digits: 8 x 8 = 64 features).


def as_images(
    who: str, X: np.typing.ArrayLike
) -> tuple[np.ndarray, np.ndarray, int]:
    """Rows of side * side pixels: the rows as a finite float array, the images
    (n, side, side) and the side. ``who`` names the augmentation in messages.

    Integer and boolean pixels become float64, lists of rows are converted.

    Args:
        who: the augmentation, for messages.
        X: images as rows, (n, side * side).

    Returns:
        X as a float array, the images (a view of shape (n, side, side)) and side.

    Raises:
        TypeError: if X holds no real numbers.
        ValueError: if X is not rows of square images, or holds NaN or inf.
    """
    X = check.real_array(who, "X", check.values(who, "X", X))
    side = round(np.sqrt(X.shape[1])) if X.ndim == 2 else 0
    if X.ndim != 2 or side == 0 or side * side != X.shape[1]:
        check.fail(
            who,
            "X",
            "rows of square images (n, side * side)",
            f"shape {X.shape}",
            described=True,
        )
    check.finite(who, "X", X)  # one NaN pixel would spread through a warp
    return X, X.reshape(len(X), side, side), side


def check_shift(dx: int, dy: int, side: int) -> tuple[int, int]:
    """The moves of ``shift``: whole numbers of pixels, less than the side either
    way (a move of the whole side or more would leave nothing of the image).

    Args:
        dx: the move to the right, in pixels.
        dy: the move down, in pixels.
        side: the side of the images, in pixels.

    Returns:
        dx and dy, as ints.

    Raises:
        TypeError: if dx or dy is not a whole number.
        ValueError: if dx or dy is side or more either way.
    """
    moves = []
    for name, move in (("dx", dx), ("dy", dy)):
        move = check.whole("shift", name, move, low=1 - side)
        if move >= side:
            check.fail(
                "shift", name, f"<= {side - 1} for images of side {side}", move
            )
        moves.append(move)
    return moves[0], moves[1]


def within(
    who: str, pixels: np.ndarray, low: float, high: float, expectation: str
) -> None:
    """Refuse float images X (``pixels``) with values outside [low, high]: clipping
    the noisy pixels into the range would change the images themselves (pixels of
    0..255 clipped to [0, 1] all become 1), not only the noise. What rounding leaves
    beyond an end, a few units of the float precision (a warp of pixels of 1 gives
    1.0000000000000002), is let through: the clip takes it back. ``expectation``
    says what X must be, for the message.

    Args:
        who: the caller, for the message.
        pixels: the images X, a float array.
        low: the lowest valid pixel value.
        high: the highest valid pixel value.
        expectation: what X must be, for the message.

    Raises:
        ValueError: if a pixel is beyond [low, high] by more than rounding.
    """
    slack = 4 * float(np.finfo(pixels.dtype).eps) * max(abs(low), abs(high))
    if np.any((pixels < low - slack) | (pixels > high + slack)):
        check.fail(
            who,
            "X",
            expectation,
            f"values from {pixels.min():g} to {pixels.max():g}",
            described=True,
        )


def check_add_noise(
    X: np.typing.ArrayLike,
    std: float,
    rng: int | np.random.Generator | None,
    low: float,
    high: float,
) -> tuple[np.ndarray, np.random.Generator]:
    """The arguments of ``add_noise``: X as finite real numbers (integer pixels
    become float64, which keeps the noise) within [low, high], std >= 0,
    low < high; the generator.

    Args:
        X: the pixels.
        std: the standard deviation of the noise.
        rng: a seed or Generator.
        low: the lowest valid pixel value.
        high: the highest valid pixel value.

    Returns:
        X as a float array, and the Generator.

    Raises:
        TypeError: if X holds no real numbers, std, low or high is not a real
            number, or rng is neither a seed nor a Generator.
        ValueError: if std is negative, high is not above low, or X is not
            finite or not within [low, high].
    """
    check.non_negative("add_noise", "std", std)
    low = check.number("add_noise", "low", low)
    high = check.number("add_noise", "high", high, low=low, low_open=True)
    X = check.real_array("add_noise", "X", check.values("add_noise", "X", X))
    check.finite("add_noise", "X", X)
    within(
        "add_noise",
        X,
        low,
        high,
        f"within [low, high] = [{low:g}, {high:g}], the range the noisy pixels are "
        "clipped to (pass the images' own range as low and high)",
    )
    return X, check.generator("add_noise", rng)


# --8<-- [start:flip-shift]
def flip(X: np.ndarray, horizontal: bool = True) -> np.ndarray:
    """Mirror every image left-right (or top-bottom).

    Only for labels that survive it.

    Args:
        X: images as rows, (n, side * side).
        horizontal: left-right if True, top-bottom if False.

    Returns:
        The mirrored images, as rows of X's shape.

    Raises:
        TypeError: if X holds no real numbers, or horizontal is not a bool.
        ValueError: if X is not rows of square images, or holds NaN or inf.
    """
    X, images, _ = as_images("flip", X)
    check.flag("flip", "horizontal", horizontal)
    mirrored = images[:, :, ::-1] if horizontal else images[:, ::-1, :]
    return mirrored.reshape(X.shape)


def shift(X: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """Move every image dx pixels right and dy pixels down, filling with zeros.

    Args:
        X: images as rows, (n, side * side).
        dx: pixels to the right (negative: to the left).
        dy: pixels down (negative: up).

    Returns:
        The moved images, as rows of X's shape.

    Raises:
        TypeError: if X holds no real numbers, or dx or dy is no whole number.
        ValueError: if X is not rows of square images, or not finite, or a move
            is side or more.
    """
    X, images, side = as_images("shift", X)
    dx, dy = check_shift(dx, dy, side)
    out = np.zeros_like(images)
    src_r = slice(max(-dy, 0), side - max(dy, 0))
    dst_r = slice(max(dy, 0), side - max(-dy, 0))
    src_c = slice(max(-dx, 0), side - max(dx, 0))
    dst_c = slice(max(dx, 0), side - max(-dx, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out.reshape(X.shape)


def add_noise(
    X: np.ndarray,
    std: float,
    rng: int | np.random.Generator | None = None,
    low: float = 0.0,
    high: float = 1.0,
) -> np.ndarray:
    """Add Gaussian noise to every pixel, clipped to the valid range.

    Args:
        X: the pixels, in [low, high].
        std: the standard deviation of the noise.
        rng: a seed or Generator.
        low: the lowest valid pixel value.
        high: the highest valid pixel value.

    Returns:
        The noisy pixels in [low, high], in X's float dtype (integers as float64).

    Raises:
        TypeError: if X holds no real numbers, or std, low or high no number.
        ValueError: if std < 0, high <= low, or X is not finite in [low, high].
    """
    X, rng = check_add_noise(X, std, rng, low, high)
    noise = rng.normal(0, std, X.shape)
    return np.clip(X + noise, low, high).astype(X.dtype)


# --8<-- [end:flip-shift]


def per_image(
    who: str, argument: str, value: float | np.typing.ArrayLike, n: int
) -> np.ndarray:
    """A finite number, or one per image, as an array of n float64 values.

    Args:
        who: the caller, for messages.
        argument: the name of value, for messages.
        value: a number, or n of them.
        n: the number of images.

    Returns:
        n float64 values (a read-only broadcast of a single number).

    Raises:
        TypeError: if value holds no real numbers.
        ValueError: if value is neither a number nor n of them, or not finite.
    """
    expectation = f"a number or one per image ({n})"
    try:
        values = np.asarray(value)
    except ValueError:  # a ragged list
        check.fail(who, argument, expectation, value)
    if values.dtype.kind not in "biuf":
        check.fail(who, argument, expectation, value, TypeError)
    if values.shape not in ((), (n,)):
        check.fail(
            who, argument, expectation, f"shape {values.shape}", described=True
        )
    check.finite(who, argument, values)
    return np.broadcast_to(values.astype(np.float64), n)


def check_affine(
    degrees: float | np.ndarray, scale: float | np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The angles and zooms of ``affine``, one per image.

    Zooms of at least 1e-100: dividing the coordinates by 1e-308 overflows.

    Args:
        degrees: the angle, or one per image.
        scale: the zoom, or one per image.
        n: the number of images.

    Returns:
        The n angles and the n zooms, as float64.

    Raises:
        TypeError: if degrees or scale holds no real numbers.
        ValueError: if either is neither a number nor n of them, or not finite,
            or a zoom is below 1e-100.
    """
    degrees = per_image("affine", "degrees", degrees, n)
    zoom = per_image("affine", "scale", scale, n)
    if not np.all(zoom > 0):
        check.fail("affine", "scale", "> 0 for every image", scale)
    if not np.all(zoom >= 1e-100):
        check.fail("affine", "scale", "at least 1e-100 for every image", scale)
    return degrees, zoom


def check_elastic(
    alpha: float, sigma: float, rng: int | np.random.Generator | None
) -> np.random.Generator:
    """The arguments of ``elastic``: a displacement alpha >= 0 and a width sigma
    whose square is a float neither 0 nor inf; returns the generator.

    Args:
        alpha: the largest displacement, in pixels.
        sigma: the width of the smoothing, in pixels.
        rng: a seed or Generator.

    Returns:
        The Generator.

    Raises:
        TypeError: if alpha or sigma is not a real number, or rng is neither a
            seed nor a Generator.
        ValueError: if alpha is negative, or sigma not in [1e-150, 1e150].
    """
    check.non_negative("elastic", "alpha", alpha)
    check.positive("elastic", "sigma", sigma)
    check.number("elastic", "sigma", sigma, low=1e-150, high=1e150)
    return check.generator("elastic", rng)


def check_warp(
    rows: np.typing.ArrayLike, cols: np.typing.ArrayLike, shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """The source coordinates of ``warp``: real arrays of the images' shape, without
    NaN. Coordinates beyond the image move to its border ring (-1 or side), where
    the interpolation gives 0 as well, so that inf or 1e300 casts to no integer.

    Args:
        rows: the source row of every output pixel.
        cols: the source column of every output pixel.
        shape: the shape of the images, (n, side, side).

    Returns:
        rows and cols as float arrays, clipped to [-1, side].

    Raises:
        TypeError: if rows or cols holds no real numbers.
        ValueError: if rows or cols is not of shape, or holds NaN.
    """
    side = shape[-1]
    checked = []
    for name, value in (("rows", rows), ("cols", cols)):
        value = check.real_array("warp", name, check.values("warp", name, value))
        if value.shape != shape:
            check.fail(
                "warp",
                name,
                f"of the images' shape {shape}",
                f"shape {value.shape}",
                described=True,
            )
        if np.isnan(value).any():
            check.fail("warp", name, "without NaN", value)
        checked.append(np.clip(value, -1, side))
    return checked[0], checked[1]


# --8<-- [start:warp]
def warp(X: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Resample each image at source coordinates by bilinear interpolation.

    Outside the image is 0.

    Args:
        X: images as rows, (n, side * side).
        rows: the source row of every output pixel, (n, side, side).
        cols: the source column of every output pixel, (n, side, side).

    Returns:
        The resampled images, as rows of X's shape, in its float dtype.

    Raises:
        TypeError: if X, rows or cols holds no real numbers.
        ValueError: if X is not rows of square images or not finite, or rows or
            cols is not (n, side, side) or holds NaN.
    """
    X, images, side = as_images("warp", X)
    rows, cols = check_warp(rows, cols, images.shape)
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


def affine(
    X: np.ndarray,
    degrees: float | np.ndarray = 0.0,
    scale: float | np.ndarray = 1.0,
) -> np.ndarray:
    """Rotate by `degrees` and zoom by `scale` about the image centre.

    Args:
        X: images as rows, (n, side * side).
        degrees: the angle of rotation, or an array of one per image.
        scale: the zoom (above 1 enlarges), or an array of one per image.

    Returns:
        The images, as rows of X's shape, in its float dtype.

    Raises:
        TypeError: if X, degrees or scale holds no real numbers.
        ValueError: if X is not rows of square images or not finite, degrees or
            scale is neither a number nor one per image, or a zoom is not > 0.
    """
    X, _, side = as_images("affine", X)
    degrees, scale = check_affine(degrees, scale, len(X))
    angle = np.deg2rad(degrees)[:, None, None]
    zoom = scale[:, None, None]
    centre = (side - 1) / 2
    positions = np.arange(side) - centre
    r, c = np.meshgrid(positions, positions, indexing="ij")
    # the inverse map: output -> source
    rows = (np.cos(angle) * r - np.sin(angle) * c) / zoom + centre
    cols = (np.sin(angle) * r + np.cos(angle) * c) / zoom + centre
    return warp(X, rows, cols)


def elastic(
    X: np.ndarray,
    alpha: float = 1.0,
    sigma: float = 1.5,
    rng: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Simard et al. (2003): displace every pixel by a smooth random field.

    The field is random noise smoothed with a Gaussian of width sigma.

    Args:
        X: images as rows, (n, side * side).
        alpha: the largest displacement, in pixels.
        sigma: the width of the Gaussian, in pixels.
        rng: a seed or Generator.

    Returns:
        The deformed images, as rows of X's shape, in its float dtype.

    Raises:
        TypeError: if X holds no real numbers, alpha or sigma no number, or rng
            is neither a seed nor a Generator.
        ValueError: if X is not rows of square images or not finite, alpha < 0,
            or sigma not in [1e-150, 1e150].
    """
    X, _, side = as_images("elastic", X)
    rng = check_elastic(alpha, sigma, rng)
    offsets = np.arange(side) - np.arange(side)[:, None]
    # smoothing along one axis, applied to both
    kernel = np.exp(-(offsets**2) / (2 * sigma**2))
    field = rng.uniform(-1, 1, size=(2, len(X), side, side))
    field = kernel @ field @ kernel.T
    field /= np.abs(field).max(axis=(2, 3), keepdims=True)  # at most 1
    field *= alpha
    r, c = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    return warp(X, r + field[0], c + field[1])


# --8<-- [end:warp]


def check_augment(
    X: np.typing.ArrayLike,
    rng: int | np.random.Generator | None,
    max_shift: int,
    max_degrees: float,
    scale_range: tuple[float, float],
    noise: float,
) -> tuple[np.ndarray, np.random.Generator]:
    """The arguments of ``augment``, each checked under its own name before any
    image is moved, and with noise, pixels in [0, 1] (see ``within``); returns X
    (as in ``as_images``) and the generator.

    Args:
        X: images as rows, (n, side * side).
        rng: a seed or Generator.
        max_shift: the largest shift, in pixels.
        max_degrees: the largest angle of rotation.
        scale_range: ``(low, high)``, the range of the zoom.
        noise: the standard deviation of the noise; 0 for none.

    Returns:
        X as a float array, and the Generator.

    Raises:
        TypeError: if X holds no real numbers, rng is neither a seed nor a
            Generator, max_shift is not a whole number, or max_degrees,
            scale_range or noise holds no real numbers.
        ValueError: if X is not rows of square images or not finite, max_shift
            is negative or side or more, max_degrees not in [0, 180],
            scale_range not a pair 0 < low < high (low at least 1e-100), noise
            negative, or with noise, a pixel is outside [0, 1].
    """
    X, _, side = as_images("augment", X)
    rng = check.generator("augment", rng)
    check.whole("augment", "max_shift", max_shift, low=0)
    if max_shift >= side:
        check.fail(
            "augment",
            "max_shift",
            f"<= {side - 1} for images of side {side}",
            max_shift,
        )
    check.number("augment", "max_degrees", max_degrees, low=0, high=180)
    low, _ = check.interval("augment", "scale_range", scale_range)
    if not low >= 1e-100:  # as in affine
        check.fail(
            "augment",
            "scale_range",
            "a pair of zooms > 0 (at least 1e-100)",
            tuple(scale_range),
        )
    if check.non_negative("augment", "noise", noise):
        within(
            "augment",
            X,
            0.0,
            1.0,
            "pixels in [0, 1], the range the noise step clips to (scale the images "
            "to [0, 1], or pass noise=0)",
        )
    return X, rng


# --8<-- [start:augment]
def augment(
    X: np.ndarray,
    rng: int | np.random.Generator | None = None,
    max_shift: int = 1,
    max_degrees: float = 15.0,
    scale_range: tuple[float, float] = (0.9, 1.1),
    noise: float = 0.05,
) -> np.ndarray:
    """One random label-preserving variant of every image.

    A small rotation and zoom, a shift of up to max_shift pixels and a little noise.

    Args:
        X: images as rows, (n, side * side), pixels in [0, 1] when noise > 0.
        rng: a seed or Generator.
        max_shift: the largest shift either way, in pixels.
        max_degrees: the largest rotation either way, in degrees.
        scale_range: ``(low, high)``, where the zoom is drawn uniformly.
        noise: the standard deviation of the pixel noise; 0 for none.

    Returns:
        One variant of every image, as rows of X's shape, in its float dtype.

    Raises:
        TypeError: if X or a number holds no real numbers, max_shift is not a
            whole number, or rng is neither a seed nor a Generator.
        ValueError: if a number is out of range, or X is not rows of square
            images (with pixels in [0, 1] when noise > 0).
    """
    X, rng = check_augment(X, rng, max_shift, max_degrees, scale_range, noise)
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


# --8<-- [start:duplicates]
def duplicates(
    A: np.ndarray, B: np.ndarray | None = None, tolerance: float = 0.0
) -> np.ndarray:
    r"""Pairs of rows closer than ``tolerance``: duplicates, or near duplicates,
    between two sets (train and test) or within one.

    Two rows $a$ and $b$ pair when $\lVert a - b \rVert \le$ tolerance; 0 finds
    exact copies only. The distances come from
    $\lVert a \rVert^2 + \lVert b \rVert^2 - 2\, a \cdot b$, a block of rows of A
    at a time, and every candidate pair is measured again directly, so that
    rounding in that sum neither adds nor drops a pair.

    Args:
        A: the rows to look for, (examples, features).
        B: the rows to look in, with A's features; None: A's own other rows.
        tolerance: the largest distance of a pair, >= 0.

    Returns:
        An (n, 2) integer array: row i of A and row j of B (or of A, with i < j)
        for each pair, ordered by i then j.

    Raises:
        TypeError: if A or B holds no real numbers, or tolerance is not a number.
        ValueError: if A or B is not a finite (examples, features) array with a
            row, B has other features than A, or tolerance is negative.
    """
    A = check.batch("duplicates", "A", A)
    within = B is None
    B = A if within else check.batch("duplicates", "B", B)
    if B.shape[1] != A.shape[1]:
        check.fail(
            "duplicates",
            "B",
            f"of {A.shape[1]} features like A",
            f"{B.shape[1]} features",
            described=True,
        )
    tolerance = check.non_negative("duplicates", "tolerance", tolerance)
    A64 = A.astype(np.float64, copy=False)
    B64 = B.astype(np.float64, copy=False)
    b_squared = np.einsum("ij,ij->i", B64, B64)
    pairs = []
    for start in range(0, len(A64), 1024):
        block = A64[start : start + 1024]
        a_squared = np.einsum("ij,ij->i", block, block)
        d_squared = a_squared[:, None] + b_squared[None, :] - 2 * block @ B64.T
        slack = 1e-9 * (a_squared[:, None] + b_squared[None, :])  # rounding
        rows, cols = np.nonzero(d_squared <= tolerance**2 + slack)
        rows += start
        if within:
            rows, cols = rows[rows < cols], cols[rows < cols]
        close = np.linalg.norm(A64[rows] - B64[cols], axis=1) <= tolerance
        pairs.append(np.stack([rows[close], cols[close]], axis=1))
    return np.concatenate(pairs).astype(np.int64)


# --8<-- [end:duplicates]
