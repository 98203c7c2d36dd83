"""Figures as files of the site, shown at a size whose text a phone can read.

A page's code draws its figures as SVG (``hb.plot.to_svg``). Inline, they made the
heaviest pages' HTML 300-440 KB, all of it loaded before the first paragraph. The build
writes each figure once to ``assets/figures/<hash>.svg`` instead, and the page shows it
with an ``<img>`` that the browser loads when the reader scrolls near it, with the
caption as its text alternative.

A figure is shown at its drawn size, a point a CSS pixel, so that 10-point text is 10 px
high on every figure, or at the column's width where that is narrower. Text in the
figures is drawn as paths, at the font size matplotlib was given: a group ``<g
id="text_N">`` scaled by ``size / 100``. On a phone the column is narrow and the text
shrinks with the figure; each image therefore gets a minimum width at which its
smallest text is ``MIN_TEXT_PX`` CSS pixels high, and scrolls sideways inside its frame
where the column is narrower than that.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

FOLDER = "assets/figures"
# The smallest text of a figure, in CSS pixels, at any screen width: about the size of
# a phone's smallest interface text; 10-point labels on a 6.4-inch figure meet it at
# 330 px.
MIN_TEXT_PX = 7.0

SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
OUTPUT = re.compile(r'<div class="handbook-output"[^>]*>.*?</div>', re.DOTALL)
VIEW_BOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
LABEL = re.compile(r'aria-label="([^"]*)"')
# the scale of a text group's glyphs: the font size in points over 100
TEXT_SCALE = re.compile(r'<g id="text_\d+">\s*<g transform="[^"]*?scale\(([\d.]+) -[\d.]+\)"')
SHOWN_ONLY = re.compile(r'\s(?:aria-label="[^"]*"|role="img"|style="[^"]*")')


def text_sizes(svg: str) -> list[float]:
    """The font size in points of every text of a figure drawn by matplotlib."""
    return [100 * float(scale) for scale in TEXT_SCALE.findall(svg)]


def size_of(svg: str) -> tuple[float, float]:
    """A figure's width and height in points (its viewBox)."""
    box = VIEW_BOX.search(svg)
    if box is None:
        raise ValueError("a figure without a viewBox: " + svg[:80])
    return float(box.group(1)), float(box.group(2))


def min_width(svg: str) -> float:
    """The width in CSS pixels below which the figure's smallest text is under
    MIN_TEXT_PX (0 for a figure without text)."""
    sizes = text_sizes(svg)
    if not sizes:
        return 0.0
    width, _ = size_of(svg)
    return width * MIN_TEXT_PX / min(sizes)


def as_figure_files(markdown: str, page_url: str, site_dir: str | Path) -> str:
    """``markdown`` with every figure of its outputs written to the site's FOLDER and
    replaced by an ``<img>`` that points there (``page_url``: the page's address
    relative to the site's root, such as ``"optimization/adam/"``)."""
    to_root = "../" * page_url.count("/")
    folder = Path(site_dir) / FOLDER

    def image(match: re.Match) -> str:
        svg = match.group(0)
        opening = svg[: svg.index(">")]
        label = LABEL.search(opening)
        name = hashlib.sha256(svg.encode()).hexdigest()[:16] + ".svg"
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(SHOWN_ONLY.sub("", opening, count=3) + svg[len(opening):],
                            encoding="utf-8")
        width, height = size_of(svg)
        alt = html.escape(html.unescape(label.group(1)), quote=True) if label else ""
        return (f'<img class="handbook-figure-image" src="{to_root}{FOLDER}/{name}" '
                f'alt="{alt}" width="{width:g}" height="{height:g}" loading="lazy" '
                f'decoding="async" style="width:{width:g}px;min-width:{min_width(svg):.0f}px">')

    def output(match: re.Match) -> str:
        return SVG.sub(image, match.group(0))

    return OUTPUT.sub(output, markdown)
