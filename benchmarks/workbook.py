"""Excel export benchmark: the export's peak memory stays flat however many cases there are.

    python benchmarks/workbook.py [--small 10000] [--large 100000] [--workdir /tmp/kesu-wb]

Makes two demo databases (``--small`` and ``--large`` cases; kept in ``--workdir`` and reused),
exports each as CSV and as an Excel workbook in a fresh process, and prints every run's peak
memory (the process's maximum resident set) and time, the Excel export's memory at the large size
as a ratio of the same at the small size (flat ≈ 1.0; a writer that kept the sheet in memory would
grow with the cases), and the Excel export's time as a ratio of the CSV export's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

# The child: export and print its peak resident set (kilobytes on Linux).
CHILD = """
import resource, sys
from kesu_desk.cli import main
code = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def _database(workdir: Path, cases: int) -> str:
    path = workdir / f"demo-{cases}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kesu_desk", "--db", url, "demo", "--cases", str(cases)],
                       check=True, capture_output=True, env=_env(workdir))
        print(f"demo of {cases:,} cases made in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def _env(workdir: Path) -> dict[str, str]:
    return {**os.environ, "XDG_DATA_HOME": str(workdir / "data"), "XDG_CONFIG_HOME": str(workdir / "config")}


def _export(workdir: Path, url: str, fmt: str) -> tuple[float, float]:
    """(peak MB, seconds) of one export in a fresh process."""
    out = workdir / f"out.{fmt}"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, "--db", url, "export", "--format", fmt, "-o", str(out)],
                          capture_output=True, text=True, env=_env(workdir))
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return peak_kb / 1024, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kesu-workbook-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    figures: dict[tuple[int, str], tuple[float, float]] = {}
    print(f"{'cases':>9}  {'format':6}  {'peak MB':>8}  {'seconds':>8}")
    for cases in (args.small, args.large):
        url = _database(args.workdir, cases)
        for fmt in ("csv", "xlsx"):
            figures[cases, fmt] = peak, seconds = _export(args.workdir, url, fmt)
            print(f"{cases:>9,}  {fmt:6}  {peak:8.1f}  {seconds:8.2f}", flush=True)
    small, large = figures[args.small, "xlsx"][0], figures[args.large, "xlsx"][0]
    print(f"xlsx peak memory, {args.large:,} vs {args.small:,} cases: {large / small:.2f}x (flat = 1.00)")
    for cases in (args.small, args.large):
        ratio = figures[cases, "xlsx"][1] / figures[cases, "csv"][1]
        print(f"xlsx time vs csv time at {cases:,} cases: {ratio:.2f}x")


if __name__ == "__main__":
    main()
