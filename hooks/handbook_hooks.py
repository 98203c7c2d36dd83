"""MkDocs hooks of the handbook site.

* Before each build, forget the imported ``handbook`` modules, so that
  ``mkdocs serve`` runs the pages' code against the package as it is now.
* A page with ``exec="on"`` blocks is run whole, block by block, by the same runner
  as the tests (``hooks/pages.py``), with figure labels in the page's language; what
  those blocks print (figures as inline SVG, tables) is put into the page.
* In Chinese pages, a line break between two Chinese characters is removed before
  rendering: Markdown turns it into a space, which Chinese text does not have.
* A doctest block (a ``python`` fence starting with ``>>>``) is highlighted as a Python
  console session (``pycon``), so that its prompts and printed output carry Pygments'
  ``gp`` and ``go`` classes; ``handbook.css`` hides them while the copy button copies,
  and the reader copies code that runs as pasted.
* Each lab (``docs/labs/*.py``) is executed by ``hooks/labs.py`` (or taken from the
  test run's cache) and handed to mkdocs-jupyter as the executed notebook; its page
  loses nbconvert's CDN scripts and gains a download button.
* Package names quoted as inline code (``hb.fit``) link to the API reference
  (``hooks/api_links.py``).
* The ``<link rel="alternate" hreflang>`` tags that the i18n plugin puts in every
  page's head are removed: Material's scripts take each of them for the root of a
  language version and request ``sitemap.xml`` beside it (``/zh/page/sitemap.xml``),
  a failed request on every page. The language links stay in the header switcher
  (kept pointing at the current page's twin by ``language-switcher.js``), and
  ``sitemap.xml`` keeps the hreflang pairs for search engines.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.blas import pin_kernels  # noqa: E402

pin_kernels()  # the digits the pages print depend on OpenBLAS's kernels (see hooks/blas.py)

from hooks.api_links import link_api_names  # noqa: E402
from hooks.fences import blank_fences, fences  # noqa: E402
from hooks.labs import LabError, execute as execute_lab  # noqa: E402
from hooks.pages import PageError, exec_fences, page_language, render_exec_blocks, run_page  # noqa: E402

HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
DETAILS_TITLE = {"en": "Code for this output", "zh": "生成此结果的代码"}


@event_priority(-200)  # after mkdocs-static-i18n has re-created the files (mkdocs-jupyter issue #198)
def on_files(files, config):
    """Hand each lab to mkdocs-jupyter as its executed notebook, at labs/<name>/ and zh/labs/<name>/.

    The lab runs now unless the test run already executed this version of it.
    """
    from mkdocs_jupyter.plugin import NotebookFile

    for file in [f for f in files if f.src_uri.startswith("labs/") and f.src_uri.endswith(".py")]:
        try:
            notebook = str(execute_lab(file.abs_src_path))
        except LabError as error:
            raise PluginError(str(error)) from error
        page = NotebookFile(file, **config)
        page.abs_src_path = notebook
        page.dest_uri = page.dest_path = file.dest_uri.removesuffix(".py") + "/index.html"
        page.abs_dest_path = str(Path(config["site_dir"]) / page.dest_path)
        page.url = page.dest_path.removesuffix("index.html")
        # The language switcher's links (i18n's alternates) must lead to the twin lab page, not its source.
        page.alternates = {language: SimpleNamespace(url=twin.url.removesuffix(".py") + "/")
                           for language, twin in getattr(file, "alternates", {}).items()}
        files.remove(file)
        files.append(page)
    return files


def on_pre_build(config, **kwargs) -> None:
    for name in [m for m in sys.modules if m == "handbook" or m.startswith("handbook.")]:
        del sys.modules[name]


@event_priority(-200)  # after mkdocs-static-i18n has set up the page
def on_page_markdown(markdown: str, page, config, files) -> str:
    source = page.file.abs_src_path
    if exec_fences(markdown):
        try:
            outputs = run_page(source)
            markdown = render_exec_blocks(markdown, outputs, DETAILS_TITLE[page_language(source)])
        except PageError as error:
            raise PluginError(f"Running the code of {page.file.src_uri} failed: {error}") from error
    markdown = as_console_sessions(markdown)
    return join_chinese_lines(markdown) if page_language(source) == "zh" else markdown


def as_console_sessions(markdown: str) -> str:
    """Highlight doctest blocks as console sessions (``pycon``): prompts and output get classes."""
    pieces, position = [], 0
    for fence in fences(markdown):
        if fence.is_doctest and fence.language != "pycon":
            info_start = fence.body_start - len(fence.info) - 1
            pieces.append(markdown[position:info_start])
            pieces.append(fence.info.replace(fence.language, "pycon", 1))
            position = fence.body_start - 1
    pieces.append(markdown[position:])
    return "".join(pieces)


CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
CJK_LINE_BREAK = re.compile(f"(?<=[{CJK}])\n(?=[{CJK}])")
# Besides code blocks: display math and the outputs the build inserts.
PROTECTED = re.compile(r"^\$\$.*?^\$\$[ \t]*$|<div class=\"handbook-output\".*?</div>",
                       re.MULTILINE | re.DOTALL)


NOTEBOOK_SCRIPTS = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
                              r"|<script type=\"module\">(?:(?!</script>).)*?mermaid.*?</script>", re.DOTALL)
DOWNLOAD = {"en": "Download this lab as a notebook", "zh": "下载本实验的 notebook"}
NOTEBOOK_FIGURE_ALT = 'alt="No description has been provided for this image"'
FIGURE_ALT = {"en": 'alt="Figure drawn by the cell above"', "zh": 'alt="上面的代码单元画出的图"'}


def on_page_content(html: str, page, config, files) -> str:
    """Link the package names quoted on a page to the API reference; on a lab page, drop the CDN
    scripts of nbconvert's template (MathJax, Mermaid; KaTeX renders the formulas) and offer the
    executed notebook for download (mkdocs-jupyter copies it beside the page)."""
    language = "zh" if page.file.dest_uri.startswith("zh/") else "en"
    if not page.url.removeprefix("zh/").startswith("reference/"):
        html = link_api_names(html, page.url, "zh/" if language == "zh" else "")
    source = page.file.abs_src_path or ""
    if not source.endswith(".ipynb"):
        return html
    name = Path(source).name
    button = f'<p><a class="md-button" href="{name}" download>{DOWNLOAD[language]} ({name})</a></p>'
    html = heading_ids_from_toc(NOTEBOOK_SCRIPTS.sub("", html), page.toc).replace(NOTEBOOK_FIGURE_ALT, FIGURE_ALT[language])
    heading_end = html.find("</h1>")
    return html[:heading_end + 5] + button + html[heading_end + 5:] if heading_end >= 0 else button + html


NOTEBOOK_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#[^"]*">', re.DOTALL)


def heading_ids_from_toc(html: str, toc) -> str:
    """Give a notebook's headings the ids of the page's table of contents.

    nbconvert derives ids from the ASCII letters of a heading only, so Chinese headings
    get ids such as "1" (twice) or "" and the table of contents, made by Python-Markdown
    with unique ids, would point nowhere. Both list the same headings in the same order.
    """
    def flatten(items):
        for item in items:
            yield item
            yield from flatten(item.children)

    anchors = [item.id for item in flatten(toc)]
    if len(anchors) != len(NOTEBOOK_HEADING.findall(html)):
        return html  # not the same headings: leave them (the link check reports broken anchors)
    ids = iter(anchors)

    def rename(match: re.Match) -> str:
        anchor = next(ids)
        return f'<h{match.group(1)} id="{anchor}">{match.group(3)}<a class="anchor-link" href="#{anchor}">'

    return NOTEBOOK_HEADING.sub(rename, html)


def join_chinese_lines(markdown: str) -> str:
    """Join lines broken between two Chinese characters, outside code, display math and outputs."""
    spans = [(fence.start, fence.end) for fence in fences(markdown)]
    spans += [m.span() for m in PROTECTED.finditer(blank_fences(markdown))]
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start < position:  # inside a block already kept (an output's code)
            continue
        pieces.append(CJK_LINE_BREAK.sub("", markdown[position:start]))
        pieces.append(markdown[start:end])
        position = end
    pieces.append(CJK_LINE_BREAK.sub("", markdown[position:]))
    return "".join(pieces)


def without_head_alternates(html: str) -> str:
    head, separator, body = html.partition("</head>")
    return HEAD_ALTERNATE.sub("", head) + separator + body


def on_post_page(output: str, page, config) -> str:
    return without_head_alternates(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    return without_head_alternates(output_content)


class _SwitcherWarningFilter(logging.Filter):
    """mkdocs-static-i18n warns that its switcher links go stale under instant navigation;
    language-switcher.js keeps them current, so the warning does not apply here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "not compatible with theme.features = navigation.instant" not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_SwitcherWarningFilter())
