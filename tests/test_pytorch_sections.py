"""Every technique page has an "In PyTorch" section that checks PyTorch against the
handbook (issue 21).

The section (``## In PyTorch``, ``## 在 PyTorch 中``) comes just before the exercises.
It imports PyTorch in a block that sets ``torch = None`` when the import fails, and
its PyTorch code sits between ``<!-- skip: start if(torch is None, ...) -->`` and
``<!-- skip: end -->``, so that a reader without PyTorch still has a page that runs;
CI installs PyTorch and sets ``HANDBOOK_REQUIRE_TORCH=1`` (``hooks/require_torch.py``),
under which a skipped PyTorch block fails. The section's outcome is checked: a
doctest of the section compares PyTorch's numbers with the handbook's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.anchors import headings
from hooks.exercises import chapters
from hooks.fences import fences

DOCS = Path(__file__).resolve().parent.parent / "docs"
SECTION = {"en": "In PyTorch", "zh": "在 PyTorch 中"}
IMPORT = "try:\n    import torch\nexcept ImportError:\n    torch = None\n"
SKIP_START = re.compile(r"^<!-- skip: start if\(torch is None, reason=\"[^\"]+\"\) -->$", re.M)
SKIP_END = re.compile(r"^<!-- skip: end -->$", re.M)
PAGES = [path for _, paths in chapters("en") for path in paths]
# The framework page is PyTorch throughout: its "The same in PyTorch" and later
# sections are the PyTorch side, checked against the handbook as this section would be.
EXEMPT = {"tuning/frameworks.md"}


def name(path: Path) -> str:
    return str(path.relative_to(DOCS))


def section(text: str, language: str) -> str | None:
    """The text of the page's PyTorch section, None if it has none."""
    found = [m for m in headings(text) if len(m.group(1)) == 2]
    for here, following in zip(found, found[1:] + [None]):
        if here.group(2).strip() == SECTION[language]:
            return text[here.end():following.start() if following else len(text)]
    return None


BOTH = [pytest.param(p, "en", id=name(p)) for p in PAGES] + [
    pytest.param(p.with_name(p.name.replace(".md", ".zh.md")), "zh",
                 id=name(p).replace(".md", ".zh.md")) for p in PAGES]


@pytest.mark.parametrize(("path", "language"), BOTH)
def test_every_technique_page_checks_pytorch_against_the_handbook(path: Path,
                                                                  language: str):
    english = path.with_name(path.name.replace(".zh.md", ".md"))
    text = path.read_text(encoding="utf-8")
    if name(english) in EXEMPT:
        start, end = SKIP_START.search(text), SKIP_END.search(text)
        assert start and end and "torch." in text[start.end():end.start()], (
            f"{name(path)}: the framework page's PyTorch code is not between the "
            "skip markers")
        return
    body = section(text, language)
    assert body is not None, f"{name(path)}: no '## {SECTION[language]}' section"
    sections = [m.group(2).strip() for m in headings(text) if len(m.group(1)) == 2]
    after = sections[sections.index(SECTION[language]) + 1]
    assert after == {"en": "Exercises", "zh": "练习"}[language], (
        f"{name(path)}: the PyTorch section comes just before the exercises, not {after!r}")
    code = [f.body for f in fences(body) if f.is_python]
    assert any(source == IMPORT for source in code), (
        f"{name(path)}: the section starts with the guarded import:\n{IMPORT}")
    start, end = SKIP_START.search(body), SKIP_END.search(body)
    assert start and end and start.start() < end.start(), (
        f"{name(path)}: the PyTorch code is not between the skip markers")
    guarded = body[start.end():end.start()]
    guarded_code = [f for f in fences(guarded) if f.is_python]
    assert any("torch." in f.body for f in guarded_code), (
        f"{name(path)}: no PyTorch code between the skip markers")
    assert any(f.is_doctest for f in guarded_code), (
        f"{name(path)}: no doctest checks PyTorch against the handbook")
