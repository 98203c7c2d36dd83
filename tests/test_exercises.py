"""Every lesson page ends with exercises, each with a worked solution the tests run.

The form is described in ``hooks/exercises.py``; the pages' blocks, solutions
included, are run by the page tests (``conftest.py``), and a broken solution fails
them (``tests/test_pages_harness.py``). The built exercises page is checked in
``tests/test_site.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.anchors import headings
from hooks.exercises import KINDS, SECTION, SOLUTION_TITLE, chapters, exercises
from hooks.fences import fences

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = [path for _, paths in chapters("en") for path in paths]


def name(path: Path) -> str:
    return str(path.relative_to(DOCS))


def chinese(path: Path) -> Path:
    return path.with_name(path.name.replace(".md", ".zh.md"))


BOTH = [pytest.param(p, id=name(p)) for p in PAGES] + [
    pytest.param(chinese(p), id=name(chinese(p))) for p in PAGES]


@pytest.mark.parametrize("path", BOTH)
def test_every_lesson_page_has_three_kinds_of_exercises_with_solutions(path: Path):
    english = path.with_name(path.name.replace(".zh.md", ".md"))
    language = "zh" if path.name.endswith(".zh.md") else "en"
    found = exercises(path)
    assert len(found) >= 3, f"{name(path)}: {len(found)} exercises, at least three expected"
    kinds = {e.kind for e in found}
    assert "understanding" in kinds and "further" in kinds, kinds
    assert kinds & {"experiment", "debugging"}, kinds
    if english.parent.name == "debugging":
        assert "debugging" in kinds, f"{name(path)}: a debugging page needs a Debugging exercise"
    for exercise in found:
        assert exercise.solution_title == SOLUTION_TITLE[language], (
            f"{name(path)}: {exercise.heading!r} has no '/// solution | "
            f"{SOLUTION_TITLE[language]}' block")
        code = [f for f in fences(exercise.solution) if f.language in ("python", "pycon")]
        assert code, f"{name(path)}: the solution of {exercise.heading!r} has no code that runs"
        assert len(re.sub(r"\s", "", exercise.solution)) > 200, (
            f"{name(path)}: the solution of {exercise.heading!r} is too short to be worked")


@pytest.mark.parametrize("path", BOTH)
def test_the_exercises_come_just_before_further_reading(path: Path):
    language = "zh" if path.name.endswith(".zh.md") else "en"
    sections = [m.group(2).strip() for m in headings(path.read_text(encoding="utf-8"))
                if len(m.group(1)) == 2]
    further = {"en": "Further reading", "zh": "延伸阅读"}[language]
    assert sections[-2:] == [SECTION[language], further], sections[-3:]


@pytest.mark.parametrize("path", [pytest.param(p, id=name(p)) for p in PAGES])
def test_both_languages_have_the_same_exercises_in_the_same_order(path: Path):
    english, twin = exercises(path), exercises(chinese(path))
    assert [e.kind for e in twin] == [e.kind for e in english], (
        f"{name(path)}: kinds {[e.kind for e in english]} against "
        f"{[e.kind for e in twin]} in Chinese")


def test_an_exercise_heading_must_name_a_known_kind(tmp_path: Path):
    from hooks.exercises import ExerciseError

    page = tmp_path / "page.md"
    page.write_text("# T\n\n## Exercises\n\n### Quiz: what?\n\nText.\n\n## Further reading\n")
    with pytest.raises(ExerciseError, match="Quiz"):
        exercises(page)
    page.write_text("# T\n\n## Exercises\n\n### Experiment: what?\n\n/// solution | Solution\n\n"
                    "```python\nx = 1\n```\n\n## Further reading\n")
    with pytest.raises(ExerciseError, match="not closed"):
        exercises(page)


def test_every_kind_has_a_name_in_both_languages():
    for names, level in KINDS.values():
        assert set(names) == {"en", "zh"} and level in (1, 2, 3)
