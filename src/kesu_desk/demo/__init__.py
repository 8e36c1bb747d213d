"""Demo data: a busy complaint desk in Chinese, English and Spanish, generated in bulk.

A million cases must load in under a minute, so no case passes through Python one at a time.
Python prepares small tables (days with their working-day offsets, complaint texts with their
search tokens, customer names, status paths with their timelines, the demo users) and the
database builds every case, customer, timeline event, proposal, approval, survey and search row
with ``INSERT … SELECT`` over a generated series of ids. Each case's choices are hashes of its
id, so the statements that write its events, proposals and search row agree with the one that
wrote the case. The same SQL runs on SQLite and PostgreSQL; only a few functions differ.

Where a case goes and when its deadlines fall is not the demo's to decide: the workflow table
leads each path from status to status and ``sla`` names the deadlines (paths.py), so the demo
shows what the desk itself would have recorded.

On an SQLite file the search index is built at the same time on a second connection, in a
thread and a scratch file of its own, and copied in before the commit (search_build.py): one
SQLite database has one writer, but the machine has more than one core. The scratch file goes
when the demo ends, fails or is stopped; one left by a killed demo goes with the next demo
(scratch.py).

texts.py      what the complaints say, who complains, who works at the desk
paths.py      how cases move (workflow) and which deadline they wait for (sla)
plan.py       everything Python decides before the database works
sql.py        the statements, on both engines, and the small tables they join
connection.py the DBAPI connection: bulk settings, one transaction
load.py       the users, then the statements in order
"""

from kesu_desk.demo.load import MAX_CASES, DemoReport, check_cases, generate

__all__ = ["MAX_CASES", "DemoReport", "check_cases", "generate"]
