"""Chinese headings get the anchors of their English twins.

Python-Markdown's ``toc`` makes an anchor from a heading's Latin letters; a Chinese
heading has none, so it would get ``#_1``, ``#_2``, .... Instead, the n-th heading of
a Chinese page takes the id of the n-th heading of its English twin (``#warm-up``,
``#where-epsilon-goes``): links read the same in both languages, and the language
switcher can keep the reader's section. The twins have the same headings, at the same
levels, in the same order (``tests/test_pages.py`` checks it).

The English ids are made the way the site makes them: the English heading lines are
rendered by Python-Markdown with the site's own extensions, in one document, so that
a repeated heading gets the same ``_1`` suffix as on the English page.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown as python_markdown

from hooks.fences import blank_fences

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
ATTRIBUTES = re.compile(r"[ \t]*\{[^{}]*\}[ \t]*$")


def headings(text: str) -> list[re.Match]:
    """The ATX headings of a Markdown text, outside code blocks."""
    return list(HEADING.finditer(blank_fences(text)))


def levels(text: str) -> list[int]:
    return [len(match.group(1)) for match in headings(text)]


def english_twin(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name.replace(".zh.", "."))


_IDS: dict[tuple[str, float], list[str]] = {}


def english_ids(path: Path, config) -> list[str]:
    """The anchors of the headings of the English page at ``path`` (a page, or a
    lab whose Markdown cells hold the headings), in order."""
    key = (str(path), path.stat().st_mtime)
    if key not in _IDS:
        text = path.read_text(encoding="utf-8")
        text = lab_markdown(text) if path.suffix == ".py" else text
        lines = [text[m.start() : m.end()] for m in headings(text)]
        extensions = [e for e in config["markdown_extensions"] if isinstance(e, str)]
        md = python_markdown.Markdown(
            extensions=extensions,
            extension_configs={name: options for name, options in config["mdx_configs"].items()
                               if name in extensions},
        )
        md.convert("\n\n".join(lines))
        ids: list[str] = []

        def walk(tokens):
            for token in tokens:
                ids.append(token["id"])
                walk(token["children"])

        walk(md.toc_tokens)
        _IDS[key] = ids
    return _IDS[key]


def lab_markdown(text: str) -> str:
    """The Markdown cells of a jupytext percent-format lab, as one Markdown text."""
    markdown, in_markdown = [], False
    for line in text.splitlines():
        if line.startswith("# %%"):
            in_markdown = "[markdown]" in line
        elif in_markdown:
            markdown.append(re.sub(r"^# ?", "", line))
    return "\n".join(markdown)


def with_english_anchors(markdown: str, source: str, config) -> str:
    """The Chinese page with ``{#id}`` after each heading: its English twin's id."""
    twin = english_twin(source)
    if not twin.is_file():
        return markdown
    ids = english_ids(twin, config)
    found = headings(markdown)
    if len(found) != len(ids):
        return markdown  # tests/test_pages.py names the page; the build keeps toc's ids
    pieces, position = [], 0
    for match, anchor in zip(found, ids, strict=True):
        title = ATTRIBUTES.sub("", match.group(2))
        pieces.append(markdown[position : match.start()])
        pieces.append(f"{match.group(1)} {title} {{#{anchor}}}")
        position = match.end()
    pieces.append(markdown[position:])
    return "".join(pieces)
