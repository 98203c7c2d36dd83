"""Run every Python block of every page, in page order, exactly as the site shows it.

The same runner serves the tests (Sybil under pytest, see ``conftest.py``) and the
build (``hooks/handbook_hooks.py``), so a page's code cannot pass one and fail the other.
All blocks of a page share one namespace, in page order. The fence forms:

* ```` ```python ```` (optionally with attributes such as ``title="..."``): a plain block.
  A block that starts with ``>>>`` is a doctest: its printed output is checked.
* A block whose lines include pymdownx.snippets lines (``--8<-- "handbook/x.py:name"``):
  the snippet lines are expanded by pymdownx's own preprocessor, configured as in
  ``mkdocs.yml``, so what runs is what the reader sees; each included section is
  compiled under its source file's name and line numbers, so a traceback points
  into ``handbook/``.
* ```` ```python exec="on" ```` : a block whose printed output (a figure as inline SVG,
  a table) is put into the page when the site is built. It must print something.
  ``source="above"`` (default) shows the code above the output, ``source="details"``
  in a collapsed box, ``source="hidden"`` not at all.

``<!-- skip: next "reason" -->`` skips the next block (always give the reason).

With ``HANDBOOK_SKIP_FIGURES=1`` (``dev.py kernels`` sets it for its
runs under other kernel families),
figures are built but not drawn: ``savefig`` writes an empty SVG, which saves a sixth of
the pages' time; such a run keeps its outputs apart from the build's (``cache_folder``).
"""

from __future__ import annotations

import copy
import doctest
import functools
import hashlib
import html
import io
import json
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
from sybil.evaluators.doctest import NUMBER, DocTestEvaluator, OutputChecker
from sybil.evaluators.python import pad
from sybil.example import NotEvaluated
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import SkipParser

from hooks.fences import fences

ROOT = Path(__file__).resolve().parent.parent
# NUMBER: a printed float is right to the precision it is written with (0.231 accepts
# 0.230 to 0.232), so digits past what the page states may differ between machines;
# integers are compared exactly (see PrecisionChecker).
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | NUMBER
OUTPUTS = "__exec_outputs__"
RUN_STATE = "__page_run__"

ATTRIBUTE = re.compile(r'([A-Za-z_][\w-]*)="([^"]*)"')
SNIPPET_LINE = re.compile(r'^[ \t]*-+8<-+[ \t]+"(?P<target>[^"]+)"[ \t]*$')


# --- configuration shared with mkdocs.yml ------------------------------------------

