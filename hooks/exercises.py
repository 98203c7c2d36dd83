"""The exercises of the lesson pages, and the page that lists them all.

Every page of the chapters (``hooks/chapters.py``) ends with a ``## Exercises``
section (``## 练习``), just before Further reading. Each exercise is a ``###`` heading
that starts with its kind, then what it asks, then its worked solution in a collapsed
block (``pymdownx.blocks.details``, the ``solution`` type of mkdocs.yml):

    ### Experiment: Adam without its bias correction

    What to do, and what to measure.

    /// solution | Solution

    The steps, and code whose outcome a doctest or an ``assert`` checks.

    ///

The kinds, from the easiest: Understanding (a derivation or a prediction written
down before running anything), Experiment and Debugging (change one thing, or find a
planted bug, and measure), Going further (a variant the page does not implement,
built on the package's public classes). The solution's content is not indented, so
the tests run its blocks as the page's own, in order. The exercises page
(``docs/exercises.md``) has a marker that the build replaces by the list of every
exercise, chapter by chapter, each linked to its heading (a Chinese heading carries
its English twin's anchor, ``hooks/anchors.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hooks.anchors import headings
from hooks.chapters import CHAPTERS
from hooks.fences import blank_fences
from hooks.pages import page_language
from hooks.search import title as title_of

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SECTION = {"en": "Exercises", "zh": "练习"}
SOLUTION_TITLE = {"en": "Solution", "zh": "解答"}
# Each kind's name in each language, and its level of difficulty (1 to 3).
KINDS = {
    "understanding": ({"en": "Understanding", "zh": "理解"}, 1),
    "experiment": ({"en": "Experiment", "zh": "实验"}, 2),
    "debugging": ({"en": "Debugging", "zh": "调试"}, 2),
    "further": ({"en": "Going further", "zh": "拓展"}, 3),
}
SEPARATOR = {"en": ": ", "zh": "："}
MARKER = "<!-- the list of exercises -->"
SOLUTION_START = re.compile(r"^/// solution \| (?P<title>.+?)[ \t]*$", re.MULTILINE)
BLOCK_END = re.compile(r"^///[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a page, as its heading and solution say."""

    kind: str  # a key of KINDS
    title: str  # the heading after the kind
    heading: str  # the whole heading, as the page has it
    solution_title: str  # the summary of the solution block ("" if there is none)
    solution: str  # the solution's Markdown ("" if there is none)

    @property
    def level(self) -> int:
        return KINDS[self.kind][1]


class ExerciseError(ValueError):
    """A page's exercise section that does not follow the form above."""


def section_headings(text: str, language: str) -> tuple[list[re.Match], int] | None:
    """The headings inside a page's exercise section, and where the section ends;
    None if the page has none."""
    found = headings(text)
    start = next((i for i, m in enumerate(found)
                  if len(m.group(1)) == 2 and m.group(2).strip() == SECTION[language]), None)
    if start is None:
        return None
    end = next((m.start() for m in found[start + 1:] if len(m.group(1)) <= 2), len(text))
    return [m for m in found[start + 1:] if m.start() < end], end


def exercises(path: str | Path) -> list[Exercise]:
    """The exercises of a page, in order; [] if it has no exercise section.

    Raises:
        ExerciseError: for a heading whose kind is unknown, or a solution block that is
            not closed.
    """
    path = Path(path)
    language = page_language(path)
    text = path.read_text(encoding="utf-8")
    section = section_headings(text, language)
    if section is None:
        return []
    items, end_of_section = section
    names = {names[language]: kind for kind, (names, _) in KINDS.items()}
    result = []
    for i, match in enumerate(items):
        heading = match.group(2).strip()
        name, separator, title = heading.partition(SEPARATOR[language])
        if len(match.group(1)) != 3 or not separator or name not in names:
            raise ExerciseError(
                f"{path.name}: exercise heading {match.group(0).strip()!r}: expected '### "
                f"<kind>{SEPARATOR[language]}<what it asks>' with a kind among {list(names)}")
        body_end = items[i + 1].start() if i + 1 < len(items) else end_of_section
        body = text[match.end():body_end]
        code_blanked = blank_fences(body)
        start = SOLUTION_START.search(code_blanked)
        solution_title, solution = "", ""
        if start:
            close = BLOCK_END.search(code_blanked, start.end())
            if close is None:
                raise ExerciseError(f"{path.name}: the solution of {heading!r} is not closed by ///")
            solution_title, solution = start.group("title"), body[start.end():close.start()]
        result.append(Exercise(names[name], title.strip(), heading, solution_title, solution))
    return result


def chapters(language: str = "en") -> list[tuple[str, list[Path]]]:
    """The chapters, in the order of the navigation: each one's title in the language
    (mkdocs.yml's nav, and the i18n plugin's nav_translations for Chinese) and its
    pages in that language."""
    from hooks.pages import mkdocs_config

    config = mkdocs_config()
    translations = {}
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for entry in plugin["i18n"]["languages"]:
                if entry["locale"] == language:
                    translations = entry.get("nav_translations", {})
    suffix = ".zh.md" if language == "zh" else ".md"
    result = []
    for item in config["nav"]:
        [(title, pages)] = item.items() if isinstance(item, dict) else [(item, item)]
        if not isinstance(pages, list):
            continue
        files = [str(*page.values()) if isinstance(page, dict) else page for page in pages]
        if files[0].split("/")[0] in CHAPTERS:
            paths = [DOCS / file.replace(".md", suffix) for file in files]
            result.append((translations.get(title, title), paths))
    return result


HEADER = {
    "en": "| Page | Exercise | Kind | Level |\n| --- | --- | --- | :---: |",
    "zh": "| 页面 | 练习 | 类型 | 难度 |\n| --- | --- | --- | :---: |",
}


def index_markdown(language: str, config) -> str:
    """The list of every exercise, a table per chapter, each linked to its heading
    (``config``: the site's, whose Markdown extensions make the anchors)."""
    from markdown.extensions.toc import slugify

    out = []
    english_titles = [title for title, _ in chapters("en")]
    for (title, paths), english_title in zip(chapters(language), english_titles):
        # the English anchor in both languages; no space between Chinese words
        title = re.sub(r"(章) ", r"\1：", title)
        chapter_id = slugify(english_title, "-")
        rows = []
        for path in paths:
            english = path.with_name(path.name.replace(".zh.", "."))
            link = f"{path.parent.name}/{english.name}"
            for exercise, anchor in zip(exercises(path), exercise_ids(english, config)):
                kind = KINDS[exercise.kind][0][language]
                what = exercise.title[:1].upper() + exercise.title[1:]
                rows.append(f"| [{title_of(link, language)}]({link}) | [{what}]"
                            f"({link}#{anchor}) | {kind} | {'★' * exercise.level} |")
        if rows:
            out.append(f"## {title} {{#{chapter_id}}}\n\n{HEADER[language]}\n" + "\n".join(rows))
    return "\n\n".join(out) + "\n"


def exercise_ids(english: Path, config) -> list[str]:
    """The anchors of the exercise headings of an English page, in order."""
    from hooks.anchors import english_ids

    text = english.read_text(encoding="utf-8")
    section = section_headings(text, "en")
    if section is None:
        return []
    ids = dict(zip((m.start() for m in headings(text)), english_ids(english, config)))
    return [ids[m.start()] for m in section[0]]
