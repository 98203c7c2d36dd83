"""Both languages carry the same pages, and each page pair carries the same code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.pages import ROOT
from hooks.fences import fences

DOCS = ROOT / "docs"
SKIP = re.compile(r"<!--\s*skip:\s*(?P<action>next|start|end)(?P<rest>[^>]*)-->")


def english_pages(docs: Path = DOCS) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if not p.name.endswith(".zh.md"))


def chinese_twin(page: Path) -> Path:
    return page.with_name(page.name[: -len(".md")] + ".zh.md")


def code_blocks(text: str) -> list[tuple[str, str]]:
    """Every fenced block of a page as (info string, code), in page order.

    The code of a doctest block is its ``>>>`` and ``...`` lines: what it prints is
    in the page's language (``hb.plot.tr``), and the doctest checks that it does.
    """
    return [(fence.info.strip(), doctest_source(fence.body) if fence.is_doctest else fence.body)
            for fence in fences(text)]


def doctest_source(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if line.lstrip().startswith((">>>", "...")))


def parity_problems(docs: Path = DOCS) -> list[str]:
    problems = []
    english = english_pages(docs)
    for page in english:
        twin = chinese_twin(page)
        if not twin.exists():
            problems.append(f"{page.relative_to(docs)} has no Chinese twin {twin.name}")
    for twin in sorted(docs.rglob("*.zh.md")):
        page = twin.with_name(twin.name[: -len(".zh.md")] + ".md")
        if not page.exists():
            problems.append(f"{twin.relative_to(docs)} has no English twin {page.name}")
    for page in english:
        twin = chinese_twin(page)
        if not twin.exists():
            continue
        ours = code_blocks(page.read_text(encoding="utf-8"))
        theirs = code_blocks(twin.read_text(encoding="utf-8"))
        if len(ours) != len(theirs):
            problems.append(f"{page.relative_to(docs)}: {len(ours)} code blocks, {twin.name}: {len(theirs)}")
        for i, (a, b) in enumerate(zip(ours, theirs), start=1):
            if a != b:
                problems.append(f"{page.relative_to(docs)}: code block {i} differs from {twin.name}'s")
    return problems


def test_every_page_has_its_twin_with_identical_code() -> None:
    assert parity_problems() == []


def test_the_parity_check_catches_a_missing_twin_and_changed_code(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\n```python\nx = 1\n```\n\n```python\ny = 2\n```\n")
    (tmp_path / "a.zh.md").write_text("# 甲\n\n```python\nx = 1\n```\n\n```python\ny = 3\n```\n")
    (tmp_path / "b.md").write_text("# B\n")
    (tmp_path / "c.zh.md").write_text("# 丙\n")
    problems = parity_problems(tmp_path)
    assert "a.md: code block 2 differs from a.zh.md's" in problems
    assert "b.md has no Chinese twin b.zh.md" in problems
    assert "c.zh.md has no English twin c.md" in problems
    (tmp_path / "a.zh.md").write_text("# 甲\n\n```python\ny = 2\n```\n\n```python\nx = 1\n```\n")
    assert "a.md: code block 1 differs from a.zh.md's" in parity_problems(tmp_path)


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_python_fences_and_skips_are_written_so_they_run(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for info, _ in code_blocks(text):
        language = info.split()[0] if info else ""
        assert language not in ("py", "python3", "pycon", "{.python}"), (
            f"{page.name}: write Python fences as ```python, not ```{language}"
        )
    for match in SKIP.finditer(text):
        if match.group("action") in ("next", "start"):
            assert re.search(r'"[^"]+"', match.group("rest")), (
                f'{page.name}: a skip directive needs a reason: <!-- skip: next "why" -->'
            )


def heading_problems(docs: Path = DOCS) -> list[str]:
    """Twins whose headings differ in number, level or order: the Chinese page takes its
    anchors from the English one by position (hooks/anchors.py)."""
    from hooks.anchors import levels

    problems = []
    for page in english_pages(docs):
        twin = chinese_twin(page)
        if twin.exists():
            ours, theirs = levels(page.read_text(encoding="utf-8")), levels(twin.read_text(encoding="utf-8"))
            if ours != theirs:
                problems.append(f"{page.relative_to(docs)}: heading levels {ours}, {twin.name}: {theirs}")
    return problems


def test_twins_have_the_same_headings_in_the_same_order() -> None:
    assert heading_problems() == []


def test_doctest_outputs_may_differ_by_language_but_not_their_code(tmp_path: Path) -> None:
    english = "# A\n\n```python\n>>> print(hb.tr('loss', '损失'))\nloss\n```\n"
    (tmp_path / "a.md").write_text(english)
    (tmp_path / "a.zh.md").write_text(english.replace("\nloss\n", "\n损失\n"))
    assert parity_problems(tmp_path) == []
    (tmp_path / "a.zh.md").write_text(english.replace("print(", "print( "))
    assert parity_problems(tmp_path) == ["a.md: code block 1 differs from a.zh.md's"]


def test_the_heading_check_catches_a_missing_heading(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\n## B\n\n```python\n# not a heading\n```\n\n## C\n")
    (tmp_path / "a.zh.md").write_text("# 甲\n\n## 乙\n\n```python\n# not a heading\n```\n")
    assert heading_problems(tmp_path) == ["a.md: heading levels [1, 2, 2], a.zh.md: [1, 2]"]
