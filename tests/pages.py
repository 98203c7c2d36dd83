"""Run every Python block of every page, in page order, exactly as the site shows it.

The pages use three forms of Python fence, and all of them run:

* ```` ```python ```` (optionally with attributes such as ``title="..."``): a plain
  block, executed in the page's namespace, shared by all plain blocks of the page.
  A block that starts with ``>>>`` is a doctest: its printed output is checked.
* A block whose lines include pymdownx.snippets lines (``--8<-- "handbook/x.py:name"``):
  the snippet lines are expanded by pymdownx's own preprocessor, configured as in
  ``mkdocs.yml``, so what runs is what the reader sees; each included section is
  compiled under its source file's name and line numbers, so a traceback points
  into ``handbook/``.
* ```` ```python exec="on" ... ```` : a markdown-exec block, run again at build time
  to draw a figure or print a result. It runs here as markdown-exec runs it: in a
  fresh namespace, or in the namespace of its ``session="..."``, never in the plain
  blocks' namespace. A block with ``html="true"`` must print something.

``<!-- skip: next "reason" -->`` skips the next block (always give the reason).
"""

from __future__ import annotations

import doctest
import io
import os
import re
import textwrap
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml
from pymdownx.snippets import SnippetExtension
from sybil import Document, Example, Lexeme, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import pad
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import SkipParser
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

ROOT = Path(__file__).resolve().parent.parent
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
ATTRIBUTE = re.compile(r'([A-Za-z_][\w-]*)="([^"]*)"')
SNIPPET_LINE = re.compile(r'^[ \t]*-+8<-+[ \t]+"(?P<target>[^"]+)"[ \t]*$')


# --- configuration shared with mkdocs.yml ------------------------------------------

class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: ``!relative`` becomes the config directory."""


_MkDocsLoader.add_constructor("!relative", lambda loader, node: str(ROOT))
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def snippet_config(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> dict[str, Any]:
    """The pymdownx.snippets options of the site, so the tests expand snippets as the build does."""
    config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            options = dict(entry["pymdownx.snippets"] or {})
            base = options.get("base_path", ".")
            bases = base if isinstance(base, list) else [base]
            options["base_path"] = [str((ROOT / b).resolve()) for b in bases]
            return options
    raise RuntimeError(f"{mkdocs_yml}: pymdownx.snippets is not configured")


def page_language(path: str | Path) -> str:
    """``page.zh.md`` is the Chinese twin of ``page.md``."""
    return "zh" if str(path).endswith(".zh.md") else "en"


# --- snippet expansion ---------------------------------------------------------------

@dataclass
class Segment:
    """A run of code lines that came from one file, starting at line ``first_line`` (1-based)."""

    code: str
    filename: str
    first_line: int


class SnippetExpander:
    """Expands snippet lines with pymdownx's own preprocessor and keeps track of their origin."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        self.bases = [Path(b) for b in options["base_path"]]

    def expand(self, lines: list[str]) -> list[str]:
        md = markdown.Markdown(extensions=[SnippetExtension(**self.options)])
        return md.preprocessors["snippet"].run(list(lines))

    def locate(self, target: str, expanded: list[str]) -> tuple[str, int] | None:
        """The file and first line where ``expanded`` stands verbatim, or None if it moved."""
        path, _, section = target.partition(":")
        for base in self.bases:
            source = base / path
            if source.is_file():
                break
        else:
            return None
        file_lines = source.read_text(encoding="utf-8").split("\n")
        start = 0
        if section and re.fullmatch(r"[A-Za-z][-_0-9A-Za-z]*", section):
            marker = re.compile(rf"-+8<-+\s+\[\s*start\s*:\s*{re.escape(section)}\s*\]")
            start = next((i + 1 for i, line in enumerate(file_lines) if marker.search(line)), None)
            if start is None:
                return None
        width = len(expanded)
        window = file_lines[start:start + width]
        if [l.rstrip() for l in window] == [l.rstrip() for l in expanded]:
            return str(source), start + 1
        dedented = textwrap.dedent("\n".join(window)).split("\n")
        if [l.rstrip() for l in dedented] == [l.rstrip() for l in expanded]:
            return str(source), start + 1
        return None

    def segments(self, source: str, page: str, first_line: int) -> list[Segment]:
        """Split a block into page lines and expanded snippets, each with its origin."""
        lines = source.split("\n")
        segments: list[Segment] = []
        pending: list[str] = []
        pending_start = first_line

        def flush() -> None:
            if pending:
                segments.append(Segment("\n".join(pending), page, pending_start))

        for offset, line in enumerate(lines):
            match = SNIPPET_LINE.match(line)
            if not match:
                if not pending:
                    pending_start = first_line + offset
                pending.append(line)
                continue
            flush()
            pending = []
            target = match.group("target")
            expanded = self.expand([line])
            indent = line[: len(line) - len(line.lstrip())]
            code = textwrap.dedent("\n".join(expanded))
            origin = self.locate(target, textwrap.dedent("\n".join(expanded)).split("\n"))
            if origin is None:
                segments.append(Segment(textwrap.indent(code, indent), page, first_line + offset))
            else:
                segments.append(Segment(textwrap.indent(code, indent), origin[0], origin[1]))
        flush()
        return segments

    def has_snippets(self, source: str) -> bool:
        return any(SNIPPET_LINE.match(line) for line in source.split("\n"))


