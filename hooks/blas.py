"""Pin NumPy's arithmetic to one CPU family, so the build prints the same digits everywhere.

NumPy's OpenBLAS picks its matrix-product kernels for the CPU it runs on (Haswell,
SkylakeX, ...), and kernels sum in different orders: a gradient check's 2.37e-08
becomes 2.41e-08 on another machine. NumPy's own loops (exp, log, tanh, sums) pick
their SIMD code the same way, AVX-512 where the CPU has it. So every x86-64 run of the
build, the tests and the labs uses what any CPU with AVX2 has: OpenBLAS's Haswell
kernels and NumPy's loops up to AVX2. Both variables are read when NumPy loads, so
this must run before NumPy is imported. The pin makes the site reproducible; the pages
must print the same results without it, which the runs under ``other_kernels`` check.
"""

from __future__ import annotations

import os
import platform
import sys

KERNELS = "Haswell"


def pin_kernels(env: dict[str, str] | None = None) -> None:
    """Pin ``env`` (default: this process, if NumPy is not loaded yet) to the Haswell
    kernels and NumPy's loops up to AVX2, unless OPENBLAS_CORETYPE is set already (a
    run under another family, see ``emulate``, which sets NumPy's loops too)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return
    if env is None:
        if "numpy" in sys.modules:
            return
        env = os.environ  # type: ignore[assignment]
    if "OPENBLAS_CORETYPE" not in env:
        env["OPENBLAS_CORETYPE"] = KERNELS
        env["NPY_DISABLE_CPU_FEATURES"] = WITHOUT_AVX512


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


# A page that passes with AVX-512 loops can fail with AVX2 ones and the other way round
# (it happened both ways: a seed of debugging/normalization-and-evaluation fell from
# 0.94 to 0.935 on an AMD machine; its two medians drew apart on an Intel one). So a run
# under another kernel family also runs the NumPy loops a CPU of that family has
# (NPY_DISABLE_CPU_FEATURES; turning off what the CPU lacks anyway is harmless):
# SkylakeX its AVX-512 loops, Nehalem and Sandybridge their SSE4.2 ones.
WITHOUT_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"
NUMPY_FEATURES_OFF = {
    "SkylakeX": "",
    "Nehalem": f"X86_V3 {WITHOUT_AVX512}",
    "Sandybridge": f"X86_V3 {WITHOUT_AVX512}",
}


def emulate(env: dict[str, str], family: str) -> None:
    """Set ``env`` so that NumPy runs as on a CPU of ``family``: its OpenBLAS kernels and,
    as far as NumPy allows, its own SIMD loops."""
    env["OPENBLAS_CORETYPE"] = family
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    if NUMPY_FEATURES_OFF.get(family):
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
