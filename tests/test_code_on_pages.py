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
from hooks.fences import fences

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))


def python_blocks(page: Path, as_shown: bool = False) -> list[tuple[int, str]]:
    """(first line, code) of each Python block, package snippets expanded; doctests
    without prompts and output (the code a reader copies), or with them (``as_shown``:
    what the page shows)."""
    text = page.read_text(encoding="utf-8")
    expander = SnippetExpander(snippet_config())
    blocks = []
    for fence in fences(text):
        if not fence.is_python:
            continue
        body, line = fence.body, text.count("\n", 0, fence.start) + 2
        if body.lstrip().startswith(">>>") and not as_shown:
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


def test_every_snippet_section_of_the_package_is_shown_on_a_page() -> None:
    """A section marked for the pages (``# --8<-- [start:name]``) that no page embeds
    is code written to be read that nobody reads: show it, or drop its markers."""
    import re

    start = re.compile(r"#\s*-+8<-+\s*\[\s*start\s*:\s*([\w-]+)\s*\]")
    embed = re.compile(r'-+8<-+\s+"(handbook/[\w/.]+\.py):([\w-]+)"')
    sections = {(source.relative_to(ROOT).as_posix(), name)
                for source in sorted((ROOT / "handbook").rglob("*.py"))
                for name in start.findall(source.read_text(encoding="utf-8"))}
    shown = {(path, name) for page in PAGES
             for path, name in embed.findall(page.read_text(encoding="utf-8"))}
    assert sections, "no snippet sections found in the package"
    unused = sorted(f"{path}:{name}" for path, name in sections - shown)
    assert unused == [], "sections no page shows:\n" + "\n".join(unused)
    unknown = sorted(f"{path}:{name}" for path, name in shown - sections)
    assert unknown == [], "pages embed sections that do not exist:\n" + "\n".join(unknown)


def unbound_names(code: str) -> set[str]:
    """Global names the code reads (at module level or inside its functions and
    classes) that it neither defines, imports nor finds among the builtins."""
    import builtins
    import symtable

    top = symtable.symtable(code, "<page>", "exec")
    bound = {s.get_name() for s in top.get_symbols()
             if s.is_assigned() or s.is_imported() or s.is_namespace()}
    read: set[str] = set()
    tables = [top]
    while tables:
        table = tables.pop()
        tables.extend(table.get_children())
        for symbol in table.get_symbols():
            if not symbol.is_referenced():
                continue
            if table is top or symbol.is_global() or symbol.is_declared_global():
                read.add(symbol.get_name())
    return read - bound - set(dir(builtins)) - {"__file__", "__name__"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_name_the_code_of_a_page_uses_is_defined_or_imported_on_it(page: Path) -> None:
    """A reader who pastes a page's blocks in order, the package's shown code
    included, gets no NameError: every helper a shown function calls is imported."""
    code = "\n\n".join(body for _, body in python_blocks(page))
    if not code.strip():
        return
    missing = sorted(unbound_names(code))
    assert not missing, f"{page.relative_to(ROOT)} uses names it never defines: {missing}"


def test_the_name_check_finds_a_helper_that_is_not_imported() -> None:
    shown = "import numpy as np\n\ndef f(x):\n    return helper(np.abs(x)) + len(x)\n"
    assert unbound_names(shown) == {"helper"}
    assert unbound_names("from m import helper\n" + shown) == set()
