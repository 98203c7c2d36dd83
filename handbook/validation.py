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
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import numpy as np


def name_of(who: Any) -> str:
    """How a message names the caller.

    A string as is, a class by its name, any other object by its repr.

    Args:
        who: the caller: a name (``"hb.fit"``), a class, or an instance such as a
            layer.

    Returns:
        The name, a string; the class's name for an object whose repr fails
            (one whose ``__init__`` has not finished).
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
    name (its repr holds a memory address that changes from run to run).

    Args:
        value: the value given. An integer beyond ``10**100`` is shown by its
            order of magnitude.

    Returns:
        The text, a string.
    """
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

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        expectation: what the argument must be: ``"> 0"``,
            ``"one of ['en', 'zh']"``.
        value: the value given, or its description when ``described``.
        error: the exception class: ValueError for a wrong value, TypeError for a
            wrong kind of object.
        described: show ``value`` as it is (a string describing it) instead of by
            its repr.

    Raises:
        ValueError: always; or the class ``error`` names, when given.
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

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the number to check.
        low: the smallest value allowed, or None for no bound.
        high: the largest value allowed, or None for no bound.
        low_open: exclude ``low`` itself.
        high_open: exclude ``high`` itself.

    Returns:
        ``value``: an integer as given, any other number as a Python float.

    Raises:
        TypeError: if value is not a real number: a bool, a string, None, an array.
        ValueError: if value is NaN or infinite (an integer beyond every float
            too), or outside the range.
    """
    if type(value) is float:  # the common case, without the checks below
        if not math.isfinite(value):
            fail(who, argument, "finite", value)
    elif isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        fail(who, argument, "a real number", value, TypeError)
    elif isinstance(value, numbers.Integral):
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
    """A finite number above 0: a learning rate, an epsilon, a scale.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the number to check.

    Returns:
        ``value``: an integer as given, any other number as a Python float.

    Raises:
        TypeError: if value is not a real number: a bool, a string, None, an array.
        ValueError: if value is NaN or infinite, or not above 0.
    """
    return number(who, argument, value, low=0, low_open=True)


def non_negative(who: Any, argument: str, value: Any) -> float:
    """A finite number of at least 0: a penalty strength, a floor.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the number to check.

    Returns:
        ``value``: an integer as given, any other number as a Python float.

    Raises:
        TypeError: if value is not a real number: a bool, a string, None, an array.
        ValueError: if value is NaN or infinite, or below 0.
    """
    return number(who, argument, value, low=0)


def fraction(
    who: Any, argument: str, value: Any, *, zero: bool = True, one: bool = False
) -> float:
    """A number between 0 and 1: a decay rate, a keep probability.

    ``zero`` and ``one`` say whether each end is allowed.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the number to check.
        zero: allow 0.
        one: allow 1.

    Returns:
        ``value``: an integer as given, any other number as a Python float.

    Raises:
        TypeError: if value is not a real number: a bool, a string, None, an array.
        ValueError: if value is NaN, outside [0, 1], or an end not allowed.
    """
    return number(
        who, argument, value, low=0, high=1, low_open=not zero, high_open=not one
    )


def whole(who: Any, argument: str, value: Any, *, low: int = 1) -> int:
    """A whole number of at least ``low``: a size, a count of epochs.

    Not a float, not a bool.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the number to check: a Python or NumPy integer.
        low: the smallest value allowed.

    Returns:
        ``value``, as a Python int.

    Raises:
        TypeError: if value is not an integer: a float (even ``3.0``), a bool, a
            string, None.
        ValueError: if value is below ``low``, or above ``2**63 - 1``.
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
    dtype would be rounded to nothing (He weights as integers are all 0).

    Args:
        who: the caller, as the message names it (see ``name_of``).
        dtype: what ``np.dtype`` reads: ``np.float32``, ``"float64"``; None is
            float64, as in NumPy.

    Returns:
        The ``np.dtype``, in native byte order.

    Raises:
        TypeError: if dtype is no dtype, or not a floating-point one (an integer,
            complex, string or structured dtype).
    """
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

    Args:
        who: the caller, as the message names it (see ``name_of``).
        rng: a Generator, a seed, or None.

    Returns:
        ``rng`` itself if it is a Generator (its state shared with the caller),
            else a new Generator seeded by it.

    Raises:
        TypeError: if rng is none of these: a float, a string, a bool, a negative
            number.
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

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: an array, a (nested) list of numbers, or a number.
        ndim: the number of dimensions required, or None for any.

    Returns:
        The array: float64 for integers and booleans, floats in their own dtype.

    Raises:
        TypeError: if value is a masked array, or holds other than real numbers:
            strings, complex numbers, objects.
        ValueError: if value is a nested list with rows of unequal lengths, or has
            not ``ndim`` dimensions.
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
    floats), in the dtype it has.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: an array, a (nested) list of numbers, or a number.

    Returns:
        The array, in its own dtype (bool, integer or float), native byte order.

    Raises:
        TypeError: if value is a masked array, or holds other than real numbers:
            strings, complex numbers, objects.
        ValueError: if value is a nested list with rows of unequal lengths.
    """
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
    ``real_array``), finite everywhere unless ``finite_only`` is False.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        X: the inputs, one row per example.
        finite_only: refuse NaN and infinite values.

    Returns:
        X as a float array of shape (batch, features), floats in their own dtype.

    Raises:
        TypeError: if X is a masked array, or holds other than real numbers.
        ValueError: if X is a ragged nested list, not 2-D, has no row, or (when
            ``finite_only``) holds NaN or infinite values.
    """
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
    arrays, whose mask every computation here would drop without a word.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: an array, a (nested) list, or a scalar.

    Returns:
        The array, in native byte order (a big-endian array is converted).

    Raises:
        TypeError: if value is a masked array.
        ValueError: if value is a nested list with rows of unequal lengths.
    """
    if type(value) is np.ndarray and value.dtype.isnative:
        return value  # the common case: nothing to convert or refuse
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
    """The array, if every value is finite.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        array: an array of numbers (as ``real_numbers`` gives).

    Returns:
        ``array``, unchanged.

    Raises:
        ValueError: if any value is NaN or infinite (the message counts them).
    """
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
    """Inputs and labels with one row per example each.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        X: the inputs, anything with a ``len``.
        y: the labels, anything with a ``len``.

    Raises:
        ValueError: if ``len(X) != len(y)``.
    """
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
    turn an option on.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the flag to check.

    Returns:
        ``value``, as a Python bool.

    Raises:
        TypeError: if value is not a bool or ``np.bool_`` (not 0 or 1 either).
    """
    if not isinstance(value, (bool, np.bool_)):
        fail(who, argument, "True or False", value, TypeError)
    return bool(value)


def choice(who: Any, argument: str, value: Any, options: Iterable) -> Any:
    """One of ``options`` (names of schedules, initializers, keys).

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the value to check.
        options: the values allowed, listed in the message.

    Returns:
        ``value``, as given.

    Raises:
        ValueError: if value is not one of options, compared by ``==`` (so 1.0
            and True match 1).
    """
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
    message (``"lambda x: model.predict(x)"``).

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the value to check.
        example: a call that fits, shown in the message.

    Returns:
        ``value``, as given.

    Raises:
        TypeError: if value is not callable (a class is callable: it passes).
    """
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


