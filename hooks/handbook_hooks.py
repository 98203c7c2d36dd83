"""MkDocs hooks of the handbook site.

* Before each build, forget the imported ``handbook`` modules, so that
  ``mkdocs serve`` runs the pages' code against the package as it is now.
* A page with ``exec="on"`` blocks is run whole, block by block, by the same runner
  as the tests (``hooks/pages.py``), with figure labels in the page's language; what
  those blocks print (figures as inline SVG, tables) is put into the page.
* A Chinese heading takes the anchor of its English twin's heading (``hooks/anchors.py``).
* The exercises page gets the list of every chapter page's exercises
  (``hooks/exercises.py``).
* In Chinese pages, a line break between two Chinese characters is removed before
  rendering: Markdown turns it into a space, which Chinese text does not have.
* A doctest block (a ``python`` fence starting with ``>>>``) is highlighted as a Python
  console session (``pycon``), so that its prompts and printed output carry Pygments'
  ``gp`` and ``go`` classes; ``handbook.css`` hides them while the copy button copies,
  and the reader copies code that runs as pasted.
* Each lab (``docs/labs/*.py``) is executed by ``hooks/labs.py`` (or taken from the
  test run's cache) and becomes a page like the others, from the Markdown that
  ``hooks/lab_pages.py`` writes of the executed notebook (code cells as Python blocks,
  outputs as chapter pages show them), with a download button for the notebook, made
  self-contained: its first cell installs the package from the wheel the site serves
  at ``downloads/``, its links lead to the published pages.
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
import posixpath
import re
from html import escape, unescape
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.blas import pin_kernels  # noqa: E402

pin_kernels()  # the digits the pages print depend on OpenBLAS's kernels (see hooks/blas.py)

from hooks.anchors import with_english_anchors  # noqa: E402
from hooks.api_links import link_api_names  # noqa: E402
from hooks.fences import blank_fences, fences  # noqa: E402
from hooks.figures import as_figure_files  # noqa: E402
from hooks import exercises  # noqa: E402
from hooks.home import with_thumbnails  # noqa: E402
from hooks import lab_pages  # noqa: E402
from hooks.labs import LabError, execute as execute_lab, lab_name  # noqa: E402
from hooks.search import build_index, with_search_markup  # noqa: E402
from hooks.pages import (  # noqa: E402
    FIGURE_PREFIX, PageError, SnippetExpander, exec_fences, page_language, render_exec_blocks,
    run_page, snippet_config)

HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
DETAILS_TITLE = {"en": "Code for this output", "zh": "生成此结果的代码"}
SNIPPETS = SnippetExpander(snippet_config())
LAST_LANGUAGE = "zh"  # the last of mkdocs.yml's i18n languages, built last


class LabPage(File):
    """A lab's page: Markdown written from its executed notebook (``content_string``);
    ``abs_src_path`` stays the lab's source, which tells the hooks its language and twin."""

    def is_documentation_page(self) -> bool:
        return True


def site_url_of(config) -> str:
    """The address the site is built for; ``mkdocs serve``'s own when none is set."""
    return config["site_url"] or "http://127.0.0.1:8000/"


