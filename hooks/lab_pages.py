"""The labs as pages of the book, and as notebooks a reader can run anywhere.

A lab's executed notebook (``hooks/labs.py``) becomes two files of the site:

* its page, ``labs/<name>/`` (``zh/labs/<name>/``), from the Markdown that
  ``page_markdown`` writes: the Markdown cells as they are, each code cell as a
  ```` ```python ```` block, and under it what the cell printed and drew, the way a
  chapter page shows the output of its code: in a ``<div class="handbook-output">``,
  a figure as inline SVG (a PNG as an ``<img>`` with ``FIGURE_ALT``), printed text as
  a doctest's output is shown (Pygments' ``go`` lines in a code block with no copy
  button, which scrolls sideways instead of wrapping). The page then goes through the
  hooks every page goes through: the headings' English anchors, math, links resolved
  and checked by MkDocs, package names linked to the reference, Chinese line joining;
* the notebook a reader downloads, ``labs/<name>/<name>.ipynb`` beside the page
  (``downloadable``): the executed notebook, outputs in its language, with a first cell
  that installs the package from the wheel this site serves (``wheel``, at
  ``downloads/``) and every link of its Markdown cells absolute, to the published page
  in the notebook's language.

``install_command`` is the one pip command for a reader outside the repository: the
notebook's first cell, the note beside the download button and ``how-to-use.md`` show it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from html import escape
from pathlib import Path

import nbformat

from hooks.pages import CAPTION, FIGURE_PREFIX, ROOT, as_figure

FIGURE_ALT = {"en": "Figure drawn by the cell above", "zh": "上面的代码单元画出的图"}
# What the labs need besides the package: scikit-learn for the digits (the data extra),
# and in Chinese the CJK font of the figures' labels (the cjk extra).
EXTRAS = {"en": "data", "zh": "data,cjk"}
DOWNLOAD = {"en": "Download this lab as a notebook", "zh": "下载本实验的 notebook"}
NOTE_TITLE = {"en": "Run this lab yourself", "zh": "自己运行本实验"}
NOTE = {
    "en": "The notebook's first cell installs the handbook package from this site's "
          "[wheel]({wheel}), with {needs}, so it runs in any Jupyter, outside this "
          "repository too. In a terminal, the same command installs the package for "
          "your own code:",
    "zh": "notebook 的第一个单元格从本网站的[安装文件]({wheel})（`.whl`）安装 `handbook` 包，"
          "同时装上{needs}，所以在任何 Jupyter 里都能运行，不必克隆本仓库。"
          "在终端里运行同一条命令，也可以把这个包装进你自己的 Python 环境。",
}
NEEDS = {"en": "scikit-learn for the digits data",
         "zh": "手写数字数据集所需的 scikit-learn 和图中中文所需的字体（mplfonts）"}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A Markdown link's target, a reference definition's (not a footnote's), or an HTML link's.
LINK = re.compile(r"(?P<open>\]\(\s*<?)(?P<target>[^)\s>]+)"
                  r"|(?P<ref>^[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*<?)(?P<reftarget>[^\s>]+)"
                  r"|(?P<href>\bhref=[\"'])(?P<hreftarget>[^\"']+)", re.MULTILINE)
ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:, ...


# --- the package, served from the site ---------------------------------------------------

def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def wheel_name() -> str:
    return f"{project()['name']}-{project()['version']}-py3-none-any.whl"


def wheel_uri() -> str:
    """Where the wheel lives in the site (both languages share it)."""
    return f"downloads/{wheel_name()}"


def wheel_url(site_url: str) -> str:
    return site_url.rstrip("/") + "/" + wheel_uri()


def install_command(site_url: str, language: str) -> str:
    """The pip command that installs the package, and what the labs need, from the site."""
    return f'pip install "{project()["name"]}[{EXTRAS[language]}] @ {wheel_url(site_url)}"'


WHEEL_SOURCES = ("pyproject.toml", "README.md", "LICENSE")


def wheel(cache: Path | None = None) -> Path:
    """The package's wheel, built (once per version of the package) with the pip and
    setuptools of this Python, offline: no build isolation, no index."""
    sources = [ROOT / name for name in WHEEL_SOURCES]
    sources += sorted(p for p in (ROOT / "handbook").rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.relative_to(ROOT).as_posix().encode() + b"\0" + source.read_bytes())
    target = (cache or ROOT / ".cache" / "wheel") / digest.hexdigest()[:32] / wheel_name()
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(prefix="handbook-wheel-") as scratch:
        tree = Path(scratch) / "src"
        tree.mkdir()
        for name in WHEEL_SOURCES:
            shutil.copy2(ROOT / name, tree / name)
        shutil.copytree(ROOT / "handbook", tree / "handbook",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        out = Path(scratch) / "out"
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                   "--no-index", "--quiet", "--wheel-dir", str(out), str(tree)]
        result = subprocess.run(command, capture_output=True, text=True)
        built = out / wheel_name()
        if result.returncode != 0 or not built.is_file():
            raise RuntimeError(f"Building the package's wheel failed ({' '.join(command)}):\n"
                               f"{result.stdout}\n{result.stderr}\n(it needs setuptools "
                               "installed beside pip: pip install setuptools)")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        shutil.copyfile(built, partial)
        partial.replace(target)
    return target


# --- the page ---------------------------------------------------------------------------

def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_block(content: str, markdown: bool = False) -> str:
    """An output as render_exec_blocks (hooks/pages.py) puts it into a chapter page."""
    return (f'<div class="handbook-output" markdown="{1 if markdown else 0}">\n\n'
            f"{content.strip()}\n\n</div>")


def printed(text: str) -> str:
    """Printed text as a doctest's output is shown: console-output lines (``go``) of a code
    block that keeps every line break, scrolls sideways and has no copy button."""
    lines = ANSI.sub("", text).rstrip("\n").split("\n")
    body = "\n".join(f'<span class="go">{escape(line, quote=False)}</span>' for line in lines)
    return output_block(f'<div class="highlight no-copy"><pre><code>{body}</code></pre></div>')


def outputs_markdown(outputs, language: str) -> list[str]:
    """What a code cell printed and drew, each output as the page shows it."""
    blocks: list[str] = []
    stream: list[str] = []  # consecutive printed text is one block

    def flush() -> None:
        if stream:
            blocks.append(printed("".join(stream)))
            stream.clear()

    for output in outputs:
        kind = output["output_type"]
        if kind == "stream":
            stream.append(_text(output["text"]))
            continue
        flush()
        if kind == "error":
            raise ValueError(f"a cell failed: {output['ename']}: {output['evalue']}")
        data = output.get("data", {})
        if "image/svg+xml" in data:
            blocks.append(output_block(_text(data["image/svg+xml"])))
        elif "image/png" in data or "image/jpeg" in data:
            kind = "png" if "image/png" in data else "jpeg"
            encoded = _text(data[f"image/{kind}"]).replace("\n", "")
            blocks.append(output_block(f'<img src="data:image/{kind};base64,{encoded}" '
                                       f'alt="{FIGURE_ALT[language]}">'))
        elif "text/html" in data:
            blocks.append(output_block(_text(data["text/html"])))
        elif "text/markdown" in data:
            blocks.append(output_block(_text(data["text/markdown"]), markdown=True))
        elif "text/plain" in data:
            blocks.append(printed(_text(data["text/plain"])))
    flush()
    return blocks


def fenced(code: str, language: str = "python") -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"


def download_note(name: str, language: str, site_url: str, wheel_link: str) -> str:
    """The admonition under a lab's opening: the download button, and how to install the
    package outside the repository (the notebook's first cell, as a shell command)."""
    notebook = f"{name}.ipynb"
    text = NOTE[language].format(wheel=wheel_link, needs=NEEDS[language])
    body = "\n\n".join([
        f'[{DOWNLOAD[language]} ({notebook})]({name}/{notebook}){{ .md-button download="{notebook}" }}',
        text,
        install_block(site_url, language),
    ])
    indented = "\n".join(("    " + line) if line else "" for line in body.split("\n"))
    return f'!!! info "{NOTE_TITLE[language]}"\n\n{indented}'


def install_block(site_url: str, language: str) -> str:
    """The install command as a shell block that wraps rather than scrolls (a long
    address must be seen whole; the copy button copies it as one line)."""
    fence = "```"
    return f"{fence} {{ .bash .handbook-install }}\n{install_command(site_url, language)}\n{fence}"


def page_markdown(notebook, language: str, note: str = "") -> str:
    """The page of an executed lab: its Markdown cells, its code cells as Python blocks
    with their outputs, and ``note`` after the first Markdown cell (the lab's opening).

    A Markdown cell that is a caption block (``/// caption``, text, ``///``, as on the
    chapter pages) captions the figure the code cell before it drew: a numbered figure.
    """
    parts: list[str] = []
    figures = 0
    for cell in notebook.cells:
        caption = CAPTION.match(cell.source.strip() + "\n") if cell.cell_type == "markdown" else None
        if caption:
            if not parts or "<svg" not in parts[-1]:
                raise ValueError("a caption cell follows no figure: " + caption.group(1)[:60])
            figures += 1
            parts[-1] = as_figure(parts[-1], caption.group(1), figures, FIGURE_PREFIX[language])
            continue
        if cell.cell_type == "markdown":
            parts.append(cell.source.strip())
            if note:
                parts.append(note)
                note = ""
        elif cell.cell_type == "code":
            parts.append(fenced(cell.source))
            parts += outputs_markdown(cell.get("outputs", []), language)
    return "\n\n".join(parts) + "\n"


# --- the notebook a reader downloads ----------------------------------------------------

def absolute_links(markdown: str, resolve: Callable[[str], str]) -> str:
    """``markdown`` with every relative link target replaced by ``resolve(target)``."""

    def replace(match: re.Match) -> str:
        for prefix, target in (("open", "target"), ("ref", "reftarget"), ("href", "hreftarget")):
            if match.group(prefix) is not None:
                value = match.group(target)
                return match.group(prefix) + (value if ABSOLUTE.match(value) else resolve(value))
        return match.group(0)

    return LINK.sub(replace, markdown)


def relative_links(markdown: str) -> list[str]:
    """The link targets of a Markdown text that are not absolute addresses."""
    found = []
    for match in LINK.finditer(markdown):
        target = match.group("target") or match.group("reftarget") or match.group("hreftarget")
        if not ABSOLUTE.match(target):
            found.append(target)
    return found


def downloadable(notebook, install: str, resolve: Callable[[str], str], language: str):
    """The executed notebook as a reader downloads it: a first cell that installs the
    package (``install``, a pip command) and sets the printed language, and the links of
    its Markdown cells made absolute by ``resolve``."""
    notebook = copy.deepcopy(notebook)
    figures = 0
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = absolute_links(cell.source, resolve)
            caption = CAPTION.match(cell.source.strip() + "\n")
            if caption:  # Jupyter shows a caption block as it is: an italic line instead
                figures += 1
                text = " ".join(caption.group(1).split())
                cell.source = f"*{FIGURE_PREFIX[language].format(figures)} {text}*"
    lines = [f"%{install}"]
    if language != "en":  # the package prints English unless told otherwise
        lines.append(f"%env HANDBOOK_LANG={language}")
    notebook.cells.insert(0, nbformat.v4.new_code_cell("\n".join(lines)))
    for cell in notebook.cells:
        cell.pop("id", None)  # nbformat 4.5 ids: renumbered below, unique
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    return notebook


def notebook_json(notebook) -> str:
    nbformat.validate(notebook)
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def link_resolver(source_uri: str, page_url: str, site_url: str,
                  url_of: Callable[[str], str | None]) -> Callable[[str], str]:
    """Turns a link of a lab's Markdown (relative to its source, ``labs/``, as MkDocs
    reads it) into the absolute address of the page it leads to: ``url_of`` maps a
    documentation path (``optimization/adam.md``) to the page's url in the notebook's
    language."""
    base = site_url.rstrip("/") + "/"

    def resolve(target: str) -> str:
        path, hash_, anchor = target.partition("#")
        if not path:
            return base + page_url + hash_ + anchor
        normalized = posixpath.normpath(posixpath.join(posixpath.dirname(source_uri), path))
        url = url_of(normalized)
        if url is None:
            raise ValueError(f"{source_uri}: the link {target!r} leads to no page of the site")
        return base + url + hash_ + anchor

    return resolve


SITEMAP_ENTRY = """    <url>
        <loc>{url}</loc>
        <lastmod>{lastmod}</lastmod>
        <changefreq>daily</changefreq>
{alternates}    </url>
"""


def with_labs_in_sitemap(site_dir: str | Path, site_url: str, languages: dict[str, str]) -> None:
    """Add the lab pages to the site's sitemap.xml (and its .gz), one entry per language
    with the hreflang pairs of the other pages. mkdocs-static-i18n writes the sitemap
    from the Markdown pages alone, and a lab is made from a .py file.

    ``languages``: each language's folder in the site, "" for the default one.
    """
    import gzip

    path = Path(site_dir) / "sitemap.xml"
    sitemap = path.read_text(encoding="utf-8")
    lastmod = re.search(r"<lastmod>([^<]*)</lastmod>", sitemap)
    from hooks.labs import lab_name, labs

    names = sorted({lab_name(source) for source in labs()})
    entries = []
    for name in names:
        urls = {lang: f"{site_url}{folder}labs/{name}/" for lang, folder in languages.items()}
        if any(f"<loc>{url}</loc>" in sitemap for url in urls.values()):
            continue
        alternates = "".join(f'        <xhtml:link rel="alternate" hreflang="{lang}" href="{url}"/>\n'
                             for lang, url in urls.items())
        entries += [SITEMAP_ENTRY.format(url=url, lastmod=lastmod.group(1) if lastmod else "",
                                         alternates=alternates) for url in urls.values()]
    sitemap = sitemap.replace("</urlset>", "".join(entries) + "</urlset>", 1)
    path.write_text(sitemap, encoding="utf-8")
    with gzip.GzipFile(path.with_suffix(".xml.gz"), "wb", mtime=0) as archive:
        archive.write(sitemap.encode("utf-8"))