def instance(
    who: Any, argument: str, value: Any, methods: Sequence[str], example: str
) -> Any:
    """An object (not a class) with the ``methods`` the caller will call;
    ``example`` shows one, for the message (``"hb.SoftmaxCrossEntropy()"``).

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the object to check.
        methods: the names of the methods it must have:
            ``("forward", "backward")``.
        example: an object that fits, shown in the message.

    Returns:
        ``value``, as given.

    Raises:
        TypeError: if value is a class, or lacks one of methods.
    """
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
    range to sample from or to draw.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: the pair, a tuple, list or array of two numbers.
        low: the smallest value allowed for both, or None for no bound.

    Returns:
        ``(a, b)``, each as ``number`` returns it.

    Raises:
        TypeError: if value is not a sequence (a string, a number, a set), or an
            end is not a real number.
        ValueError: if value has not two entries, an end is NaN, infinite or below
            ``low``, or ``a >= b``.
    """
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


def epsilon(who: Any, eps: Any, dtypes: Iterable) -> float:
    """The small constant that keeps a division finite: positive, and still
    positive in each of ``dtypes`` (1e-8 is 0 in float16, and 0 / (0 + 0) is NaN).

    Args:
        who: the caller, as the message names it (see ``name_of``).
        eps: the constant, named ``eps`` in the message.
        dtypes: the floating-point dtypes it will be used in (those of the
            parameters).

    Returns:
        ``eps``: an integer as given, any other number as a Python float.

    Raises:
        TypeError: if eps is not a real number.
        ValueError: if eps is NaN, infinite or not above 0, or is 0 in one of
            dtypes.
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
    numbers, strings and objects are refused.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        argument: the argument's name, as the message shows it.
        value: an array or a list of rows.

    Returns:
        The array, in its own dtype (bool, integer or float); it may be empty.

    Raises:
        TypeError: if value is None, a masked array, or holds other than real
            numbers: strings, complex numbers, objects.
        ValueError: if value is a lone number (0-d), or a nested list with rows
            of unequal lengths.
    """
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
    floats; ``names`` name X and y in the message (``("X_dev", "y_dev")``).

    Args:
        who: the caller, as the message names it (see ``name_of``).
        X: the inputs, already checked, one row per example.
        y: the labels or targets.
        names: the names of X and y, for the message.

    Returns:
        y as an array, in its own dtype.

    Raises:
        TypeError: if y is None, a masked array, or holds other than real numbers.
        ValueError: if y is a lone number or a ragged list, has not one row per row
            of X, or holds NaN or infinite floats.
    """
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
    """X and y as ``values``, one label per row of X.

    Args:
        who: the caller, as the message names it (see ``name_of``).
        X: the inputs, one row per example.
        y: the labels or targets, one row per example.

    Returns:
        ``(X, y)``, as arrays in their own dtypes.

    Raises:
        TypeError: if X or y is None, a masked array, or holds other than real
            numbers.
        ValueError: if X or y is a lone number or a ragged list, or their lengths
            differ.
    """
    X, y = values(who, "X", X), values(who, "y", y)
    same_rows(who, X, y)
    return X, y
