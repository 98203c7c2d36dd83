"""The Chinese edition's prose, read as a Chinese reader reads it.

- One rendering per glossary term: a variant the glossary's ``avoid_zh`` column lists
  (普通 SGD for 朴素 SGD, 热身 for 预热, ...) appears on no page.
- The English term in parentheses at a glossary term's first use on each page, as in
  学习率（learning rate）, where the Chinese rendering has no Latin letters.
- No English words left in the prose: lowercase Latin words outside code, math,
  links' targets and the parentheses above are refused unless they are names
  (softmax, logit, ...) in ``NAMES``; capitalized words are proper names (Adam,
  PyTorch, Xavier).
- Every further-reading item has a note in Chinese.
- Sentences shaped like Chinese: per 1,000 Chinese characters of prose, at most
  ``COLONS`` full-width colons, ``SEMICOLONS`` semicolons and ``YIGE`` 「一个」 (a faithful
  translation of English has about 12, 7 and 8; d2l-zh's best chapters 2-4, almost
  none and 3-6).

The prose is what ``hooks.prose.prose_text`` leaves: code, math, links' targets,
headings, comments, HTML tags and admonition titles are blanked. The labs' Markdown
cells count as pages.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from hooks.anchors import lab_markdown
from hooks.pages import ROOT
from hooks.prose import FURTHER_READING, prose_text

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.zh.md"))
LABS = sorted((DOCS / "labs").glob("*.zh.py"))
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"  # Latin, accents included (Müller)
LETTER = f"[{LETTERS}]"
COLONS, SEMICOLONS, YIGE = 5.0, 2.0, 6.0
SHORT = 300  # Chinese characters below which a page is too short to measure
# Lowercase Latin words that are names in Chinese writing too.
NAMES = {
    "softmax",
    "sigmoid",
    "tanh",
    "logit",
    "logits",
    "log-softmax",
    "hardmax",
    "e",
    "inf",
    "float",
    "lasso",
    "deeplearning",
    "ai",
    "jupytext",
    "notebook",
}


def glossary() -> list[dict[str, str]]:
    with open(DOCS / "glossary-terms.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def source(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return lab_markdown(text) if path.suffix == ".py" else text


def prose(path: Path, further_reading: bool = False) -> str:
    text = source(path)
    if further_reading:  # prose_text blanks it; keep it for the checks that read it
        match = FURTHER_READING.search(text)
        kept = match.group(0) if match else ""
        return prose_text(text[: match.start()] if match else text) + kept
    return prose_text(text)


def name(path: Path) -> str:
    return str(path.relative_to(DOCS))


ALL = [pytest.param(p, id=name(p)) for p in PAGES + LABS]


def english_forms(english: str) -> list[str]:
    """ "dev set (validation set)" may be glossed as either name."""
    main, _, alias = english.partition(" (")
    return [form for form in (main, alias.rstrip(")")) if form]


@pytest.mark.parametrize("path", ALL)
def test_one_rendering_per_glossary_term(path):
    text = prose(path, further_reading=True)
    found = [
        (variant, row["chinese"])
        for row in glossary()
        for variant in filter(None, row["avoid_zh"].split(";"))
        if variant in text
    ]
    assert not found, f"variants used instead of the glossary's rendering: {found}"


def first_uses(text: str, terms: list[str]) -> dict[str, int]:
    """Where each term first occurs, a longer term hiding the shorter ones inside it
    (偏差修正 is not a use of 偏差)."""
    masked, first = text, {}
    for term in sorted(terms, key=len, reverse=True):
        position = masked.find(term)
        if position >= 0:
            first[term] = position
        masked = masked.replace(term, "\0" * len(term))
    return first


GLOSS = re.compile(r"[\s*\]]*[（(]([^）)]*)")


@pytest.mark.parametrize("path", ALL)
def test_glossary_terms_have_their_english_at_first_use(path):
    rows = {
        row["chinese"]: row
        for row in glossary()
        if not LATIN.search(row["chinese"])
    }
    text = prose(path)
    missing = []
    for term, position in first_uses(text, list(rows)).items():
        gloss = GLOSS.match(text, position + len(term))
        said = gloss.group(1).lower() if gloss else ""
        if not any(
            said.startswith(form.lower())
            for form in english_forms(rows[term]["english"])
        ):
            line = text.count("\n", 0, position) + 1
            missing.append(
                f"line {line}: {term}（{english_forms(rows[term]['english'])[0]}）"
            )
    assert not missing, "no English at first use:\n" + "\n".join(missing)


GLOSSED = re.compile(r"[（(][^）)\u4e00-\u9fff]*[A-Za-z][^）)\u4e00-\u9fff]*[）)]")


@pytest.mark.parametrize("path", ALL)
def test_no_english_words_in_the_prose(path):
    text = GLOSSED.sub(" ", prose(path))
    words = {
        word
        for word in re.findall(rf"{LETTER}[{LETTERS}'\-]*{LETTER}|{LETTER}", text)
        if word[0].islower() and word not in NAMES and len(word) > 1
    }
    assert not words, f"English words in the prose: {sorted(words)}"


@pytest.mark.parametrize("path", [pytest.param(p, id=name(p)) for p in PAGES])
def test_every_further_reading_item_has_a_chinese_note(path):
    match = FURTHER_READING.search(path.read_text(encoding="utf-8"))
    if not match:
        pytest.skip("no further reading on this page")
    items = re.findall(r"^- (.+(?:\n  .+)*)", match.group(0), flags=re.MULTILINE)
    assert items, "a further-reading section without items"
    english_only = [
        item[:60]
        for item in items
        if not HAN.search(re.sub(r"\[[^\]]*\]", "", item))
    ]
    assert not english_only, f"items without a Chinese note: {english_only}"


@pytest.mark.parametrize("path", ALL)
def test_sentences_are_shaped_like_chinese(path):
    text = prose(path)
    characters = len(HAN.findall(text))
    if characters < SHORT:
        pytest.skip(f"{characters} Chinese characters: too short to measure")
    per_thousand = {
        mark: round(1000 * text.count(mark) / characters, 1)
        for mark in ("：", "；", "一个")
    }
    limits = {"：": COLONS, "；": SEMICOLONS, "一个": YIGE}
    over = {
        mark: rate for mark, rate in per_thousand.items() if rate > limits[mark]
    }
    assert over == {}, f"per 1,000 characters, limits {limits}"


# Words of Python and NumPy output (reprs, dtypes) that are code, not English.
CODE_WORDS = {"array", "dtype", "float16", "float32", "float64", "int64", "int32", "uint8",
              "nan", "inf", "shape", "bool", "lr", "eps", "std", "max", "min", "log", "exp",
              "sqrt", "keep_prob", "rng", "hb", "np", "tanh", "sigmoid", "softmax", "relu",
              "logit", "logits", "e", "x", "y", "z", "w", "b", "g", "v", "s", "t"}
ERROR_LINE = re.compile(r"Traceback|^\s+File |^\s*\w*(Error|Warning|Exception)\b|^\s*\.\.\.$")


def printed_lines(path: Path) -> list[str]:
    """What the page's doctests print (their expected output), error messages aside:
    those are the package's, in English like its code."""
    from hooks.fences import fences

    lines = []
    for fence in fences(path.read_text(encoding="utf-8")):
        if fence.is_doctest:
            lines += [line for line in fence.body.splitlines()
                      if not line.lstrip().startswith((">>>", "...")) and not ERROR_LINE.search(line)]
    return lines


