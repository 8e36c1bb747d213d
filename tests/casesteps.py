"""The people of the tests, their complaints, and moving a case along the workflow as them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from kesu_desk.config import Settings
from kesu_desk.domain.access import Identity
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.views import CaseView

APPROVAL_THRESHOLD = Decimal("1000")
# "Now" of the snapshot tests: Wednesday 25 November 2026, 10:00 in Shanghai.
FIXED_NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)

# name, role, department: one of each kind of user, two supervisors for four-eyes.
PEOPLE: tuple[tuple[str, str, str | None], ...] = (
    ("ag", "agent", None),
    ("hq", "handler", "QA"),
    ("hl", "handler", "LOG"),
    ("sup", "supervisor", None),
    ("sup2", "supervisor", None),
    ("mgr", "manager", None),
    ("adm", "admin", None),
)


def sign_in(desk: Desk, name: str) -> None:
    """The desk as ``name`` at the keyboard (every read takes their view)."""
    desk.sign_in(Identity(user=users.whoami(desk, name), login=name))


@contextmanager
def signed_in(desk: Desk, name: str) -> Iterator[None]:
    """The desk as ``name`` at the keyboard; the desk itself again afterwards."""
    sign_in(desk, name)
    try:
        yield
    finally:
        desk.identity = None


def real_login() -> str:
    """The login name a desk started in a subprocess sees (in-process the tests set their own,
    tests/conftest.py)."""
    import os
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def desk_settings(db: str) -> Settings:
    return Settings(db=db, approval_threshold=APPROVAL_THRESHOLD)


def draft(**fields: Any) -> CaseDraft:
    data: dict[str, Any] = {
        "phone": "13800138000",
        "customer_name": "李雷",
        "product": "电水壶 K-200",
        "description": "壶盖密封圈漏水",
        "customer_request": "换新",
    }
    data.update(fields)
    return CaseDraft.parse(data)


# A case goes to the quality department's handler unless told otherwise (department=, handler=).
def to_assigned(desk: Desk, view: CaseView, *, department: str = "QA", handler: str = "hq") -> CaseView:
    view = cases.decide_validity(desk, "ag", view.number, founded=True, version=view.version)
    return cases.assign(
        desk, "ag", view.number, department=department, handler=handler, version=view.version
    )


def to_investigating(desk: Desk, view: CaseView, *, department: str = "QA", handler: str = "hq") -> CaseView:
    view = to_assigned(desk, view, department=department, handler=handler)
    return cases.record_cause(
        desk,
        handler,
        view.number,
        fishbone="material",
        what="密封圈漏水",
        why="供应商批次胶料老化",
        version=view.version,
    )


def to_proposed(
    desk: Desk, view: CaseView, remedy: str = "refund", amount: str | None = "300", *,
    department: str = "QA", handler: str = "hq",
) -> CaseView:
    view = to_investigating(desk, view, department=department, handler=handler)
    return cases.propose(
        desk,
        handler,
        view.number,
        remedy=remedy,
        amount=Decimal(amount) if amount else None,
        version=view.version,
    )


def to_approved(desk: Desk, view: CaseView, *, department: str = "QA", handler: str = "hq") -> CaseView:
    view = to_proposed(desk, view, department=department, handler=handler)
    return cases.approve(desk, "sup", view.number, version=view.version)


def to_follow_up(desk: Desk, view: CaseView, *, department: str = "QA", handler: str = "hq") -> CaseView:
    view = to_approved(desk, view, department=department, handler=handler)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    return cases.implement(
        desk,
        handler,
        view.number,
        implementation="退款已到账",
        accountability="供应商来料检验",
        version=view.version,
    )


def terminals_at_once(target: Callable[..., None], url: str, agents: list[str], timeout: float) -> list[Any]:
    """Run ``target(url, agent, barrier, results)`` in a process per agent (each its own
    terminal, its own engine), released together by ``barrier``; what each put in ``results``."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(agents))
    results = ctx.Queue()
    processes = [ctx.Process(target=target, args=(url, agent, barrier, results)) for agent in agents]
    for p in processes:
        p.start()
    try:
        return [results.get(timeout=timeout) for _ in processes]
    finally:
        for p in processes:
            p.join(timeout=10)
            if p.is_alive():
                p.terminate()


def threads_at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread, released together; what each returned or raised."""
    import threading

    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait(10)
        try:
            outcomes[i] = calls[i]()
        except BaseException as error:
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
