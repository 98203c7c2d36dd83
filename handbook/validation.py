"""Argument checks shared by the whole package, with one message format.

A mistake should be reported where it is made, in the package's words, not as
NumPy's broadcasting error three calls later or as a NaN ten epochs later. Every
check here raises with the message

    "<who>: <argument> must be <expectation>, got <value>"

where ``who`` is the class or function the reader called (``"Adam"``, ``"hb.fit"``,
or a layer, shown by its ``repr``). ``ValueError`` is raised for a wrong value,
``TypeError`` for a wrong kind of object. Each check returns the checked value, so a
constructor reads ``self.lr = positive("Adam", "lr", lr)``.
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import Any, NoReturn

import numpy as np


def name_of(who: Any) -> str:
    """How a message names the caller.

    A string as is, a class by its name, any other object by its repr.
    """
    if isinstance(who, str):
        return who
    if isinstance(who, type):
        return who.__name__
    try:
        return repr(who)
    except AttributeError:
        # an object whose __init__ has not set what its repr shows yet
        return type(who).__name__


def shown_value(value: Any) -> str:
    """How a message shows a value: by its repr, but a function or class by its
    name (its repr holds a memory address that changes from run to run)."""
    if callable(value) and hasattr(value, "__qualname__"):
        kind = "the class" if isinstance(value, type) else "the function"
        return f"{kind} {value.__qualname__}"
    if isinstance(value, numbers.Integral) and abs(value) > 10**100:
        # repr would run to thousands of digits, or refuse
        return f"about 10**{int(int(value).bit_length() * math.log10(2))}"
    return repr(value)


def fail(
    who: Any,
    argument: str,
    expectation: str,
    value: Any,
    error: type[Exception] = ValueError,
    *,
    described: bool = False,
) -> NoReturn:
    """Raise ``error`` with the package's message format.

    ``value`` is shown by its repr (a large array by its shape), or as it is when
    ``described`` (a description such as "shape (2, 3)").
    """
    large = isinstance(value, np.ndarray) and value.size > 8
    if described:
        shown = value
    elif large:
        shown = f"an array of shape {value.shape}"
    else:
        shown = shown_value(value)
    raise error(f"{name_of(who)}: {argument} must be {expectation}, got {shown}")


def number(
    who: Any,
    argument: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real number in the given range.

    ``low_open`` excludes ``low`` itself, ``high_open`` excludes ``high``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        fail(who, argument, "a real number", value, TypeError)
    if isinstance(value, numbers.Integral):
        if abs(value) > sys.float_info.max:  # beyond every float
            fail(who, argument, "finite (at most 1.8e308 in size)", value)
    else:
        # a Python float: NumPy scalars (np.float16(0.1) is 0.0999755859375) and
        # fractions compute as the float they are, a long double beyond it is inf
        given, value = value, float(value)
        if not np.isfinite(value):
            fail(who, argument, "finite", given)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if below or above:
        left = "" if low is None else ("(" if low_open else "[") + f"{low:g}"
        right = "" if high is None else f"{high:g}" + (")" if high_open else "]")
        if low is not None and high is not None:
            expectation = f"in {left}, {right}"
        elif low is not None:
            expectation = f"{'>' if low_open else '>='} {low:g}"
        else:
            expectation = f"{'<' if high_open else '<='} {high:g}"
        fail(who, argument, expectation, value)
    return value


def positive(who: Any, argument: str, value: Any) -> float:
    """A finite number above 0: a learning rate, an epsilon, a scale."""
    return number(who, argument, value, low=0, low_open=True)


def non_negative(who: Any, argument: str, value: Any) -> float:
    """A finite number of at least 0: a penalty strength, a floor."""
    return number(who, argument, value, low=0)


def fraction(
    who: Any, argument: str, value: Any, *, zero: bool = True, one: bool = False
) -> float:
    """A number between 0 and 1: a decay rate, a keep probability.

    ``zero`` and ``one`` say whether each end is allowed.
    """
    return number(
        who, argument, value, low=0, high=1, low_open=not zero, high_open=not one
    )


def whole(who: Any, argument: str, value: Any, *, low: int = 1) -> int:
    """A whole number of at least ``low``: a size, a count of epochs.

    Not a float, not a bool.
    """
    is_bool = isinstance(value, (bool, np.bool_))
    if is_bool or not isinstance(value, numbers.Integral):
        fail(who, argument, f"a whole number >= {low}", value, TypeError)
    if value < low:
        fail(who, argument, f">= {low}", value)
    if value > LARGEST_WHOLE:  # no array has more entries, and NumPy would say less
        fail(who, argument, f"at most {LARGEST_WHOLE:.3g} (2**63 - 1)", value)
    return int(value)


LARGEST_WHOLE = 2**63 - 1


def float_dtype(who: Any, dtype: Any) -> np.dtype:
    """A floating-point dtype (float16, float32, float64): weights of another
    dtype would be rounded to nothing (He weights as integers are all 0)."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        fail(
            who, "dtype", "a float dtype (np.float32, np.float64)", dtype, TypeError
        )
    if not np.issubdtype(dtype, np.floating):
        fail(
            who,
            "dtype",
            "a float dtype (np.float32, np.float64)",
            dtype.name,
            TypeError,
            described=True,
        )
    return dtype.newbyteorder("=")


