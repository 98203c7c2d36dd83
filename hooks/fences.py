"""The one reader of fenced code blocks in a page's Markdown.

Every tool that looks at a page's code uses it: the page runner (``hooks/pages.py``,
under pytest and at build time), the build hooks (doctests shown as console
sessions, Chinese lines joined outside code), the prose-number check and the tests
(parity of the two languages, code width, private names, cross links). So they all
agree on where a block starts and ends, what its language is, and what its code is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An opening fence of three or more backticks or tildes, its info string, the body,
# and a closing fence of the same characters at the same indentation.
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
PYTHON = ("python", "py", "python3", "pycon")


@dataclass(frozen=True)
class Fence:
    """One fenced block: where it is in the text, its info string and its code."""

    start: int  # the first character of the opening fence's line
    end: int  # just after the closing fence
    body_start: int  # the first character of the body
    indent: str  # the fence's indentation (inside a list item or admonition)
    info: str  # everything after the opening fence, e.g. 'python exec="on"'
    raw_body: str  # the body as the file has it, indentation included

    @property
    def language(self) -> str:
        """The info string's first word, lower case; "" for an attribute list
        such as ``{ .python .no-copy }``, a block shown but never run."""
        words = self.info.split()
        return "" if not words or words[0].startswith("{") else words[0].lower()

    @property
    def attributes(self) -> str:
        """The info string after the language."""
        return self.info.strip()[len(self.language):].strip() if self.language else ""

    @property
    def body(self) -> str:
        """The code, with the fence's indentation taken off every line."""
        if not self.indent:
            return self.raw_body
        return "".join(line.removeprefix(self.indent)
                       for line in self.raw_body.splitlines(keepends=True))

    @property
    def is_python(self) -> bool:
        return self.language in PYTHON

    @property
    def is_doctest(self) -> bool:
        return self.is_python and self.body.lstrip().startswith(">>>")


def fences(text: str) -> list[Fence]:
    """Every fenced block of ``text``, in order."""
    return [Fence(m.start(), m.end(), m.start("body"), m["indent"], m["info"], m["body"])
            for m in FENCE.finditer(text)]


def blank_fences(text: str, keep_newlines: bool = True) -> str:
    """``text`` with every fenced block blanked (spaces, newlines kept), or removed."""
    pieces, position = [], 0
    for fence in fences(text):
        pieces.append(text[position:fence.start])
        block = text[fence.start:fence.end]
        pieces.append(re.sub(r"[^\n]", " ", block) if keep_newlines else "")
        position = fence.end
    pieces.append(text[position:])
    return "".join(pieces)
