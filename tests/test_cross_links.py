"""Technique pages and debugging entries lead to each other, in both languages.

A reader who arrives at a technique finds the symptoms it cures; a reader who arrives
with a symptom finds the technique. Whether each link resolves is the link check's
job (``tests/test_links.py``); this test checks that the links are there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.chapters import TECHNIQUE_CHAPTERS
from hooks.pages import ROOT
from hooks.fences import blank_fences

DOCS = ROOT / "docs"
CHAPTERS = TECHNIQUE_CHAPTERS
LINK = re.compile(r"\]\((?P<target>[^)\s#]+\.md)(?:#[^)\s]*)?\)")


def language(page: Path) -> str:
    return "zh" if page.name.endswith(".zh.md") else "en"


def pages(folder: str, lang: str) -> list[Path]:
    return sorted(p for p in (DOCS / folder).glob("*.md") if language(p) == lang)


def links(page: Path) -> set[Path]:
    """The pages (as English paths) that ``page`` links to, outside code."""
    text = blank_fences(page.read_text(encoding="utf-8"), keep_newlines=False)
    targets = set()
    for match in LINK.finditer(text):
        target = (page.parent / match["target"]).resolve()
        targets.add(target.with_name(target.name.replace(".zh.md", ".md")))
    return targets


def english(page: Path) -> Path:
    return page.with_name(page.name.replace(".zh.md", ".md")).resolve()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_technique_page_links_to_a_debugging_entry_and_is_linked_back(lang: str) -> None:
    debugging = {english(p): links(p) for p in pages("debugging", lang)}
    assert debugging, "no debugging pages"
    problems = []
    for chapter in CHAPTERS:
        for page in pages(chapter, lang):
            name = page.relative_to(DOCS)
            if not links(page) & set(debugging):
                problems.append(f"{name} links to no debugging entry")
            if not any(english(page) in targets for targets in debugging.values()):
                problems.append(f"no debugging entry links to {name}")
    for entry, targets in debugging.items():
        technique = [t for t in targets if t.parent.name in CHAPTERS]
        if not technique:
            problems.append(f"{entry.relative_to(DOCS)} ({lang}) links to no technique page")
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_link_and_ignores_one_in_code(tmp_path: Path) -> None:
    page = tmp_path / "tuning" / "softmax.md"
    page.parent.mkdir()
    page.write_text("See [the entry](../debugging/loss-and-nan.md#a-b).\n\n"
                    "```python\n# [not a link](../debugging/checkup.md)\n```\n", encoding="utf-8")
    assert links(page) == {(tmp_path / "debugging" / "loss-and-nan.md").resolve()}


def test_every_folder_of_pages_is_a_chapter_or_named_as_another_folder():
    """A new chapter's folder must be added to hooks/chapters.py, or the tests that go
    through the chapters would leave its pages out."""
    from hooks.chapters import CHAPTERS, OTHER_FOLDERS

    folders = {page.parent.name for page in DOCS.glob("*/*.md")}
    assert folders - set(CHAPTERS) - set(OTHER_FOLDERS) == set()