@event_priority(-200)  # after mkdocs-static-i18n has re-created the files
def on_files(files, config):
    """Make each lab a page, at labs/<name>/ and zh/labs/<name>/, with its notebook for
    download beside it, and serve the package's wheel at downloads/.

    A lab runs now unless the test run already executed this version of it.
    """
    language = "zh" if config["theme"]["language"] == "zh" else "en"
    site_url = site_url_of(config)
    try:
        wheel = lab_pages.wheel()
    except RuntimeError as error:
        raise PluginError(str(error)) from error
    files.append(File.generated(config, lab_pages.wheel_uri(), abs_src_path=str(wheel)))
    labs = [f for f in files if f.src_uri.startswith("labs/") and f.src_uri.endswith(".py")]
    pages = {}
    for file in labs:
        page = LabPage.__new__(LabPage)
        page.__dict__.update(file.__dict__)  # i18n's attributes (locale, alternates) included
        page.dest_uri = file.dest_uri.removesuffix(".py") + "/index.html"
        page.abs_dest_path = str(Path(config["site_dir"]) / page.dest_uri)
        page.url = page.dest_uri.removesuffix("index.html")
        # The language switcher's links (i18n's alternates) must lead to the twin lab page, not its source.
        page.alternates = {lang: SimpleNamespace(url=twin.url.removesuffix(".py") + "/")
                           for lang, twin in getattr(file, "alternates", {}).items()}
        files.remove(file)
        files.append(page)
        pages[file] = page

    def url_of(path: str) -> str | None:
        found = files.get_file_from_path(path)
        return found.url if found is not None and found.is_documentation_page() else None

    for file, page in pages.items():
        try:
            executed = nbformat.read(execute_lab(file.abs_src_path), as_version=4)
        except LabError as error:
            raise PluginError(str(error)) from error
        name = lab_name(file.abs_src_path)
        wheel_link = posixpath.relpath(lab_pages.wheel_uri(), "labs")
        note = lab_pages.download_note(name, language, site_url, wheel_link)
        try:
            page.content_string = lab_pages.page_markdown(executed, language, note)
            resolve = lab_pages.link_resolver(file.src_uri, page.url, site_url, url_of)
            notebook = lab_pages.downloadable(
                executed, lab_pages.install_command(site_url, language), resolve, language)
        except ValueError as error:
            raise PluginError(f"{file.src_uri}: {error}") from error
        page.abs_src_path = file.abs_src_path  # content_string unset it
        download = File.generated(config, f"labs/{name}/{name}.ipynb",
                                  content=lab_pages.notebook_json(notebook))
        download.dest_uri = page.dest_uri.removesuffix("index.html") + f"{name}.ipynb"
        download.abs_dest_path = str(Path(config["site_dir"]) / download.dest_uri)
        download.url = download.dest_uri
        files.append(download)
    return files


def on_pre_build(config, **kwargs) -> None:
    for name in [m for m in sys.modules if m == "handbook" or m.startswith("handbook.")]:
        del sys.modules[name]


@event_priority(-200)  # after mkdocs-static-i18n has set up the page
def on_page_markdown(markdown: str, page, config, files) -> str:
    source = page.file.abs_src_path
    markdown = SNIPPETS.shown(markdown)  # package code without its docstrings' Args etc.
    if page_language(source) == "zh":
        markdown = with_english_anchors(markdown, source, config)
    if page.file.src_uri in ("index.md", "index.zh.md"):
        markdown = with_thumbnails(markdown, source, config["site_dir"])
    if exercises.MARKER in markdown:
        markdown = markdown.replace(exercises.MARKER,
                                    exercises.index_markdown(page_language(source), config))
    if exec_fences(markdown):
        try:
            outputs = run_page(source)
            language = page_language(source)
            markdown = render_exec_blocks(markdown, outputs, DETAILS_TITLE[language],
                                          FIGURE_PREFIX[language])
        except PageError as error:
            raise PluginError(f"Running the code of {page.file.src_uri} failed: {error}") from error
    markdown = as_figure_files(markdown, page.url, config["site_dir"])  # a lab's figures too
    markdown = as_console_sessions(with_install_command(markdown, page_language(source), config))
    return join_chinese_lines(markdown) if page_language(source) == "zh" else markdown


INSTALL_MARKER = "<!-- pip install from this site -->"


def with_install_command(markdown: str, language: str, config) -> str:
    """Replace the marker line by the shell block that installs the package from the
    wheel this site serves (the labs' notebooks run the same command first)."""
    site_url = site_url_of(config)
    return markdown.replace(INSTALL_MARKER, lab_pages.install_block(site_url, language))


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


