"""The language of what the package and the pages print and draw: English, Chinese.

A page's code is the same in both languages. What it prints (``tr``) and the labels
of its figures follow the language its page is built in: the site build and the test
runner set it for each page (``hb.plot.set_language``, or the ``HANDBOOK_LANG``
environment variable when the package is imported).
"""

from __future__ import annotations

import os
import unicodedata

from handbook import validation as check

LANGUAGES = ("en", "zh")
_language = "en"


def set_language(language: str) -> None:
    """Choose the language of printed words (``hb.plot.set_language`` also sets the
    figures' fonts; use that one).

    Args:
        language: ``"en"`` or ``"zh"``. The environment variable ``HANDBOOK_LANG``
            sets it when the package is imported.

    Raises:
        ValueError: for any other language.
    """
    global _language
    _language = check.choice(
        "set_language", "language (or HANDBOOK_LANG)", language, LANGUAGES
    )


def get_language() -> str:
    """The language of printed words.

    Returns:
        ``"en"`` or ``"zh"``.
    """
    return _language


def tr(en: str, zh: str) -> str:
    """The text for the current language: ``print(hb.tr("loss", "损失"), loss)``.

    Args:
        en: the English text.
        zh: the Chinese text.

    Returns:
        ``zh`` when the language is ``"zh"``, else ``en``.

    Raises:
        TypeError: if either text is not a string.
    """
    for argument, text in (("en", en), ("zh", zh)):
        if not isinstance(text, str):
            check.fail("tr", argument, "a string", text, TypeError)
    return zh if _language == "zh" else en


def columns(text: str) -> int:
    """The width of ``text`` in a monospace font: a Chinese character takes two.

    Args:
        text: any string.

    Returns:
        The number of columns ``text`` fills.
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns, a Chinese character
    counting two (``f"{text:<22}"`` would misalign a Chinese column).

    Args:
        text: the text of one table cell.
        width: the column's width, in columns of a monospace font.

    Returns:
        ``text``, padded; unchanged if it is already ``width`` columns or wider.
    """
    return text + " " * max(0, width - columns(text))


if os.environ.get("HANDBOOK_LANG"):
    set_language(os.environ["HANDBOOK_LANG"])
