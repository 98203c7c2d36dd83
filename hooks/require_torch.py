"""A pytest plugin: with ``HANDBOOK_REQUIRE_TORCH=1`` (CI), what needs PyTorch runs.

A unit test that skips with ``pytest.importorskip("torch")``, or a page block that
the page skips with a reason naming PyTorch (``<!-- skip: start if(torch is None,
reason="PyTorch is not installed ...") -->``), is reported as failed instead of
skipped, so that a CI run without PyTorch cannot pass by skipping them. Without
the variable, they are skipped as usual: PyTorch is optional for readers.
"""

from __future__ import annotations

import os

import re

import pytest

# What importorskip("torch") and the pages' skip reason say (not any skip naming it).
MISSING = re.compile(
    r"could not import 'torch|No module named 'torch|PyTorch is not installed")


def torch_was_missing(report: pytest.TestReport) -> bool:
    """Whether a skipped test or block was skipped for want of PyTorch."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return bool(MISSING.search(reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    required = os.environ.get("HANDBOOK_REQUIRE_TORCH") == "1"
    if required and report.skipped and torch_was_missing(report):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (f"{reason}\n(HANDBOOK_REQUIRE_TORCH=1: what needs PyTorch may "
                           "not be skipped; python3 dev.py torch installs it)")
