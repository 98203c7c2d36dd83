#!/usr/bin/env python3
"""Set up and run the handbook with nothing but Python 3.11 or newer.

    python3 dev.py serve   # create .venv on first use, then serve the site on http://127.0.0.1:8000/
    python3 dev.py test    # create .venv on first use, run every test (the strict site build and
                           # the pages under other OpenBLAS kernels included)
    python3 dev.py kernels # only the pages and labs under other OpenBLAS kernels, one BLAS thread
    python3 dev.py torch   # add PyTorch to .venv, at the version requirements.lock pins
    python3 dev.py new-page CHAPTER SLUG "English title" "中文标题"  # start a page pair

The virtual environment is (re)installed whenever pyproject.toml or requirements.lock
changes, with every package pinned by requirements.lock.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

from hooks.blas import emulate, other_kernels, pin_kernels

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
LOCK = ROOT / "requirements.lock"


def run(*command: str | Path, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in command), flush=True)
    return subprocess.call([str(c) for c in command], cwd=ROOT, env=env)


def check(*command: str | Path) -> None:
    code = run(*command)
    if code != 0:
        sys.exit(code)


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", LOCK):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create .venv and install the package with its docs and test extras, pinned by the lock."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if STAMP.exists() and STAMP.read_text() == fingerprint():
        return
    if not (BIN / "python").exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    python = BIN / "python"
    check(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    check(python, "-m", "pip", "install", "--quiet", "-c", LOCK, "-e", ".[test]")
    STAMP.write_text(fingerprint())


def environment() -> dict[str, str]:
    env = dict(os.environ, MPLBACKEND="Agg", NO_MKDOCS_2_WARNING="1")
    pin_kernels(env)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def serve(arguments: list[str]) -> int:
    """Run what the build needs (pages with figures, labs) side by side with progress, then serve."""
    env = environment()
    run(BIN / "python", "-m", "hooks.warm", env=env)  # a failure is reported again by the build
    return run(BIN / "mkdocs", "serve", *arguments, env=env)


# The tests of the built site: they run after every page has run (the build takes the
# pages' outputs from what the first step cached), in one process.
SITE_TESTS = ("tests/test_site.py", "tests/test_links.py", "tests/test_browser.py",
              "tests/test_reference_math.py")


# Tests that depend on neither the pages' language nor the kernels, run beside the
# Chinese pages and the unit tests, so that the two first runs take about as long (the
# other such tests, the docstring checks among them, run with the English pages).
BESIDE_CHINESE = ("tests/test_pages_harness.py",)
# Unit tests run beside the English pages instead, for the same balance.
UNIT_BESIDE_ENGLISH = ("tests/unit/test_plot.py",)


def test(arguments: list[str]) -> int:
    """Every test: the package, every block of every page, every lab, and the site.

    Without arguments, in two steps, each page and lab running in processes with one
    BLAS thread. First two runs side by side: the English pages and labs under the
    build's kernels, with the tests of the hooks and tools; the Chinese pages and labs,
    whose code and numbers are the English ones, under another kernel family (so that
    they check what a reader's machine prints as well), with most of the unit tests.
    Then the strict build of the site (from the pages' cached outputs), and its tests in
    two runs side by side (they mostly wait on the browser). A third kernel family is
    left to ``python3 dev.py kernels``, which a change to a page's numbers runs before it
    lands (CONTRIBUTING). With arguments, one pytest run of what they select.
    """
    env = environment()
    env["HANDBOOK_SITE_DIR"] = str(ROOT / "site")
    if arguments:
        return collected(run(BIN / "pytest", *arguments, env=env))
    family = (other_kernels() or ["default"])[0]
    if torch_missing():
        print("PyTorch is not installed: its examples and checks are skipped "
              "(python3 dev.py torch installs it).", flush=True)
    unit = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests" / "unit").glob("test_*.py")}
    beside_english = set(UNIT_BESIDE_ENGLISH)
    chinese = start_run("Chinese pages and unit tests",
                        [*workers(), "docs", *sorted(unit - beside_english), *BESIDE_CHINESE],
                        page_environment(env, "zh", family))
    ignore = [f"--ignore={path}" for path in (*SITE_TESTS, *BESIDE_CHINESE,
                                              *sorted(unit - beside_english))]
    first = collected(run(BIN / "pytest", *workers(), *ignore, "tests", "docs",
                          env=page_environment(env, "en", None)))
    first = finish_runs([chinese]) or first
    built = run(BIN / "mkdocs", "build", "--strict", "--clean", "--site-dir", ROOT / "site",
                env=env)
    second = built
    if built == 0:
        env["HANDBOOK_SITE_BUILT"] = "1"
        aside = start_run("Browser tests on port 8001", [*BROWSER_ASIDE],
                          dict(env, HANDBOOK_BROWSER_PORT="8001"))
        deselect = [f"--deselect={test}" for test in BROWSER_ASIDE]
        second = collected(run(BIN / "pytest", *SITE_TESTS, *deselect, env=env))
        second = finish_runs([aside]) or second
    return first or second


# Tests of the site that need no instant navigation (it engages only at the address the
# site is built for, port 8000), run by dev.py test on another port beside the others,
# about half of the work: the Chinese pages' sweep (tests/test_browser.sweep, one visit
# of every page for the tests that use it), the screenshots, a few Chinese pages'
# checks, and the link check (no browser).
BROWSER_ASIDE = ("tests/test_links.py",) + tuple(
    f"tests/test_browser.py::{test}[zh]" for test in (
        "test_every_page_loads_without_errors_or_requests_to_other_hosts",
        "test_display_math_and_the_text_of_figures_fit_a_phone_screen",
        "test_the_copied_code_of_every_technique_page_runs_and_prints_what_the_page_shows",
        "test_search_puts_the_technique_page_first_in_the_language_being_read",
        "test_figures_drawn_at_build_time_are_shown",
        "test_formulas_are_typeset_and_no_raw_tex_is_left",
        "test_the_copy_buttons_of_a_lab_copy_its_cells_and_its_outputs_keep_their_lines",
    )) + tuple(
    f"tests/test_browser.py::test_screenshots_of_the_home_pages_two_chapters_and_a_lab_are_written[{mode}]"
    for mode in ("desktop-light", "desktop-dark", "phone-light", "phone-dark"))


def workers() -> list[str]:
    """xdist options for one of two runs side by side: half the cores, a file whole to a worker."""
    count = (os.cpu_count() or 2) // 2
    return ["-n", str(count), "--dist", "loadfile"] if count > 1 else []


def page_environment(env: dict[str, str], language: str | None, family: str | None,
                     scratch: Path | None = None) -> dict[str, str]:
    """``env`` with one BLAS thread (and one OpenMP thread for PyTorch), the pages and labs of one language only (None: both),
    and the kernel family (None: the build's; "default": OpenBLAS's own choice; a family
    also turns off the NumPy loops its CPUs lack, see hooks/blas.emulate). With
    ``scratch``, the run keeps its page and lab caches there, apart from the build's."""
    env = dict(env, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    if language:
        env["HANDBOOK_PAGES"] = language
    if family:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("NPY_DISABLE_CPU_FEATURES", None)
        if family != "default":
            emulate(env, family)
    if scratch:
        env.update(HANDBOOK_PAGE_CACHE=str(scratch / "pages"),
                   HANDBOOK_LAB_CACHE=str(scratch / "labs"))
    return env


def collected(code: int) -> int:
    """pytest's exit code, with "no tests collected" (5) as a failure."""
    if code == 5:
        print("pytest collected no tests: the test set-up is broken.", file=sys.stderr)
        return 1
    return code


def kernels(arguments: list[str]) -> int:
    """Every English page and lab under two other OpenBLAS kernel families, one BLAS thread each.

    A page must print the same results on a reader's machine, whose NumPy is not pinned
    to the kernels the build uses. The runs go side by side, one per core, each with its
    own page and lab caches (the build's caches are left alone), the figures built but
    not drawn (HANDBOOK_SKIP_FIGURES, see hooks/pages.py: the build draws them). The
    Chinese pages and labs have the same code and numbers (tests/test_parity.py), so
    they are left out; ``python3 dev.py test`` runs them under the first of these families.
    """
    import tempfile

    families = other_kernels() or ["default"]
    runs = []
    for family in families:
        scratch = Path(tempfile.mkdtemp(prefix=f"handbook-{family}-"))
        runs.append(start_run("English pages and labs", ["docs", *arguments],
                              dict(page_environment(environment(), "en", family, scratch),
                                   HANDBOOK_SKIP_FIGURES="1")))
    return finish_runs(runs)


def torch(arguments: list[str]) -> int:
    """Install PyTorch into .venv, at the version requirements.lock pins.

    The PyTorch sections of the pages, the PyTorch checkup's tests and the framework
    comparisons run when it is installed and are skipped without it (CI sets
    HANDBOOK_REQUIRE_TORCH=1, which makes such a skip a failure). Extra arguments go
    to pip: on Linux, PyPI's wheel is the CUDA build (several GB); the CPU build is
    enough, ``python3 dev.py torch --index-url https://download.pytorch.org/whl/cpu``.
    """
    return run(BIN / "python", "-m", "pip", "install", "--quiet", "-c", LOCK, *arguments,
               "torch")


def torch_missing() -> bool:
    """Whether .venv lacks PyTorch (checked in .venv's Python, not this one)."""
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)"
    return subprocess.call([str(BIN / "python"), "-c", probe]) != 0


def start_run(name: str, arguments: list[str], env: dict[str, str]):
    """Start one pytest run in the background; its report goes to a log, printed by ``finish_runs``."""
    import tempfile

    log = Path(tempfile.mkdtemp(prefix="handbook-run-")) / "pytest.log"
    command = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", *arguments]
    kernels = env.get("OPENBLAS_CORETYPE", "OpenBLAS's own")
    if "NPY_DISABLE_CPU_FEATURES" in env:
        kernels += f", NumPy without {env['NPY_DISABLE_CPU_FEATURES']}"
    print(f"+ {name} ({kernels} kernels, in the background):", " ".join(command[1:]), flush=True)
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
    return f"{name}, {kernels} kernels", process, log


def finish_runs(started: list) -> int:
    """Wait for background runs; print each one's summary, and the failures in full."""
    failed = 0
    for name, process, log in started:
        code = collected(process.wait())
        report = log.read_text(encoding="utf-8").rstrip().splitlines()
        if code != 0:
            failed += 1
            print(f"--- {name}: failed ---", *report[-200:], sep="\n")
        print(f"{name}: {report[-1] if report else 'no output'}", flush=True)
    return 1 if failed else 0


def main() -> int:
    commands = {"serve": serve, "test": test, "kernels": kernels, "torch": torch}
    if len(sys.argv) >= 2 and sys.argv[1] == "new-page":  # needs nothing but Python
        from tools.new_page import main as new_page

        return new_page(sys.argv[2:])
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_environment()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
