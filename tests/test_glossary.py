"""The glossary's data file: complete rows, and links to pages that exist in both languages."""

import csv

from hooks.pages import ROOT

DOCS = ROOT / "docs"


def terms():
    with open(DOCS / "glossary-terms.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_term_is_complete_and_unique():
    rows = terms()
    assert len(rows) >= 40
    assert all(len(row) == 7 and None not in row for row in rows)
    optional = {"avoid_zh", "search_aliases"}
    assert all(v.strip() for row in rows for k, v in row.items() if k not in optional)
    assert len({row["english"] for row in rows}) == len(rows)


def test_every_term_links_to_a_page_in_both_languages():
    broken = [row["page"] for row in terms()
              if not (DOCS / row["page"]).is_file() or not (DOCS / row["page"].replace(".md", ".zh.md")).is_file()]
    assert broken == []


def test_the_citation_file_and_the_bibtex_on_how_to_use_agree_with_the_package():
    """CITATION.cff and the BibTeX entry of both how-to-use pages carry the title and the
    version of pyproject.toml: a new version updates all three."""
    import re
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{version}"' in citation
    title = re.search(r'^title: "(.+)"$', citation, re.MULTILINE).group(1)
    for page in ("how-to-use.md", "how-to-use.zh.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        assert f"title  = {{{title}}}" in text and f"Version {version}." in text
