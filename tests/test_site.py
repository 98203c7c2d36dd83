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

import pytest

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
    import yaml

    from hooks.pages import _MkDocsLoader

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    assets = config.get("extra_css", []) + config.get("extra_javascript", [])
    assert assets
    missing = [a for a in assets if not (site / a).is_file()]
    assert missing == []


def test_no_script_imports_code_from_a_cdn(site: Path) -> None:
    """A script can load code without a src attribute (nbconvert's template imports Mermaid from a CDN)."""
    cdn = re.compile(r"cdnjs|jsdelivr|unpkg|mathjax", re.IGNORECASE)
    offenders = []
    for page in pages(site):
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", page.read_text(encoding="utf-8"), re.DOTALL):
            if cdn.search(script):
                offenders.append(f"{page.relative_to(site)}: {cdn.search(script).group(0)}")
    assert offenders == []


@pytest.mark.parametrize("language", ["", "zh/"])
def test_labs_are_rendered_notebooks_with_their_outputs_and_a_download(site: Path, language: str) -> None:
    from hooks.labs import lab_name, labs

    for name in sorted({lab_name(path) for path in labs()}):
        folder = site / language / "labs" / name
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert "jupyter-wrapper" in html and "jp-OutputArea" in html, f"{name}: not rendered as a notebook"
        assert "# %%" not in html, f"{name}: the source was published instead of the notebook"
        assert "<svg" in html, f"{name}: no figure"
        assert f'href="{name}.ipynb" download' in html
        assert f'<html lang="{language.rstrip("/") or "en"}"' in html
        notebook = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert all(cell.get("execution_count") for cell in notebook["cells"] if cell["cell_type"] == "code")


@pytest.mark.parametrize("language", ["", "zh/"])
def test_the_reference_documents_every_public_name_of_every_module(site: Path, language: str) -> None:
    import importlib

    from hooks.api_links import MODULES

    missing = []
    for short in MODULES:
        module = importlib.import_module(f"handbook.{short}")
        html = (site / language / "reference" / short / "index.html").read_text(encoding="utf-8")
        for name, obj in vars(module).items():
            if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__:
                if f'id="handbook.{short}.{name}"' not in html:
                    missing.append(f"{language}reference/{short}: {name}")
    assert missing == []
    constants = [anchor for short in MODULES for anchor in re.findall(
        r'id="(handbook\.\w+\.[A-Z][A-Z0-9_]{3,})"',
        (site / language / "reference" / short / "index.html").read_text(encoding="utf-8"))]
    assert constants == [], "module constants are the package's inner settings"


def test_pages_link_the_package_names_they_quote_to_the_reference(site: Path) -> None:
    page = (site / "zh" / "debugging" / "checkup" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../reference/diagnose/#handbook.diagnose.checkup"' in page
    # every technique page links to the reference, from inline code or its code blocks
    unlinked = [page.parent.relative_to(site).as_posix() for chapter in
                ("setting-up", "regularization", "optimization", "tuning", "debugging")
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
    assert len(images) == 5
    for src, alt in images:
        thumbnail = (site / language / src).resolve()
        assert thumbnail.is_relative_to(site.resolve()) and thumbnail.exists(), src
        svg = thumbnail.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg[:400]
        assert len(svg.encode()) <= 150_000, f"{src}: {len(svg.encode()) / 1e3:.0f} KB"
        assert bool(re.search("[\u4e00-\u9fff]", alt)) == (language == "zh/"), alt
    assert len({src for src, _ in images}) == 5
    assert len(re.findall(r'href="[^"]*labs/[a-z-]+/"', article)) >= 5
    other = "../" if language else "zh/"
    assert re.search(rf'<a class="md-button" href="{re.escape(other)}" hreflang=', article)