def generator(who: Any, rng: Any) -> np.random.Generator:
    """A ``numpy.random.Generator`` as given, or a new one from a seed.

    A seed is what ``numpy.random.default_rng`` takes: a whole number >= 0, a list
    of them (``[seed, epoch]``), a ``SeedSequence``, or None for fresh entropy.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    expectation = "a seed (whole numbers >= 0), None or a numpy.random.Generator"
    if isinstance(rng, (bool, np.bool_, str, float)):
        fail(who, "rng", expectation, rng, TypeError)
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError):
        fail(who, "rng", expectation, rng, TypeError)


def real_array(
    who: Any, argument: str, value: Any, *, ndim: int | None = None
) -> np.ndarray:
    """An array of real numbers (lists are converted).

    Integers and booleans become float64; floats keep their dtype. Nested lists
    with rows of unequal lengths are refused here, where NumPy would raise its own
    "inhomogeneous shape" error.
    """
    array = real_numbers(who, argument, value)
    if ndim is not None and array.ndim != ndim:
        fail(
            who,
            argument,
            f"{ndim}-dimensional",
            f"shape {array.shape}",
            described=True,
        )
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def real_numbers(who: Any, argument: str, value: Any) -> np.ndarray:
    """``as_array(value)``, if it holds real numbers (booleans, integers or
    floats), in the dtype it has."""
    array = as_array(who, argument, value)
    if array.dtype.kind not in "biuf":
        fail(
            who,
            argument,
            "an array of real numbers",
            f"dtype {array.dtype}",
            TypeError,
            described=True,
        )
    return array


def batch(
    who: Any, argument: str, X: Any, *, finite_only: bool = True
) -> np.ndarray:
    """X as a (batch, features) array of real numbers with at least one row (see
    ``real_array``), finite everywhere unless ``finite_only`` is False."""
    X = real_array(who, argument, X)
    if X.ndim != 2 or len(X) == 0:
        fail(
            who,
            argument,
            "a (batch, features) array with at least one row",
            f"shape {X.shape}",
            described=True,
        )
    return finite(who, argument, X) if finite_only else X


def as_array(who: Any, argument: str, value: Any) -> np.ndarray:
    """``np.asarray(value)``, refusing nested lists with rows of unequal lengths
    here, where NumPy would raise its own "inhomogeneous shape" error, and masked
    arrays, whose mask every computation here would drop without a word."""
    if isinstance(value, np.ma.MaskedArray):
        fail(
            who,
            argument,
            "a plain array (fill or drop the masked values first, e.g. X.filled())",
            "a masked array",
            TypeError,
            described=True,
        )
    try:
        array = np.asarray(value)
    except ValueError:
        fail(
            who,
            argument,
            "an array (nested lists with rows of one length)",
            "rows of unequal lengths",
            described=True,
        )
    if not array.dtype.isnative:  # big-endian data read from a file: same numbers
        array = array.astype(array.dtype.newbyteorder("="))
    return array


def finite(who: Any, argument: str, array: np.ndarray) -> np.ndarray:
    """The array, if every value is finite."""
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        fail(
            who,
            argument,
            "finite everywhere",
            f"{bad} NaN or infinite values",
            described=True,
        )
    return array


def same_rows(who: Any, X: Any, y: Any) -> None:
    """Inputs and labels with one row per example each."""
    if len(X) != len(y):
        fail(
            who,
            "X and y",
            "of the same length (one label per row)",
            f"{len(X)} and {len(y)} rows",
            described=True,
        )


def flag(who: Any, argument: str, value: Any) -> bool:
    """True or False, nothing else: a string such as ``"no"`` is truthy and would
    turn an option on."""
    if not isinstance(value, (bool, np.bool_)):
        fail(who, argument, "True or False", value, TypeError)
    return bool(value)


def choice(who: Any, argument: str, value: Any, options) -> Any:
    """One of ``options`` (names of schedules, initializers, keys)."""
    options = list(options)
    try:
        known = value in options
    except TypeError:  # an unhashable value looked up in a dict's keys
        known = False
    if not known:
        fail(who, argument, f"one of {options}", value)
    return value


def function(who: Any, argument: str, value: Any, example: str) -> Any:
    """Something to call, such as ``f(x)``; ``example`` shows what fits, for the
    message (``"lambda x: model.predict(x)"``)."""
    if not callable(value):
        fail(
            who,
            argument,
            f"a function ({example})",
            f"{type(value).__name__} {value!r}",
            TypeError,
            described=True,
        )
    return value


def instance(who: Any, argument: str, value: Any, methods, example: str) -> Any:
    """An object (not a class) with the ``methods`` the caller will call;
    ``example`` shows one, for the message (``"hb.SoftmaxCrossEntropy()"``)."""
    if isinstance(value, type):
        fail(
            who,
            argument,
            f"an instance, such as {example}",
            f"the class {value.__name__}",
            TypeError,
            described=True,
        )
    missing = [m for m in methods if not callable(getattr(value, m, None))]
    if missing:
        fail(
            who,
            argument,
            f"an object with {', '.join(methods)}, such as {example}",
            f"{type(value).__name__} {value!r}",
            TypeError,
            described=True,
        )
    return value


def interval(
    who: Any, argument: str, value: Any, *, low: float | None = None
) -> tuple[float, float]:
    """A pair (a, b) of finite numbers with a < b, both >= ``low`` if given: a
    range to sample from or to draw."""
    if (
        isinstance(value, (str, bytes))
        or not hasattr(value, "__len__")
        or np.ndim(value) == 0
    ):
        fail(who, argument, "a pair (low, high)", value, TypeError)
    if len(value) != 2:
        fail(who, argument, "a pair (low, high)", value)
    a, b = (number(who, argument, v, low=low) for v in value)
    if not a < b:
        fail(who, argument, "a pair (low, high) with low < high", tuple(value))
    return a, b


def epsilon(who: Any, eps: Any, dtypes) -> float:
    """The small constant that keeps a division finite: positive, and still
    positive in each of ``dtypes`` (1e-8 is 0 in float16, and 0 / (0 + 0) is NaN).
    """
    eps = positive(who, "eps", eps)
    for dtype in dtypes:
        dtype = np.dtype(dtype)
        if dtype.type(eps) == 0:
            tiny = np.finfo(dtype).smallest_subnormal
            fail(who, "eps", f"at least {tiny:.1e} for {dtype} values", eps)
    return eps


def values(who: Any, argument: str, value: Any) -> np.ndarray:
    """An array of real numbers with one row per example, as given or made from a
    list of rows. The dtype is kept, so that integer labels stay labels and
    integer rows can still index; None, a lone number, ragged lists, complex
    numbers, strings and objects are refused."""
    expectation = "an array with one row per example"
    if value is None:
        fail(who, argument, expectation, None, TypeError)
    array = real_numbers(who, argument, value)
    if array.ndim == 0:
        fail(who, argument, expectation, value)
    return array


def labels_of(
    who: Any, X: np.ndarray, y: Any, names: tuple[str, str] = ("X", "y")
) -> np.ndarray:
    """``y`` as ``values``, one row per row of ``X``, and finite if it holds
    floats; ``names`` name X and y in the message (``("X_dev", "y_dev")``)."""
    y = values(who, names[1], y)
    if len(y) != len(X):
        fail(
            who,
            " and ".join(names),
            "of the same length (one label per row)",
            f"{len(X)} rows and shape {y.shape}",
            described=True,
        )
    return finite(who, names[1], y) if y.dtype.kind == "f" else y


def inputs_and_labels(who: Any, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """X and y as ``values``, one label per row of X."""
    X, y = values(who, "X", X), values(who, "y", y)
    same_rows(who, X, y)
    return X, y
