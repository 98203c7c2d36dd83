"""The code a page shows is code a reader can paste: it uses public names only.

What the reader sees of a snippet block is the package's own lines, so the embedded
package code is checked as the page shows it.
"""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

import pytest

from hooks.pages import ROOT, SnippetExpander, snippet_config
from hooks.prose import FENCE

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))
PYTHON = ("python", "py", "python3", "pycon")


def python_blocks(page: Path) -> list[tuple[int, str]]:
    """(first line, code as the reader sees it) of each Python block; doctests without prompts."""
    text = page.read_text(encoding="utf-8")
    expander = SnippetExpander(snippet_config())
    blocks = []
    for match in FENCE.finditer(text):
        if match["info"].strip().split(" ")[0].lower() not in PYTHON:
            continue
        body, line = match["body"], text.count("\n", 0, match.start()) + 2
        if body.lstrip().startswith(">>>"):
            body = "".join(e.source for e in doctest.DocTestParser().get_examples(body))
        elif expander.has_snippets(body):
            body = "\n".join(s.code for s in expander.segments(body, str(page), line))
        blocks.append((line, body))
    return blocks


def private_imports(code: str) -> list[str]:
    """Names starting with an underscore that the code imports or takes from a module."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom):
            found += [a.name for a in node.names if a.name.startswith("_")]
            if any(part.startswith("_") for part in (node.module or "").split(".")):
                found.append(node.module or "")
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if any(p.startswith("_") for p in a.name.split("."))]
        elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
              and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
              and node.value.id in ("hb", "handbook")):
            found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_page_uses_a_private_name_of_the_package(page: Path) -> None:
    problems = [f"{page.relative_to(ROOT)}:{line}: {name}"
                for line, code in python_blocks(page) for name in private_imports(code)]
    assert not problems, "private names on the page:\n" + "\n".join(problems)


def test_the_check_catches_a_private_import() -> None:
    code = "from handbook.layers import Layer, _check_input\nx = hb._random\n"
    assert private_imports(code) == ["_check_input", "hb._random"]
    assert private_imports("import numpy as np\nnp.random.default_rng(0)\n") == []
