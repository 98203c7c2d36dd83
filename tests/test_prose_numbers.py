"""Every number a page's prose states as a result is printed by that page's own code.

See ``hooks/prose.py`` for what counts as a prose number and as printed. The check of
each page and lab runs as the last test of its own file (``conftest.py``: PageFile,
LabFile), right after the page or lab ran, from what that run printed. Here: the check
itself, on a planted page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.prose import prose_numbers, unbacked



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


EQUATIONS = """\
# A page

$$
J = \\frac{1}{2m} \\sum_i (\\hat y - y)^2 \\tag{12}
$$

Equation (12) and equations (12) and (13), as
equation
(12) and equations (12), (13) or (14) say, give the loss; 式 (12) 和式（13）也是。
The loss falls to 0.231 (12).
"""


def test_references_to_a_numbered_formula_are_not_results() -> None:
    # A formula's number is no result: "equation (12)", "equations (12) and
    # (13)" and "式 (12)" are ignored, across a line break too. The same number
    # bare, "(12)" after a result, is still read as a result. (Numbers below 10
    # are never read, so the planted numbers have two digits.)
    assert [n.text for n in prose_numbers(EQUATIONS)] == ["0.231", "12"]
