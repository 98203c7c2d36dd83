"""hooks/figures.py: a page's figures become files of the site, shown by <img>."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.figures import FOLDER, MIN_TEXT_PX, as_figure_files, min_width, size_of, text_sizes

# A figure as hb.plot.to_svg gives it, cut down: a title at 10 points, a legend at 7.
SVG = ('<svg aria-label="Two &quot;curves&quot;, one dashed." role="img" '
       'style="max-width:100%;height:auto" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'viewBox="0 0 460.8 345.6" xmlns="http://www.w3.org/2000/svg" version="1.1">'
       '<g id="figure_1"><g id="text_1"><g transform="translate(53.4 268.5) scale(0.1 -0.1)">'
       '<use xlink:href="#DejaVuSans-30"/></g></g>'
       '<g id="text_2"><g transform="translate(9 9) rotate(-90) scale(0.07 -0.07)">'
       '<use xlink:href="#DejaVuSans-31"/></g></g></g></svg>')


def page(svg: str = SVG) -> str:
    return (f'Before.\n\n<figure class="handbook-figure" id="figure-1" markdown="1">\n'
            f'<div class="handbook-output" markdown="0">\n\n{svg}\n\n</div>\n'
            f'<figcaption>Figure 1. Two curves.</figcaption>\n</figure>\n\nAfter <svg></svg>.\n')


def test_the_text_sizes_and_the_size_of_a_figure_are_read_from_its_svg() -> None:
    assert text_sizes(SVG) == pytest.approx([10, 7])
    assert size_of(SVG) == (460.8, 345.6)
    assert min_width(SVG) == pytest.approx(460.8 * MIN_TEXT_PX / 7)
    assert min_width(SVG.replace('id="text_', 'id="patch_')) == 0


def test_a_figure_becomes_a_file_and_an_image_that_names_it(tmp_path: Path) -> None:
    markdown = as_figure_files(page(), "optimization/adam/", tmp_path)
    files = list((tmp_path / FOLDER).glob("*.svg"))
    assert len(files) == 1
    assert "<svg aria-label" not in markdown and "After <svg></svg>." in markdown  # outputs only
    image = markdown.split('<div class="handbook-output" markdown="0">\n\n')[1].split("\n")[0]
    assert image == (f'<img class="handbook-figure-image" src="../../{FOLDER}/{files[0].name}" '
                     'alt="Two &quot;curves&quot;, one dashed." width="460.8" height="345.6" '
                     f'loading="lazy" decoding="async" style="width:460.8px;min-width:{min_width(SVG):.0f}px">')
    written = files[0].read_text(encoding="utf-8")
    assert written.startswith('<svg xmlns:xlink="http://www.w3.org/1999/xlink" viewBox=')
    assert 'xmlns="http://www.w3.org/2000/svg"' in written and "role=" not in written
    assert written.endswith("</svg>")


def test_the_same_figure_is_one_file_and_the_path_follows_the_page_depth(tmp_path: Path) -> None:
    home = as_figure_files(page(), "", tmp_path)
    chinese = as_figure_files(page(), "zh/optimization/adam/", tmp_path)
    assert len(list((tmp_path / FOLDER).glob("*.svg"))) == 1
    assert f'src="{FOLDER}/' in home and f'src="../../../{FOLDER}/' in chinese


def test_a_figure_without_a_view_box_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="viewBox"):
        as_figure_files(page(SVG.replace("viewBox", "data-box")), "a/", tmp_path)
