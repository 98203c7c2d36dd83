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


def executed_notebook():
    """A small executed notebook: what hooks/labs.py caches, in miniature."""
    import nbformat

    v4 = nbformat.v4
    return v4.new_notebook(cells=[
        v4.new_markdown_cell("# Lab 9: a test\n\nSee [the Adam page](../optimization/adam.md#adamw), "
                             "[lab 2](regularization.py), [this step](#step-1) and "
                             "[NumPy](https://numpy.org/).\n\n[ref]: ../index.md"),
        v4.new_code_cell("print('<b> & 0.5')\nprint()\nprint('end')", execution_count=1, outputs=[
            v4.new_output("stream", name="stdout", text="<b> & 0.5\n"),
            v4.new_output("stream", name="stdout", text="\nend\n")]),
        v4.new_markdown_cell("## Step 1"),
        v4.new_code_cell("hb.plot.show(fig)\nshow_png()", execution_count=2, outputs=[
            v4.new_output("display_data", data={"image/svg+xml": "<svg viewBox='0 0 1 1'></svg>",
                                                "text/plain": "<SVG>"}),
            v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=\n", "text/plain": "<Figure>"})]),
    ])


def test_a_lab_page_shows_code_cells_as_python_blocks_and_outputs_as_the_chapters_do() -> None:
    import markdown

    from hooks.lab_pages import FIGURE_ALT, page_markdown

    text = page_markdown(executed_notebook(), "zh", note="NOTE")
    assert text.index("# Lab 9") < text.index("NOTE") < text.index("```python\nprint(")
    assert "```python\nhb.plot.show(fig)\nshow_png()\n```" in text
    # the two printed pieces are one block of console-output lines, escaped, the blank line kept
    printed = ('<div class="highlight no-copy"><pre><code><span class="go">&lt;b&gt; &amp; 0.5</span>\n'
               '<span class="go"></span>\n<span class="go">end</span></code></pre></div>')
    assert text.count('<div class="handbook-output"') == 3 and text.count(printed) == 1
    assert "<svg viewBox='0 0 1 1'></svg>" in text
    assert f'<img src="data:image/png;base64,iVBORw0KGgo=" alt="{FIGURE_ALT["zh"]}">' in text
    assert "&lt;SVG&gt;" not in text and "<Figure>" not in text  # the richest form only
    # Python-Markdown, as the site configures it, keeps the outputs as they are
    html = markdown.markdown(text, extensions=["md_in_html", "attr_list", "pymdownx.superfences",
                                               "pymdownx.highlight"],
                             extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}})
    assert printed in html and 'class="language-python highlight"' in html


def test_a_caption_cell_after_a_figure_makes_a_numbered_figure_on_the_page_and_in_the_notebook() -> None:
    import nbformat
    import pytest

    from hooks.lab_pages import downloadable, page_markdown

    notebook = executed_notebook()
    caption = "/// caption\nThe loss over `epochs`,\nfalling.\n///"
    notebook.cells.insert(4, nbformat.v4.new_markdown_cell(caption))
    notebook.cells[3].outputs.pop()  # the PNG: the SVG is the cell's last output
    text = page_markdown(notebook, "zh")
    assert "/// caption" not in text
    assert ('<figure class="handbook-figure" id="figure-1" markdown="1">\n<div class="handbook-output" '
            'markdown="0">\n\n<svg aria-label="The loss over epochs, falling." viewBox=') in text
    assert ('<figcaption markdown="span"><span class="caption-prefix">图 1</span> The loss over '
            '`epochs`,\nfalling.</figcaption>\n</figure>') in text
    cells = downloadable(notebook, "pip install x", lambda target: target, "en").cells
    assert cells[5].source == "*Figure 1. The loss over `epochs`, falling.*"
    notebook.cells.insert(2, nbformat.v4.new_markdown_cell(caption))  # after printed text
    with pytest.raises(ValueError, match="follows no figure"):
        page_markdown(notebook, "en")


def test_a_failing_cell_is_no_page() -> None:
    import nbformat
    import pytest

    from hooks.lab_pages import page_markdown

    notebook = executed_notebook()
    notebook.cells[1].outputs.append(nbformat.v4.new_output("error", ename="ValueError",
                                                            evalue="broken", traceback=[]))
    with pytest.raises(ValueError, match="ValueError: broken"):
        page_markdown(notebook, "en")


