"""Print how often the default rules suggest a department a supervisor would accept.

Reads ../shared/data/complaints-dev.jsonl (or the file given as the first argument): one JSON
object a line with ``text`` and ``dept_ok``. Per department (by the labelled ``dept``) and overall.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from kesu_desk.rules import load_rules, suggest

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "complaints-dev.jsonl"


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else DEFAULT_DATA
    verbose = "-v" in argv[1:]
    rules = load_rules()
    total: Counter[str] = Counter()
    good: Counter[str] = Counter()
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        result = suggest(row["text"], rules=rules)
        got = result.department
        total[row["dept"]] += 1
        if got in row["dept_ok"]:
            good[row["dept"]] += 1
        elif verbose:
            reasons = "; ".join(f"{r.rule_id}{r.words}" for r in result.reasons)
            print(f"  {row['dept']}->{got}: {row['text'][:60]} | {reasons}")
    print(f"{'dept':<6} {'ok':>4} {'n':>4} {'share':>7}")
    for dept in sorted(total):
        print(f"{dept:<6} {good[dept]:>4} {total[dept]:>4} {good[dept] / total[dept]:>7.1%}")
    n, ok = sum(total.values()), sum(good.values())
    print(f"{'all':<6} {ok:>4} {n:>4} {ok / n:>7.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
