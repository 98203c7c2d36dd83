"""Collect every page of the handbook, in both languages, as pytest tests (see hooks/pages.py)."""

from hypothesis import settings

from hooks.pages import make_sybil

pytest_plugins = ["pytester"]

# Property tests draw the same examples on every run: a failure is reproducible, never a fluke.
settings.register_profile("handbook", derandomize=True, deadline=None)
settings.load_profile("handbook")

pytest_collect_file = make_sybil().pytest()
