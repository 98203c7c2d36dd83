"""`python3 dev.py new-page` writes a page pair that passes the parity rule, and both nav entries."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


from hooks.pages import ROOT, mkdocs_config
from tests.test_parity import parity_problems
from tests.test_pytorch_sections import IMPORT, SKIP_START, section


def test_a_new_page_pair_is_written_with_its_nav_entries(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs" / "tuning", tmp_path / "docs" / "tuning")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    from tools.new_page import new_page

    pages = new_page("tuning", "layer-norm", "Layer normalization: one", "层归一化", root=tmp_path)
    assert [p.name for p in pages] == ["layer-norm.md", "layer-norm.zh.md"]
    assert parity_problems(tmp_path / "docs") == []
    for page, language in zip(pages, ("en", "zh")):
        text = page.read_text(encoding="utf-8")
        body = section(text, language)
        assert body is not None and IMPORT in body and SKIP_START.search(body), page.name
        assert text.count("/// solution") == 3, page.name
    config = mkdocs_config(tmp_path / "mkdocs.yml")
    tuning = next(entry for entry in config["nav"] if "4. Tuning and the inside of the network" in entry)
    assert tuning["4. Tuning and the inside of the network"][-1] == {"Layer normalization: one": "tuning/layer-norm.md"}
    zh = next(lang for lang in next(p for p in config["plugins"] if "i18n" in p)["i18n"]["languages"]
              if lang["locale"] == "zh")
    assert zh["nav_translations"]["Layer normalization: one"] == "层归一化"


def test_an_existing_page_or_an_unknown_chapter_is_refused() -> None:
    command = [sys.executable, "dev.py", "new-page"]
    for arguments, message in ((["tuning", "softmax", "A", "甲"], "exists already"),
                               (["nowhere", "page", "A", "甲"], "chapter must be a folder"),
                               (["tuning", "Bad Slug", "A", "甲"], "slug must be")):
        result = subprocess.run(command + arguments, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (ROOT / "docs" / "nowhere").exists()
