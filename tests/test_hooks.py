"""The site hooks' text transformations."""

from hooks.api_links import link_api_names, targets
from hooks.handbook_hooks import join_chinese_lines, without_head_alternates


def test_chinese_line_breaks_are_joined_outside_code_and_math():
    text = "第一行的结尾\n第二行的开头。\nEnglish line\n中文\n\n```python\nx = 1  # 中文\n中文\n```\n\n$$\n中\n文\n$$\n- 列表\n- 项目\n"
    joined = join_chinese_lines(text)
    assert "第一行的结尾第二行的开头。" in joined
    assert "。English line\n中文" in joined  # no space after full-width punctuation
    assert "line\n中文" in joined  # a break between Latin and Chinese text stays: a space
    assert "x = 1  # 中文\n中文" in joined  # code is untouched
    assert "中\n文" in joined  # display math is untouched
    assert "- 列表\n- 项目" in joined  # list items stay separate


def test_the_breaks_of_list_items_bold_labels_links_and_quotes_are_joined_too():
    text = ("- 第一项的开头，\n  接着写完。\n- 第二项\n\n**症状。**\n无论怎样\n取 $x$、\n$y$ 和\n[链接](a.md)，\n"
            "训练误差高。\n**方差**\n“引号”\n之后\n中文\n**Adam** 之后\n中文\n`code`\n")
    joined = join_chinese_lines(text)
    assert "- 第一项的开头，接着写完。\n- 第二项" in joined  # the continuation line, not the next item
    assert "**症状。**无论怎样" in joined
    assert "取 $x$、$y$ 和[链接](a.md)，训练误差高。**方差**“引号”之后中文\n**Adam**" in joined
    assert "中文\n`code`" in joined  # Chinese before inline code: a space belongs there
    assert join_chinese_lines("- [网络内部](a.md)\n  和[调试](b.md)。\n") == "- [网络内部](a.md)和[调试](b.md)。\n"


def test_head_alternates_are_removed_but_not_the_switcher_links():
    html = ('<head>\n  <link rel="alternate" href="/zh/" hreflang="zh">\n</head>'
            '<body><a href="/zh/" hreflang="zh" class="md-select__link">中文</a></body>')
    cleaned = without_head_alternates(html)
    assert 'rel="alternate"' not in cleaned and 'class="md-select__link"' in cleaned


def test_package_names_in_inline_code_link_to_their_reference_entry() -> None:
    html = "<p>Train with <code>hb.fit(..., schedule=...)</code>, then <code>hb.diagnose.checkup</code>.</p>"
    linked = link_api_names(html, "zh/optimization/lr-decay/", "zh/")
    assert '<a href="../../reference/training/#handbook.training.fit"><code>hb.fit(..., schedule=...)</code></a>' in linked
    assert '<a href="../../reference/diagnose/#handbook.diagnose.checkup"><code>hb.diagnose.checkup</code></a>' in linked
    assert link_api_names("<p><code>hb.data</code></p>", "", "") == '<p><a href="reference/data/"><code>hb.data</code></a></p>'


def test_names_in_links_headings_code_blocks_or_unknown_to_the_package_stay_as_they_are() -> None:
    html = ('<a href="x"><code>hb.fit</code></a><h2 id="a"><code>hb.fit</code></h2>'
            "<pre><code>hb.fit</code></pre><p><code>hb.no_such_name</code> <code>np.mean</code></p>")
    assert link_api_names(html, "optimization/adam/") == html


def test_every_public_name_of_the_top_level_package_has_a_reference_entry() -> None:
    import handbook

    names = targets()
    assert all(f"hb.{name}" in names for name in handbook.__all__)


def test_notebook_headings_take_the_ids_of_the_table_of_contents() -> None:
    from types import SimpleNamespace as Item

    from hooks.handbook_hooks import heading_ids_from_toc

    html = ('<h1 id="1">实验 1<a class="anchor-link" href="#1">¶</a></h1><p>x</p>'
            '<h2 id="1">第 1 步<a class="anchor-link" href="#1">¶</a></h2><h2 id="">要点<a class="anchor-link" href="#">¶</a></h2>')
    toc = [Item(id="1", children=[Item(id="1_1", children=[]), Item(id="_1", children=[])])]
    fixed = heading_ids_from_toc(html, toc)
    assert '<h2 id="1_1">第 1 步<a class="anchor-link" href="#1_1">' in fixed
    assert '<h2 id="_1">要点<a class="anchor-link" href="#_1">' in fixed
    assert heading_ids_from_toc(html, toc[:0]) == html  # a different number of headings: left alone


def test_package_names_in_code_blocks_link_to_the_reference_without_changing_the_code() -> None:
    """hb.optim.SGD in a highlighted block: the tokens are wrapped in a link to the longest
    name the package defines, and the text of the block stays the same."""
    import re

    code = ('<pre><code><span class="n">hb</span><span class="o">.</span><span class="n">optim</span>'
            '<span class="o">.</span><span class="n">SGD</span><span class="p">(</span>'
            '<span class="n">hb</span><span class="o">.</span><span class="n">not_a_name</span></code></pre>')
    linked = link_api_names(code, "optimization/momentum/")
    assert linked.count('class="handbook-code-link"') == 1
    assert 'href="../../reference/optim/#handbook.optim.SGD"' in linked
    assert re.sub(r"<[^>]+>", "", linked) == re.sub(r"<[^>]+>", "", code)
