"""Print how often the default rules suggest a department a supervisor would accept.

Reads ../shared/data/complaints-dev.jsonl (or the file given as the first argument): one JSON
object a line with ``text`` and ``dept_ok``. Per department (by the labelled ``dept``) and overall.

Then the parallel set, tests/data/parallel.jsonl: the same complaint in zh, zh-Hant, en and es.
How many complaints get the same department in all four languages, and how many get the expected
department, per language. ``-v`` lists the misses of both sets.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from kesu_desk.rules import RuleSet, load_rules, suggest

DEV_NAME = Path("shared") / "data" / "complaints-dev.jsonl"
# ../shared from the main checkout; a worktree (/work/wt/<name>) finds it one folder further up.
DEFAULT_DATA = next(
    (p / DEV_NAME for p in Path(__file__).resolve().parents[1:] if (p / DEV_NAME).exists()),
    Path(__file__).resolve().parents[2] / DEV_NAME,
)
PARALLEL_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "parallel.jsonl"
LANGUAGES = ("zh", "zh-Hant", "en", "es")


def _rows(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def dev_set(data: Path, rules: RuleSet, verbose: bool) -> None:
    total: Counter[str] = Counter()
    good: Counter[str] = Counter()
    severity: Counter[tuple[str, str]] = Counter()  # (labelled, suggested)
    for row in _rows(data):
        result = suggest(str(row["text"]), rules=rules)
        got = result.department
        dept = str(row["dept"])
        total[dept] += 1
        severity[(str(row.get("severity")), result.severity.value)] += 1
        if got in list(row["dept_ok"]):  # type: ignore[call-overload]
            good[dept] += 1
        elif verbose:
            reasons = "; ".join(f"{r.rule_id}{r.words}" for r in result.reasons)
            print(f"  {dept}->{got}: {str(row['text'])[:60]} | {reasons}")
    print(f"{'dept':<6} {'ok':>4} {'n':>4} {'share':>7}")
    for dept in sorted(total):
        print(f"{dept:<6} {good[dept]:>4} {total[dept]:>4} {good[dept] / total[dept]:>7.1%}")
    n, ok = sum(total.values()), sum(good.values())
    print(f"{'all':<6} {ok:>4} {n:>4} {ok / n:>7.1%}")
    same = sum(count for (label, got), count in severity.items() if label == got)
    minor = sum(count for (label, _), count in severity.items() if label == "minor")
    minor_found = severity[("minor", "minor")]
    print(f"severity as labelled {same:>4} {n:>4} {same / n:>7.1%}  (minor found {minor_found} of {minor})")


def parallel_set(data: Path, rules: RuleSet, verbose: bool) -> None:
    rows = _rows(data)
    agree = 0
    good: Counter[str] = Counter()
    for row in rows:
        got = {lang: suggest(str(row[lang]), rules=rules).department for lang in LANGUAGES}
        if len(set(got.values())) == 1:
            agree += 1
        for lang in LANGUAGES:
            if got[lang] == row["department"]:
                good[lang] += 1
        if verbose and (len(set(got.values())) > 1 or row["department"] not in got.values()
                        or any(d != row["department"] for d in got.values())):
            seen = " ".join(f"{lang}={got[lang]}" for lang in LANGUAGES)
            print(f"  {row['id']} {row['department']}: {seen} | {str(row['en'])[:60]}")
    n = len(rows)
    print(f"\nparallel set ({data.name}, {n} complaints in {len(LANGUAGES)} languages)")
    print(f"{'same department in all four':<28} {agree:>4} {n:>4} {agree / n:>7.1%}")
    for lang in LANGUAGES:
        print(f"{'expected department, ' + lang:<28} {good[lang]:>4} {n:>4} {good[lang] / n:>7.1%}")


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "-v"]
    verbose = "-v" in argv
    rules = load_rules()
    dev_set(Path(args[0]) if args else DEFAULT_DATA, rules, verbose)
    if PARALLEL_DATA.exists():
        parallel_set(PARALLEL_DATA, rules, verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
