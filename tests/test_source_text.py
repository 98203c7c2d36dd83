"""The pages and the package hold no control characters: a ``"\\beta"`` or
``"\\rVert"`` written through a Python string that was not raw becomes a backspace
or a carriage return: KaTeX shows an error or, worse, the word "Vert"."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline


def sources() -> list[Path]:
    folders = ("docs", "handbook", "hooks", "tools", "tests", "benchmarks")
    return sorted(path for folder in folders for pattern in ("*.md", "*.py")
                  for path in (ROOT / folder).rglob(pattern))


def test_no_page_or_module_holds_a_control_character():
    found, paths = [], sources()
    for path in paths:
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines, 1):
            match = CONTROL.search(line)
            if match:
                where = path.relative_to(ROOT)
                found.append(f"{where}:{number}: {match.group()!r}")
    assert len(paths) > 100
    assert not found, "\n".join(found)


def test_the_check_sees_a_carriage_return_and_a_backspace():
    assert CONTROL.search("\\lVert x \rVert") and CONTROL.search("$\beta$")
    assert not CONTROL.search("\tindented\n")
