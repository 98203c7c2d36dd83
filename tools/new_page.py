"""Start a technique page: both language files from the page plan, and both nav entries.

    python3 dev.py new-page CHAPTER SLUG "English title" "中文标题"

writes ``docs/CHAPTER/SLUG.md`` and ``docs/CHAPTER/SLUG.zh.md`` with the sections a
technique page has (see CONTRIBUTING.md) and the same starting code block in both, adds
the page at the end of its chapter in the ``nav`` of ``mkdocs.yml`` and its Chinese
title to ``nav_translations``. The chapter is a folder of ``docs/`` that already has
pages in the nav. Existing files are never overwritten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CODE = '''```python
import numpy as np
import handbook as hb
```
'''

# The PyTorch section's guarded import and skip markers, as tests/test_pytorch_sections.py
# requires them; the same in both languages.
TORCH = '''```python
try:
    import torch
except ImportError:
    torch = None
```

<!-- skip: start if(torch is None, reason="PyTorch is not installed: pip install torch to run the PyTorch examples") -->

{torch_text}

```python
>>> print(torch.tensor([1.0, 2.0]).sum().item() == 3.0)
True
```

<!-- skip: end -->
'''

ENGLISH = """# {title}

The problem this technique solves, in a paragraph a practitioner recognizes.

## The idea

The formulas, each symbol named once, in the glossary's notation.

{code}
## An experiment

A small run whose printed numbers the prose quotes (every quoted number is printed by
a doctest on this page).

## In practice

Defaults, how to choose the hyperparameter, pitfalls, and links to the debugging
entries this technique cures.

## Conventions

Where sources and frameworks differ, and how to convert.

## In PyTorch

The PyTorch calls for this technique, run on the page's own example beside the
handbook's code (see CONTRIBUTING.md, "What a technique page contains").

{torch}
## Exercises

### Understanding: what it asks

The question.

/// solution | Solution

The worked answer, with the code that checks it.

///

### Experiment: what it asks

The question.

/// solution | Solution

The worked answer, with the code that checks it.

///

### Going further: what it asks

The question.

/// solution | Solution

The worked answer, with the code that checks it.

///

## Further reading

- The original papers: authors (year), *title*.
"""

CHINESE = """# {title}

用一段话说明这项技术解决什么问题。

## 思路

公式与记号，每个符号第一次出现时说明含义。

{code}
## 实验

一个小实验；正文引用的数字都由本页的代码打印出来。

## 实践建议

默认值、超参数怎么选、常见陷阱，以及这项技术能解决的调试条目的链接。

## 约定

各来源和框架的不同写法，以及如何换算。

## 在 PyTorch 中

这项技术在 PyTorch 中的写法，用本页自己的例子，与本手册的代码对照（见 CONTRIBUTING.md）。

{torch}
## 练习

### 理解：问的是什么

题目。

/// solution | 解答

解答，以及验证它的代码。

///

### 实验：问的是什么

题目。

/// solution | 解答

解答，以及验证它的代码。

///

### 拓展：问的是什么

题目。

/// solution | 解答

解答，以及验证它的代码。

///

## 延伸阅读

- 原始论文：作者（年份），*标题*。
"""


class NewPageError(ValueError):
    """The page cannot be added as asked."""


def quoted(text: str) -> str:
    """A YAML scalar: quoted when it holds a colon or starts with a special character."""
    return f'"{text}"' if ":" in text or text[:1] in "\"'[{&*!|>%@`#" else text


def add_to_nav(config: str, chapter: str, slug: str, title: str, title_zh: str) -> str:
    """mkdocs.yml with the page after the last page of its chapter and its Chinese title."""
    lines = config.split("\n")
    entries = [i for i, line in enumerate(lines) if re.search(rf":\s+{re.escape(chapter)}/[^/\s]+\.md\s*$", line)]
    if not entries:
        raise NewPageError(f"new-page: chapter must be a folder with pages in the nav, got {chapter!r}")
    if any(line.rstrip().endswith(f"{chapter}/{slug}.md") for line in lines):
        raise NewPageError(f"new-page: {chapter}/{slug}.md is in the nav already")
    last = entries[-1]
    indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
    lines.insert(last + 1, f"{indent}- {quoted(title)}: {chapter}/{slug}.md")
    start = next((i for i, line in enumerate(lines) if line.strip() == "nav_translations:"), None)
    if start is None:
        raise NewPageError("new-page: mkdocs.yml has no nav_translations")
    end = start + 1
    while end < len(lines) and lines[end].strip() and ":" in lines[end] \
            and len(lines[end]) - len(lines[end].lstrip()) > len(lines[start]) - len(lines[start].lstrip()):
        end += 1
    inner = lines[start + 1][: len(lines[start + 1]) - len(lines[start + 1].lstrip())]
    lines.insert(end, f"{inner}{quoted(title)}: {quoted(title_zh)}")
    return "\n".join(lines)


def new_page(chapter: str, slug: str, title: str, title_zh: str, root: Path = ROOT) -> list[Path]:
    """Write the two files and the nav entries; return the files written."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        raise NewPageError(f"new-page: slug must be lower-case words joined by hyphens, got {slug!r}")
    folder = root / "docs" / chapter
    pages = [folder / f"{slug}.md", folder / f"{slug}.zh.md"]
    for page in pages:
        if page.exists():
            raise NewPageError(f"new-page: {page.relative_to(root)} exists already")
    mkdocs = root / "mkdocs.yml"
    config = add_to_nav(mkdocs.read_text(encoding="utf-8"), chapter, slug, title, title_zh)
    english = TORCH.format(torch_text="PyTorch beside the handbook, and a doctest that they "
                           "agree (float64 to 1e-12, float32 to 1e-6).")
    chinese = TORCH.format(torch_text="PyTorch 与本手册对照，并用 doctest 验证两者一致"
                           "（float64 到 1e-12，float32 到 1e-6）。")
    pages[0].write_text(ENGLISH.format(title=title, code=CODE, torch=english),
                        encoding="utf-8")
    pages[1].write_text(CHINESE.format(title=title_zh, code=CODE, torch=chinese),
                        encoding="utf-8")
    mkdocs.write_text(config, encoding="utf-8")
    return pages


def main(arguments: list[str]) -> int:
    if len(arguments) != 4:
        print('usage: python3 dev.py new-page CHAPTER SLUG "English title" "中文标题"', file=sys.stderr)
        return 2
    try:
        written = new_page(*arguments)
    except NewPageError as error:
        print(error, file=sys.stderr)
        return 2
    for page in written:
        print(f"wrote {page.relative_to(ROOT)}")
    print("added both nav entries to mkdocs.yml; run: python3 dev.py test " + " ".join(
        str(p.relative_to(ROOT)) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
