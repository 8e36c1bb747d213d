"""Sizes at the import door (issue 11.10): a case at every limit goes out and comes back in both
formats; a text over its limit is a bad row naming the limit; a record longer than any case can
be is refused with its line number without being held in memory whole."""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from casesteps import desk_settings
from kesu_desk.domain.limits import TEXT_LIMITS
from kesu_desk.services import cases, transfer
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.transfer import ImportReport, export_cases, import_cases
from kesu_desk.services.users import UserView, add_user

HUGE = 40_000_000  # characters on one line: a 40 MB record


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Desk]:
    """A second, empty database to import an export into."""
    desk = Desk.open(desk_settings(f"sqlite:///{tmp_path / 'target.db'}"))
    add_user(desk, "ag", "agent")
    yield desk
    desk.close()


def maximal_case(desk: Desk) -> str:
    """A case with every text at its limit, full of what CSV and JSON must quote or escape."""
    def text(field: str, unit: str) -> str:
        return (unit * TEXT_LIMITS[field])[: TEXT_LIMITS[field]]

    draft = CaseDraft.parse({
        "phone": "13800138000", "email": "a" * 240 + "@example.com",
        "customer_name": text("customer_name", '名"'), "product": text("product", "K,"),
        "order_no": text("order_no", "O;"), "batch": text("batch", "B'"),
        "category": text("category", "c"),
        "description": text("description", '漏水,"引号"\n\\\t'),
        "customer_request": text("customer_request", "换\r\n"),
    })
    return cases.register_case(desk, "ag", draft).number


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_case_at_every_limit_goes_out_and_comes_back(
    desk: Desk, people: dict[str, UserView], target: Desk, tmp_path: Path, fmt: transfer.Format
) -> None:
    number = maximal_case(desk)
    path = tmp_path / f"cases.{fmt}"
    with path.open("w", encoding="utf-8", newline="") as out:
        export_cases(desk, out, fmt)
    assert import_cases(target, path, "ag") == ImportReport(1, 0, [])
    kept, came_back = cases.get_case(desk, number), cases.get_case(target, number)
    assert (came_back.description, came_back.customer_request, came_back.customer.name) == (
        kept.description, kept.customer_request, kept.customer.name)


def test_a_description_over_its_limit_is_a_bad_row_naming_the_limit(
    desk: Desk, people: dict[str, UserView], tmp_path: Path
) -> None:
    path = tmp_path / "long.jsonl"
    lines = [{"phone": "13800138000", "description": "x" * 200_000},
             {"phone": "13900139000", "description": "ok"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    report = import_cases(desk, path, "ag")
    assert report == ImportReport(1, 0, [
        (1, "Please correct: What happened: too long: at most 15 000 characters")])


def huge_file(path: Path, fmt: str) -> Path:
    good = ({"phone": "13800138000", "description": "第一"}, {"phone": "13900139000", "description": "第三"})
    with path.open("w", encoding="utf-8", newline="") as out:
        if fmt == "jsonl":
            out.write(json.dumps(good[0]) + "\n")
            out.write('{"phone": "13700137000", "description": "')
            for _ in range(HUGE // 1_000_000):
                out.write("漏" * 1_000_000)
            out.write('"}\n')
            out.write(json.dumps(good[1]) + "\n")
        else:
            out.write("phone,description\n13800138000,第一\n13700137000,")
            for _ in range(HUGE // 1_000_000):
                out.write("漏" * 1_000_000)
            out.write("\n13900139000,第三\n")
    return path


@pytest.mark.parametrize(("fmt", "line"), [("jsonl", 2), ("csv", 3)])
def test_a_huge_record_is_refused_with_its_line_in_bounded_memory(
    desk: Desk, people: dict[str, UserView], tmp_path: Path, fmt: str, line: int
) -> None:
    path = huge_file(tmp_path / f"huge.{fmt}", fmt)
    # A first import loads what any import needs (phone metadata, compiled SQL): not measured.
    warm_up = tmp_path / "warm_up.jsonl"
    warm_up.write_text(json.dumps({"email": "w@example.com", "description": "x"}) + "\n", encoding="utf-8")
    assert import_cases(desk, warm_up, "ag").imported == 1
    tracemalloc.start()
    try:
        report = import_cases(desk, path, "ag")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    limit = f"{transfer.MAX_RECORD_CHARS[fmt]:,}".replace(",", " ")  # type: ignore[index]
    assert report == ImportReport(2, 0, [
        (line, f"This record is longer than any case can be ({limit} characters): it was skipped.")])
    # The record is 40 million characters (120 MB of UTF-8); reading it whole held more than that.
    assert peak < 8_000_000, peak


def test_a_record_over_several_lines_is_also_capped(
    desk: Desk, people: dict[str, UserView], tmp_path: Path
) -> None:
    # A quote opened and never closed: every later line would belong to one endless value.
    rows = [f"u{i}@example.com,{'漏' * 200}\n" for i in range(1_400)]
    path = tmp_path / "runaway.csv"
    path.write_text('email,description\nu@example.com,"never closed\n' + "".join(rows), encoding="utf-8")
    report = import_cases(desk, path, "ag")
    [(line, reason)] = report.bad
    skipped = re.fullmatch(r"This record is longer than any case can be \(.* characters\): "
                           r"lines 2–(\d+) were skipped\.", reason)
    assert line == 2 and skipped, reason
    # Reading goes on after the lines skipped: the rows there are imported.
    last = int(skipped.group(1))
    assert last < 1_402 and report.imported == 1_402 - last
