"""Run the pages and labs the site build needs, side by side, before ``mkdocs serve`` starts.

A page with ``exec="on"`` blocks (figures, tables) and every lab must have run before
the site can be built. ``python3 dev.py serve`` calls ``warm()`` first: whatever is not
in the caches yet (``.cache/page-outputs/``, ``.cache/labs/``, shared with the tests)
runs in worker processes, one per core, each with one BLAS thread, with a progress
bar; a page runs up to its last exec="on" block, all the build needs (its exercises
and PyTorch section are left to the tests). The build then takes everything from the
caches and the site answers at once.

    python -m hooks.warm        # the same on its own
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from hooks.pages import ROOT, cached_outputs, exec_fences


def pending() -> list[Path]:
    """The pages with exec="on" blocks and the labs whose outputs are not cached, slowest first."""
    from hooks.labs import executed_path, labs

    pages = [page for page in sorted((ROOT / "docs").rglob("*.md"))
             if exec_fences(page.read_text(encoding="utf-8")) and cached_outputs(page) is None]
    notebooks = [lab for lab in labs() if not executed_path(lab).exists()]
    return notebooks + pages  # labs take longest: start them first


def _start_worker() -> None:
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # one BLAS thread per process, one process per core
    os.environ["OMP_NUM_THREADS"] = "1"  # and one thread for PyTorch's pages
    os.environ.setdefault("MPLBACKEND", "Agg")
    from hooks.blas import pin_kernels

    pin_kernels()


def _run(path: str) -> tuple[str, str | None]:
    from hooks.labs import LabError, execute
    from hooks.pages import PageError, run_page

    try:
        if path.endswith(".py"):
            execute(path)
        else:
            run_page(path, through_exec=True)  # all the build needs; the tests run the rest
    except (LabError, PageError) as error:
        return path, str(error)
    return path, None


def warm(workers: int | None = None) -> list[str]:
    """Run what is missing from the caches; return the failures (the build will report them too)."""
    from tqdm import tqdm

    todo = pending()
    if not todo:
        return []
    workers = workers or os.cpu_count() or 1
    print(f"Running {len(todo)} pages and labs before the site is served "
          f"({workers} at a time; the next start reuses them) ...", flush=True)
    failures = []
    start = time.monotonic()
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
        futures = [pool.submit(_run, str(path)) for path in todo]
        with tqdm(total=len(futures), unit="page", dynamic_ncols=True) as progress:
            for future in as_completed(futures):
                path, error = future.result()
                name = Path(path).relative_to(ROOT / "docs").as_posix()
                progress.set_postfix_str(name, refresh=False)
                progress.update()
                if error:
                    failures.append(error)
                    tqdm.write(f"failed: {name}: {error.splitlines()[0]}")
    print(f"Ran {len(todo)} pages and labs in {time.monotonic() - start:.0f} s.", flush=True)
    return failures


if __name__ == "__main__":
    sys.exit(1 if warm() else 0)
