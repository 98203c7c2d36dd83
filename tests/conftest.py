"""The built site, shared by the site, link and browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.pages import ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("HANDBOOK_SITE_DIR")
    folder = Path(given).resolve() if given else tmp_path_factory.mktemp("site")
    if given and os.environ.get("HANDBOOK_SITE_BUILT") == "1":  # dev.py test has just built it
        assert (folder / "index.html").exists(), f"HANDBOOK_SITE_BUILT=1 but {folder} holds no site"
        return folder
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(folder)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return folder
