"""Data sets: scikit-learn's digits and breast cancer, and seeded synthetic sets.

The two real sets come bundled with scikit-learn (no download). Each function
returns ``(X, y)``: float rows of features and integer labels.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
from numpy.typing import DTypeLike

from handbook import validation as check


def _sklearn():
    try:
        import sklearn.datasets
    except ImportError as error:
        raise ImportError(
            "this data set comes with scikit-learn: pip install scikit-learn"
        ) from error
    return sklearn.datasets


def bundled(name: str) -> Path | None:
    """A data file that comes with scikit-learn, found without importing it.

    Importing scikit-learn (and SciPy with it) takes a second or two, longer than
    reading the file; every fresh Python that loads digits would pay it.

    Args:
        name: the file's name in scikit-learn's ``datasets/data`` folder.

    Returns:
        Its path, or None if scikit-learn or the file is not there.
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / name
    return path if path.is_file() else None


def check_set(
    name: str,
    n: int,
    noise: float = 0.0,
    classes: int = 2,
    dtype: DTypeLike = np.float64,
) -> None:
    """The arguments every synthetic set shares: at least one point per class, a
    float dtype, a noise the points hold (see ``check_noise``).

    Args:
        name: the data set, for messages.
        n: the number of points.
        noise: the standard deviation of the noise.
        classes: the number of classes.
        dtype: the float dtype of the points.

    Raises:
        TypeError: if n or classes is not a whole number, noise is not a real
            number, or dtype is not a float dtype.
        ValueError: if classes is below 2, n below classes, or noise negative or
            too large for dtype.
    """
    check.whole(name, "classes", classes, low=2)
    check.whole(name, "n", n, low=classes)
    check_noise(name, noise, check.float_dtype(name, dtype))


def check_noise(who: str, noise: float, dtype: DTypeLike = np.float64) -> float:
    """A noise level (a standard deviation) >= 0 whose draws stay finite in
    ``dtype``: at most a hundredth of its largest value, since a normal draw beyond
    100 standard deviations never happens (1e308 would give inf points).

    Args:
        who: the data set, for messages.
        noise: the standard deviation of the noise.
        dtype: the float dtype of the points.

    Returns:
        noise, as given.

    Raises:
        TypeError: if noise is not a real number.
        ValueError: if noise is negative, or above a hundredth of the largest
            value of dtype.
    """
    check.number(who, "noise", noise, low=0)
    limit = float(np.finfo(dtype).max) / 100
    if noise > limit:
        check.fail(
            who,
            "noise",
            f"<= {limit:.3g} (a hundredth of the largest {np.dtype(dtype).name}, "
            "so that the points stay finite)",
            noise,
        )
    return noise


