"""Speed of the handbook's NumPy stack, measured against PyTorch and scikit-learn on the CPU.

    python -m benchmarks                 # both benchmarks, a table and benchmarks/results.json
    python -m benchmarks --only A --repeat 200

A. One training step (forward, backward, Adam update) of a 784-512-512-10 ReLU network
   on a float32 batch of 128, against the same step in PyTorch (when installed) and
   against the eight matrix products of the step alone (the floor no implementation
   can go under). Targets (issue 16): at most 0.9x PyTorch and at most 1.6x the floor,
   median against median and best against best. Each case also reports the median of
   each phase of its step (forward, loss, backward, update).
B. 60 epochs on scikit-learn's digits (scaled to [0, 1], stratified 75/25 split),
   64-256-256-10 ReLU, Adam 1e-3, batch 64, against scikit-learn's MLPClassifier with
   the same widths, solver, rate, batch size and epochs (no L2 penalty in either),
   both averaged over five seeds. Targets: fit time at most 0.6x scikit-learn's,
   test accuracy at least as high.

Every measurement runs in a fresh subprocess, so its peak memory (maximum resident set
size) is its own; in A each case runs in three interleaved processes and the lowest
median counts. All use the same number of threads.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(name: str, repeat: int, threads: int) -> dict:
    """Run one measurement (a function of benchmarks.cases) in its own process."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    code = f"import json, benchmarks.cases as c; print(json.dumps(c.{name}(repeat={repeat}, threads={threads})))"
    result = subprocess.run([sys.executable, "-c", code], cwd=HERE.parent, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def ratio(a: dict, b: dict, key: str = "median_ms") -> float | None:
    if key in a and key in b and b[key]:
        return a[key] / b[key]
    return None


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f}x ({'ok' if value <= limit else 'MISSED'}, target <= {limit}x)"


def benchmark_a(repeat: int, threads: int, rounds: int) -> dict:
    """Each case is measured in ``rounds`` fresh processes, interleaved; the lowest median counts,
    so that a burst of load from elsewhere on the machine cannot favour one case."""
    runs: dict[str, list[dict]] = {"handbook": [], "matmul_floor": [], "torch": []}
    for _ in range(rounds):
        for name in runs:
            runs[name].append(measure(f"step_{name}", repeat, threads))
    results = {name: min(r, key=lambda x: x.get("median_ms", float("inf"))) for name, r in runs.items()}
    results["handbook_vs_torch"] = ratio(results["handbook"], results["torch"])
    results["handbook_vs_floor"] = ratio(results["handbook"], results["matmul_floor"])
    results["handbook_vs_torch_best"] = ratio(results["handbook"], results["torch"], "best_ms")
    results["handbook_vs_floor_best"] = ratio(results["handbook"], results["matmul_floor"], "best_ms")
    return results


def benchmark_b(threads: int) -> dict:
    results = {name: measure(f"digits_{name}", 1, threads) for name in ("handbook", "sklearn")}
    results["time_ratio"] = ratio(results["handbook"], results["sklearn"], "fit_s")
    return results


def print_table(a: dict | None, b: dict | None) -> None:
    if a:
        print("A. one training step, 784-512-512-10 ReLU, float32 batch 128, Adam")
        print(f"   {'':22} {'median ms':>10} {'best ms':>9} {'peak MB':>9}")
        for name in ("handbook", "torch", "matmul_floor"):
            r = a[name]
            if "error" in r:
                print(f"   {name:22} {r['error']}")
                continue
            print(f"   {name:22} {r['median_ms']:10.3f} {r['best_ms']:9.3f} {r['peak_mb']:9.1f}")
            phases = "  ".join(f"{phase} {ms:.3f}" for phase, ms in r.get("phases_ms", {}).items())
            if phases:
                print(f"   {'':22} median ms by phase: {phases}")
        print(f"   handbook / torch, median:        {verdict(a['handbook_vs_torch'], 0.9)}")
        print(f"   handbook / torch, best:          {verdict(a['handbook_vs_torch_best'], 0.9)}")
        print(f"   handbook / matmul floor, median: {verdict(a['handbook_vs_floor'], 1.6)}")
        print(f"   handbook / matmul floor, best:   {verdict(a['handbook_vs_floor_best'], 1.6)}")
    if b:
        print("B. 60 epochs on digits, 64-256-256-10 ReLU, Adam 1e-3, batch 64 (mean of 5 seeds)")
        print(f"   {'':22} {'fit s':>10} {'test acc':>9} {'peak MB':>9}")
        for name in ("handbook", "sklearn"):
            r = b[name]
            if "error" in r:
                print(f"   {name:22} {r['error']}")
                continue
            print(f"   {name:22} {r['fit_s']:10.3f} {r['test_accuracy']:9.4f} {r['peak_mb']:9.1f}")
        print(f"   handbook / scikit-learn fit time: {verdict(b['time_ratio'], 0.6)}")
        if "test_accuracy" in b["handbook"] and "test_accuracy" in b["sklearn"]:
            ok = b["handbook"]["test_accuracy"] >= b["sklearn"]["test_accuracy"]
            print(f"   test accuracy at least scikit-learn's: {'ok' if ok else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("A", "B"), help="run one benchmark")
    parser.add_argument("--repeat", type=int, default=300, help="timed steps in benchmark A")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved processes per case in benchmark A")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, default=HERE / "results.json", help="where to write the JSON")
    args = parser.parse_args()
    a = benchmark_a(args.repeat, args.threads, args.rounds) if args.only in (None, "A") else None
    b = benchmark_b(args.threads) if args.only in (None, "B") else None
    print_table(a, b)
    report = {"machine": {"python": platform.python_version(), "processor": platform.machine(),
                          "cores": os.cpu_count(), "threads": args.threads},
              "A": a, "B": b}
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
