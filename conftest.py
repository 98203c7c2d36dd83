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


def pytest_collection_modifyitems(session, config, items) -> None:
    """Start the selected labs' kernels in the background while the pages run (see hooks/labs.py)."""
    from hooks.labs import start_in_background

    labs = [item.callspec.params["lab"] for item in items
            if getattr(item, "originalname", "") == "test_every_cell_of_the_lab_runs"]
    if labs:
        start_in_background(labs)
