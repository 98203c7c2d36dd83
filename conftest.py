"""Collect every page of the handbook, in both languages, as pytest tests (see hooks/pages.py)."""

from hooks.blas import kernels, pin_kernels

pin_kernels()  # before anything imports NumPy: the pages' digits depend on OpenBLAS's kernels

from hypothesis import settings  # noqa: E402

from hooks.pages import make_sybil  # noqa: E402

pytest_plugins = ["pytester"]

# Property tests draw the same examples on every run: a failure is reproducible, never a fluke.
settings.register_profile("handbook", derandomize=True, deadline=None)
settings.load_profile("handbook")

pytest_collect_file = make_sybil().pytest()


def pytest_report_header() -> str:
    return f"OpenBLAS kernels: {kernels()}"
