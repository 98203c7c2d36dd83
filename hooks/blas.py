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


# NumPy's own loops (exp, log, tanh, sums, ...) also pick SIMD code for the CPU, and a
# page that passes with AVX-512 loops can fail with AVX2 ones (it happened: a seed of
# debugging/normalization-and-evaluation fell from 0.94 to 0.935 on an AMD machine).
# So a run under another kernel family also turns off the NumPy code paths a CPU of
# that family lacks (NPY_DISABLE_CPU_FEATURES; turning off what the CPU lacks anyway
# is harmless): SkylakeX runs NumPy's AVX2 loops, Nehalem and Sandybridge its SSE4.2 ones.
WITHOUT_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"
NUMPY_FEATURES_OFF = {
    "SkylakeX": WITHOUT_AVX512,
    "Nehalem": f"X86_V3 {WITHOUT_AVX512}",
    "Sandybridge": f"X86_V3 {WITHOUT_AVX512}",
}


def emulate(env: dict[str, str], family: str) -> None:
    """Set ``env`` so that NumPy runs as on a CPU of ``family``: its OpenBLAS kernels and,
    as far as NumPy allows, its own SIMD loops."""
    env["OPENBLAS_CORETYPE"] = family
    if family in NUMPY_FEATURES_OFF:
        env["NPY_DISABLE_CPU_FEATURES"] = NUMPY_FEATURES_OFF[family]


def kernels() -> str:
    """The kernel family OpenBLAS uses in this process, and NumPy's widest SIMD loops."""
    import numpy  # noqa: F401  (loads OpenBLAS)
    from numpy._core._multiarray_umath import __cpu_features__
    from threadpoolctl import threadpool_info

    blas = ", ".join(f"{info.get('architecture', '?')} ({info.get('num_threads', '?')} threads)"
                     for info in threadpool_info() if info.get("internal_api") == "openblas")
    simd = [name for name in ("X86_V4", "X86_V3", "X86_V2", "ASIMD")
            if __cpu_features__.get(name)]
    return f"{blas}; NumPy's loops up to {simd[0] if simd else 'the baseline'}"
