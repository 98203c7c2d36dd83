"""Pin OpenBLAS to one family of kernels, so the pages print the same digits everywhere.

NumPy's OpenBLAS picks its matrix-product kernels for the CPU it runs on (Haswell,
SkylakeX, ...), and kernels sum in different orders: a gradient check's 2.37e-08
becomes 2.41e-08 on another machine. The pages quote such numbers, so every
x86-64 run (tests, build, labs) uses the Haswell kernels, which any CPU with AVX2 has.
The variable is read when NumPy loads OpenBLAS, so this must run before NumPy is imported.
"""

from __future__ import annotations

import os
import platform
import sys

KERNELS = "Haswell"


def pin_kernels(env: dict[str, str] | None = None) -> None:
    """Set OPENBLAS_CORETYPE in ``env`` (default: this process, if NumPy is not loaded yet)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return
    if env is None:
        if "numpy" in sys.modules:
            return
        env = os.environ  # type: ignore[assignment]
    env.setdefault("OPENBLAS_CORETYPE", KERNELS)


def other_kernels() -> list[str]:
    """Two kernel families besides the pinned one, both runnable on this CPU.

    The pages must print the same results whatever the kernels (readers' NumPy does not
    share the pin), so ``python3 dev.py kernels`` runs them under these as well:
    SkylakeX (AVX-512) where the CPU has it, else Nehalem (SSE4.2), and Sandybridge (AVX).
    Empty off x86-64, where OpenBLAS has no such choice.
    """
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return []
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            flags = cpuinfo.read()
    except OSError:
        flags = ""
    return ["SkylakeX" if " avx512f" in flags else "Nehalem", "Sandybridge"]


def kernels() -> str:
    """The kernel family OpenBLAS uses in this process."""
    import numpy  # noqa: F401  (loads OpenBLAS)
    from threadpoolctl import threadpool_info

    return ", ".join(f"{info.get('architecture', '?')} ({info.get('num_threads', '?')} threads)"
                     for info in threadpool_info() if info.get("internal_api") == "openblas")
