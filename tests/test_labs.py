"""The labs' two languages share their code, and a failing cell fails a lab.

Every lab runs, cell by cell, in a real Jupyter kernel as a test file of its own
(``conftest.py`` collects ``docs/labs/*.py``).

The executed notebooks are cached (``hooks/labs.py``); the site build that follows
renders them instead of running the labs again.
"""

from __future__ import annotations

import jupytext
import pytest

from hooks.labs import LabError, execute, lab_name, labs

ENGLISH = [path for path in labs() if not path.name.endswith(".zh.py")]


def code_cells(path) -> list[str]:
    return [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]


def cell_types(path) -> list[str]:
    return [cell.cell_type for cell in jupytext.read(path).cells]


def test_there_are_six_labs_in_two_languages() -> None:
    assert len(ENGLISH) == 6
    assert {lab_name(path) for path in labs()} == {lab_name(path) for path in ENGLISH}
    assert len(labs()) == 12


@pytest.mark.parametrize("english", ENGLISH, ids=lambda path: path.stem)
def test_the_chinese_lab_has_the_same_code(english) -> None:
    chinese = english.with_name(f"{lab_name(english)}.zh.py")
    assert code_cells(chinese) == code_cells(english)
    assert cell_types(chinese) == cell_types(english), "the prose cells sit between other code cells"


def test_a_failing_cell_fails_the_lab(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HANDBOOK_LAB_CACHE", str(tmp_path / "cache"))
    broken = tmp_path / "broken.py"
    broken.write_text("# %%\nx = 1\n\n# %%\nraise ValueError('the second cell is broken')\n", encoding="utf-8")
    with pytest.raises(LabError, match="the second cell is broken"):
        execute(broken)
    assert not list((tmp_path / "cache").rglob("*.ipynb"))



@pytest.mark.parametrize("lab", labs(), ids=lambda path: path.name)
def test_a_lab_links_as_a_page_does_so_that_mkdocs_checks_the_links(lab) -> None:
    """A link of a Markdown cell names the page's file, relative to docs/labs/
    (``../optimization/momentum.md#anchor``, another lab as ``regularization.py``):
    MkDocs then resolves it on the lab's page and fails the build on a broken one, and
    the downloadable notebook gets the published page's address (hooks/lab_pages.py).
    A path ending in / (``../../optimization/momentum/``) would pass unchecked."""
    import re

    from hooks.anchors import lab_markdown

    text = lab_markdown(lab.read_text(encoding="utf-8"))
    targets = re.findall(r"\]\(\s*<?([^)\s>]+)", text) + re.findall(r"href=[\"']([^\"']+)", text)
    assert targets, "a lab leads the reader to the pages it practises"
    wrong = [t for t in targets if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|[^#]+\.(?:md|py)(?:#|$))", t)]
    assert wrong == []
    for target in targets:
        path = target.partition("#")[0]
        if path and not re.match(r"^[a-z][a-z0-9+.-]*:", path):
            assert (lab.parent / path).is_file(), target
