"""Collect every page of the handbook, in both languages, as pytest tests (see hooks/pages.py)."""

import os

from hooks.blas import kernels, pin_kernels

pin_kernels()  # before anything imports NumPy: the pages' digits depend on OpenBLAS's kernels

from hypothesis import settings  # noqa: E402

from hooks.pages import covered_by_twin, make_sybil  # noqa: E402

pytest_plugins = ["pytester"]

# Property tests draw the same examples on every run: a failure is reproducible, never a fluke.
settings.register_profile("handbook", derandomize=True, deadline=None)
settings.load_profile("handbook")

collect_page = make_sybil().pytest()


def pytest_collect_file(file_path, parent):
    """Every page, but a Chinese page whose run would only repeat its English twin's
    (no figures, the same blocks and outputs: ``covered_by_twin``). With
    HANDBOOK_ENGLISH_ONLY=1 (``dev.py kernels``) the Chinese pages are left out: their
    code and outputs are the English pages'."""
    if file_path.name.endswith(".zh.md") and (
        covered_by_twin(file_path) or os.environ.get("HANDBOOK_ENGLISH_ONLY") == "1"
    ):
        return None
    return collect_page(file_path, parent)


def pytest_report_header() -> str:
    return f"OpenBLAS kernels: {kernels()}"
