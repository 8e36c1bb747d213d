"""Print p50/p95 time per suggestion for 50-, 500- and 5,000-character texts, with the default
rules, with the defaults plus 1,000 generated keyword rules, and with the defaults plus 100
generated regular-expression rules (the user's patterns, each run over the whole text).

Wall-clock time and the CPU time of the thread (which leaves out the time other processes took
the CPU: on a shared, busy machine the wall-clock p95 is mostly theirs)."""

from __future__ import annotations

import random
import statistics
import time

from kesu_desk.rules import Actions, Conditions, Rule, RuleSet, load_rules, suggest

SAMPLE = (
    "我上周在你们网站买的笔记本电脑，快递送来的时候包装破损，屏幕有坏点，键盘也松动。"
    "打电话给客服等了半个小时没人理，态度很差。发票也开错了，要求退款。"
    "The courier delivered it late and the screen is broken; I want a refund. "
    "El técnico no vino a la reparación y la factura está mal. "
)
FILLER = "这家酒店房间还行但是价格偏贵服务一般早餐种类少交通方便附近有地铁站"


def text_of(length: int, rng: random.Random) -> str:
    pool = SAMPLE + FILLER
    start = rng.randrange(len(pool))
    out = (pool[start:] + pool) * (length // len(pool) + 2)
    return out[:length]


def generated_rules(count: int, rng: random.Random) -> list[Rule]:
    departments = ["CS", "QA", "LOG", "AFS", "SALES", "FIN", "FAC"]
    syllables = "质量物流价格发票房间维修态度安装快递退款配件噪音卫生服务设备电池屏幕"
    rules = []
    for i in range(count):
        words = [
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(5)
        ] + [f"word{i}x{j}" for j in range(3)]
        rules.append(Rule(
            id=f"generated-{i}",
            description=f"generated rule {i}",
            when=Conditions(keywords=words),
            then=Actions(department=rng.choice(departments), remedies=["apology"]),
        ))
    return rules


def regex_rules(count: int, rng: random.Random) -> list[Rule]:
    departments = ["CS", "QA", "LOG", "AFS", "SALES", "FIN", "FAC"]
    shapes = [r"(屏幕|键盘).{0,8}(坏|松动)", r"\bref(und|und(ed)?)\b", r"订单号?\s*[0-9]{6,}",
              r"(快递|物流).*(慢|晚|丢)", r"factura\s+(mal|errónea)", r"^(a+)+$"]
    return [
        Rule(
            id=f"regex-{i}",
            description=f"generated regex rule {i}",
            when=Conditions(regex=[shapes[i % len(shapes)] + f"|word{i}"]),
            then=Actions(department=rng.choice(departments), remedies=["apology"]),
        )
        for i in range(count)
    ]


def measure(rules: RuleSet, length: int, rounds: int = 400) -> tuple[float, float, float, float]:
    """(p50, p95) of wall-clock ms, then (p50, p95) of the thread's CPU ms."""
    rng = random.Random(length)
    texts = [text_of(length, rng) for _ in range(50)]
    suggest(texts[0], rules=rules)  # compile outside the timing
    wall, cpu = [], []
    for i in range(rounds):
        text = texts[i % len(texts)]
        start, start_cpu = time.perf_counter(), time.thread_time()
        suggest(text, rules=rules)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return (statistics.median(wall), statistics.quantiles(wall, n=20)[-1],
            statistics.median(cpu), statistics.quantiles(cpu, n=20)[-1])


def main() -> None:
    defaults = load_rules()
    start = time.perf_counter()
    big = RuleSet([*defaults.rules, *generated_rules(1000, random.Random(1))])
    suggest("编译", rules=big)
    compile_ms = (time.perf_counter() - start) * 1000
    regexes = RuleSet([*defaults.rules, *regex_rules(100, random.Random(2))])
    print(f"{'rules':<14} {'chars':>6} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}")
    for name, rules in ((f"defaults ({len(defaults)})", defaults), (f"+1000 ({len(big)})", big),
                        (f"+100 re ({len(regexes)})", regexes)):
        for length in (50, 500, 5000):
            p50, p95, cpu50, cpu95 = measure(rules, length)
            print(f"{name:<14} {length:>6} {p50:>8.3f} {p95:>8.3f} {cpu50:>8.3f} {cpu95:>8.3f}")
    print(f"building and compiling 1,000 generated rules: {compile_ms:.0f} ms")


if __name__ == "__main__":
    main()
