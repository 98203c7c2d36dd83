#!/usr/bin/env python3
"""Set up and run the handbook with nothing but Python 3.11 or newer.

    python3 dev.py serve   # create .venv on first use, then serve the site on http://127.0.0.1:8000/
    python3 dev.py test    # create .venv on first use, run every test (the strict site build included)

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

from hooks.blas import pin_kernels

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
    return run(BIN / "mkdocs", "serve", *arguments, env=environment())


def test(arguments: list[str]) -> int:
    """Every test: the package, every block of every page, and the strict build of the site."""
    env = environment()
    env["HANDBOOK_SITE_DIR"] = str(ROOT / "site")
    code = run(BIN / "pytest", *arguments, env=env)
    if code == 5:
        print("pytest collected no tests: the test set-up is broken.", file=sys.stderr)
        return 1
    return code


def main() -> int:
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_environment()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
