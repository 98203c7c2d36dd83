"""The site's search index: Pagefind (the extended build, which segments Chinese).

Material's own search kept both languages in one index and split a Chinese query
into characters. Pagefind keeps one index per language (by each page's ``<html
lang>``), and the reader's browser loads only the index fragments a query needs
(``assets/javascripts/search.js``, which queries it and shows the results).

What is indexed is each page's article (``data-pagefind-body``), without what would
make a poor preview or give away an answer: code blocks (the labs' code cells and what
they printed among them), the code behind outputs, figures, math source, heading
permalinks, and the exercises' solutions (a search finds the exercise itself).

Pagefind's ranking alone does not always put a technique's page first for its name
(批量归一化 is segmented into 批量 and 归一化, and the mini-batch page has more 批量),
so ``handbook-terms.json`` maps every name of a glossary term (English, Chinese and
the ``search_aliases`` of ``docs/glossary-terms.csv``) to the term's page in each
language, and the search puts that page first when the query is one of its names.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXCLUDED = [
    ".headerlink",  # the ¶ after each heading
    ".highlight",  # code blocks, and what a lab's cells printed
    "details.handbook-source",  # the code behind an output
    "details.handbook-solution",  # an exercise's solution: found by its exercise
    ".handbook-output svg",  # figures
    ".arithmatex",  # LaTeX source, before KaTeX renders it
    ".md-source-file",
    ".md-clipboard",
]
ARTICLE = '<article class="md-content__inner md-typeset">'
LANGUAGES = {"en": "", "zh": "zh/"}  # each language and the folder it lives in


def with_search_markup(output: str) -> str:
    """The page with its article marked as what Pagefind indexes."""
    return output.replace(ARTICLE, ARTICLE[:-1] + " data-pagefind-body>", 1)


def normalized(name: str) -> str:
    """A name as search.js compares it: NFKC, lowercase, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).lower().split())


def title(page: str, language: str) -> str:
    """The first heading of a page (``optimization/adam.md``) in a language."""
    path = DOCS / (page.replace(".md", ".zh.md") if language == "zh" else page)
    return path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()


def terms() -> dict[str, dict[str, dict[str, str]]]:
    """For each language, every name of a glossary term -> the url and title of its page."""
    with open(DOCS / "glossary-terms.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    found: dict[str, dict[str, dict[str, str]]] = {language: {} for language in LANGUAGES}
    for row in rows:
        english, _, alias = row["english"].partition(" (")
        names = [english, alias.rstrip(")"), row["chinese"], *row["search_aliases"].split(";")]
        for language, folder in LANGUAGES.items():
            page = {"url": folder + row["page"].removesuffix(".md") + "/",
                    "title": title(row["page"], language)}
            for name in filter(None, (n.strip() for n in names)):
                found[language].setdefault(normalized(name), page)  # the first row wins
    return found


def build_index(site_dir: str | Path) -> None:
    """Write the index of the built site, and the names of the glossary's pages, into
    ``<site_dir>/pagefind/``."""
    command = [sys.executable, "-m", "pagefind_bin_extended", "--site", str(site_dir), "--quiet"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind failed to index {site_dir}:\n{result.stdout}\n{result.stderr}")
    names = json.dumps(terms(), ensure_ascii=False, indent=1, sort_keys=True)
    (Path(site_dir) / "pagefind" / "handbook-terms.json").write_text(names + "\n", encoding="utf-8")