HAN = "\u4e00-\u9fff"
# Full-width punctuation, CJK brackets and the curly quotes Chinese text uses.
CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026"
CJK = HAN + CJK_PUNCTUATION
# A line break, with the indentation of the next line (a list item's continuation).
LINE_BREAK = re.compile(r"(?<=\S)\n[ \t]*(?=\S)")
# A next line that starts a block of its own: a list item, heading, table row, quote,
# admonition, HTML, display math, a fence or a block (/// solution).
BLOCK_START = re.compile(r"(?:[-*+][ \t]|\d+[.)][ \t]|#|\||>|!!!|\?\?\?|<|\$\$|```|~~~|:::|///)")
LINK_TARGET_END = re.compile(r"\]\([^()\s]*\)$")
FOLLOWS_CHINESE = re.compile(f"(?:\\*{{1,2}}|\\[)[{CJK}]")  # **粗体 or [链接 right after Chinese
# Besides code blocks: display math and the outputs the build inserts.
PROTECTED = re.compile(r"^\$\$.*?^\$\$[ \t]*$|<div class=\"handbook-output\".*?</div>",
                       re.MULTILINE | re.DOTALL)


# The interface words that Python-Markdown and mkdocstrings write in English
# whatever the page's language (Material translates its own).
CHINESE_INTERFACE = [
    ('title="Permanent link"', 'title="本节的链接"'),
    ('title="Copy to Clipboard"', 'title="复制到剪贴板"'),
    ('title="Copy to clipboard"', 'title="复制到剪贴板"'),
    (">Copy to Clipboard<", ">复制到剪贴板<"),
    ('aria-label="Copy to Clipboard"', 'aria-label="复制到剪贴板"'),
    ("Bases: ", "基类："),
    ("<code>instance-attribute</code>", "<code>实例属性</code>"),
    ("<code>class-attribute</code>", "<code>类属性</code>"),
    ("<code>module-attribute</code>", "<code>模块属性</code>"),
    ("<code>property</code>", "<code>特性</code>"),
    ("<code>staticmethod</code>", "<code>静态方法</code>"),
    ("<code>classmethod</code>", "<code>类方法</code>"),
    ("<code>dataclass</code>", "<code>数据类</code>"),
]


def in_chinese(html: str) -> str:
    for english, chinese in CHINESE_INTERFACE:
        html = html.replace(english, chinese)
    return html


FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
SENTENCE_END = {"en": re.compile(r"(?<=[.!?])\s"), "zh": re.compile(r"(?<=[。！？])")}
DESCRIPTION_LENGTH = {"en": 160, "zh": 80}  # characters; a Chinese one says more


def description(html: str, language: str) -> str:
    """The page's meta description: its first paragraph, cut after the last sentence
    that fits (search engines show about 160 Latin or 80 Chinese characters)."""
    for match in FIRST_PARAGRAPH.finditer(html):
        text = " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())
        if len(text) >= 20:  # not a button or a one-word line
            break
    else:
        return ""
    limit = DESCRIPTION_LENGTH[language]
    if len(text) <= limit:
        return text
    cuts = [m.start() for m in SENTENCE_END[language].finditer(text) if m.start() <= limit]
    return text[: cuts[-1]].strip() if cuts else text[: limit - 1].rstrip() + "…"


# A debugging entry's run-in labels, and the callout each paragraph becomes (handbook.css).
CALLOUTS = {"Symptom.": "symptom", "症状。": "symptom", "Likely cause.": "cause",
            "Likely causes.": "cause", "可能的原因。": "cause", "Fix.": "fix", "修正。": "fix"}
RUN_IN_LABEL = re.compile(r"<p><strong>(" + "|".join(map(re.escape, CALLOUTS)) + r")</strong>")


def as_callouts(html: str) -> str:
    """Give a debugging entry's Symptom, Likely cause and Fix paragraphs the class that
    makes them callouts: a reader scanning for their symptom sees it at once."""
    return RUN_IN_LABEL.sub(
        lambda m: f'<p class="handbook-callout handbook-callout--{CALLOUTS[m.group(1)]}">'
        f"<strong>{m.group(1)}</strong>", html)


