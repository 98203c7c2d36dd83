#!/usr/bin/env python3
"""Set up and run the handbook with nothing but Python 3.11 or newer.

    python3 dev.py serve   # create .venv on first use, then serve the site on http://127.0.0.1:8000/
    python3 dev.py test    # create .venv on first use, run every test (the strict site build and
                           # the pages under other OpenBLAS kernels included)
    python3 dev.py kernels # only the pages and labs under other OpenBLAS kernels, one BLAS thread
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

from hooks.blas import other_kernels, pin_kernels

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
SITE_TESTS = ("tests/test_site.py", "tests/test_links.py", "tests/test_browser.py")


def test(arguments: list[str]) -> int:
    """Every test: the package, every block of every page, every lab, and the site.

    Without arguments, in two steps. First the package's tests, the pages and the labs,
    one worker per core, each with one BLAS thread; a page or a test file goes whole to
    one worker. Then the strict build of the site (from the pages' cached outputs), its
    links and the browser tests, while the English pages and labs run again under two
    other OpenBLAS kernel families (``kernels``). With arguments, one pytest run of what
    they select.
    """
    env = environment()
    env["HANDBOOK_SITE_DIR"] = str(ROOT / "site")
    if arguments:
        return collected(run(BIN / "pytest", *arguments, env=env))
    workers = str(os.cpu_count() or 1)
    parallel = dict(env, OPENBLAS_NUM_THREADS="1")
    ignore = [f"--ignore={path}" for path in SITE_TESTS]
    first = collected(run(BIN / "pytest", "-n", workers, "--dist", "loadfile", *ignore,
                          env=parallel))
    # The site's tests mostly wait on the browser; the kernel runs use the cores meanwhile.
    runs = start_kernel_runs([])
    second = collected(run(BIN / "pytest", *SITE_TESTS, env=env))
    third = finish_kernel_runs(runs)
    return first or second or third


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
    own page and lab caches (the build's caches are left alone). The Chinese pages and
    labs have the same code and numbers (tests/test_parity.py), so they are left out.
    ``python3 dev.py test`` runs these too, while the browser tests run.
    """
    return finish_kernel_runs(start_kernel_runs(arguments))


def start_kernel_runs(arguments: list[str]) -> tuple[Path, list]:
    """Start one pytest run of the English pages and labs per other kernel family."""
    import tempfile

    families = other_kernels() or ["default"]
    scratch = Path(tempfile.mkdtemp(prefix="handbook-kernels-"))
    runs = []
    for family in families:
        env = environment()
        env.pop("OPENBLAS_CORETYPE", None)
        if family != "default":
            env["OPENBLAS_CORETYPE"] = family
        env.update(OPENBLAS_NUM_THREADS="1", HANDBOOK_PAGE_CACHE=str(scratch / family / "pages"),
                   HANDBOOK_LAB_CACHE=str(scratch / family / "labs"), HANDBOOK_ENGLISH_ONLY="1")
        log = (scratch / f"{family}.log").open("w")
        command = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "docs",
                   *arguments]
        print(f"+ OPENBLAS_CORETYPE={family} OPENBLAS_NUM_THREADS=1", " ".join(command[1:]), flush=True)
        runs.append((family, subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                              stderr=subprocess.STDOUT), log))
    return scratch, runs


def finish_kernel_runs(started: tuple[Path, list]) -> int:
    """Wait for the kernel runs; print each one's summary, and the failures in full."""
    scratch, runs = started
    failed = 0
    for family, process, log in runs:
        code = process.wait()
        log.close()
        report = (scratch / f"{family}.log").read_text(encoding="utf-8").rstrip().splitlines()
        if code != 0:
            failed += 1
            print(f"--- {family} kernels: the pages' output changed ---", *report[-200:], sep="\n")
        print(f"{family} kernels, one BLAS thread: {report[-1] if report else 'no output'}", flush=True)
    return 1 if failed else 0


def main() -> int:
    commands = {"serve": serve, "test": test, "kernels": kernels}
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
