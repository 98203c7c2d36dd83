"""The page runner itself is tested: a broken block fails in every fence form the pages use,
an exercise's solution included."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hooks.pages import ROOT

SOURCE = '''\
"""A stand-in for a handbook module."""


# --8<-- [start:good]
def double(x):
    return 2 * x
# --8<-- [end:good]


# --8<-- [start:bad]
def broken(x):
    return x / 0
# --8<-- [end:bad]


class Holder:
    # --8<-- [start:method]
    def method(self):
        return 1
    # --8<-- [end:method]
'''

MKDOCS = """\
markdown_extensions:
  - pymdownx.snippets:
      base_path: {base}
      check_paths: true
      dedent_subsections: true
"""

PAGES = {
    # name: (page text, should it fail?)
    "plain_ok.md": ("```python\nx = 1\nassert x == 1\n```\n", False),
    "plain_bad.md": ("Text.\n\n```python\nx = 1\nassert x == 2, 'plain block ran'\n```\n", True),
    "attributes_bad.md": ('```python title="a title" hl_lines="1"\nraise ValueError("attr")\n```\n', True),
    "doctest_ok.md": ("```python\n>>> 1 + 1\n2\n```\n", False),
    "doctest_bad.md": ("```python\n>>> 1 + 1\n3\n```\n", True),
    # Floats are compared to the precision the page writes: the last digit may move by one.
    "doctest_rounding_ok.md": ("```python\n>>> print(0.2316, 2.4e-08, [0.5604])\n0.231 2.3e-08 [0.561]\n```\n", False),
    "doctest_last_digit_ok.md": ("```python\n>>> print(0.855, 7.1e-05)\n0.854 7.2e-05\n```\n", False),
    "doctest_number_bad.md": ("```python\n>>> print(0.2336)\n0.231\n```\n", True),
    "doctest_exponent_bad.md": ("```python\n>>> print(2.6e-08)\n2.3e-08\n```\n", True),
    "doctest_integer_bad.md": ("```python\n>>> print(56)\n57\n```\n", True),
    "doctest_words_bad.md": ("```python\n>>> print('stalls 0.5')\nstalled 0.5\n```\n", True),
    "snippet_ok.md": (
        '```python\n--8<-- "pkg/mod.py:good"\n```\n\n```python\nassert double(2) == 4\n```\n', False),
    "snippet_bad.md": (
        '```python title="pkg/mod.py"\n--8<-- "pkg/mod.py:bad"\n```\n\n```python\nbroken(1)\n```\n', True),
    "snippet_raises_inside.md": (
        '```python\n--8<-- "pkg/mod.py:good"\nassert double(3) == 7, "mixed block ran"\n```\n', True),
    "snippet_missing.md": ('```python\n--8<-- "pkg/mod.py:nowhere"\n```\n', True),
    "snippet_method.md": (
        '```python\nclass Holder:\n    --8<-- "pkg/mod.py:method"\n\nassert Holder().method() == 1\n```\n', False),
    "exec_ok.md": ('```python exec="on"\nprint("<p>figure</p>")\n```\n', False),
    "exec_bad.md": ('```python exec="on"\nraise RuntimeError("exec")\n```\n', True),
    "exec_silent.md": ('```python exec="on"\nx = 1\n```\n', True),
    "exec_shares_namespace.md": (
        '```python\nvalue = 21\n```\n\n```python exec="on" source="details"\nprint(f"<p>{2 * value}</p>")\n```\n', False),
    "page_bad.zh.md": ("中文页面。\n\n```python\nraise KeyError('zh')\n```\n", True),
    # An exercise's solution (hooks/exercises.py): its blocks run like any other.
    "solution_ok.md": (
        "### Experiment: x\n\nAsk.\n\n/// solution | Solution\n\n```python\nx = 3\n```\n\n"
        "```python\n>>> print(x + 1)\n4\n```\n\n///\n", False),
    "solution_code_bad.md": (
        "### Experiment: x\n\n/// solution | Solution\n\n```python\nraise ValueError('solution')\n"
        "```\n\n///\n", True),
    "solution_outcome_bad.md": (
        "### Experiment: x\n\n/// solution | Solution\n\n```python\n>>> print(2 + 2)\n5\n```\n\n"
        "///\n", True),
    "solution_assert_bad.md": (
        "### Experiment: x\n\n/// solution | 解答\n\n```python\nratio = 0.5\n"
        "assert ratio > 0.9, 'the solution asserts its outcome'\n```\n\n///\n", True),
    "skip_reason.md": ('<!-- skip: next "needs a GPU" -->\n```python\nraise SystemExit(1)\n```\n', False),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What one pytest run of the stand-in pages (PAGES) prints, every result listed
    (``-rA``): a site of its own, with a conftest that collects it as the handbook's does."""
    site = tmp_path_factory.mktemp("site")
    (site / "pkg").mkdir()
    (site / "pkg" / "mod.py").write_text(SOURCE)
    (site / "mkdocs.yml").write_text(MKDOCS.format(base=site))
    docs = site / "docs"
    docs.mkdir()
    for name, (text, _) in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    (site / "conftest.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from hooks.pages import make_sybil
        pytest_collect_file = make_sybil(
            path=Path(__file__).parent / "docs", mkdocs_yml=Path(__file__).parent / "mkdocs.yml"
        ).pytest()
    """))
    env = dict(os.environ, HANDBOOK_PAGE_CACHE=str(site / "cache"))
    run = subprocess.run([sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", "docs"],
                         cwd=site, env=env, capture_output=True, text=True, timeout=300)
    return run.stdout + run.stderr


def test_every_fence_form_runs_and_fails_when_broken(report: str) -> None:
    for name, (_, should_fail) in PAGES.items():
        lines = [l for l in report.splitlines() if name in l and l.split(" ")[0] in ("PASSED", "FAILED", "ERROR", "SKIPPED")]
        assert lines, f"{name}: no test was collected\n{report}"
        failed = any(l.startswith(("FAILED", "ERROR")) for l in lines)
        assert failed == should_fail, f"{name}: expected {'a failure' if should_fail else 'success'}\n{report}"
    assert any(l.startswith("SKIPPED") and "needs a GPU" in l for l in report.splitlines()), report


def test_failures_name_the_page_and_line(report: str) -> None:
    failures = [l for l in report.splitlines() if l.startswith("FAILED")]
    assert any(l.startswith("FAILED docs/plain_bad.md::") and "line:3" in l for l in failures), report
    assert any(l.startswith("FAILED docs/page_bad.zh.md::") for l in failures), report


def failure_of(report: str, page: str) -> str:
    """The report's section on the failure of ``page``: from its "____ page line=..."
    header to the next section's."""
    sections = re.split(r"^_{3,} |^={3,} ", report, flags=re.M)
    return "".join(section for section in sections if section.startswith(f"{page} line="))


def test_snippet_tracebacks_point_into_the_source_file(report: str) -> None:
    section = failure_of(report, "snippet_bad.md")
    assert "ZeroDivisionError" in section, report
    assert f"pkg{'/'}mod.py:12" in section.replace("\\", "/"), report


def test_the_real_pages_are_collected_in_both_languages() -> None:
    from hooks.pages import make_sybil

    sybil = make_sybil()
    pages = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    english = [p for p in pages if not p.endswith(".zh.md")]
    chinese = [p for p in pages if p.endswith(".zh.md")]
    assert english and chinese
    twins = ("how-to-use.md", "how-to-use.zh.md")
    blocks = {p: len(list(sybil.parse(ROOT / "docs" / p))) for p in twins}
    assert blocks[twins[0]] > 0 and blocks[twins[0]] == blocks[twins[1]], blocks


def test_the_build_puts_exec_output_into_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.pages import PageError, render_exec_blocks, run_page

    monkeypatch.setenv("HANDBOOK_PAGE_CACHE", str(tmp_path / "cache"))
    page = tmp_path / "page.md"
    text = PAGES["exec_shares_namespace.md"][0] + '\n```python exec="on" source="hidden"\nprint("<b>two</b>")\n```\n'
    page.write_text(text)
    outputs = run_page(page)
    assert outputs == ["<p>42</p>\n", "<b>two</b>\n"]
    html = render_exec_blocks(text, outputs, details_title="Code")
    assert '??? example "Code"' in html and "<p>42</p>" in html and "<b>two</b>" in html
    assert 'print("<b>two</b>")' not in html
    assert html.index("value = 21") < html.index("<p>42</p>")
    page.write_text(PAGES["plain_bad.md"][0])
    with pytest.raises(PageError, match="plain block ran"):
        run_page(page)


def test_a_page_that_passed_is_not_run_again_by_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.pages import PageError, run_page

    monkeypatch.setenv("HANDBOOK_PAGE_CACHE", str(tmp_path / "cache"))
    runs = tmp_path / "runs.txt"
    page = tmp_path / "page.md"
    page.write_text(
        f'```python\nwith open({str(runs)!r}, "a") as f:\n    f.write("x")\n```\n\n'
        '```python exec="on"\nprint("<p>out</p>")\n```\n'
    )
    assert run_page(page) == ["<p>out</p>\n"]
    assert run_page(page) == ["<p>out</p>\n"]
    assert runs.read_text() == "x"
    page.write_text(page.read_text() + '\n```python\nraise RuntimeError("late failure")\n```\n')
    for _ in range(2):
        with pytest.raises(PageError, match="late failure"):
            run_page(page)
    assert runs.read_text() == "xxx"


def test_serve_runs_a_page_up_to_its_last_exec_block_and_the_tests_still_run_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks.pages import PageError, cached_outputs, run_page

    monkeypatch.setenv("HANDBOOK_PAGE_CACHE", str(tmp_path / "cache"))
    page = tmp_path / "page.md"
    page.write_text('```python exec="on"\nprint("<p>out</p>")\n```\n\n'
                    '```python\nraise RuntimeError("an exercise fails")\n```\n')
    assert run_page(page, through_exec=True) == ["<p>out</p>\n"]
    assert cached_outputs(page) == ["<p>out</p>\n"]  # what the build takes
    assert cached_outputs(page, partial=False) is None  # not a whole page that passed
    assert run_page(page) == ["<p>out</p>\n"]  # from the cache: the build does not rerun
    (tmp_path / "cache").rename(tmp_path / "old")
    with pytest.raises(PageError, match="an exercise fails"):
        run_page(page)


def test_a_caption_after_a_figure_makes_a_numbered_figure() -> None:
    from hooks.pages import PageError, render_exec_blocks

    fence = '```python exec="on" source="hidden"\nprint(1)\n```\n'
    text = f"{fence}\n/// caption\nThe *first* curve, in [a link](x.md).\n///\n\n{fence}\nAfter.\n"
    svg = '<svg role="img" viewBox="0 0 1 1"></svg>'
    html = render_exec_blocks(text, [svg, svg], figure_prefix="图 {}")
    assert '<figure class="handbook-figure" id="figure-1" markdown="1">' in html
    assert '<span class="caption-prefix">图 1</span> The *first* curve, in [a link](x.md).' in html
    assert 'aria-label="The first curve, in a link."' in html
    assert "/// caption" not in html and "figure-2" not in html  # the second has no caption
    assert html.rstrip().endswith("After.")
    with pytest.raises(PageError, match="draws no figure"):
        render_exec_blocks(text, ["<p>no figure</p>", svg])


def test_pages_show_package_code_without_the_docstrings_interface_sections() -> None:
    from hooks.pages import run_code, shown_code

    code = '''class Step:
    """One step: w = w - lr g.

    Args:
        lr: the learning rate.
            Continued.

    Raises:
        ValueError: if lr is not positive.
    """

    def update(self, w, g):
        """Move w against g.

        A second paragraph stays.

        Returns:
            The new w.
        """
        x = """not a docstring
        Args:
        """
        return w - self.lr * g
'''.split("\n")
    shown = "\n".join(shown_code(code))
    assert '    """One step: w = w - lr g."""\n\n    def update' in shown
    assert "A second paragraph stays.\n        \"\"\"\n" in shown
    assert "Args:" in shown and shown.count("Args:") == 1  # the one in a string literal stays
    assert "Returns" not in shown and "Raises" not in shown and "Continued" not in shown
    run = run_code(code)
    assert len(run) == len(code)  # line numbers stay the file's
    assert [line for line in run if line.strip()] == [line for line in shown.split("\n") if line.strip()]


def test_what_needs_pytorch_fails_instead_of_skipping_when_it_is_required(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        pytest_plugins = ["hooks.require_torch"]
    """))
    pytester.makepyfile(test_needs=textwrap.dedent("""
        import pytest

        def test_a_pytorch_check():
            pytest.importorskip("torch_that_is_not_installed")

        def test_a_browser_check():
            pytest.skip("Chromium is not installed")
    """))
    monkeypatch.delenv("HANDBOOK_REQUIRE_TORCH", raising=False)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(skipped=2)
    monkeypatch.setenv("HANDBOOK_REQUIRE_TORCH", "1")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, skipped=1)
    assert "HANDBOOK_REQUIRE_TORCH=1" in result.stdout.str()
