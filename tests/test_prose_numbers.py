"""Every number a page's prose states as a result is printed by that page's own code.

See ``hooks/prose.py`` for what counts as a prose number and as printed. The pages'
doctests run earlier in the session (``docs`` comes first in ``testpaths``), so their
``exec="on"`` outputs come from the page cache; a page not yet run is run here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.labs import execute, labs
from hooks.pages import ROOT, run_page
from hooks.prose import ProseNumber, lab_unbacked, prose_numbers, unbacked

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "reference" not in p.relative_to(DOCS).parts)


def describe(page: Path, numbers: list[ProseNumber]) -> str:
    where = page.relative_to(ROOT)
    return "\n".join(f"{where}:{n.line}: {n.text!r} is printed nowhere on the page" for n in numbers)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_number_in_the_prose_is_printed_by_the_page(page: Path) -> None:
    missing = unbacked(page, run_page(page))
    assert not missing, describe(page, missing)


def lab_text_and_outputs(lab: Path) -> tuple[str, list[str]]:
    """A lab's text cells, and what its cells printed when executed (the test run's cache)."""
    import jupytext
    import nbformat

    markdown = "\n\n".join(c.source for c in jupytext.read(lab).cells if c.cell_type == "markdown")
    outputs = []
    for cell in nbformat.read(execute(lab), as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                outputs.append(output["text"])
            elif "text/plain" in output.get("data", {}):
                outputs.append(output["data"]["text/plain"])
    return markdown, outputs


@pytest.mark.parametrize("lab", labs(), ids=lambda p: p.name)
def test_every_number_in_a_lab_text_is_printed_by_the_lab(lab: Path) -> None:
    missing = lab_unbacked(*lab_text_and_outputs(lab))
    assert not missing, "\n".join(f"{lab.relative_to(ROOT)}: {n.text!r} is printed by no cell"
                                  for n in missing)


PLANTED = """\
# A page

The loss falls to 0.231 after $20$ epochs, and 56 % of the seeds stall; `lr=0.5`
and float32 are settings, and so is the $0.9$ in $\\beta = 0.9$.

```python
>>> print(f"loss {0.23142:.3f}, stalled {0.561:.1%}")
loss 0.231, stalled 56.1%
```

## Further reading

- A paper (2015), pages 1097-1105.
"""


def test_the_check_accepts_printed_numbers_and_rounding(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(PLANTED, encoding="utf-8")
    assert [n.text for n in prose_numbers(PLANTED)] == ["0.231", "56 %"]
    assert unbacked(page, []) == []


@pytest.mark.parametrize("old, new", [
    ("falls to 0.231", "falls to 0.232"),            # the last digit of a result
    ("56 % of", "57 % of"),                          # a percentage
    ("stall;", "stall after 1,500 steps;"),          # a number nothing prints
    ("stall;", "stall, as 97.5 % do in the figure;"),  # text in a figure does not count
])
def test_the_check_fails_on_a_planted_mismatch(tmp_path: Path, old: str, new: str) -> None:
    assert old in PLANTED
    page = tmp_path / "page.md"
    page.write_text(PLANTED.replace(old, new), encoding="utf-8")
    assert unbacked(page, ["<svg><text>97.5 %</text></svg>"]), new