def code_names(path: Path) -> set[str]:
    """The words of the page's code that are data when printed: string keys such as a
    hyperparameter's name (``{"beta": ...}``) and names with an underscore
    (``batch_size``)."""
    from hooks.fences import fences

    names = set()
    for fence in fences(path.read_text(encoding="utf-8")):
        if fence.is_python:
            lines = fence.body.splitlines()
            if fence.is_doctest:
                lines = [line for line in lines if line.lstrip().startswith((">>>", "..."))]
            code = "\n".join(lines)
            names |= set(re.findall(r"""["']([A-Za-z_][A-Za-z0-9_]*)["']""", code))
            names |= {n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code) if "_" in n.strip("_")}
    return names


@pytest.mark.parametrize("path", [pytest.param(p, id=name(p)) for p in PAGES if "reference" not in p.parts])
def test_what_a_chinese_page_prints_is_chinese(path):
    code = CODE_WORDS | NAMES | code_names(path)
    # a quoted string in the output is the repr of a str value: data, like a dict key
    lines = [re.sub(r"'[^']*'|\"[^\"]*\"", " ", line) for line in printed_lines(path)]
    words = sorted({match.group() for line in lines
                    for match in re.finditer(rf"(?<![{LETTERS}_]){LETTER}[{LETTERS}_\-]*{LETTER}(?![{LETTERS}_\-=])", line)
                    if match.group()[0].islower() and match.group() not in code
                    and match.group().lower() not in code})
    assert not words, f"English words in the printed output: {words}"