def on_page_content(html: str, page, config, files) -> str:
    """Link the package names quoted on a page to the API reference. A Chinese page's
    interface words are Chinese."""
    language = "zh" if page.file.dest_uri.startswith("zh/") else "en"
    if language == "zh":
        html = in_chinese(html)
    # Material puts the text into the attribute as it is: escape it here
    page.meta.setdefault("description", escape(description(html, language)))
    if page.url.removeprefix("zh/").startswith("debugging/"):
        html = as_callouts(html)
    if not page.url.removeprefix("zh/").startswith("reference/"):
        html = link_api_names(html, page.url, "zh/" if language == "zh" else "")
    return html


def join_chinese_lines(markdown: str) -> str:
    """Remove the line breaks that Markdown would render as a space Chinese text does not
    have, outside code, display math and outputs: between two Chinese characters (the
    continuation line of a list item included), after full-width punctuation, and before
    bold or link text that starts with a Chinese character. A break between Chinese and
    Latin text stays: it renders as the space that belongs there."""
    spans = [(fence.start, fence.end) for fence in fences(markdown)]
    spans += [m.span() for m in PROTECTED.finditer(blank_fences(markdown))]
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start < position:  # inside a block already kept (an output's code)
            continue
        pieces.append(_join_lines(markdown[position:start]))
        pieces.append(markdown[start:end])
        position = end
    pieces.append(_join_lines(markdown[position:]))
    return "".join(pieces)


def _join_lines(text: str) -> str:
    def join(match: re.Match) -> str:
        # the last character the reader sees: bold markers and a link's target are not
        before = LINK_TARGET_END.sub("", text[: match.start()]).rstrip("*")
        previous = before[-1:] if before else ""
        following = text[match.end() : match.end() + 3]
        if not previous or BLOCK_START.match(following):
            return match.group(0)
        if re.match(f"[{CJK_PUNCTUATION}]", previous):
            return ""
        if re.match(f"[{HAN}]", previous) and (
            re.match(f"[{CJK}]", following) or FOLLOWS_CHINESE.match(following)
        ):
            return ""
        return match.group(0)

    return LINE_BREAK.sub(join, text)


def without_head_alternates(html: str) -> str:
    head, separator, body = html.partition("</head>")
    return HEAD_ALTERNATE.sub("", head) + separator + body


def on_post_page(output: str, page, config) -> str:
    return with_search_markup(without_head_alternates(output))


def on_post_build(config) -> None:
    """Index the site for search once the last language is built (mkdocs-static-i18n
    builds the other languages inside the default language's build)."""
    if config["theme"]["language"] == LAST_LANGUAGE:
        build_index(config["site_dir"])
        lab_pages.with_labs_in_sitemap(config["site_dir"], site_url_of(config), {"en": "", "zh": "zh/"})


_ENGLISH_404: list[str] = []


def on_post_template(output_content: str, template_name: str, config) -> str:
    """Both languages' builds write the site's root: the Chinese 404 page goes to
    zh/404.html instead, and the root keeps the English one (built first)."""
    output_content = without_head_alternates(output_content)
    if template_name != "404.html":
        return output_content
    if config["theme"]["language"] != "zh":
        _ENGLISH_404[:] = [output_content]
        return output_content
    chinese = Path(config["site_dir"]) / "zh" / "404.html"
    chinese.parent.mkdir(parents=True, exist_ok=True)
    chinese.write_text(output_content, encoding="utf-8")
    return _ENGLISH_404[0] if _ENGLISH_404 else output_content


class _SwitcherWarningFilter(logging.Filter):
    """mkdocs-static-i18n warns that its switcher links go stale under instant navigation;
    language-switcher.js keeps them current, so the warning does not apply here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "not compatible with theme.features = navigation.instant" not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_SwitcherWarningFilter())
