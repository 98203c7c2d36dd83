"""The package's modules are listed in one place, ``hooks.api_links.MODULES``, found
in the package itself; everything else that lists them is checked against it."""

from __future__ import annotations

import pytest

from hooks.api_links import MODULES
from hooks.pages import ROOT

REFERENCE = ROOT / "docs" / "reference"


def test_the_module_list_is_the_package() -> None:
    assert {"layers", "losses", "optim", "training", "validation"} <= set(MODULES)
    assert not any(name.startswith("_") for name in MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_its_reference_pages_a_nav_entry_and_an_index_row(
        module: str) -> None:
    problems = []
    for language in ("", ".zh"):
        page = REFERENCE / f"{module}{language}.md"
        if not page.is_file():
            problems.append(f"{page.relative_to(ROOT)} is missing")
        elif f"::: handbook.{module}\n" not in page.read_text(encoding="utf-8"):
            problems.append(f"{page.relative_to(ROOT)} has no ::: handbook.{module}")
        index = (REFERENCE / f"index{language}.md").read_text(encoding="utf-8")
        if f"[`handbook.{module}`]({module}.md)" not in index:
            problems.append(f"docs/reference/index{language}.md has no row for it")
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if f": reference/{module}.md\n" not in nav:
        problems.append(f"mkdocs.yml has no nav entry for reference/{module}.md")
    assert problems == [], f"handbook.{module}: " + "; ".join(problems)


def test_the_nav_lists_no_module_the_package_does_not_have() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = {line.rsplit("reference/", 1)[1].removesuffix(".md")
              for line in nav.splitlines()
              if ": reference/" in line and not line.strip().endswith("index.md")}
    from hooks.api_links import separate_pages

    assert listed <= set(MODULES) | set(separate_pages().values()), listed - set(MODULES)


def test_a_page_of_objects_shown_apart_from_their_module_has_its_twin_and_nav_entry() -> None:
    from hooks.api_links import separate_pages

    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = set(separate_pages().values())
    assert "layers-normalization" in pages
    for page in pages:
        assert (REFERENCE / f"{page}.zh.md").is_file(), page
        assert f": reference/{page}.md\n" in nav, page
        english = (REFERENCE / f"{page}.md").read_text(encoding="utf-8")
        chinese = (REFERENCE / f"{page}.zh.md").read_text(encoding="utf-8")
        assert english.count(":::") == chinese.count(":::"), page
