"""The labs: notebooks kept as text, executed by a real Jupyter kernel.

A lab is a jupytext percent-format file, ``docs/labs/<name>.py``, with its Chinese
twin ``docs/labs/<name>.zh.py`` (same code cells, prose in Chinese). ``execute``
runs one in a fresh kernel, from the repository root, with the lab's language in
``HANDBOOK_LANG``, and stops at the first failing cell. The executed notebook is
kept in ``.cache/labs/`` under a key of the lab, the package, this runner and the
pinned dependencies: the test run executes each lab once, and the site build
(``hooks/handbook_hooks.py``) makes pages of those executed notebooks and offers them
for download (``hooks/lab_pages.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from hooks.blas import pin_kernels
from hooks.pages import ROOT, fingerprint, page_language

LABS = ROOT / "docs" / "labs"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
TIMEOUT = 120  # seconds per cell; a lab is meant to run in well under a minute


class LabError(RuntimeError):
    """A cell of a lab failed."""


def labs() -> list[Path]:
    """Every lab of both languages."""
    return sorted(LABS.glob("*.py"))


def lab_name(path: str | Path) -> str:
    """``bias-variance`` for ``bias-variance.py`` and ``bias-variance.zh.py``."""
    return Path(path).name.removesuffix(".py").removesuffix(".zh")


def cache_key(path: str | Path) -> str:
    return fingerprint(path, Path(__file__), ROOT / "hooks" / "blas.py")[:32]


def cache_folder() -> Path:
    return Path(os.environ.get("HANDBOOK_LAB_CACHE", ROOT / ".cache" / "labs"))


def executed_path(path: str | Path) -> Path:
    """Where the executed notebook of this version of the lab is kept."""
    return cache_folder() / cache_key(path) / f"{lab_name(path)}.ipynb"


def kernel_environment(language: str) -> dict[str, str]:
    env = dict(os.environ, HANDBOOK_LANG=language, PYTHONPATH=str(ROOT))
    env.pop("MPLBACKEND", None)  # a notebook keeps its inline backend
    pin_kernels(env)
    return env


def execute(path: str | Path) -> Path:
    """Run the lab in a fresh kernel (unless this version already ran) and return the executed notebook."""
    target = executed_path(path)
    if target.exists():
        return target
    notebook = jupytext.read(path)
    notebook.metadata["kernelspec"] = KERNEL
    notebook.metadata.pop("jupytext", None)
    # log_level: no "Kernel is running over TCP without encryption" warning at every start
    # (the kernel listens on 127.0.0.1 only); errors in cells still come back as errors.
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name=KERNEL["name"], allow_errors=False,
                            resources={"metadata": {"path": str(ROOT)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    try:
        client.execute(env=kernel_environment(page_language(path)))
    except CellExecutionError as error:
        shown = Path(path).relative_to(ROOT) if Path(path).is_relative_to(ROOT) else path
        raise LabError(f"{shown}: a cell failed\n{error}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    nbformat.write(notebook, partial)
    partial.replace(target)
    return target
