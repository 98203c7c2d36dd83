"""Code fits the text column: no line of the package or of a page's code is over 84
columns wide (a Chinese character takes two), so nothing scrolls sideways on the page
(the column holds 84 columns of code at desktop width) and the package reads the way
the pages show it."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.language import columns
from hooks.pages import ROOT
from tests.test_code_on_pages import DOCS, PAGES, python_blocks

WIDTH = 84


def long_lines(code: str) -> list[tuple[int, int]]:
    """(index, width in columns) of each line of ``code`` wider than WIDTH."""
    return [(i, columns(line)) for i, line in enumerate(code.split("\n")) if columns(line) > WIDTH]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_the_code_a_page_shows_fits_in_the_column(page: Path) -> None:
    problems = [f"{page.relative_to(ROOT)}: block at line {line}, its line {i + 1}: "
                f"{n} characters" for line, code in python_blocks(page, as_shown=True)
                for i, n in long_lines(code)]
    assert not problems, f"code lines over {WIDTH} characters:\n" + "\n".join(problems)


@pytest.mark.parametrize("source", sorted((ROOT / "handbook").rglob("*.py")),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_package_lines_fit_in_the_column(source: Path) -> None:
    problems = [f"{source.relative_to(ROOT)}:{i + 1}: {n} characters"
                for i, n in long_lines(source.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


LABS = sorted((ROOT / "docs" / "labs").glob("*.py"))


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.name)
def test_the_code_cells_of_a_lab_fit_in_the_column(lab: Path) -> None:
    import jupytext

    notebook = jupytext.read(lab)
    problems = [f"{lab.relative_to(ROOT)}: code cell {number}, its line {i + 1}: "
                f"{n} characters"
                for number, cell in enumerate(notebook.cells, start=1)
                if cell.cell_type == "code" for i, n in long_lines(cell.source)]
    assert not problems, f"code lines over {WIDTH} characters:\n" + "\n".join(problems)


@pytest.mark.parametrize("command", [["format", "--check", "--diff"], ["check"]],
                         ids=["ruff format", "ruff check"])
def test_the_package_is_formatted_and_linted(command: list[str]) -> None:
    """ruff, configured in pyproject.toml (line length 84, the rules chosen there)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", *command, "handbook"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
