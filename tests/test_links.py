"""Every link of the built site leads somewhere: internal files exist and every #anchor names an element.

Pure Python over the HTML files of the site (no browser, no server). A link is internal
unless it names another host or a scheme such as ``mailto:``; links to the site's own
address (``site_url``, used by ``404.html`` and by ``rel="canonical"``) count as internal.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

# The site is built for this address (see mkdocs.yml); 404.html links are rooted at its path.
SITE_URL = os.environ.get("HANDBOOK_SITE_URL", "http://127.0.0.1:8000/")
LINK_ATTRIBUTES = {"href", "src", "xlink:href", "poster", "data"}
NOT_FILES = ("mailto:", "javascript:", "data:", "tel:", "blob:", "about:")


class _Page(HTMLParser):
    """The ids (and <a name>s) a page defines and the links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append(value.strip())
            elif name == "srcset":
                self.links += [c.split()[0] for c in value.split(",") if c.strip()]


def parse(page: Path) -> _Page:
    parser = _Page()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def broken_links(site: Path, site_url: str = SITE_URL) -> list[str]:
    """Every internal link of every .html page of ``site`` that leads to no file or to no anchor."""
    root = urlparse(site_url)
    base = root.path.rstrip("/") + "/"  # the path the site lives under, "/" at the root of its host
    origin = f"{root.scheme}://{root.netloc}"
    parsed: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = parse(path)
        return parsed[path]

    broken = []
    for source in sorted(site.rglob("*.html")):
        here = origin + base + source.relative_to(site).as_posix()
        for link in page(source).links:
            if not link or link.lower().startswith(NOT_FILES):
                continue
            url = urlparse(urljoin(here, link))
            if f"{url.scheme}://{url.netloc}" != origin:
                continue  # another host: not this check's business
            where = f"{source.relative_to(site).as_posix()}: {link}"
            path = unquote(url.path)
            if not (path + "/").startswith(base):
                broken.append(f"{where} (outside the site, which lives under {base})")
                continue
            inside = path[len(base):]
            target = site / (inside + "index.html" if inside == "" or inside.endswith("/") else inside)
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{where} (no file {target.relative_to(site).as_posix()})")
                continue
            if url.fragment and target.suffix == ".html":
                ids = page(target).ids
                if url.fragment not in ids and unquote(url.fragment) not in ids:
                    broken.append(f"{where} (no id {unquote(url.fragment)!r} in "
                                  f"{target.relative_to(site).as_posix()})")
    return broken


def test_every_internal_link_and_anchor_of_the_site_resolves(site: Path) -> None:
    """Every internal href/src of every page names a file of the site, and every #fragment an id there."""
    assert sorted(site.rglob("*.html")), "the site has no pages"
    broken = broken_links(site)
    assert broken == [], f"{len(broken)} broken links:\n" + "\n".join(broken)


def test_the_link_checker_catches_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    """A fake two-page site with known faults: the checker reports exactly those."""
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text(
        '<h1 id="top">Guide</h1><a name="old-anchor"></a><svg><use xlink:href="#glyph"/></svg>', encoding="utf-8")
    (tmp_path / "style.css").write_text("body {}", encoding="utf-8")
    (tmp_path / "index.html").write_text("""<link rel="stylesheet" href="style.css">
        <a href="guide/">fine</a> <a href="guide/#top">fine</a> <a href="guide/index.html#old-anchor">fine</a>
        <a href="/handbook/guide/">fine, absolute</a> <a href="https://example.org/x/#y">another host</a>
        <a href="mailto:a@b.c">mail</a> <a href="#here" id="here">fine</a> <img src="data:image/png;base64,AA==">
        <a href="missing/">broken page</a> <a href="guide/#nowhere">broken anchor</a> <a href="#gone">broken here</a>
        <script src="/elsewhere.js"></script> <a href="http://example.com/handbook/guide/#top">fine, site_url</a>
    """, encoding="utf-8")
    assert broken_links(tmp_path, "http://example.com/handbook/") == [
        "guide/index.html: #glyph (no id 'glyph' in guide/index.html)",
        "index.html: missing/ (no file missing/index.html)",
        "index.html: guide/#nowhere (no id 'nowhere' in guide/index.html)",
        "index.html: #gone (no id 'gone' in index.html)",
        "index.html: /elsewhere.js (outside the site, which lives under /handbook/)",
    ]
