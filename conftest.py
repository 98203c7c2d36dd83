"""Collect every page of the handbook, in both languages, as pytest tests (see tests/pages.py)."""

from hooks.pages import make_sybil

pytest_plugins = ["pytester"]

pytest_collect_file = make_sybil().pytest()