def digits(dtype: DTypeLike = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """1,797 handwritten digits, labels 0 to 9.

    Each digit is 8x8 pixels, as 64 features scaled to [0, 1].

    Args:
        dtype: the float dtype of X.

    Returns:
        ``(X, y)``: X of shape (1797, 64), y the int64 labels, shape (1797,).

    Raises:
        TypeError: if dtype is not a float dtype.
        ImportError: if scikit-learn is not installed.
    """
    dtype = check.float_dtype("digits", dtype)
    path = bundled("digits.csv.gz")
    if path is None:
        X, y = _sklearn().load_digits(return_X_y=True)
    else:  # what load_digits reads: 64 pixels, then the label, per row
        rows = np.loadtxt(path, delimiter=",")
        X, y = rows[:, :-1], rows[:, -1]
    return (X / 16.0).astype(dtype), y.astype(np.int64)


def breast_cancer(dtype: DTypeLike = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """569 tumours, 30 raw features of very different scales.

    Label 1 = benign, 0 = malignant.

    Args:
        dtype: the float dtype of X.

    Returns:
        ``(X, y)``: X of shape (569, 30), y the int64 labels, shape (569,).

    Raises:
        TypeError: if dtype is not a float dtype.
        ImportError: if scikit-learn is not installed.
    """
    dtype = check.float_dtype("breast_cancer", dtype)
    path = bundled("breast_cancer.csv")
    if path is None:
        X, y = _sklearn().load_breast_cancer(return_X_y=True)
    else:  # load_breast_cancer's file: a header line, then 30 features, the label
        rows = np.loadtxt(path, delimiter=",", skiprows=1)
        X, y = rows[:, :-1], rows[:, -1]
    return X.astype(dtype), y.astype(np.int64)


def two_moons(
    n: int = 200,
    *,
    noise: float = 0.1,
    rng: int | np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: a boundary no straight line can draw.

    Args:
        n: the number of points, half of them per class.
        noise: the standard deviation of the Gaussian noise added to each point.
        rng: a seed or Generator.
        dtype: the float dtype of X.

    Returns:
        ``(X, y)``: X of shape (n, 2), y the labels 0 and 1, shape (n,).

    Raises:
        TypeError: if n is not a whole number, noise not a real number, rng
            neither a seed nor a Generator, or dtype not a float dtype.
        ValueError: if n is below 2, or noise negative or too large for dtype.
    """
    check_set("two_moons", n, noise, dtype=dtype)
    rng = check.generator("two_moons", rng)
    y = np.arange(n) % 2
    angle = rng.uniform(0, np.pi, n)
    X = np.column_stack([np.cos(angle), np.sin(angle)])
    X[y == 1] = np.column_stack(
        [1 - np.cos(angle[y == 1]), 0.5 - np.sin(angle[y == 1])]
    )
    X += rng.normal(0, noise, X.shape)
    return X.astype(dtype), y


def circles(
    n: int = 200,
    *,
    noise: float = 0.05,
    factor: float = 0.5,
    rng: int | np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (label 1) inside a large one (label 0).

    Args:
        n: the number of points, half of them per circle.
        noise: the standard deviation of the Gaussian noise added to each point.
        factor: the radius of the small circle (the large one's is 1), in (0, 1).
        rng: a seed or Generator.
        dtype: the float dtype of X.

    Returns:
        ``(X, y)``: X of shape (n, 2), y the labels 0 and 1, shape (n,).

    Raises:
        TypeError: if n is not a whole number, noise or factor not a real number,
            rng neither a seed nor a Generator, or dtype not a float dtype.
        ValueError: if n is below 2, noise negative or too large for dtype, or
            factor not in (0, 1).
    """
    check_set("circles", n, noise, dtype=dtype)
    check.number(
        "circles", "factor", factor, low=0, high=1, low_open=True, high_open=True
    )  # the inner circle is inside
    rng = check.generator("circles", rng)
    y = np.arange(n) % 2
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(y == 1, factor, 1.0)
    unit_circle = np.column_stack([np.cos(angle), np.sin(angle)])
    X = radius[:, None] * unit_circle + rng.normal(0, noise, (n, 2))
    return X.astype(dtype), y


def spirals(
    n: int = 300,
    *,
    classes: int = 3,
    noise: float = 0.2,
    rng: int | np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` spiral arms winding around the origin, one per class.

    Args:
        n: the number of points, shared in turn among the classes.
        classes: the number of arms.
        noise: the standard deviation of the Gaussian noise added to each angle.
        rng: a seed or Generator.
        dtype: the float dtype of X.

    Returns:
        ``(X, y)``: X of shape (n, 2), y the labels 0 to classes - 1, shape (n,).

    Raises:
        TypeError: if n or classes is not a whole number, noise not a real
            number, rng neither a seed nor a Generator, or dtype not a float
            dtype.
        ValueError: if classes is below 2, n below classes, or noise negative
            or too large for dtype.
    """
    check_set("spirals", n, noise, classes, dtype)
    rng = check.generator("spirals", rng)
    y = np.arange(n) % classes
    r = rng.uniform(0.05, 1, n)
    theta = y * 2 * np.pi / classes + 4 * r + rng.normal(0, noise, n)
    X = r[:, None] * np.column_stack([np.sin(theta), np.cos(theta)])
    return X.astype(dtype), y


def flower(
    n: int = 400,
    *,
    petals: int = 4,
    noise: float = 0.2,
    rng: int | np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    r"""The planar "flower" of the deeplearning.ai course.

    Two classes in alternating petals.

    Args:
        n: the number of points, half of them per class.
        petals: $k$ of the rose $r = 4 \sin(k \theta)$ each class traces over
            half a turn: $k$ petals per class for an even $k$ (for an odd $k$
            both classes trace the same $k$ petals).
        noise: the standard deviation of the Gaussian noise of angle and radius.
        rng: a seed or Generator.
        dtype: the float dtype of X.

    Returns:
        ``(X, y)``: X of shape (n, 2), y the labels 0 and 1, shape (n,).

    Raises:
        TypeError: if n or petals is not a whole number, noise not a real number,
            rng neither a seed nor a Generator, or dtype not a float dtype.
        ValueError: if n is below 2, petals below 1, or petals or noise so large
            that petals times an angle overflows.
    """
    check_set("flower", n, noise, dtype=dtype)
    check_petals(petals, noise)
    rng = check.generator("flower", rng)
    y = np.arange(n) % 2
    theta = np.linspace(0, np.pi, n) + rng.normal(0, noise, n) + y * np.pi
    r = 4 * np.sin(petals * theta) + rng.normal(0, noise, n)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X.astype(dtype), y


def check_petals(petals: int, noise: float) -> int:
    r"""The petal count of ``flower``, and its noise, such that petals times an
    angle is a float: the angles reach $2\pi$ plus 100 noise at most.

    Args:
        petals: $k$ of the rose $r = 4 \sin(k \theta)$.
        noise: the standard deviation of the noise, already checked.

    Returns:
        petals, as given.

    Raises:
        TypeError: if petals is not a whole number.
        ValueError: if petals is below 1, or petals or noise so large that petals
            times an angle overflows.
    """
    check.whole("flower", "petals", petals)
    largest = float(np.finfo(np.float64).max)
    if petals > largest / (20 * np.pi):
        digits = int(math.log10(petals))
        check.fail(
            "flower",
            "petals",
            f"<= {largest / (20 * np.pi):.3g} (petals times an angle must be a "
            "float)",
            str(petals) if digits < 20 else f"about 10**{digits}",
            described=True,
        )
    limit = (largest / petals - 2 * np.pi) / 100
    if noise > limit:
        check.fail(
            "flower",
            "noise",
            f"<= {limit:.3g} for {petals} petals (petals times an angle must be "
            "a float)",
            noise,
        )
    return petals


def different_scales(
    n: int = 500,
    *,
    rng: int | np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Two features, in [0, 1] and in [0, 1000], that matter equally.

    The label is 1 when $x_1 + x_2 / 1000 > 1$.

    Args:
        n: the number of points.
        rng: a seed or Generator.
        dtype: the float dtype of X.

    Returns:
        ``(X, y)``: X of shape (n, 2), y the int64 labels 0 and 1, shape (n,).

    Raises:
        TypeError: if n is not a whole number, rng neither a seed nor a
            Generator, or dtype not a float dtype.
        ValueError: if n is below 2.
    """
    check_set("different_scales", n, dtype=dtype)
    rng = check.generator("different_scales", rng)
    X = np.column_stack([rng.uniform(0, 1, n), rng.uniform(0, 1000, n)])
    y = (X[:, 0] + X[:, 1] / 1000 > 1).astype(np.int64)
    return X.astype(dtype), y


def overfitting_digits(
    n_train: int = 200,
    *,
    rng: int | np.random.Generator | None = 0,
    dtype: DTypeLike = np.float64,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The regularization chapter's shared setting on the digits.

    A small stratified training subset of the digits, which a wide network
    memorizes, and the rest as a dev set.

    Args:
        n_train: the training set's size asked for: each digit gives its share
            rounded down, so a few fewer (196 for 200).
        rng: a seed or Generator for the split.
        dtype: the float dtype of the inputs.

    Returns:
        ``(X_train, y_train), (X_dev, y_dev)``, the dev set the other digits.

    Raises:
        TypeError: if n_train is not a whole number, rng neither a seed nor a
            Generator, or dtype not a float dtype.
        ValueError: if n_train is too small for an example of every digit, or
            leaves fewer than 10 for the dev set.
        ImportError: if scikit-learn is not installed.
    """
    from handbook.data import split

    dtype = check.float_dtype("overfitting_digits", dtype)
    rng = check.generator("overfitting_digits", rng)
    X, y = digits(dtype)
    # every class needs a training example: n_train / m of its rows, rounded down
    fewest = math.ceil(len(X) / np.bincount(y).min())
    check.whole("overfitting_digits", "n_train", n_train, low=fewest)
    check.number("overfitting_digits", "n_train", n_train, high=len(X) - 10)
    share = n_train / len(X)
    return split(X, y, ratios=(1 - share, share), stratify=True, rng=rng)[::-1]


def overfitting_moons(
    n_train: int = 100,
    n_dev: int = 1000,
    *,
    noise: float = 0.3,
    rng: int | np.random.Generator | None = 0,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The regularization chapter's shared setting on the two moons.

    100 noisy two-moons points, which a wide network fits perfectly with a wiggly
    boundary, and 1,000 more from the same distribution as dev set.

    Args:
        n_train: the number of training points.
        n_dev: the number of dev points.
        noise: the standard deviation of the noise (see ``two_moons``).
        rng: a seed or Generator.

    Returns:
        ``(X_train, y_train), (X_dev, y_dev)``, float64 inputs of 2 features.

    Raises:
        TypeError: if n_train or n_dev is not a whole number, noise not a real
            number, or rng neither a seed nor a Generator.
        ValueError: if n_train or n_dev is below 2, or noise is negative or too
            large.
    """
    check.whole("overfitting_moons", "n_train", n_train, low=2)
    check.whole("overfitting_moons", "n_dev", n_dev, low=2)
    check_noise("overfitting_moons", noise)
    rng = check.generator("overfitting_moons", rng)
    X, y = two_moons(n_train + n_dev, noise=noise, rng=rng)
    return (X[:n_train], y[:n_train]), (X[n_train:], y[n_train:])