def test_the_downloadable_notebook_installs_the_package_first_and_links_absolutely() -> None:
    import nbformat
    import pytest

    from hooks.lab_pages import downloadable, install_command, link_resolver, relative_links, wheel_name

    pages = {"optimization/adam.md": "zh/optimization/adam/", "labs/regularization.py": "zh/labs/regularization/",
             "index.md": "zh/"}
    resolve = link_resolver("labs/test.zh.py", "zh/labs/test/", "https://example.org/book/", pages.get)
    install = install_command("https://example.org/book/", "zh")
    assert install == f'pip install "handbook[data,cjk] @ https://example.org/book/downloads/{wheel_name()}"'
    notebook = downloadable(executed_notebook(), install, resolve, "zh")
    nbformat.validate(notebook)
    first = notebook.cells[0]
    assert first.cell_type == "code" and first.source.splitlines() == [f"%{install}", "%env HANDBOOK_LANG=zh"]
    assert [c.source for c in notebook.cells[1:]][1:] == [c.source for c in executed_notebook().cells][1:]
    text = notebook.cells[1].source
    assert "(https://example.org/book/zh/optimization/adam/#adamw)" in text
    assert "(https://example.org/book/zh/labs/regularization/)" in text
    assert "(https://example.org/book/zh/labs/test/#step-1)" in text
    assert "(https://numpy.org/)" in text and "[ref]: https://example.org/book/zh/" in text
    assert relative_links(text) == [] and len(relative_links(executed_notebook().cells[0].source)) == 4
    assert len({cell.id for cell in notebook.cells}) == len(notebook.cells)
    english = downloadable(executed_notebook(), install, resolve, "en")
    assert english.cells[0].source == f"%{install}"
    with pytest.raises(ValueError, match="leads to no page"):
        link_resolver("labs/test.py", "labs/test/", "https://example.org/", {}.get)("../missing.md")


def test_the_install_marker_becomes_the_command_of_the_page_language() -> None:
    from hooks.handbook_hooks import INSTALL_MARKER, with_install_command
    from hooks.lab_pages import install_command

    config = {"site_url": "https://example.org/"}
    page = f"Before.\n\n{INSTALL_MARKER}\n\nAfter.\n"
    for language in ("en", "zh"):
        shown = with_install_command(page, language, config)
        assert INSTALL_MARKER not in shown
        assert f"``` {{ .bash .handbook-install }}\n{install_command(config['site_url'], language)}\n```" in shown


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


def test_the_pin_caps_numpy_loops_at_avx2_unless_a_family_is_chosen():
    """hooks.blas.pin_kernels pins the Haswell kernels and NumPy's loops up to AVX2 (a
    build on an AVX-512 machine prints what one on an AVX2 machine does), and leaves
    a run under another family (OPENBLAS_CORETYPE already set) as it is."""
    import platform

    from hooks.blas import emulate, pin_kernels

    env: dict[str, str] = {}
    pin_kernels(env)
    chosen = {"OPENBLAS_CORETYPE": "SkylakeX"}
    emulate(chosen, "SkylakeX")
    pin_kernels(chosen)
    if platform.machine().lower() in ("x86_64", "amd64"):
        assert env["OPENBLAS_CORETYPE"] == "Haswell"
        assert "X86_V4" in env["NPY_DISABLE_CPU_FEATURES"].split()
        assert chosen == {"OPENBLAS_CORETYPE": "SkylakeX"}, chosen
    else:
        assert env == {}


def test_a_run_under_another_kernel_family_also_runs_other_numpy_loops():
    """hooks.blas.emulate pins OpenBLAS's kernels and turns off the NumPy SIMD loops a
    CPU of the family lacks; the child process reports both."""
    import os
    import subprocess
    import sys

    from hooks.blas import emulate

    env = dict(os.environ)
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    emulate(env, "Sandybridge")
    assert "X86_V3" in env["NPY_DISABLE_CPU_FEATURES"]
    report = subprocess.run(
        [sys.executable, "-c", "from hooks.blas import kernels; print(kernels())"],
        env=env, capture_output=True, text=True, check=True).stdout
    if os.uname().machine == "x86_64":
        assert report.startswith("Sandybridge"), report
        assert "NumPy's loops up to X86_V2" in report, report