# --- evaluation ------------------------------------------------------------------------

class PageBlockEvaluator:
    """Executes one Python block of a page (plain, snippet-embedding or markdown-exec)."""

    def __init__(self, expander: SnippetExpander, attributes: dict[str, str]):
        self.expander = expander
        self.attributes = attributes

    def namespace(self, example: Example) -> dict[str, Any]:
        if self.attributes.get("exec") not in ("on", "true", "1", "yes"):
            return example.namespace
        sessions = example.namespace.setdefault("__markdown_exec_sessions__", {})
        session = self.attributes.get("session")
        if session is None:
            return {"__name__": "__markdown_exec__"}
        return sessions.setdefault(session, {"__name__": "__markdown_exec__"})

    def __call__(self, example: Example) -> str | None:
        __tracebackhide__ = True
        source = str(example.parsed)
        first_line = example.line + example.parsed.line_offset + 1
        namespace = self.namespace(example)
        compiled = self.compile(source, example.path, first_line)
        stdout = io.StringIO()
        with redirect_stdout(stdout):
            for code in compiled:
                exec(code, namespace)
        namespace.pop("__builtins__", None)
        printed = stdout.getvalue()
        if self.attributes.get("html") == "true" and not printed.strip():
            return f'{example.path}, line {example.line}: an html="true" exec block printed nothing'
        if printed and namespace is example.namespace:
            print(printed, end="")
        return None

    def compile(self, source: str, page: str, first_line: int) -> list[Any]:
        if not self.expander.has_snippets(source):
            return [compile(pad(source, first_line - 1), page, "exec", dont_inherit=True)]
        segments = self.expander.segments(source, page, first_line)
        try:
            return [
                compile(pad(s.code, s.first_line - 1), s.filename, "exec", dont_inherit=True)
                for s in segments
            ]
        except SyntaxError:
            # A snippet inside a statement (say, a method in a class body): run it whole.
            whole = "\n".join(s.code for s in segments)
            return [compile(pad(whole, first_line - 1), page, "exec", dont_inherit=True)]


class PythonFenceParser:
    """Finds every ```python fence, attributes or not, and makes a runnable example of it."""

    INFO = re.compile(r"(?P<language>[^\s{]+)(?P<attributes>[^\n]*)$\n", re.MULTILINE)

    def __init__(self, expander: SnippetExpander):
        self.expander = expander
        self.lexer = RawFencedCodeBlockLexer(info_pattern=self.INFO)
        self.doctest = DocTestStringParser(DocTestEvaluator(DOCTEST_FLAGS))

    def __call__(self, document: Document):
        document.namespace.setdefault("__file__", document.path)
        document.namespace.setdefault("__name__", "__main__")
        for region in self.lexer(document):
            language = region.lexemes["language"].lower()
            if language not in ("python", "py", "python3", "pycon"):
                continue
            attributes = dict(ATTRIBUTE.findall(region.lexemes["attributes"]))
            source: Lexeme = region.lexemes["source"]
            if str(source).lstrip().startswith(">>>"):
                if self.expander.has_snippets(str(source)):
                    raise ValueError(
                        f"{document.path}, line {document.line_column(region.start)}: "
                        "a doctest block cannot embed snippets"
                    )
                for doctest_region in self.doctest(str(source), document.path):
                    doctest_region.adjust(region, source)
                    yield doctest_region
                continue
            region.parsed = source
            region.evaluator = PageBlockEvaluator(self.expander, attributes)
            yield region


# --- per-page set-up -------------------------------------------------------------------

def _setup(namespace: dict[str, Any]) -> None:
    language = page_language(namespace["__file__"])
    os.environ["HANDBOOK_LANG"] = language
    try:
        import handbook.plot as plot
    except ImportError:
        return
    plot.set_language(language)


def _teardown(namespace: dict[str, Any]) -> None:
    import matplotlib.pyplot as plt

    plt.close("all")
    os.environ.pop("HANDBOOK_LANG", None)
    try:
        import handbook.plot as plot
    except ImportError:
        return
    plot.set_language("en")


def make_sybil(path: str | Path = ROOT / "docs", patterns: tuple[str, ...] = ("*.md",),
               mkdocs_yml: Path = ROOT / "mkdocs.yml") -> Sybil:
    """The Sybil that runs the pages under ``path`` (every ``*.md``, both languages)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    expander = SnippetExpander(snippet_config(mkdocs_yml))
    return Sybil(
        parsers=[PythonFenceParser(expander), SkipParser()],
        path=str(path),
        patterns=list(patterns),
        setup=_setup,
        teardown=_teardown,
        name="pages",
    )