class _MkDocsLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Reads mkdocs.yml without MkDocs: ``!relative`` becomes the config directory.
    (libyaml's loader when PyYAML has it: the pure-Python one takes 0.1 s a read.)"""


_MkDocsLoader.add_constructor("!relative", lambda loader, node: str(ROOT))
_MkDocsLoader.add_constructor("!ENV", lambda loader, node: None)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> dict[str, Any]:
    """mkdocs.yml as data, read once per version of the file (a fresh copy each call,
    which the caller may change)."""
    stat = Path(mkdocs_yml).stat()
    return copy.deepcopy(read_config(Path(mkdocs_yml), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def read_config(mkdocs_yml: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    """mkdocs.yml as data (``mkdocs_config``; the time and size key the cache)."""
    return yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_MkDocsLoader)


def snippet_config(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> dict[str, Any]:
    """The pymdownx.snippets options of the site, so the tests expand snippets as the build does."""
    config = mkdocs_config(mkdocs_yml)
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            options = dict(entry["pymdownx.snippets"] or {})
            base = options.get("base_path", ".")
            bases = base if isinstance(base, list) else [base]
            options["base_path"] = [str((ROOT / b).resolve()) for b in bases]
            return options
    raise RuntimeError(f"{mkdocs_yml}: pymdownx.snippets is not configured")


def page_language(path: str | Path) -> str:
    """``page.zh.md`` is the Chinese twin of ``page.md`` (and ``lab.zh.py`` of ``lab.py``)."""
    return "zh" if Path(path).suffixes[-2:-1] == [".zh"] else "en"


# --- snippet expansion ---------------------------------------------------------------

# The sections of a docstring that document an interface: the API reference shows them;
# the code a page embeds leaves them out, so that a class reads like its formula.
INTERFACE_SECTION = re.compile(r"^([ \t]*)(?:Args|Returns|Yields|Raises|Attributes):[ \t]*$")
QUOTES = '"""'


def shown_lines(lines: list[str], width: int = 84) -> list[str | None]:
    """Package code as a page shows it: each docstring without its Args, Returns,
    Yields, Raises and Attributes sections.

    One entry per line of ``lines``: the line, None for a line left out, or (when a
    docstring keeps only its first line) that line closed with its quotes, if it still
    fits in ``width`` columns. Line numbers stay those of the file: the page runner
    executes the code with dropped lines blank, so a traceback points at the source.
    """
    from handbook.language import columns

    shown: list[str | None] = list(lines)
    start: int | None = None  # the opening line of the docstring being read
    dropping: int | None = None  # the indentation of the section being left out
    for i, line in enumerate(lines):
        stripped = line.strip()
        if start is None:
            opening = stripped.removeprefix("r")
            if opening.startswith(QUOTES) and opening.count(QUOTES) == 1:
                start = i
            continue
        closing = QUOTES in line
        indent = len(line) - len(line.lstrip())
        if dropping is not None and (not stripped or indent > dropping) and not closing:
            shown[i] = None
            continue
        dropping = None
        header = INTERFACE_SECTION.match(line)
        if header:
            dropping = len(header.group(1))
            shown[i] = None
            j = i - 1
            while j > start and not lines[j].strip():
                shown[j] = None  # the blank line that separated the section
                j -= 1
            continue
        if closing:
            kept = [j for j in range(start, i + 1) if shown[j] is not None]
            first = lines[start].rstrip()
            if (kept == [start, i] and stripped == QUOTES and first.strip() != QUOTES
                    and columns(first + QUOTES) <= width):
                shown[start], shown[i] = first + QUOTES, None
            start = None
    return shown


def shown_code(lines: list[str]) -> list[str]:
    """The lines of package code a page shows (``shown_lines`` without the left-out ones)."""
    return [line for line in shown_lines(lines) if line is not None]


def run_code(lines: list[str]) -> list[str]:
    """The lines of package code the page runner executes: what the page shows, with the
    left-out lines blank, so that line numbers stay the file's."""
    return ["" if line is None else line for line in shown_lines(lines)]


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
            indent = line[: len(line) - len(line.lstrip())]
            code = self.snippet(line)
            origin = self.locate(target, code.split("\n"))
            code = "\n".join(run_code(code.split("\n")))
            if origin is None:
                segments.append(Segment(textwrap.indent(code, indent), page, first_line + offset))
            else:
                segments.append(Segment(textwrap.indent(code, indent), origin[0], origin[1]))
        flush()
        return segments

    def snippet(self, line: str) -> str:
        """The code a snippet line stands for, dedented, as the file has it."""
        expanded = self.expand([line])
        while expanded and not expanded[-1].strip():
            expanded.pop()  # the blank lines before an end marker: the build drops them
        return textwrap.dedent("\n".join(expanded))

    def has_snippets(self, source: str) -> bool:
        return any(SNIPPET_LINE.match(line) for line in source.split("\n"))

    def shown(self, markdown_text: str) -> str:
        """The page with the snippet lines of its code blocks replaced by the code a
        page shows (``shown_code``): what the build renders and a reader copies."""
        pieces, position = [], 0
        for fence in fences(markdown_text):
            if not self.has_snippets(fence.raw_body):
                continue
            lines = []
            for line in fence.raw_body.split("\n"):
                if SNIPPET_LINE.match(line):
                    indent = line[: len(line) - len(line.lstrip())]
                    code = "\n".join(shown_code(self.snippet(line).split("\n")))
                    lines.append(textwrap.indent(code, indent))
                else:
                    lines.append(line)
            start = fence.body_start
            pieces += [markdown_text[position:start], "\n".join(lines)]
            position = start + len(fence.raw_body)
        pieces.append(markdown_text[position:])
        return "".join(pieces)


def is_exec(attributes: dict[str, str]) -> bool:
    return attributes.get("exec", "").lower() in ("on", "true", "1", "yes")


# --- evaluation ------------------------------------------------------------------------

class PageBlockEvaluator:
    """Executes one Python block of a page (plain, snippet-embedding or exec="on")."""

    def __init__(self, expander: SnippetExpander, attributes: dict[str, str]):
        self.expander = expander
        self.attributes = attributes

    def __call__(self, example: Example) -> str | None:
        __tracebackhide__ = True
        source = str(example.parsed)
        first_line = example.line + example.parsed.line_offset + 1
        compiled = self.compile(source, example.path, first_line)
        if not is_exec(self.attributes):
            for code in compiled:
                exec(code, example.namespace)
            example.namespace.pop("__builtins__", None)
            return None
        stdout = io.StringIO()
        with redirect_stdout(stdout):
            for code in compiled:
                exec(code, example.namespace)
        example.namespace.pop("__builtins__", None)
        printed = stdout.getvalue()
        example.namespace.setdefault(OUTPUTS, {})[example.region.start] = printed
        if not printed.strip():
            return f'{example.path}, line {example.line}: an exec="on" block printed nothing'
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


class PrecisionChecker(OutputChecker):
    """Sybil's NUMBER check in exact decimal arithmetic.

    A float written with ``k`` decimals (or a mantissa of ``k`` decimals and an
    exponent) accepts a printed value within one unit of its last digit. Sybil compares
    in binary floating point, where 0.855 - 0.854 exceeds 0.001, so a last digit one
    off would pass or fail by accident; here it always passes.
    """

    def _remove_unwanted_precision(self, want: str, got: str) -> str:
        from decimal import Decimal

        wants = list(self._number_re.finditer(want))
        gots = list(self._number_re.finditer(got))
        if len(wants) != len(gots):
            return got
        pieces, position = [], 0
        for w, g in zip(wants, gots):
            exponent = w.group("exponent1") or w.group("exponent2")
            places = len(w.group("fraction") or "") - int(exponent or 0)
            close = abs(Decimal(w.group()) - Decimal(g.group())) <= Decimal(1).scaleb(-places)
            pieces.append(got[position:g.start()])
            pieces.append(w.group() if close else g.group())
            position = g.end()
        return "".join(pieces) + got[position:]


class PrecisionEvaluator(DocTestEvaluator):
    """Sybil's doctest evaluator with the exact ``PrecisionChecker``."""

    def __init__(self, optionflags: int = 0) -> None:
        super().__init__(optionflags)
        self.runner._checker = PrecisionChecker()


class PythonFenceParser:
    """Finds every ```python fence, attributes or not, and makes a runnable example of it."""

    def __init__(self, expander: SnippetExpander):
        self.expander = expander
        self.doctest = DocTestStringParser(PrecisionEvaluator(DOCTEST_FLAGS))

    def __call__(self, document: Document):
        document.namespace.setdefault("__file__", document.path)
        document.namespace.setdefault("__name__", "__main__")
        regions = list(self.regions(document))
        for i, region in enumerate(regions):
            region.evaluator = RecordingEvaluator(region.evaluator, last=i == len(regions) - 1)
            yield region

    def regions(self, document: Document):
        for fence in fences(document.text):
            if not fence.is_python:
                continue
            attributes = dict(ATTRIBUTE.findall(fence.attributes))
            source = Lexeme(fence.body, offset=fence.body_start - fence.start, line_offset=0)
            region = Region(fence.start, fence.end, lexemes={"source": source})
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


# --- remembering what a page printed ----------------------------------------------------

def fingerprint(path: str | Path, *runners: Path) -> str:
    """Changes whenever the file, the package, the given runner files or the pinned dependencies change."""
    digest = hashlib.sha256(Path(path).read_bytes())
    sources = sorted((ROOT / "handbook").rglob("*.py")) + [*runners, ROOT / "requirements.lock"]
    for source in sources:
        digest.update(source.relative_to(ROOT).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_key(page: str | Path) -> str:
    """The page's outputs depend on the page, the package, this runner, the OpenBLAS pin and the snippet settings."""
    return fingerprint(page, Path(__file__), ROOT / "hooks" / "blas.py", ROOT / "mkdocs.yml")


def cache_folder() -> Path:
    """Where page outputs are kept; a run that skips figures keeps its own, apart from
    the build's (its figures are empty)."""
    folder = Path(os.environ.get("HANDBOOK_PAGE_CACHE", ROOT / ".cache" / "page-outputs"))
    return folder / "without-figures" if skipping_figures() else folder


def cached_outputs(page: str | Path, partial: bool = True) -> list[str] | None:
    """What the page's exec="on" blocks printed the last time all of its blocks passed;
    with ``partial``, failing that, the last time every block up to its last exec="on"
    one passed (``run_page(..., through_exec=True)``, what ``serve`` runs first)."""
    key = cache_key(page)
    for name in (f"{key}.json", f"{key}.exec.json") if partial else (f"{key}.json",):
        entry = cache_folder() / name
        if entry.exists():
            return json.loads(entry.read_text(encoding="utf-8"))
    return None


def _remember_outputs(page: str | Path, namespace: dict[str, Any], suffix: str = "") -> None:
    outputs = namespace.get(OUTPUTS, {})
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    entry = folder / f"{cache_key(page)}{suffix}.json"
    entry.write_text(json.dumps([outputs[start] for start in sorted(outputs)]), encoding="utf-8")


class RecordingEvaluator:
    """Notes failures; once the last block of a page has passed, remembers the page's outputs.

    The build then reuses the outputs of a page whose every block passed under pytest
    with the same code, instead of running the page a second time.
    """

    def __init__(self, evaluator: Any, last: bool):
        self.evaluator = evaluator
        self.last = last

    def __call__(self, example: Example) -> str | None:
        __tracebackhide__ = True
        state = example.namespace.setdefault(RUN_STATE, {"failed": False})
        try:
            result = self.evaluator(example)
        except NotEvaluated:
            raise
        except BaseException:
            state["failed"] = True
            raise
        if result:
            state["failed"] = True
        elif self.last and not state["failed"]:
            _remember_outputs(example.path, example.namespace)
        return result


# --- per-page set-up -------------------------------------------------------------------

def skipping_figures() -> bool:
    """Whether figures are built without being drawn (``HANDBOOK_SKIP_FIGURES=1``)."""
    return os.environ.get("HANDBOOK_SKIP_FIGURES") == "1"


def _empty_svg(figure: Any, target: Any, **options: Any) -> None:
    """Figure.savefig in a run that skips figures: the figure is built, not drawn."""
    target.write('<svg xmlns="http://www.w3.org/2000/svg"></svg>')


def _setup(namespace: dict[str, Any]) -> None:
    language = page_language(namespace["__file__"])
    os.environ["HANDBOOK_LANG"] = language
    if skipping_figures():
        from matplotlib.figure import Figure

        Figure.savefig = _empty_svg
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


def covered_by_twin(path: str | Path) -> bool:
    """Whether running a Chinese page would only repeat its English twin.

    A ``.zh.md`` page without ``exec="on"`` blocks (nothing of it goes into the
    build) whose fenced blocks are its twin's, to the character, outputs included,
    runs the same code and checks the same outputs: the English run has checked
    them. ``tests/test_parity.py`` keeps the blocks identical.
    """
    path = Path(path)
    if not path.name.endswith(".zh.md"):
        return False
    twin = path.with_name(path.name[: -len(".zh.md")] + ".md")
    if not twin.exists():
        return False
    text = path.read_text(encoding="utf-8")
    if exec_fences(text):
        return False

    def blocks(markdown_text: str) -> list[tuple[str, str]]:
        return [(fence.info.strip(), fence.body) for fence in fences(markdown_text)]

    return blocks(text) == blocks(twin.read_text(encoding="utf-8"))


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


# --- the build's side: run a page, then put its exec="on" outputs into it ---------------

class PageError(RuntimeError):
    """A page's code failed while the site was being built."""


def exec_fences(text: str) -> list[tuple[int, int, dict[str, str], str]]:
    """The exec="on" fences of a Markdown text: (start, end, attributes, source) in page order."""
    found = []
    for fence in fences(text):
        attributes = dict(ATTRIBUTE.findall(fence.attributes))
        if fence.language == "python" and is_exec(attributes):
            found.append((fence.start, fence.end, attributes, fence.body))
    return found


def run_page(path: str | Path, through_exec: bool = False) -> list[str]:
    """Run every block of one page as the tests do; return what its exec="on" blocks printed.

    A page whose blocks all passed with the same code before (under pytest, or in an
    earlier build) is not run again: its outputs come from the cache. With
    ``through_exec``, the run stops after the last exec="on" block, which is all the
    build needs (the exercises and the PyTorch section come later on a page), and
    caches its outputs apart from a whole run's; ``serve`` starts that way.
    """
    from unittest import SkipTest

    path = Path(path).resolve()
    cached = cached_outputs(path)
    if cached is not None:
        return cached
    found = exec_fences(path.read_text(encoding="utf-8")) if through_exec else []
    last = found[-1][0] if found else None
    sybil = make_sybil(path=path.parent, patterns=(path.name,))
    document = sybil.parse(path)
    sybil.setup(document.namespace)
    try:
        for example in document:
            if last is not None and example.start > last:
                break
            try:
                example.evaluate()
            except SkipTest:
                continue
            except Exception as error:
                raise PageError(f"{path}, line {example.line}: {type(error).__name__}: {error}") from error
        if last is not None:
            _remember_outputs(path, document.namespace, suffix=".exec")
        outputs = document.namespace.get(OUTPUTS, {})
        return [outputs[start] for start in sorted(outputs)]
    finally:
        sybil.teardown(document.namespace)


# A figure's caption: a block right after the exec="on" fence that draws it,
#
#     /// caption
#     What the figure shows, and what to see in it.
#     ///
#
# (the syntax of pymdownx.blocks.caption). The build numbers the page's figures.
CAPTION = re.compile(r"\A(?:[ \t]*\n)*/// caption[ \t]*\n(.*?)\n///[ \t]*(?:\n|\Z)", re.DOTALL)
FIGURE_PREFIX = {"en": "Figure {}.", "zh": "图 {}"}


def plain(caption: str) -> str:
    """A caption's text without its Markdown, for the figure's accessible name."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", caption)
    text = re.sub(r"[`*$\\]", "", text)
    return html.escape(" ".join(text.split()), quote=True)


def as_figure(output: str, caption: str, number: int, prefix: str) -> str:
    """An output that draws a figure, with its caption: ``<figure id="figure-N">`` and a
    ``<figcaption>`` that starts with ``prefix`` (its ``{}`` is N); the caption also
    names the drawing for screen readers."""
    text = caption.strip()
    output = output.replace("<svg ", f'<svg aria-label="{plain(text)}" ', 1)
    return (f'<figure class="handbook-figure" id="figure-{number}" markdown="1">\n'
            f'{output.rstrip()}\n<figcaption markdown="span"><span class="caption-prefix">'
            f'{prefix.format(number)}</span> {text}</figcaption>\n</figure>\n')


def render_exec_blocks(markdown_text: str, outputs: list[str], details_title: str = "Code",
                       figure_prefix: str = FIGURE_PREFIX["en"]) -> str:
    """Replace each exec="on" fence by its source (unless hidden) and what it printed.

    An output followed by a caption block becomes a numbered figure: ``<figure
    id="figure-N">`` with the output and a ``<figcaption>`` that starts with
    ``figure_prefix`` (its ``{}`` is N); the caption also names the drawing for
    screen readers."""
    fences = exec_fences(markdown_text)
    if len(fences) != len(outputs):
        raise PageError(f"{len(fences)} exec blocks but {len(outputs)} outputs")
    pieces, position, figures = [], 0, 0
    for (start, end, attributes, source), output in zip(fences, outputs):
        pieces.append(markdown_text[position:start])
        shown = {k: v for k, v in attributes.items() if k not in ("exec", "source")}
        info = " ".join(f'{k}="{v}"' for k, v in shown.items())
        code = f"```python {info}".rstrip() + f"\n{source.rstrip()}\n```\n"
        where = attributes.get("source", "above")
        if where == "details":
            code = f'??? example "{details_title}"\n\n' + textwrap.indent(code, "    ")
        elif where == "hidden":
            code = ""
        elif where != "above":
            raise PageError(f'source="{where}": expected "above", "details" or "hidden"')
        as_markdown = "0" if output.lstrip().startswith("<") else "1"  # raw HTML (a figure) or Markdown (a table)
        shown_output = f'<div class="handbook-output" markdown="{as_markdown}">\n\n{output.strip()}\n\n</div>\n'
        position = end
        caption = CAPTION.match(markdown_text[end:])
        if caption:
            if "<svg" not in output:
                raise PageError(f"a caption follows an exec block that draws no figure: "
                                f"{caption.group(1)[:60]!r}")
            figures += 1
            shown_output = as_figure(shown_output, caption.group(1), figures, figure_prefix)
            position = end + caption.end()
        pieces.append(f"{code}\n{shown_output}")
    pieces.append(markdown_text[position:])
    return "".join(pieces)
