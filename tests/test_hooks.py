"""The site hooks' text transformations."""

from hooks.handbook_hooks import join_chinese_lines, without_head_alternates


def test_chinese_line_breaks_are_joined_outside_code_and_math():
    text = "第一行的结尾\n第二行的开头。\nEnglish line\n中文\n\n```python\nx = 1  # 中文\n中文\n```\n\n$$\n中\n文\n$$\n- 列表\n- 项目\n"
    joined = join_chinese_lines(text)
    assert "第一行的结尾第二行的开头。" in joined
    assert "。\nEnglish line\n中文" in joined  # a break next to Latin text stays
    assert "x = 1  # 中文\n中文" in joined  # code is untouched
    assert "中\n文" in joined  # display math is untouched
    assert "- 列表\n- 项目" in joined  # list items stay separate


def test_head_alternates_are_removed_but_not_the_switcher_links():
    html = ('<head>\n  <link rel="alternate" href="/zh/" hreflang="zh">\n</head>'
            '<body><a href="/zh/" hreflang="zh" class="md-select__link">中文</a></body>')
    cleaned = without_head_alternates(html)
    assert 'rel="alternate"' not in cleaned and 'class="md-select__link"' in cleaned
