"""Checks of the built site: both languages, the switcher, offline math and fonts, Chinese search.

The site is built once per test session with ``mkdocs build --strict`` (a warning
fails the build), into ``HANDBOOK_SITE_DIR`` when it is set (``python3 dev.py test``
sets it to ``site/``), else into a temporary folder. The page tests run before these
(``testpaths`` in pyproject.toml), so the build reuses the outputs of the pages that
passed instead of running them again.
"""

from __future__ import annotations

import json
import os
from html import unescape
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import pytest

from hooks.chapters import CHAPTERS
from hooks.figures import text_sizes
from hooks.pages import ROOT

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?P<url>(?:https?:)?//[^"']+)["']""", re.IGNORECASE)
# The site is built for the root of its host unless HANDBOOK_SITE_URL (see mkdocs.yml) says otherwise.
SITE_PATH = urlparse(os.environ.get("HANDBOOK_SITE_URL", "http://127.0.0.1:8000/")).path.rstrip("/") + "/"
CSS_URL = re.compile(r"""url\(\s*["']?(?P<url>(?:https?:)?//[^)"']+)""", re.IGNORECASE)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_both_home_pages_are_built(site: Path) -> None:
    english = (site / "index.html").read_text(encoding="utf-8")
    chinese = (site / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english
    assert '<html lang="zh"' in chinese
    assert "深度学习实战手册" in chinese


@pytest.mark.parametrize("page", ["", "how-to-use/"])
def test_the_language_switcher_leads_to_the_twin_page(site: Path, page: str) -> None:
    root = "http://localhost:8000" + SITE_PATH
    english = (site / page / "index.html").read_text(encoding="utf-8")
    chinese = (site / "zh" / page / "index.html").read_text(encoding="utf-8")
    to_chinese = re.findall(r'<a href="([^"]+)" hreflang="zh" class="md-select__link"', english)
    to_english = re.findall(r'<a href="([^"]+)" hreflang="en" class="md-select__link"', chinese)
    assert [urljoin(root + page, href) for href in to_chinese] == [root + "zh/" + page]
    assert [urljoin(root + "zh/" + page, href) for href in to_english] == [root + page]


def test_no_alternate_link_in_the_head_sends_the_browser_to_a_missing_sitemap(site: Path) -> None:
    for page in pages(site):
        head = page.read_text(encoding="utf-8").partition("</head>")[0]
        assert '<link rel="alternate"' not in head, page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="zh"' in sitemap and 'hreflang="en"' in sitemap


def test_the_sitemap_lists_every_page_of_both_languages_once(site: Path) -> None:
    """Every page (the labs, made from .py files, included) is in sitemap.xml once, and
    the compressed copy says the same."""
    import gzip

    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(listed) == len(set(listed))
    root = re.match(r"https?://[^/]+/(?:[^<]*?/)?", listed[0]).group(0)
    folders = [page.parent.relative_to(site).as_posix() for page in site.rglob("index.html")]
    expected = {root if folder == "." else f"{root}{folder}/" for folder in folders}
    assert {url for url in expected if "/labs/" in url}, "no lab page in the site"
    assert set(listed) == expected, sorted(set(listed) ^ expected)[:10]
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    offenders = []
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        for match in EXTERNAL.finditer(text):
            tag = text[text.rfind("<", 0, match.start()): text.find(">", match.end()) + 1]
            # Links a reader may follow (and rel="canonical") are fine; anything the browser loads is not.
            loads = tag.startswith(("<script", "<img", "<source", "<iframe", "<embed", "<audio", "<video"))
            if tag.startswith("<link"):
                loads = not re.search(r'rel="(canonical|prev|next|alternate|license)"', tag)
            if loads:
                offenders.append(f"{page.relative_to(site)}: {match.group('url')}")
    for sheet in site.rglob("*.css"):
        offenders += [f"{sheet.relative_to(site)}: {m.group('url')}" for m in CSS_URL.finditer(sheet.read_text())]
    assert offenders == []
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


def test_math_is_rendered_by_katex_served_from_the_site(site: Path) -> None:
    """KaTeX is served from the site; katex-render.js, on every page, loads it where
    there is math (the browser tests check that it renders and that pages without math
    load no KaTeX)."""
    page = (site / "how-to-use" / "index.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"' in page and "assets/javascripts/katex-render.js" in page
    loader = (site / "assets/javascripts/katex-render.js").read_text(encoding="utf-8")
    for asset in ("assets/katex/katex.min.js", "assets/katex/contrib/auto-render.min.js",
                  "assets/katex/katex.min.css"):
        assert asset in loader
        assert (site / asset).is_file()
    css = (site / "assets/katex/katex.min.css").read_text()
    fonts = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert fonts and all((site / "assets/katex" / f).is_file() for f in fonts)


def test_search_has_one_index_per_language_and_every_glossary_name(site: Path) -> None:
    """Pagefind's index (hooks/search.py): each language's pages in their own index, and
    the names of every glossary term leading to its page in both languages."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = {language: 0 for language in ("en", "zh")}
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            indexed["zh" if page.relative_to(site).parts[0] == "zh" else "en"] += 1
    assert {language: e["page_count"] for language, e in entry["languages"].items()} == indexed
    assert indexed["en"] > 50 and indexed["zh"] == indexed["en"]
    names = json.loads((site / "pagefind" / "handbook-terms.json").read_text(encoding="utf-8"))
    assert names["zh"]["批归一化"]["url"] == "zh/tuning/batch-normalization/"
    assert names["en"]["bn"]["url"] == "tuning/batch-normalization/"
    for language, folder in (("en", ""), ("zh", "zh/")):
        assert all((site / name["url"] / "index.html").is_file() for name in names[language].values())
        assert all(name["url"].startswith(folder) for name in names[language].values())


def test_pages_show_figures_drawn_at_build_time(site: Path) -> None:
    for page in ("how-to-use/index.html", "zh/how-to-use/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "<svg" in text, f"{page} has no figure"
    english = (site / "how-to-use/index.html").read_text(encoding="utf-8")
    chinese = (site / "zh/how-to-use/index.html").read_text(encoding="utf-8")
    assert english.count("<svg") == chinese.count("<svg")


def test_every_stylesheet_and_script_of_the_config_is_in_the_site(site: Path) -> None:
    from hooks.pages import mkdocs_config

    config = mkdocs_config()
    assets = config.get("extra_css", []) + config.get("extra_javascript", [])
    assert assets
    missing = [a for a in assets if not (site / a).is_file()]
    assert missing == []


def test_no_script_imports_code_from_a_cdn(site: Path) -> None:
    """A script can load code without a src attribute (nbconvert's template, which rendered the
    labs once, imported Mermaid from a CDN)."""
    cdn = re.compile(r"cdnjs|jsdelivr|unpkg|mathjax", re.IGNORECASE)
    offenders = []
    for page in pages(site):
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", page.read_text(encoding="utf-8"), re.DOTALL):
            if cdn.search(script):
                offenders.append(f"{page.relative_to(site)}: {cdn.search(script).group(0)}")
    assert offenders == []


def wheel_name() -> str:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name']}-{project['version']}-py3-none-any.whl"


SITE_URL = os.environ.get("HANDBOOK_SITE_URL", "http://127.0.0.1:8000/")
INSTALL = re.compile(r'^%pip install "handbook\[(?P<extras>[a-z,]+)\] @ (?P<url>\S+)"$')
NOTEBOOK_MARKUP = re.compile(r"jp-|jupyter|nbconvert|anchor-link|In&nbsp;\[|In \[\d*\]:|Out\[\d*\]:")
CODE_BLOCK = re.compile(r'<div class="language-python highlight">(.*?)</div>', re.DOTALL)
PRINTED = re.compile(r'<div class="handbook-output"[^>]*>\s*<div class="highlight no-copy"><pre><code>(.*?)</code></pre>',
                     re.DOTALL)
FIGURE = re.compile(r'<div class="handbook-output"[^>]*>\s*<img class="handbook-figure-image"')
HAN = re.compile("[\u4e00-\u9fff]")


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def lines_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def printed_outputs(cell: dict) -> list[str]:
    """A code cell's printed text, one piece per run of consecutive prints (one block on the page)."""
    pieces, previous = [], None
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            text = "".join(output["text"])
            if previous == "stream":
                pieces[-1] += text
            else:
                pieces.append(text)
        previous = output["output_type"]
    return pieces


def lab_sources(language: str) -> list[Path]:
    from hooks.labs import labs

    return [path for path in labs() if path.name.endswith(".zh.py") == (language == "zh/")]


@pytest.mark.parametrize("language", ["", "zh/"])
def test_labs_are_pages_like_the_chapters_with_their_code_outputs_and_figures(site: Path, language: str) -> None:
    """A lab page is made like a chapter page (hooks/lab_pages.py): no notebook markup or CSS,
    each code cell a Python code block (Material gives it its copy button), what each cell
    printed in the chapters' output markup, in the order the notebook has it, every line
    whole, its figures inline SVG, and the HTML within the budget of issue 18."""
    import jupytext

    from hooks.labs import lab_name

    sources = lab_sources(language)
    assert len(sources) == 6
    for source in sources:
        name = lab_name(source)
        folder = site / language / "labs" / name
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert len(html.encode("utf-8")) < 300_000, f"{name}: {len(html.encode()) / 1e3:.0f} KB of HTML"
        assert not NOTEBOOK_MARKUP.search(html), f"{name}: {NOTEBOOK_MARKUP.search(html).group()!r}"
        assert "# %%" not in html, f"{name}: the source was published instead of the page"
        assert f'<html lang="{language.rstrip("/") or "en"}"' in html
        article = html.partition("<article")[2].partition("</article>")[0]
        code = [cell.source for cell in jupytext.read(source).cells if cell.cell_type == "code"]
        blocks = [text_of(block) for block in CODE_BLOCK.findall(article)]
        assert [lines_of(b) for b in blocks] == [lines_of(c) for c in code], f"{name}: the code blocks are not the cells"
        assert "no-copy" not in "".join(re.findall(r'<div class="language-python[^"]*"', article))
        notebook = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8"))
        cells = [cell for cell in notebook["cells"][1:] if cell["cell_type"] == "code"]
        expected = [piece for cell in cells for piece in printed_outputs(cell)]
        shown = PRINTED.findall(article)
        assert [lines_of(text_of(s)) for s in shown] == [lines_of(e) for e in expected], f"{name}: the printed outputs"
        for block in shown:  # each printed line is a console-output line of its own
            assert re.fullmatch(r'(<span class="go">[^<\n]*</span>\n?)+', block), block[:200]
        figures = sum("image/svg+xml" in output.get("data", {}) for cell in cells for output in cell["outputs"])
        assert figures and len(FIGURE.findall(article)) == figures, f"{name}: {figures} figures drawn"
        assert 'class="arithmatex"' in article, f"{name}: the math is not the site's"


@pytest.mark.parametrize("language", ["", "zh/"])
def test_each_lab_offers_a_notebook_that_runs_outside_the_repository(site: Path, language: str) -> None:
    """The page's download button gives the executed notebook beside it; its first cell
    installs the package from the wheel the site serves (with the extras the labs need),
    the page shows the same command (and so does how-to-use, for a reader's own code), and
    every link of its text leads to a published page in the notebook's language."""
    import jupytext

    from hooks.labs import lab_name
    from tests.test_links import parse

    commands = set()
    for source in lab_sources(language):
        name = lab_name(source)
        folder = site / language / "labs" / name
        html = (folder / "index.html").read_text(encoding="utf-8")
        button = re.search(rf'<a (?=[^>]*class="md-button")(?=[^>]*download="{name}.ipynb")'
                           rf'(?=[^>]*href="{name}.ipynb")[^>]*>([^<]+)</a>', html)
        assert button and f"({name}.ipynb)" in button.group(1), f"{name}: no download button"
        notebook = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8"))
        first, *cells = notebook["cells"]
        assert first["cell_type"] == "code"
        lines = "".join(first["source"]).splitlines()
        install = INSTALL.match(lines[0])
        assert install, f"{name}: the first cell is {lines[0]!r}, not the pip install of the wheel"
        assert install["url"] == f"{SITE_URL}downloads/{wheel_name()}"
        assert (site / "downloads" / wheel_name()).is_file()
        extras = set(install["extras"].split(","))
        assert "data" in extras and ("cjk" in extras) == (language == "zh/")  # the digits; Chinese figure labels
        assert (lines[1:] == ["%env HANDBOOK_LANG=zh"]) == (language == "zh/") and len(lines) <= 2
        shown = [text_of(b) for b in re.findall(r'<div class="language-bash handbook-install highlight">(.*?)</div>',
                                                  html, re.DOTALL)]
        assert [s.strip() for s in shown] == [lines[0].removeprefix("%")], f"{name}: the page shows another command"
        commands.add(lines[0].removeprefix("%"))
        code = [cell.source for cell in jupytext.read(source).cells if cell.cell_type == "code"]
        assert ["".join(c["source"]) for c in cells if c["cell_type"] == "code"] == code
        assert all(c.get("execution_count") for c in cells if c["cell_type"] == "code")
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        targets = re.findall(r"\]\(\s*<?([^)\s>]+)", text) + re.findall(r"href=[\"']([^\"']+)", text)
        assert targets, f"{name}: no links"
        for target in targets:
            assert target.startswith(SITE_URL + language), f"{name}: {target} is not a published page in its language"
            path, _, anchor = target.removeprefix(SITE_URL).partition("#")
            page = site / path / "index.html"
            assert page.is_file() and (not anchor or anchor in parse(page).ids), f"{name}: {target} leads nowhere"
        printed = "".join("".join(o["text"]) for c in cells if c["cell_type"] == "code"
                          for o in c["outputs"] if o["output_type"] == "stream")
        assert bool(HAN.search(printed)) == (language == "zh/"), f"{name}: printed in the other language"
    how_to_use = (site / language / "how-to-use" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<div class="language-bash handbook-install highlight">(.*?)</div>', how_to_use, re.DOTALL)
    assert len(commands) == 1 and [text_of(s).strip() for s in shown] == list(commands)


def test_the_site_serves_the_package_as_a_wheel_that_installs(site: Path, tmp_path: Path) -> None:
    """downloads/handbook-<version>-py3-none-any.whl is this package (every module, its
    metadata and extras), and pip installs it: the labs' first cells depend on it."""
    import tomllib
    import zipfile

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wheel = site / "downloads" / wheel_name()
    with zipfile.ZipFile(wheel) as archive:
        modules = {n for n in archive.namelist() if n.startswith("handbook/")}
        assert modules == {f"handbook/{p.name}" for p in (ROOT / "handbook").glob("*.py")}
        assert all(archive.read(m) == (ROOT / m).read_bytes() for m in modules), "the wheel holds an older package"
        metadata = archive.read(f"handbook-{project['version']}.dist-info/METADATA").decode()
    assert f"Name: {project['name']}\nVersion: {project['version']}\n" in metadata
    for requirement in project["optional-dependencies"]["data"] + project["optional-dependencies"]["cjk"]:
        assert re.search(rf"^Requires-Dist: {re.escape(requirement)}; extra == \"(data|cjk)\"$", metadata, re.M)
    target = tmp_path / "installed"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                          "--target", str(target), str(wheel)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr
    env = dict(os.environ, PYTHONPATH=str(target), MPLBACKEND="Agg")
    imported = subprocess.run([sys.executable, "-c", "import handbook; print(handbook.__file__)"],
                              cwd=tmp_path, env=env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(target)


@pytest.mark.parametrize("language", ["", "zh/"])
def test_the_reference_documents_every_public_name_of_every_module(site: Path, language: str) -> None:
    import functools
    import importlib

    from hooks.api_links import MODULES, separate_pages

    @functools.cache
    def html(page: str) -> str:
        return (site / language / "reference" / page / "index.html").read_text(encoding="utf-8")

    missing, twice = [], []
    for short in MODULES:
        module = importlib.import_module(f"handbook.{short}")
        for name, obj in vars(module).items():
            if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__:
                shown = separate_pages().get((short, name), short)
                if f'id="handbook.{short}.{name}"' not in html(shown):
                    missing.append(f"{language}reference/{shown}: {name}")
                if shown != short and f'id="handbook.{short}.{name}"' in html(short):
                    twice.append(f"{language}reference/{short}: {name}")
    assert missing == []
    assert twice == [], "shown on a page of its own: the module's filters must leave it out"
    constants = [anchor for short in MODULES for anchor in re.findall(
        r'id="(handbook\.\w+\.[A-Z][A-Z0-9_]{3,})"',
        (site / language / "reference" / short / "index.html").read_text(encoding="utf-8"))]
    assert constants == [], "module constants are the package's inner settings"


def test_pages_link_the_package_names_they_quote_to_the_reference(site: Path) -> None:
    page = (site / "zh" / "debugging" / "checkup" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../reference/diagnose/#handbook.diagnose.checkup"' in page
    # every technique page links to the reference, from inline code or its code blocks
    unlinked = [page.parent.relative_to(site).as_posix() for chapter in
                CHAPTERS
                for language in ("", "zh/")
                for page in sorted((site / language / chapter).glob("*/index.html"))
                if "reference/" not in "".join(re.findall(r'<a [^>]*href="([^"]*)"',
                                                          page.read_text(encoding="utf-8").partition("<article")[2]))]
    assert unlinked == []
    momentum = (site / "optimization" / "momentum" / "index.html").read_text(encoding="utf-8")
    assert 'class="handbook-code-link" href="../../reference/optim/#handbook.optim' in momentum


HEADING_ID = re.compile(r'<h[1-6][^>]* id="([^"]+)"')


def test_chinese_headings_have_the_anchors_of_their_english_twins(site: Path) -> None:
    """#warm-up in both languages, not #_3 in Chinese (hooks/anchors.py), labs included."""
    differing = []
    for page in pages(site / "zh"):
        english = site / page.relative_to(site / "zh")
        if english.is_file():
            ours = HEADING_ID.findall(english.read_text(encoding="utf-8").partition('<article')[2])
            theirs = HEADING_ID.findall(page.read_text(encoding="utf-8").partition('<article')[2])
            if ours != theirs:
                differing.append(f"{page.relative_to(site)}: {theirs[:3]}... against {ours[:3]}...")
    assert differing == []


HIDDEN_HTML = re.compile(r"<(pre|code|script|style|svg|math|annotation)\b.*?</\1>|<span class=\"arithmatex\">.*?</span>"
                         r"|<div class=\"clipboard-copy-txt\".*?</div>"
                         r"|<span class=\"katex[^\"]*\">.*?</span>", re.DOTALL)
BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|div|td|th|tr|table|dt|dd|dl|blockquote|details|summary|br|hr|figure"
                       r"|figcaption|nav|header|footer|article|section|label|input|img)\b[^>]*>")
CJK_CHARS = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019"
STRAY_SPACE = re.compile(f"[\u4e00-\u9fff][ \t\n]+[\u4e00-\u9fff]|[\u3000-\u303f\uff00-\uffef\u201c\u2018][ \t\n]+[^\\s\0]"
                         f"|[{CJK_CHARS}][ \t\n]+[\u3000-\u303f\uff00-\uffef\u201d\u2019]")
PERMALINK = re.compile(r'<a class="headerlink".*?</a>', re.DOTALL)


def rendered_text(html: str) -> str:
    """The article's text as a browser lays it out: inline tags vanish, block tags separate
    (a NUL stands for a block boundary), and code or math reads as one Latin word, X."""
    article = html.partition("<article")[2].partition("</article>")[0]
    article = HIDDEN_HTML.sub("X", PERMALINK.sub("", article))
    return unescape(re.sub(r"<[^>]+>", "", BLOCK_TAG.sub("\0", article)))


def test_chinese_pages_have_no_space_between_chinese_characters_or_after_chinese_punctuation(site: Path) -> None:
    """Markdown renders a source line break as a space; between Chinese characters, or after
    full-width punctuation, Chinese text has none (join_chinese_lines removes those breaks)."""
    found = []
    for page in pages(site / "zh"):
        text = rendered_text(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(site)}: …{text[max(0, m.start() - 8):m.end() + 8]}…".replace("\n", "⏎")
                  for m in STRAY_SPACE.finditer(text)]
    assert found == [], f"{len(found)} stray spaces"


def test_each_language_has_its_404_page(site: Path) -> None:
    """The English 404 at the root, the Chinese one under zh/, each leading home in its language."""
    english = (site / "404.html").read_text(encoding="utf-8")
    chinese = (site / "zh" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and "<h1>404: page not found</h1>" in english
    assert '<html lang="zh"' in chinese and "<h1>404：找不到这个页面</h1>" in chinese
    assert f'href="{SITE_PATH}">home page' in english
    assert f'href="{SITE_PATH}zh/">首页' in chinese


INTERFACE_ENGLISH = re.compile(r'title="Permanent link"|Made with|Bases: |<code>[a-z]+-attribute</code>'
                               r"|Copy to [Cc]lipboard|>Search<|Type to start searching")


def test_the_chinese_interface_has_no_english_words(site: Path) -> None:
    """The words the tools write (permalinks, the reference's labels, the labs' copy
    buttons, the footer) are Chinese on Chinese pages (CHINESE_INTERFACE in the hooks)."""
    found = sorted({f"{page.relative_to(site)}: {m.group()}" for page in pages(site / "zh")
                    for m in INTERFACE_ENGLISH.finditer(page.read_text(encoding="utf-8"))})
    assert found == []


def test_the_chinese_glossary_is_sorted_by_pinyin_with_an_anchor_per_term(site: Path) -> None:
    from pypinyin import lazy_pinyin

    html = (site / "zh" / "glossary" / "index.html").read_text(encoding="utf-8")
    terms = re.findall(r'<td><span id="([a-z0-9-]+)">([^<]+)</span></td>', html)
    assert len(terms) >= 50
    keys = [" ".join(lazy_pinyin(term)).lower() for _, term in terms]
    assert keys == sorted(keys)
    english = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'<td><span id="([a-z0-9-]+)">', english)) == sorted(a for a, _ in terms)
    assert 'class="arithmatex"' in html  # the meanings' formulas are math


def test_every_page_has_a_description_of_its_own(site: Path) -> None:
    """The meta description is the page's first paragraph, not the site's sentence."""
    descriptions = {}
    for page in pages(site):
        if page.name == "404.html":
            continue
        found = re.findall(r'<meta name="description" content="([^"]*)"', page.read_text(encoding="utf-8"))
        assert len(found) == 1 and len(found[0]) >= 20, page
        descriptions[page.relative_to(site)] = unescape(found[0])
    repeated = [d for d in set(descriptions.values()) if list(descriptions.values()).count(d) > 1]
    assert repeated == []
    assert all(len(d) <= 161 for d in descriptions.values())


def test_every_debugging_entry_shows_its_symptom_cause_and_fix_as_callouts(site: Path) -> None:
    """Every Symptom, Likely cause and Fix paragraph of the debugging pages, in both
    languages, is a callout (hooks: as_callouts)."""
    labels = {"symptom": ("**Symptom.**", "**症状。**"),
              "cause": ("**Likely cause.**", "**Likely causes.**", "**可能的原因。**"),
              "fix": ("**Fix.**", "**修正。**")}
    for source in sorted((ROOT / "docs" / "debugging").glob("*.md")):
        chinese = source.name.endswith(".zh.md")
        slug = source.name.removesuffix(".zh.md").removesuffix(".md")
        html = (site / ("zh" if chinese else "") / "debugging" / slug / "index.html").read_text(encoding="utf-8")
        text = source.read_text(encoding="utf-8")
        for kind, written in labels.items():
            expected = sum(len(re.findall(rf"^{re.escape(label)}", text, re.MULTILINE)) for label in written)
            assert html.count(f'class="handbook-callout handbook-callout--{kind}"') == expected, (source.name, kind)


def test_the_reference_shows_fit_as_a_function_with_its_signature(site: Path) -> None:
    """fit is decorated (quiet_overflow): with `fit = decorator(fit)` the reference showed it
    as a module attribute without parameters; decorated with @, it is a function."""
    html = (site / "reference" / "training" / "index.html").read_text(encoding="utf-8")
    section = html.partition('id="handbook.training.fit"')[2][:6000]
    assert "module-attribute" not in section
    text = re.sub(r"<[^>]+>", "", section)
    assert all(argument in text for argument in ("batch_size", "early_stopping", "clip_norm", "divergence"))


@pytest.mark.parametrize("language", ["", "zh/"])
def test_the_home_page_is_the_door_of_the_book(site: Path, language: str) -> None:
    """Symptom cards leading to the debugging entries, a card per chapter with a thumbnail
    of one of its figures (in the page's language, at most 150 KB), the labs, and the
    other language's home page."""
    html = (site / language / "index.html").read_text(encoding="utf-8")
    article = html.partition("<article")[2]
    symptoms = re.search(r'<div class="grid cards handbook-symptoms">(.*?)</div>', article, re.S)
    assert symptoms, "no symptom cards"
    targets = re.findall(r'<a href="([^"]+)"', symptoms.group(1))
    assert len(targets) >= 8
    assert sum("debugging/" in target for target in targets) >= 6, targets
    chapters = re.search(r'<div class="grid cards handbook-chapters">(.*?)</div>', article, re.S)
    assert chapters, "no chapter cards"
    images = re.findall(r'<img class="handbook-thumbnail" src="([^"]+)" alt="([^"]+)"', chapters.group(1))
    assert len(images) == len(CHAPTERS)  # a card for each chapter
    for src, alt in images:
        thumbnail = (site / language / src).resolve()
        assert thumbnail.is_relative_to(site.resolve()) and thumbnail.exists(), src
        svg = thumbnail.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg[:400]
        assert len(svg.encode()) <= 150_000, f"{src}: {len(svg.encode()) / 1e3:.0f} KB"
        assert bool(re.search("[\u4e00-\u9fff]", alt)) == (language == "zh/"), alt
    assert len({src for src, _ in images}) == len(CHAPTERS)
    assert len(re.findall(r'href="[^"]*labs/[a-z-]+/"', article)) >= 5
    other = "../" if language else "zh/"
    assert re.search(rf'<a class="md-button" href="{re.escape(other)}" hreflang=', article)


# The one technique page without a figure (its results are yes-or-no equivalences).
NO_FIGURE = ("tuning/frameworks/",)
# How a page shows a figure its code drew: an image of the site (hooks/figures.py).
FIGURE_IMAGE = re.compile(r'<img class="handbook-figure-image" [^>]*>')
# The text of every figure at one size, give or take: matplotlib's 10-point default, no
# legend or tick label under 8 points (at a phone's width, hooks/figures.py scrolls a
# figure rather than shrink its text below legibility, and small text would scroll it far).
MIN_FONT_PT, MAX_FONT_PT = 8, 12


@pytest.mark.parametrize("language", ["", "zh/"])
def test_every_technique_page_and_lab_has_captioned_figures_of_at_most_150_kb(site: Path, language: str) -> None:
    prefix = "图 " if language else "Figure "
    problems = []
    for chapter in (*CHAPTERS, "labs"):
        for page in sorted((site / language / chapter).glob("*/index.html")):
            where = page.parent.relative_to(site / language).as_posix() + "/"
            article = page.read_text(encoding="utf-8").partition("<article")[2]
            outputs = re.findall(r'<div class="handbook-output"[^>]*>(.*?)</div>', article, re.S)
            if any("<svg" in output for output in outputs):
                problems.append(f"{language}{where}: a figure inline, not as a file")
            drawings = [image for output in outputs for image in FIGURE_IMAGE.findall(output)]
            figures = re.findall(r'<figure class="handbook-figure" id="figure-(\d+)">(.*?)</figure>',
                                 article, re.S)
            if not drawings and where not in NO_FIGURE:
                problems.append(f"{language}{where}: no figure")
            if len(figures) != len(drawings):
                problems.append(f"{language}{where}: {len(drawings)} figures, {len(figures)} captioned")
            for number, (anchor, body) in enumerate(figures, start=1):
                caption = re.search(r'<figcaption><span class="caption-prefix">([^<]*)</span>(.*?)</figcaption>',
                                    body, re.S)
                if anchor != str(number) or not caption or caption.group(1).strip() != f"{prefix}{number}" + (
                        "" if language else ".") or len(caption.group(2).strip()) < 20:
                    problems.append(f"{language}{where}: figure {number} is not numbered and captioned")
                image = FIGURE_IMAGE.search(body)
                if not image or len(re.search(r'alt="([^"]*)"', image.group(0)).group(1)) < 20:
                    problems.append(f"{language}{where}: figure {number} has no text alternative")
            for drawing in drawings:
                src = re.search(r'src="([^"]+)"', drawing).group(1)
                file = (page.parent / src).resolve()
                if not file.is_relative_to(site.resolve() / "assets" / "figures") or not file.exists():
                    problems.append(f"{language}{where}: {src} is not a figure of the site")
                    continue
                svg = file.read_text(encoding="utf-8")
                try:
                    root = ElementTree.fromstring(svg)
                except ElementTree.ParseError as error:
                    problems.append(f"{language}{where}: {src} is not well-formed XML: {error}")
                    continue
                if root.tag != "{http://www.w3.org/2000/svg}svg" or "viewBox" not in root.attrib:
                    problems.append(f"{language}{where}: {src} is not a standalone SVG")
                sizes = text_sizes(svg)
                if sizes and not MIN_FONT_PT <= min(sizes) <= max(sizes) <= MAX_FONT_PT:
                    problems.append(f"{language}{where}: {src} has text of {min(sizes):g} to "
                                    f"{max(sizes):g} pt, not within {MIN_FONT_PT}-{MAX_FONT_PT}")
                size = len(svg.encode())
                if size > 150_000:
                    problems.append(f"{language}{where}: a figure of {size / 1e3:.0f} KB")
    assert problems == []


@pytest.mark.parametrize("language", ["", "zh/"])
def test_the_exercises_page_links_every_exercise_whose_solution_starts_collapsed(
        site: Path, language: str) -> None:
    from hooks.exercises import chapters, exercises

    index = (site / language / "exercises" / "index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'href="\.\./([\w-]+/[\w-]+)/#([\w-]+)"', index))
    pages_with_exercises, missing = 0, []
    for _, paths in chapters("zh" if language else "en"):
        for path in paths:
            found = exercises(path)
            if not found:
                continue
            pages_with_exercises += 1
            slug = f"{path.parent.name}/{path.name.split('.')[0]}"
            html = (site / language / slug / "index.html").read_text(encoding="utf-8")
            solutions = re.findall(r"<details\b[^>]*>", html)
            solutions = [tag for tag in solutions if "handbook-solution" in tag]
            assert len(solutions) == len(found), f"{slug}: {len(solutions)} solutions"
            assert not [tag for tag in solutions if re.search(r"\sopen\b", tag)], slug
            anchors = {anchor for page, anchor in listed if page == slug}
            for anchor in anchors:
                assert f'id="{anchor}"' in html, f"{slug}#{anchor}: no such heading"
            if len(anchors) != len(found):
                missing.append(f"{slug}: {len(anchors)} listed of {len(found)}")
    assert pages_with_exercises >= 1
    assert missing == []
