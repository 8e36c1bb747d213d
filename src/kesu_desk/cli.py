"""The command line: the TUI by default, plus demo, users, db, backup, export and import."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kesu_desk import __version__

if TYPE_CHECKING:
    from kesu_desk.config import SettingProblem

EXIT_ERROR = 1
EXIT_USAGE = 2

# Where pg_dump is looked for when it is not on PATH: Debian and Ubuntu keep each PostgreSQL
# version's programs in a folder of their own. The newest is taken: pg_dump dumps servers of its
# own version and older ones, never newer.
PG_DUMP_FOLDERS = "/usr/lib/postgresql/*/bin"

DESCRIPTION = """\
kesu-desk: a keyboard-first terminal service desk for customer complaints (客诉).

Without a command it starts the desk (TUI). The person acting is the login name of the process
(or, with identity = "database", the PostgreSQL role of the connection), which must be a desk
user; only a desk admin may act as someone else with --user. While a database has no users,
anyone may add the first one (an admin) or fill it with demo data.
Settings come from, lowest first: the TOML config file
(in the platformdirs config folder, or KESU_DESK_CONFIG), KESU_DESK_* environment variables
(KESU_DESK_DB, KESU_DESK_USER, KESU_DESK_LANG, …), then these flags. A wrong setting is reported,
one line each, and nothing runs.
The default database is SQLite in the platformdirs user data folder, created on first use (by
the desk, demo, users add or db upgrade; the commands that only read refuse a database that is
not there rather than make an empty one).
"""

EPILOG = """\
examples:
  kesu-desk                                  start the desk as the current login
  kesu-desk --user wang --lang zh            an admin acting as user wang, in Chinese
  kesu-desk demo --cases 100000              fill an empty database with demo data
  kesu-desk users add li --role handler --dept QA
  kesu-desk departments add RND --zh 研发部 --en "R&D" --es "I+D"
  kesu-desk stores add M01 "Madrid Centro" --region Madrid --limit 150
  kesu-desk users add ana --role store_manager --store M01
  kesu-desk --db postgresql+psycopg://kesu@db/kesu db upgrade
  kesu-desk export --format jsonl --status closed -o closed.jsonl
  kesu-desk import cases.csv
  kesu-desk suggest --json "吃到异物，肚子疼"
  kesu-desk rules check my-rules.toml
  kesu-desk rules review --from 2026-11-01 --to 2026-11-30
  kesu-desk report --from 2026-11-01 --to 2026-11-30 --format html -o review.html
  kesu-desk print KS-20261125-0001 --8d
  kesu-desk print KS-20261125-0001 --letter -o answer.md
  kesu-desk audit --from 2026-11-01          who exported, printed or erased what (admins)
  kesu-desk customers erase 13800138000      erase a customer's personal data (admins)
  kesu-desk products import catalogue.xlsx   load products and spare parts (admins)
"""


REPORT_CSV_HELP = """\
CSV layout (present/report.render_csv): one block per table, blocks separated by an empty
line. A block's first line is its header, "section" then the column names; every row of it
starts with the section's name (summary, by_kind, by_category, by_department, by_channel, by_severity,
deadlines, remedies, satisfaction, causes_by_factor, causes_by_text, repeat_complainants,
batch_problems, corrective_actions, typical, accountability, delays). Values are codes, ISO dates and plain numbers
(money with two decimals, shares in percent), not translated; "*" in a department or remedy
column is the total, "" a case without one. A text a spreadsheet would run as a formula (starting
with = + - @, a tab or a carriage return; or with ') has a ' before it; numbers never do.
"""

RULES_REVIEW_HELP = """\
What the desk learns from its own history. For the cases registered from --from to --to (local
dates of the desk's timezone, both included) that carry the rules' suggestion from their
registration and went to a department or were closed (merged cases left out), within what you
may see (as for `kesu-desk report`; agents may not ask):
  - how many went to the suggested department, in total and per department suggested;
  - the cases whose department differs from the suggested one, grouped by (suggested -> final
    department), and the cases given a remedy (of an approved or accepted proposal) the
    suggestion did not name, grouped by that remedy;
  - for each group, the words its cases share (pairs of adjacent Chinese characters and other
    words of the description, folded as the rules fold them; words already in a keyword of a
    rule for that department or remedy or for the suggested department, very common words,
    and words not at least twice as frequent in the group as in the period's other cases, left
    out), proposed as keywords of the rules of the final department (or of the remedy), each
    with how many cases and their numbers (the first 10).
Nothing is written to the rules file: its owner decides. Exit code 2 for a wrong date or period.
"""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        from kesu_desk.text import visible

        self.exit(EXIT_USAGE, visible(f"{self.prog}: {message} (see kesu-desk --help)") + "\n")


def _common(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--db", metavar="URL", default=default,
                        help="database URL (sqlite:///PATH or postgresql+psycopg://…)")
    parser.add_argument("--user", metavar="NAME", default=default,
                        help="act as this desk user (desk admins only; every event then says "
                             "\"admin X acting as NAME\")")
    parser.add_argument("--lang", choices=["zh", "en", "es"], default=default,
                        help="interface language (default: config, then LANG)")


def build_parser() -> argparse.ArgumentParser:
    from kesu_desk.domain.vocabulary import Channel, Kind

    parser = _Parser(
        prog="kesu-desk",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kesu-desk {__version__}")
    _common(parser, None)
    # Subcommands accept the same flags after their name; SUPPRESS keeps a flag given before it.
    common = _Parser(add_help=False)
    _common(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", parents=[common],
                          help="fill an empty database with demo data (your login becomes its admin)")
    demo.add_argument("--cases", type=int, default=10_000, metavar="N",
                      help="how many cases, 0 to 10000000 (default 10000)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing, successfully, when the database already holds cases")

    users = sub.add_parser("users", parents=[common], help="add and list users")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True,
                                     parser_class=_Parser)
    add = users_sub.add_parser("add", parents=[common], help="add a user")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True,
                     choices=["agent", "handler", "supervisor", "manager", "admin", "store_manager"])
    add.add_argument("--dept", metavar="CODE", help="department code (required for a handler)")
    add.add_argument("--store", metavar="CODE", help="store code (required for a store manager, only for one)")
    add.add_argument("--display-name", default="", metavar="TEXT")
    users_sub.add_parser("list", parents=[common], help="list users")
    key = users_sub.add_parser("key", parents=[common],
                               help="the public keys a user signs in with over `kesu-desk serve --ssh` (admins)")
    key_sub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True, parser_class=_Parser)
    key_add = key_sub.add_parser("add", parents=[common], help="give NAME the public key in FILE (e.g. id_ed25519.pub)")
    key_add.add_argument("name", metavar="NAME")
    key_add.add_argument("file", metavar="FILE", type=Path)
    key_list = key_sub.add_parser("list", parents=[common], help="the keys of NAME, or of everybody")
    key_list.add_argument("name", metavar="NAME", nargs="?")
    key_remove = key_sub.add_parser("remove", parents=[common], help="take a key (by fingerprint) away from NAME")
    key_remove.add_argument("name", metavar="NAME")
    key_remove.add_argument("fingerprint", metavar="FINGERPRINT", help="as `users key list` shows it: SHA256:…")

    ev = sub.add_parser("evidence", parents=[common],
                        help="photos, receipts and invoices attached to a case (kept by content, on every terminal)")
    ev_sub = ev.add_subparsers(dest="evidence_command", metavar="ACTION", required=True, parser_class=_Parser)
    ev_add = ev_sub.add_parser("add", parents=[common], help="attach FILE to CASE (largest: evidence_max_mb)")
    ev_add.add_argument("case", metavar="CASE")
    ev_add.add_argument("file", metavar="FILE", type=Path)
    ev_add.add_argument("--note", default="", metavar="TEXT")
    ev_list = ev_sub.add_parser("list", parents=[common],
                                help="the case's evidence, with that of the cases merged into it")
    ev_list.add_argument("case", metavar="CASE")
    ev_open = ev_sub.add_parser("open", parents=[common], help="open evidence N with the system's viewer")
    ev_open.add_argument("case", metavar="CASE")
    ev_open.add_argument("n", metavar="N", type=int)
    ev_export = ev_sub.add_parser("export", parents=[common], help="write evidence N to DEST (a file or a folder)")
    ev_export.add_argument("case", metavar="CASE")
    ev_export.add_argument("n", metavar="N", type=int)
    ev_export.add_argument("dest", metavar="DEST", type=Path)

    mail_cmd = sub.add_parser("mail", parents=[common],
                              help="e-mail to customers: send what is due, or list the outbox ([mail] in the config)")
    mail_sub = mail_cmd.add_subparsers(dest="mail_command", metavar="ACTION", required=True, parser_class=_Parser)
    mail_sub.add_parser("send", parents=[common],
                        help="send the messages that are due through the SMTP server, with retries and backoff")
    mail_list = mail_sub.add_parser("list", parents=[common], help="the newest messages of the outbox")
    mail_list.add_argument("--status", choices=["pending", "sending", "sent", "failed"])

    serve = sub.add_parser(
        "serve", parents=[common],
        help="serve the desk over its own SSH server: each user signs in with their key (admins start it)",
        description="Supervisors and shops connect with any SSH client (ssh -p PORT desk@HOST); the key they\n"
                    "offer decides who they are (kesu-desk users key add). No passwords, no shell. Each\n"
                    "connection runs its own desk at the client's terminal size; the host key is made once in\n"
                    "the data folder; one log line per connection. Ctrl+C stops the server.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--ssh", required=True, metavar="[HOST:]PORT",
                       help="where to listen, e.g. 2222 (every interface) or 127.0.0.1:2222")
    serve.add_argument("--idle-minutes", type=float, default=30.0, metavar="N",
                       help="close a connection after N minutes without a key (default 30)")

    depts = sub.add_parser("departments", parents=[common],
                           help="list, add, rename, retire and restore departments (admins change them)")
    depts_sub = depts.add_subparsers(dest="departments_command", metavar="ACTION", required=True,
                                     parser_class=_Parser)
    depts_sub.add_parser("list", parents=[common], help="every department, retired ones marked")
    dept_add = depts_sub.add_parser("add", parents=[common], help="add a department, named in zh, en and es")
    dept_add.add_argument("code", metavar="CODE", help="A-Z, 0-9 and _, starting with a letter, at most 16")
    dept_rename = depts_sub.add_parser("rename", parents=[common], help="change its name in one or more languages")
    dept_rename.add_argument("code", metavar="CODE")
    for named, required in ((dept_add, True), (dept_rename, False)):
        for lang, example in (("zh", "研发部"), ("en", "R&D"), ("es", "I+D")):
            named.add_argument(f"--{lang}", required=required, metavar="NAME",
                                help=f"the name in {lang}, e.g. {example!r} (at most 64 characters)")
    for action, text in (("retire", "no longer offered for cases, users or rules; its cases stay"),
                         ("restore", "offer a retired department again")):
        depts_sub.add_parser(action, parents=[common], help=text).add_argument("code", metavar="CODE")
    stores = sub.add_parser("stores", parents=[common],
                            help="the chain's stores: list them; add, rename, retire (admins)")
    stores_sub = stores.add_subparsers(dest="stores_command", metavar="ACTION", required=True,
                                       parser_class=_Parser)
    stores_sub.add_parser("list", parents=[common], help="list the stores and their approval limits")
    st_add = stores_sub.add_parser("add", parents=[common], help="add a store")
    st_add.add_argument("code", metavar="CODE")
    st_add.add_argument("name", metavar="NAME")
    st_add.add_argument("--region", default="", metavar="TEXT")
    st_add.add_argument("--limit", default="0", metavar="AMOUNT",
                        help="up to this amount its store manager approves refunds and compensation "
                             "(default 0: every one goes to a supervisor)")
    st_ren = stores_sub.add_parser("rename", parents=[common], help="rename a store (or change its limit)")
    st_ren.add_argument("code", metavar="CODE")
    st_ren.add_argument("name", metavar="NAME")
    st_ren.add_argument("--limit", default=None, metavar="AMOUNT", help="a new approval limit")
    st_ret = stores_sub.add_parser("retire", parents=[common],
                                   help="retire a store: no new cases or managers; its cases stay")
    st_ret.add_argument("code", metavar="CODE")

    db = sub.add_parser("db", parents=[common], help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True,
                               parser_class=_Parser)
    db_sub.add_parser("upgrade", parents=[common], help="bring the database up to date")

    backup = sub.add_parser(
        "backup", parents=[common], help="online backup of the database to PATH (never over a file)",
        description="An online backup of the database to PATH, which must not exist yet. SQLite: a\n"
                    "consistent copy of the database file. PostgreSQL: pg_dump's custom format (restore\n"
                    "it with pg_restore), by the pg_dump on PATH or else the newest in\n"
                    f"{PG_DUMP_FOLDERS} (Debian, Ubuntu); the password reaches it in PGPASSWORD,\n"
                    "never on its command line. Any failure exits non-zero and leaves no file.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    backup.add_argument("path", metavar="PATH", type=Path)

    export = sub.add_parser("export", parents=[common], help="export cases as CSV, JSONL or an Excel workbook")
    export.add_argument("--format", choices=["csv", "jsonl", "xlsx"], default="csv",
                        help="CSV (default; a cell a spreadsheet would run as a formula, = + - @ "
                             "…, gets a ' before it, which import takes off), JSON Lines, or an Excel "
                             "workbook (needs -o FILE; text is always text, never a formula; times "
                             "are local; streamed, so a million cases take little memory)")
    export.add_argument("--status", action="append", default=[], metavar="STATUS",
                        help="only cases in this status (repeatable)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write to FILE instead of standard output")

    sug = sub.add_parser("suggest", parents=[common],
                         help="suggest department, category, remedies and severity for a complaint")
    sug.add_argument("text", metavar="TEXT", help="what the customer said")
    sug.add_argument("--json", action="store_true", help="print the suggestion as JSON")
    sug.add_argument("--category", metavar="C")
    sug.add_argument("--channel", choices=[c.value for c in Channel])
    sug.add_argument("--kind", choices=[k.value for k in Kind], default=Kind.COMPLAINT.value,
                     help="complaint (default), inquiry or suggestion: an inquiry about prices goes to sales")
    sug.add_argument("--product", metavar="P")
    sug.add_argument("--batch", metavar="B", help="batch/lot; with --product, the units of its cases are counted")
    sug.add_argument("--units", metavar="N", default="1",
                     help="units this complaint is about (1 to 10000, default 1); counted with the batch's")
    sug.add_argument("--customer-class", choices=["a_dealer", "sub_dealer", "end_user", "direct"])
    sug.add_argument("--purchase-date", metavar="YYYY-MM-DD", type=_date)
    sug.add_argument("--amount", metavar="AMOUNT",
                     help="price or amount at stake, e.g. 1500 or 1500.50 (0 to 10 000 000.00)")
    sug.add_argument("--rules", metavar="FILE", type=Path, help="rules file (default: config, then built-in)")
    sug.add_argument("--similar", metavar="N", type=int, default=5,
                     help="show the N closed cases most like this one (default 5; 0: none)")

    rules = sub.add_parser("rules", parents=[common],
                           help="check a rules file, or review the rules' suggestions against what the cases became")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True,
                                     parser_class=_Parser)
    check = rules_sub.add_parser("check", parents=[common],
                                 help="report every mistake in a rules file at once")
    check.add_argument("file", metavar="FILE", type=Path)
    review = rules_sub.add_parser(
        "review", parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter,
        help="the cases whose department or remedy differed from the rules' suggestion, grouped by "
             "the words they share, with keywords proposed for the rules file (nothing is written)",
        description=RULES_REVIEW_HELP,
    )
    # Dates read in the command, not by argparse, so a wrong one is said in the user's language.
    review.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                        help="first day of the period (registration, local date)")
    review.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                        help="last day of the period (included)")
    review.add_argument("--min-cases", metavar="N", default="2",
                        help="propose words shared by at least N cases (default 2)")
    review.add_argument("--json", action="store_true", help="print the same figures and proposals as JSON")

    tasks = sub.add_parser("tasks", parents=[common], help="task templates a case can carry (assets/tasks, <config folder>/tasks)")
    tasks_sub = tasks.add_subparsers(dest="tasks_command", metavar="ACTION", required=True, parser_class=_Parser)
    tasks_sub.add_parser("templates", parents=[common], help="list the task templates")
    tasks_show = tasks_sub.add_parser("show", parents=[common], help="check a task template and show its steps")
    tasks_show.add_argument("template", metavar="TEMPLATE")
    tasks_add = tasks_sub.add_parser("add", parents=[common],
                                     help="put a template's steps on a case, due on working days from now")
    tasks_add.add_argument("case", metavar="CASE")
    tasks_add.add_argument("template", metavar="TEMPLATE")
    tasks_list = tasks_sub.add_parser("list", parents=[common], help="the steps a case carries, overdue ones marked")
    tasks_list.add_argument("case", metavar="CASE")
    tasks_done = tasks_sub.add_parser("done", parents=[common],
                                      help="a step done (in order, unless the template runs it alongside)")
    tasks_done.add_argument("case", metavar="CASE")
    tasks_done.add_argument("step", metavar="STEP", help="the step's key, or TEMPLATE:KEY")
    tasks_done.add_argument("--note", default="", metavar="TEXT")
    tasks_assign = tasks_sub.add_parser("assign", parents=[common], help="give a step an owner of its department")
    tasks_assign.add_argument("case", metavar="CASE")
    tasks_assign.add_argument("step", metavar="STEP")
    tasks_assign.add_argument("owner", metavar="USER")

    imp = sub.add_parser("import", parents=[common],
                         help="import cases from CSV, JSONL or an Excel workbook (.xlsx, first sheet); "
                              "bad rows are reported and skipped")
    imp.add_argument("file", metavar="FILE", type=Path)

    rep = sub.add_parser(
        "report", parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter,
        help="period review: cases by category, department, channel, severity; deadlines; "
             "remedies and cost; satisfaction; causes (Pareto); repeat complainants; batch "
             "problems and corrective actions; typical cases",
        description="The review of the cases registered from --from to --to (local dates of the\n"
                    "desk's timezone, both included), as they stand now, in the interface language.",
        epilog=REPORT_CSV_HELP,
    )
    rep.add_argument("--from", dest="start", required=True, type=_date, metavar="YYYY-MM-DD",
                     help="first day of the period")
    rep.add_argument("--to", dest="end", required=True, type=_date, metavar="YYYY-MM-DD",
                     help="last day of the period (included)")
    rep.add_argument("--store", metavar="CODE",
                     help="the review of one store's cases (a store manager's is always their store's)")
    rep.add_argument("--format", choices=["md", "html", "csv", "xlsx"], default="md",
                     help="Markdown (default), one self-contained HTML file, CSV (layout below), or an "
                          "Excel workbook, one sheet per table, numbers as numbers (needs -o FILE)")
    rep.add_argument("-o", "--output", type=Path, metavar="FILE",
                     help="write to FILE instead of standard output")

    prt = sub.add_parser(
        "print", parents=[common],
        help="the complaint record form of one case (every step and its timeline), or its 8D report",
    )
    prt.add_argument("case", metavar="CASE", help="case number, e.g. KS-20261125-0001")
    prt.add_argument("--format", choices=["md", "html"], default="md",
                     help="Markdown (default) or one self-contained HTML file, ready to print")
    prt.add_argument("--8d", dest="eight_d", action="store_true",
                     help="the 8D report (D1 team … D8 closure) of a quality (QA) case instead")
    prt.add_argument("--letter", action="store_true",
                     help="the customer's written answer instead (Markdown, in the customer's language: "
                          "decision, remedy, next steps, contact; no internal details), once the outcome "
                          "is approved; recorded on the timeline. A store's case: its store manager, a "
                          "supervisor or a manager")
    prt.add_argument("-o", "--output", type=Path, metavar="FILE",
                     help="write to FILE instead of standard output")

    aud = sub.add_parser(
        "audit", parents=[common], help="the access log: who exported, printed, reported or erased what (admins)",
        description="The access log, oldest first: every export, print, report naming repeat\n"
                    "complainants, and erasure — when (local time), who (and the admin acting as\n"
                    "them), from which login, what was asked. The log is append-only.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    aud.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD", help="first day (local)")
    aud.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD", help="last day, included")
    aud.add_argument("--who", metavar="NAME", help="only what this user did (or an admin acting as them)")
    aud.add_argument("--limit", type=int, default=1000, metavar="N", help="the newest N entries (default 1000)")

    cust = sub.add_parser("customers", parents=[common], help="customers' personal data")
    cust_sub = cust.add_subparsers(dest="customers_command", metavar="ACTION", required=True,
                                   parser_class=_Parser)
    erase = cust_sub.add_parser(
        "erase", parents=[common],
        help="erase a customer's name, phone and e-mail at their request (PIPL art. 47, GDPR art. 17; admins)",
        description="Removes the customer's name, phone and e-mail from their record and masks them\n"
                    "(***) in the texts and timeline of their cases; the cases stay, so counts and\n"
                    "statistics do not change. Logged in the access log. Cannot be undone.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    erase.add_argument("phone", metavar="PHONE", help="the customer's phone number")

    prod = sub.add_parser("products", parents=[common], help="the product and spare-part catalogue")
    prod_sub = prod.add_subparsers(dest="products_command", metavar="ACTION", required=True, parser_class=_Parser)
    prod_imp = prod_sub.add_parser(
        "import", parents=[common], help="load products from a CSV or XLSX file (admins; all or nothing)",
        description="The first row names the columns: code, name (required), name_zh, name_en, name_es,\n"
                    "kind (product or spare_part), barcodes (EAN/UPC, several separated by spaces),\n"
                    "warranty_months (0-120), retail_price (0 to 2 000 000.00), fits (a spare part: the\n"
                    "codes of the products it fits), retired (YYYY-MM-DD). A code already in the\n"
                    "catalogue is updated. One bad row (its row and column are named) and nothing is\n"
                    "imported; formulas and control characters are refused.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    prod_imp.add_argument("file", metavar="FILE", type=Path, help="a .csv (UTF-8) or .xlsx file")
    prod_list = prod_sub.add_parser("list", parents=[common], help="list the catalogue")
    prod_list.add_argument("--search", metavar="TEXT", default="",
                           help="only products whose code or a name (zh/en/es) holds TEXT")
    inbox = sub.add_parser(
        "inbox", parents=[common], help="your notifications: batch problems and escalations",
        description="What the desk told you and your department: batch problems (the units of one\n"
                    "product batch reached the rules' batch threshold), escalations and representative\n"
                    "quality problems. Newest first.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inbox.add_argument("--unread", action="store_true", help="only those not read yet")
    inbox_sub = inbox.add_subparsers(dest="inbox_command", metavar="ACTION", parser_class=_Parser)
    read = inbox_sub.add_parser("read", parents=[common], help="mark a notification read")
    read.add_argument("id", type=int, metavar="ID", help="the notification's number, as listed")
    confirm = inbox_sub.add_parser(
        "confirm", parents=[common],
        help="the general manager confirms the handling of a batch's corrective action")
    confirm.add_argument("id", type=int, metavar="ACTION", help="the corrective action's number")
    represent = inbox_sub.add_parser(
        "represent", parents=[common],
        help="escalate a case as a representative quality problem (supervisors, QA, managers)")
    represent.add_argument("number", metavar="CASE", help="the case number")
    represent.add_argument("comment", metavar="WHY", help="why it is representative")
    # Issue 13, dealers: an A-class dealer's after-sales allowance (services/dealers.py).
    dlr = sub.add_parser("dealers", parents=[common],
                         help="A-class dealers: contracts and after-sales allowance (0.5%% of purchases; managers, admins); handover of a case (anyone working it)")
    dlr_sub = dlr.add_subparsers(dest="dealers_command", metavar="ACTION", required=True, parser_class=_Parser)
    dlr_sub.add_parser("list", parents=[common], help="every A-class dealer with its balance")
    dlr_link = dlr_sub.add_parser("link", parents=[common],
                                  help="a sub-dealer or end user is served by this A-class dealer")
    dlr_link.add_argument("customer", type=int, metavar="CUSTOMER", help="the customer's id")
    dlr_link.add_argument("--dealer", type=int, required=True, metavar="DEALER", help="the dealer's customer id")
    dlr_show = dlr_sub.add_parser("show", parents=[common], help="the dealer's purchases, allowance and balance")
    dlr_show.add_argument("dealer", type=int, metavar="DEALER", help="the dealer's customer id")
    dlr_buy = dlr_sub.add_parser("purchase", parents=[common], help="record a purchase (it earns the allowance)")
    dlr_buy.add_argument("dealer", type=int, metavar="DEALER", help="the dealer's customer id")
    dlr_buy.add_argument("amount", metavar="AMOUNT", help="the purchase, e.g. 12000.00")
    dlr_buy.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the purchase's date")
    dlr_charge = dlr_sub.add_parser(
        "charge", parents=[common], help="charge spare parts sent to the dealer against its allowance",
        description="Refused when the allowance has not enough left: the dealer pays first, or its\n"
                    "business representative approves the charge against the future allowance\n"
                    "(--approved-by), and the balance goes below zero until later purchases.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    dlr_charge.add_argument("dealer", type=int, metavar="DEALER", help="the dealer's customer id")
    dlr_charge.add_argument("amount", metavar="AMOUNT", help="the charge, e.g. 45.50")
    dlr_charge.add_argument("--approved-by", metavar="NAME", help="the business representative who approved it")
    dlr_charge.add_argument("--note", default="", metavar="TEXT", help="what was sent (part, quantity)")
    # Issue 13, dealers in the case's work (services/dealer_flow.py).
    dlr_add = dlr_sub.add_parser("add", parents=[common], help="a new A-class dealer customer with its contract")
    dlr_add.add_argument("name", metavar="NAME", help="the dealer's name")
    dlr_add.add_argument("--contract", required=True, metavar="NO", help="the contract's number")
    dlr_add.add_argument("--representative", required=True, metavar="USER_OR_NAME",
                         help="our business representative: approves service beyond the allowance")
    dlr_add.add_argument("--contact", required=True, metavar="NAME", help="the dealer's contact person")
    dlr_add.add_argument("--phone", required=True, metavar="PHONE", help="the contact's phone (the customer's)")
    dlr_add.add_argument("--region", default="CN", metavar="CC", help="country code the phone is read in (CN)")
    dlr_hand = dlr_sub.add_parser(
        "handover", parents=[common], help="hand a case to its customer's A-class dealer (who sells, serves)",
        description="Records on the case's timeline that the customer's A-class dealer takes it over,\n"
                    "with the dealer's contact and phone. The case stays where it is: record the\n"
                    "dealer's report as a note. Only for a sub-dealer or end user with a dealer.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    dlr_hand.add_argument("case", metavar="CASE", help="the case number")
    dlr_hand.add_argument("--comment", default="", metavar="TEXT", help="what the dealer is asked to do")
    parts = sub.add_parser("parts", parents=[common], help="spare parts by customer class (seed 6.3 a-f)")
    parts_sub = parts.add_subparsers(dest="parts_command", metavar="ACTION", required=True, parser_class=_Parser)
    advise = parts_sub.add_parser("advise", parents=[common],
                                  help="who supplies a spare part for the case, and who pays")
    advise.add_argument("case", metavar="CASE", help="the case number")
    advise.add_argument("--warranty-months", type=_months, default=12, metavar="N",
                        help="months under warranty from the purchase date (default 12)")
    advise.add_argument("--price", default="", metavar="AMOUNT",
                        help="the part's price: an A-class dealer's allowance must cover it")
    send = parts_sub.add_parser(
        "send", parents=[common], help="record spare parts sent on a case, and who pays",
        description="Charged to the allowance, the A-class dealer's ledger is charged at once; beyond\n"
                    "its balance the dealer's business representative must approve (--approved-by).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    send.add_argument("case", metavar="CASE", help="the case number")
    send.add_argument("part", metavar="PART_CODE", help="the spare part's code (product catalogue)")
    send.add_argument("--qty", type=int, default=1, metavar="N", help="how many (1-999, default 1)")
    send.add_argument("--price", default="", metavar="AMOUNT", help="unit price (default: the catalogue's)")
    send.add_argument("--charge", default="allowance", metavar="WHO",
                      help="who pays: allowance, customer or free (default allowance)")
    send.add_argument("--approved-by", metavar="NAME", help="the business representative who approved")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from kesu_desk.config import InvalidSettings, interface_language, load_settings

    try:
        settings = load_settings(db=args.db, user=args.user, lang=args.lang)
    except InvalidSettings as exc:  # every wrong setting, one line each
        from kesu_desk.i18n import t

        lang = interface_language(exc.lang)  # exc.lang is None when the language is what is wrong
        for problem in exc.problems:
            _say(t("cli.error_prefix", lang) + _describe_setting(problem, lang), err=True)
        return EXIT_ERROR
    except Exception as exc:  # not foreseen: still one line, never a traceback
        _say(f"kesu-desk: invalid settings: {_first_line(exc)}", err=True)
        return EXIT_ERROR
    lang = settings.language()
    handler = COMMANDS.get(args.command or "tui")
    assert handler is not None
    if handler is cmd_tui:  # the desk handles its own signals
        return _guarded(handler, args, settings, lang)
    with _stopped_cleanly_by_signals():
        return _guarded(handler, args, settings, lang)


@contextlib.contextmanager
def _stopped_cleanly_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end a command the way Ctrl+C does: by an exception, so that whatever
    it was writing is rolled back and its scratch files removed (see demo/scratch.py), then exit
    128 + the signal's number. A signal somebody chose to ignore (nohup) stays ignored."""
    import signal
    import threading

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ("SIGTERM", "SIGHUP")  # SIGHUP: not on Windows
    wanted = [getattr(signal, n) for n in names if hasattr(signal, n)]
    before = {s: signal.getsignal(s) for s in wanted}
    for signum, handler in before.items():
        if handler is signal.SIG_DFL:
            signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in before.items():
            if handler is not None:
                signal.signal(signum, handler)


def _say(text: str, *, err: bool = False) -> None:
    """Print one message; control characters in it (from what somebody typed, a file, a file
    name) are shown as pictures, as on the screens, so no escape sequence reaches the terminal."""
    from kesu_desk.text import visible

    print(visible(text), file=sys.stderr if err else sys.stdout)


def _for_terminal(text: str) -> str:
    """A file's text as a terminal should show it: control characters as pictures, line ends
    (CRLF too) as line ends."""
    from kesu_desk.text import visible

    return visible(text.replace("\r\n", "\n"))


class _TerminalOutput:
    """Standard output, when it is a terminal, for a command that writes a file's content there."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return int(self.stream.write(_for_terminal(text)))


def _os_reason(exc: OSError, path: Path, lang: str, *, creating: bool = False) -> str:
    """Why ``path`` could not be opened, in the user's language (the system's own words, in
    English, only for the rare cases without a message of ours)."""
    import errno

    from kesu_desk.i18n import t

    nearest = next((p for p in path.absolute().parents if p.exists()), None)
    if exc.errno == errno.ENOENT:
        if nearest is not None and nearest != path.absolute().parent:
            return t("os.no_folder", lang, folder=path.parent)
        return t("os.cannot_create" if creating else "os.not_found", lang)
    if exc.errno == errno.ENOTDIR and nearest is not None and not nearest.is_dir():
        return t("os.not_folder", lang, folder=nearest)
    key = {errno.EACCES: "permission", errno.EPERM: "permission", errno.EROFS: "read_only",
           errno.ENOSPC: "no_space", errno.EDQUOT: "no_space", errno.EISDIR: "is_folder",
           errno.ENOTDIR: "not_folder"}.get(exc.errno or 0)
    if key is None:
        return exc.strerror or _first_line(exc)
    return t(f"os.{key}", lang, folder=path.parent)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _describe_setting(problem: SettingProblem, lang: str) -> str:
    """One line for a wrong setting: its name (and value), where it came from, what is allowed.
    (Here, not in i18n: the settings read the catalogues, so i18n sits below config.)"""
    from kesu_desk.i18n import t

    setting = f"{problem.name} = {problem.value}" if problem.value else problem.name
    allowed = t(f"settings.allowed.{problem.allowed}", lang, **problem.params) if problem.allowed else ""
    return t(f"settings.{problem.code}", lang, **problem.params, setting=setting, allowed=allowed,
             source=problem.source or t("settings.defaults", lang))


def _guarded(handler: Callable[..., int], args: argparse.Namespace, settings: Any, lang: str) -> int:
    """Run a command; any expected failure becomes one line in the user's language."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

    from kesu_desk.domain.errors import DeskError
    from kesu_desk.i18n import describe, t

    try:
        return handler(args, settings, lang)
    except DeskError as exc:
        _say(t("cli.error_prefix", lang) + describe(exc, lang), err=True)
    except (OperationalError, DBAPIError, ArgumentError) as exc:
        reason = _first_line(getattr(exc, "orig", None) or exc)
        from kesu_desk.store.engine import shown_url

        url = shown_url(settings.db)
        _say(t("cli.error_prefix", lang) + t("error.database_unreachable", lang, url=url, reason=reason),
             err=True)
    except BrokenPipeError:
        # The reader went away (`kesu-desk export | head`): not an error, and nothing to flush.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        message = (t("cli.os_error", lang, path=exc.filename, reason=_os_reason(exc, Path(exc.filename), lang))
                   if isinstance(exc.filename, str) else _first_line(exc))
        _say(t("cli.error_prefix", lang) + message, err=True)
    except KeyboardInterrupt:
        return 130
    return EXIT_ERROR


def _open(settings: Any, *, create: bool = True) -> Any:
    """The desk. ``create=False`` for the commands that only read: a database that is not there
    (a mistyped --db) is refused, not made (DeskError "no_database")."""
    from kesu_desk.services.desk import Desk

    return Desk.open(settings, create=create)


def _signed_in(settings: Any, use: Any, *, create: bool = False, bootstrap: bool = False) -> Any:
    """The desk, signed in as the person at the keyboard, who must be allowed ``use``
    (domain/access.py). With ``bootstrap``, a database without users is left to whoever comes
    first (adding the first user, demo data, an upgrade)."""
    from kesu_desk.domain.access import require
    from kesu_desk.services import identity

    desk = _open(settings, create=create)
    try:
        if bootstrap and identity.bootstrapping(desk):
            return desk
        me = identity.sign_in(desk, settings.user)
        require(me.user, use)
    except BaseException:
        desk.close()
        raise
    return desk


# -- commands ----------------------------------------------------------------------------------


def cmd_tui(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use

    desk = _signed_in(settings, Use.WORK)  # unknown login: a clear message, no access
    from kesu_desk.app import KesuDesk

    assert desk.identity is not None
    app = KesuDesk(desk, desk.identity.user, lang)
    app.run()
    return app.return_code or 0  # 128 + 15 after SIGTERM, as a killed command's


def cmd_demo(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk import demo
    from kesu_desk.domain.access import Use
    from kesu_desk.domain.errors import AccessDenied, DeskError
    from kesu_desk.i18n import t
    from kesu_desk.services import identity

    demo.check_cases(args.cases)  # before a database is made for it
    try:
        desk = _signed_in(settings, Use.MANAGE, create=True, bootstrap=True)
    except AccessDenied:
        # `make run` on a database that is already in use: nothing to fill, whoever runs it
        if args.if_empty and identity.has_cases(desk := _open(settings, create=False)):
            desk.close()
            print(t("cli.demo_not_empty", lang))
            return 0
        raise
    try:
        report = demo.generate(desk, args.cases, seed=args.seed, login=identity.who_is_connected(desk),
                               progress=_progress(args.cases) if sys.stderr.isatty() else None)
    except DeskError as exc:
        if exc.code == "database_not_empty" and args.if_empty:
            print(t("cli.demo_not_empty", lang))
            return 0
        raise
    rate = report.cases / report.seconds if report.seconds else 0.0
    print(t("cli.demo_done", lang, cases=report.cases, customers=report.customers,
            events=report.events, seconds=report.seconds, rate=rate))
    return 0


def _progress(total: int) -> Callable[[int], None]:
    def show(done: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r… {done:,} / {total:,}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_users(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services import users
    from kesu_desk.text import visible_line

    if args.users_command == "key":
        return _user_keys(args, settings, lang)

    adding = args.users_command == "add"
    desk = _signed_in(settings, Use.MANAGE if adding else Use.USERS, create=adding, bootstrap=adding)
    if adding and desk.identity is None:  # the first user of a new database
        from kesu_desk.services.identity import check_first_user

        check_first_user(args.role)
    if adding:
        user = users.add_user(desk, args.name, args.role, args.dept, args.display_name, args.store)
        dept = f", {user.department}" if user.department else ""
        dept += f", {user.store}" if user.store else ""
        _say(t("cli.user_added", lang, name=user.name, role=t(f"role.{user.role}", lang), dept=dept))
        return 0
    for user in users.list_users(desk):
        state = "" if user.active else " (inactive)"
        name, shown = visible_line(user.name), visible_line(user.display_name)
        _say(f"{name:<20} {user.role.value:<13} {user.department or user.store or '-':<6} {shown}{state}")
    return 0


def _user_keys(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services import ssh_keys
    from kesu_desk.text import visible_line

    desk = _signed_in(settings, Use.MANAGE)
    if args.key_command == "add":
        key = ssh_keys.add_key(desk, args.name, args.file)
        _say(t("ssh.key_added", lang, name=key.user, fingerprint=key.fingerprint, algorithm=key.algorithm))
    elif args.key_command == "remove":
        ssh_keys.remove_key(desk, args.name, args.fingerprint)
        _say(t("ssh.key_removed", lang, name=args.name, fingerprint=args.fingerprint))
    else:
        for key in ssh_keys.list_keys(desk, args.name):
            _say(f"{visible_line(key.user):<20} {key.fingerprint}  {key.algorithm:<12} {visible_line(key.comment)}")
    return 0


def cmd_evidence(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.present.formats import local_time
    from kesu_desk.services import evidence
    from kesu_desk.text import visible_line

    desk = _signed_in(settings, Use.WORK)
    assert desk.identity is not None
    if args.evidence_command == "add":
        added = evidence.add_evidence(desk, desk.identity.user.name, args.case, args.file, note=args.note)
        _say(t("cli.evidence_added", lang, n=added.n, number=args.case, name=added.file_name))
    elif args.evidence_command == "export":
        _say(t("cli.evidence_exported", lang, path=evidence.export_evidence(desk, args.case, args.n, args.dest)))
    elif args.evidence_command == "open":
        path, opened = evidence.open_evidence(desk, args.case, args.n)
        _say(t("cli.evidence_opened" if opened else "cli.evidence_no_viewer", lang, path=path))
    else:
        rows = evidence.list_evidence(desk, args.case)
        if not rows:
            _say(t("cli.evidence_none", lang, number=args.case))
        for e in rows:
            of = f" {t('cli.evidence_of', lang, number=e.case)}" if e.case != args.case.upper() else ""
            _say(f"{e.n}. {e.file_name} · {e.media_type} · {e.size:,} B · {e.collected_by} "
                 f"{local_time(e.collected_at, desk.calendar.tz)}{of}" + (f" · {visible_line(e.note)}" if e.note else ""))
    return 0


def cmd_mail(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.present.formats import local_time
    from kesu_desk.services import mail

    if args.mail_command == "send":
        desk = _signed_in(settings, Use.MANAGE)
        if not desk.settings.mail.enabled:
            _say(t("mail.disabled", lang), err=True)
            return EXIT_ERROR
        report = mail.send_pending(desk)
        _say(t("mail.sent", lang, sent=report.sent, retried=report.retried, failed=report.failed,
               interrupted=report.interrupted))
        return EXIT_ERROR if report.failed else 0
    desk = _signed_in(settings, Use.EXPORT)  # customers' addresses: who may export may read them
    rows = mail.list_outbox(desk, args.status)
    if not rows:
        _say(t("mail.none", lang))
    tz = desk.calendar.tz
    for m in rows:
        when = local_time(m.sent_at or m.created_at, tz)
        line = f"{m.number}  {t(f'mail.status.{m.status}', lang):<8} {when}  {t(f'mail.kind.{m.kind}', lang)} → {m.to}"
        _say(line + (f"  ({m.last_error})" if m.last_error else ""))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Any, lang: str) -> int:
    import logging

    from kesu_desk.domain.access import Use
    from kesu_desk.domain.errors import InvalidInput
    from kesu_desk.i18n import t
    from kesu_desk.logfile import open_log
    from kesu_desk.sshserver import parse_address, run

    try:
        host, port = parse_address(args.ssh)
    except ValueError:
        raise InvalidInput("invalid_input", errors={"address": "bad_address"}) from None
    if not 0 < args.idle_minutes <= 24 * 60:
        raise InvalidInput("invalid_input", errors={"idle_minutes": "idle_out_of_range"})
    desk = _signed_in(settings, Use.MANAGE)
    # One line per connection, in the log file and on the server's standard error.
    handler = open_log()
    handler.setLevel(logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    ssh_log = logging.getLogger("kesu_desk.ssh")
    ssh_log.setLevel(logging.INFO)
    ssh_log.addHandler(console)
    _say(t("ssh.serving", lang, host=host, port=port), err=True)
    run(desk, args.ssh, args.lang, args.idle_minutes)
    return 0


def cmd_stores(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services import stores
    from kesu_desk.text import visible_line

    action = args.stores_command
    desk = _signed_in(settings, Use.USERS if action == "list" else Use.MANAGE)
    if action == "list":
        for st in stores.list_stores(desk):
            state = f"  ({t('stores.retired', lang)})" if st.retired else ""
            _say(f"{st.code:<8} {st.approval_limit:>12,.2f}  {visible_line(st.region):<12} "
                 f"{visible_line(st.name)}{state}")
        return 0
    if action == "add":
        st = stores.add_store(desk, args.code, args.name, region=args.region, limit=args.limit)
    elif action == "rename":
        st = stores.rename_store(desk, args.code, args.name, limit=args.limit)
    else:
        st = stores.retire_store(desk, args.code)
    _say(t(f"stores.{action}_done", lang, store=st.code, name=visible_line(st.name),
           limit=f"{st.approval_limit:,.2f}"))
    return 0


def cmd_departments(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services import departments
    from kesu_desk.text import visible_line

    action = args.departments_command
    desk = _signed_in(settings, Use.USERS if action == "list" else Use.MANAGE, create=action != "list")
    if action == "list":
        for d in departments.list_departments(desk):
            state = f"  ({t('departments.retired_mark', lang)})" if not d.active else ""
            names = " / ".join(visible_line(d.names[code]) for code in departments.LANGUAGES)
            _say(f"{d.code:<16} {names}{state}")
        return 0
    if action == "add":
        view = departments.add_department(desk, args.code, zh=args.zh, en=args.en, es=args.es)
    elif action == "rename":
        view = departments.rename_department(desk, args.code, zh=args.zh, en=args.en, es=args.es)
    elif action == "retire":
        view = departments.retire_department(desk, args.code)
    else:
        view = departments.restore_department(desk, args.code)
    done = {"add": "added", "rename": "renamed", "retire": "retired", "restore": "restored"}[action]
    _say(t(f"departments.{done}", lang, code=view.code, name=visible_line(view.name(lang))))
    return 0


def cmd_db(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services.desk import Desk
    from kesu_desk.store import schema

    before = schema.current_revision(Desk(settings).engine)
    desk = _signed_in(settings, Use.MANAGE, create=True, bootstrap=True)  # brings it up to date
    after = schema.current_revision(desk.engine)
    key = "cli.up_to_date" if before == after else "cli.upgraded"
    print(t(key, lang, before=before or "-", after=after))
    return 0


def cmd_backup(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.store.engine import is_sqlite

    desk = _signed_in(settings, Use.MANAGE)
    target: Path = args.path
    try:
        # Never over anything: "x" refuses an existing path, a dangling symbolic link included.
        out = target.open("xb")
    except FileExistsError:
        _say(t("cli.error_prefix", lang) + t("cli.backup_exists", lang, path=target), err=True)
        return EXIT_ERROR
    except OSError as exc:
        reason = _os_reason(exc, target, lang, creating=True)
        _say(t("cli.error_prefix", lang) + t("cli.backup_cannot_write", lang, path=target, reason=reason),
             err=True)
        return EXIT_ERROR
    done = False
    try:
        if is_sqlite(desk.engine):
            out.close()  # an empty file is an empty database to copy into
            _sqlite_backup(desk.engine, target)
        else:
            with out:
                _pg_dump(settings.db, out)
        done = True
    finally:
        if not done:  # nothing half-written
            target.unlink(missing_ok=True)
    _say(t("cli.backup_done", lang, path=target))
    return 0


def _sqlite_backup(engine: Any, target: Path) -> None:
    """An online, consistent copy of the SQLite database into the (empty) file ``target``."""
    import sqlite3

    from kesu_desk.domain.errors import DeskError

    source = engine.raw_connection()
    try:
        dest = sqlite3.connect(target)
        try:
            source.driver_connection.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:  # a full disk, an I/O error: the copy is removed, the reason said
        raise DeskError("backup_failed", reason=_first_line(exc)) from exc
    finally:
        source.close()


def _pg_dump(url: str, out: Any) -> None:
    """pg_dump's custom format (for pg_restore) of the database ``url`` names, into ``out``.

    The password goes to pg_dump in PGPASSWORD, never on its command line (which every user of
    the machine can read); the rest of the URL as a libpq connection URI.
    """
    import glob
    import os
    import re
    import shutil
    import subprocess

    from sqlalchemy import URL, make_url

    from kesu_desk.domain.errors import DeskError

    found = glob.glob(os.path.join(PG_DUMP_FOLDERS, "pg_dump"))
    newest = max(found, key=lambda p: [int(n) for n in re.findall(r"\d+", p)], default=None)
    program = shutil.which("pg_dump") or newest
    if program is None:
        raise DeskError("pg_dump_missing", folders=PG_DUMP_FOLDERS)
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    libpq = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                       database=parsed.database, query=parsed.query).render_as_string()
    done = subprocess.run([program, "--format=custom", f"--dbname={libpq}"], stdout=out,
                          stderr=subprocess.PIPE, env=env, check=False)
    if done.returncode != 0:
        said = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        raise DeskError("pg_dump_failed", exit_code=done.returncode, reason=said[0] if said else "-")


def cmd_export(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.errors import InvalidInput
    from kesu_desk.domain.vocabulary import Status
    from kesu_desk.i18n import t
    from kesu_desk.services.transfer import export_cases

    try:
        statuses = [Status(s) for s in args.status]
    except ValueError:
        raise InvalidInput("invalid_input", errors={"status": "enum"}) from None
    from kesu_desk.domain.access import Use

    _workbook_needs_a_file(args)
    desk = _signed_in(settings, Use.EXPORT)  # before FILE is made: a refusal leaves nothing
    if args.format == "xlsx":
        from kesu_desk.services.transfer import export_xlsx

        count = export_xlsx(desk, args.output, statuses)
        _say(t("cli.exported", lang, count=count), err=True)
    elif args.output:
        with args.output.open("w", encoding="utf-8", newline="") as out:
            count = export_cases(desk, out, args.format, statuses)
        _say(t("cli.exported", lang, count=count), err=True)
    else:
        out = _TerminalOutput(sys.stdout) if sys.stdout.isatty() else sys.stdout
        export_cases(desk, out, args.format, statuses)
    return 0


def cmd_import(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services.transfer import import_cases

    if not args.file.is_file():
        _say(t("cli.error_prefix", lang) + t("cli.file_not_found", lang, path=args.file), err=True)
        return EXIT_ERROR
    desk = _signed_in(settings, Use.IMPORT)
    report = import_cases(desk, args.file, desk.identity.user.name, lang=lang)
    for line, reason in report.bad:
        _say(t("cli.import_bad_row", lang, line=line, reason=reason), err=True)
    _say(t("cli.import_done", lang, imported=report.imported, duplicates=report.duplicates,
            bad=len(report.bad)))
    return EXIT_ERROR if report.bad else 0


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _months(value: str) -> int:
    """A warranty in whole months, 0 to 120."""
    if not value.isdigit() or int(value) > 120:
        raise argparse.ArgumentTypeError(f"not a number of months from 0 to 120: {value!r}")
    return int(value)


def cmd_suggest(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.amounts import parse_amount
    from kesu_desk.domain.errors import InvalidInput
    from kesu_desk.domain.limits import purchase_date_problem
    from kesu_desk.i18n import t
    from kesu_desk.present.formats import category_name, local_time, second_opinion_text
    from kesu_desk.rules import in_language
    from kesu_desk.services.intake import department_names
    from kesu_desk.services.suggestions import second_opinion, suggest_case
    from kesu_desk.text import json_controls_escaped

    # Read and checked as a proposal's amount and the intake's purchase date are.
    amount = parse_amount(args.amount) if args.amount is not None else None
    if wrong_date := purchase_date_problem(args.purchase_date):
        raise InvalidInput("invalid_input", errors={"purchase_date": wrong_date})
    if args.rules:
        settings = settings.model_copy(update={"rules": args.rules})
    from kesu_desk.services.drafts import parse_units

    units = parse_units(args.units)
    from kesu_desk.domain.access import Use

    desk = _signed_in(settings, Use.WORK, create=True, bootstrap=True)  # no users: no data to guard
    for problem in desk.rule_problems:
        _say(t("rules.fallback", lang, problem=str(problem)), err=True)
    result = suggest_case(
        desk, args.text, category=args.category, channel=args.channel, kind=args.kind, product=args.product,
        batch=args.batch, customer_class=args.customer_class, purchase_date=args.purchase_date,
        amount=amount, similar=args.similar, units=units,
    )
    if args.json:
        print(json_controls_escaped(result.model_dump_json(indent=2)))
        return 0

    remedies = ", ".join(t(f"remedy.{r}", lang) for r in result.remedies)
    _say(t("suggest.department", lang, department=result.department))
    _say(t("suggest.category", lang, category=category_name(result.category, lang)))
    if result.kind is not None:
        _say(t("suggest.kind", lang, kind=t(f"intake.kind.{result.kind}", lang), told=t("intake.kind.complaint", lang)))
    _say(t("suggest.remedies", lang, remedies=remedies or "-"))
    _say(t("suggest.severity", lang, severity=t(f"severity.{result.severity}", lang)))
    if result.escalations:
        names = ", ".join(t(f"escalation.{e}", lang) for e in result.escalations)
        _say(t("suggest.escalations", lang, escalations=names))
    for reason in result.reasons:
        words = ", ".join([*reason.words, *reason.fields])
        _say(t("suggest.reason", lang, rule=reason.rule_id, description=in_language(reason.description, lang),
               words=words))
    for note in result.notes:
        _say(t("suggest.note", lang, note=in_language(note, lang)))
    if result.deadlines is not None:
        d = result.deadlines
        _say(t("suggest.deadlines", lang, acknowledge=local_time(d.acknowledge, desk.calendar.tz),
                answer=local_time(d.answer, desk.calendar.tz), days=d.department_working_days))
    if args.similar:
        _say(t("suggest.similar", lang) if result.similar else t("suggest.no_similar", lang))
        for case in result.similar:
            _say(t("suggest.similar_case", lang, number=case.number, department=case.department or "-",
                    outcome=(t(f"remedy.{case.remedy}", lang) if case.remedy
                             else t("suggest.not_founded", lang) if case.validity == "not_founded" else "-"),
                    satisfaction=case.satisfaction if case.satisfaction is not None else "-",
                    summary=" ".join(case.summary.split())))
        other = second_opinion(result)
        if other is not None:
            _say(second_opinion_text(result, other, lang, department_names(desk)))
    return 0


def _department_codes(settings: Any) -> list[str] | None:
    """The departments a rule may route to: those of the database when there is one, else None
    (the seven defaults of DOMAIN.md)."""
    from kesu_desk.domain.errors import DeskError
    from kesu_desk.services.users import active_department_codes

    try:
        desk = _open(settings, create=False)
    except DeskError:  # no database yet
        return None
    try:
        return active_department_codes(desk)
    finally:
        desk.close()


def cmd_rules(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.i18n import t
    from kesu_desk.rules import check_rules

    if args.rules_command == "review":
        return _rules_review(args, settings, lang)

    problems = check_rules(args.file, _department_codes(settings))
    for problem in problems:
        _say(str(problem))
    if problems:
        _say(t("rules.problems", lang, path=args.file, count=len(problems)), err=True)
        return EXIT_ERROR
    _say(t("rules.ok", lang, path=args.file))
    return 0


def _rules_review(args: argparse.Namespace, settings: Any, lang: str) -> int:
    import json

    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.present.suggestion_review import render_text
    from kesu_desk.services.suggestion_review import review_suggestions

    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError:
        wrong = args.end if _is_date(args.start) else args.start
        _say(t("cli.error_prefix", lang) + t("rules.review.bad_date", lang, value=wrong), err=True)
        return EXIT_USAGE
    if end < start:
        _say(t("cli.error_prefix", lang) + t("error.bad_period", lang, start=start.isoformat(),
                                             end=end.isoformat()), err=True)
        return EXIT_USAGE
    if not args.min_cases.isdigit() or int(args.min_cases) < 1:
        _say(t("cli.error_prefix", lang) + t("rules.review.bad_min_cases", lang, value=args.min_cases),
             err=True)
        return EXIT_USAGE
    desk = _signed_in(settings, Use.REPORT)
    review = review_suggestions(desk, start, end, min_cases=int(args.min_cases))
    if args.json:
        print(json.dumps(review.as_json(), ensure_ascii=False, indent=2))
    else:
        _write(render_text(review, lang), None, lang)
    return 0


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def cmd_tasks(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.i18n import t
    from kesu_desk.services.tasks import load_template, template_names, user_templates_dir

    if args.tasks_command == "templates":
        for name in template_names():
            _say(name)
        _say(t("tasks.own_folder", lang, folder=user_templates_dir()), err=True)
        return 0
    if args.tasks_command in ("add", "list", "done", "assign"):
        return _case_tasks(args, settings, lang)
    template = load_template(args.template)
    for number, step in enumerate(template.steps, start=1):
        after = t("tasks.after_start" if number == 1 or step.parallel else "tasks.after_previous", lang,
                  days=step.due_days)
        _say(f"{number}. {step.key} [{step.department}] {step.title_in(lang)} — {after}")
        for item in step.checklist:
            _say(f"   - {item}")
    return 0


def _case_tasks(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.present.formats import local_time
    from kesu_desk.services import case_tasks
    from kesu_desk.sla import utcnow
    from kesu_desk.text import visible_line

    desk = _signed_in(settings, Use.WORK)
    assert desk.identity is not None
    me = desk.identity.user.name
    if args.tasks_command == "add":
        rows = case_tasks.add_template(desk, me, args.case, args.template)
    elif args.tasks_command == "done":
        rows = [case_tasks.mark_done(desk, me, args.case, args.step, note=args.note)]
    elif args.tasks_command == "assign":
        rows = [case_tasks.assign_task(desk, me, args.case, args.step, args.owner)]
    else:
        rows = case_tasks.list_tasks(desk, args.case)
    now, tz = utcnow(), desk.calendar.tz
    for task in rows:
        if task.done_at is not None:
            state = t("tasks.done_by", lang, name=task.done_by or "-", at=local_time(task.done_at, tz))
        else:
            state = t("tasks.overdue" if task.overdue(now) else "tasks.due", lang, at=local_time(task.due_at, tz))
        owner = f" @{task.owner}" if task.owner else ""
        _say(f"{task.template}:{task.key} [{task.department}]{owner} {visible_line(task.title_in(lang))} — {state}"
             + (f" · {visible_line(task.note)}" if task.note else ""))
    return 0


def _write(text: str, output: Path | None, lang: str) -> None:
    """To FILE (saying so on standard error) or to standard output (a terminal is shown control
    characters as pictures; a file or a pipe gets the text as it is)."""
    from kesu_desk.i18n import t

    if output is None:
        sys.stdout.write(_for_terminal(text) if sys.stdout.isatty() else text)
        return
    output.write_text(text, encoding="utf-8")
    _say(t("report.written", lang, path=output), err=True)


def cmd_report(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.present.report import RENDERERS
    from kesu_desk.services.report import build_report

    _workbook_needs_a_file(args)
    desk = _signed_in(settings, Use.REPORT)
    # a period ending before it starts: one line
    report = build_report(desk, args.start, args.end, store=args.store)
    if args.format == "xlsx":
        from kesu_desk.i18n import t
        from kesu_desk.present.report import write_xlsx

        write_xlsx(report, lang, args.output)
        _say(t("report.written", lang, path=args.output), err=True)
        return 0
    _write(RENDERERS[args.format](report, lang), args.output, lang)
    return 0


def _workbook_needs_a_file(args: argparse.Namespace) -> None:
    """An Excel workbook is binary: never to a terminal or a pipe, only to ``-o FILE``."""
    from kesu_desk.domain.errors import WorkbookProblem

    if args.format == "xlsx" and args.output is None:
        raise WorkbookProblem("needs_output")


def cmd_print(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.present.record import FORM_RENDERERS, eight_d, record_form
    from kesu_desk.services.record_form import load_record

    desk = _signed_in(settings, Use.PRINT)
    if args.letter:  # issue 13: the customer's written answer, in the customer's language
        from kesu_desk.present.letter import render_letter
        from kesu_desk.services.letter import issue_letter

        assert desk.identity is not None
        letter = issue_letter(desk, desk.identity.user.name, args.case)
        _write(render_letter(letter, desk.calendar.tz), args.output, lang)
        return 0
    record = load_record(desk, args.case, eight_disciplines=args.eight_d)
    form = (eight_d if args.eight_d else record_form)(record, lang, desk.calendar.tz)
    _write(FORM_RENDERERS[args.format](form), args.output, lang)
    return 0


def cmd_audit(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services.audit import access_log
    from kesu_desk.services.report import period_bounds

    desk = _signed_in(settings, Use.AUDIT)
    since = until = None
    if args.start or args.end:
        since, until = period_bounds(desk, args.start or date(1990, 1, 1), args.end or date(9998, 12, 31))
    tz = desk.calendar.tz
    for entry in access_log(desk, since=since, until=until, user=args.who, limit=max(1, args.limit)):
        who = (t("access.acting_as", lang, admin=entry.admin, user=entry.user) if entry.admin
               else entry.user)
        asked = ", ".join(f"{k}={v}" for k, v in entry.details.items())
        rows = f" ({entry.rows})" if entry.rows is not None else ""
        _say(f"{entry.at.astimezone(tz):%Y-%m-%d %H:%M:%S}  {entry.use:<7} {who} [{entry.login}]  "
             f"{asked}{rows}")
    return 0


def cmd_customers(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services.privacy import erase_customer

    desk = _signed_in(settings, Use.ERASE)
    done = erase_customer(desk, args.phone)
    _say(t("cli.customer_erased", lang, id=done.customer_id, cases=done.cases, events=done.events))
    return 0


def cmd_products(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.domain.amounts import range_text
    from kesu_desk.i18n import t
    from kesu_desk.services import products

    if args.products_command == "import":
        if not args.file.is_file():
            _say(t("cli.error_prefix", lang) + t("cli.file_not_found", lang, path=args.file), err=True)
            return EXIT_ERROR
        desk = _signed_in(settings, Use.MANAGE, create=True)
        done = products.import_products(desk, args.file)
        _say(t("products.imported", lang, added=done.added, updated=done.updated))
        return 0
    desk = _signed_in(settings, Use.WORK)
    for p in products.list_products(desk, args.search):
        months = t("products.months", lang, months=p.warranty_months) if p.warranty_months is not None else "-"
        price = range_text(p.retail_price) if p.retail_price is not None else "-"
        retired = "  " + t("products.retired", lang, date=p.retired.isoformat()) if p.retired else ""
        _say(f"{p.code}  {t(f'products.kind_{p.kind.value}', lang)}  {p.name_in(lang)}  {months}  {price}  "
             f"{' '.join(p.barcodes)}{retired}")
    return 0


def cmd_inbox(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services import notifications
    from kesu_desk.text import one_line

    desk = _signed_in(settings, Use.WORK)
    assert desk.identity is not None
    me = desk.identity.user.name
    if args.inbox_command == "read":
        notifications.mark_read(desk, me, args.id)
        _say(t("notices.marked_read", lang, id=args.id))
        return 0
    if args.inbox_command == "confirm":
        notifications.confirm_batch(desk, me, args.id)
        _say(t("notices.confirmed", lang, id=args.id))
        return 0
    if args.inbox_command == "represent":
        told = notifications.representative(desk, me, args.number, comment=args.comment)
        _say(t("notices.told", lang, count=told))
        return 0
    notes = notifications.inbox(desk, me, unread=args.unread)
    if not notes:
        _say(t("notices.none", lang))
    tz = desk.calendar.tz
    for n in notes:
        state = t("notices.read", lang, who=n.read_by or "-") if n.read_at else t("notices.unread", lang)
        _say(f"{n.id:>6}  {n.created_at.astimezone(tz):%Y-%m-%d %H:%M}  {n.case_number}  "
             f"{t(f'notices.kind.{n.kind}', lang)}  [{n.department or n.user}]  {state}  {one_line(n.text)}")
    return 0


def cmd_dealers(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.domain.amounts import parse_amount
    from kesu_desk.i18n import t
    from kesu_desk.services import dealer_flow, dealers

    if args.dealers_command == "handover":
        return _handover(args, settings, lang)
    desk = _signed_in(settings, Use.DEALERS)
    if args.dealers_command == "add":
        added = dealer_flow.add_dealer(desk, args.name, contract_no=args.contract, representative=args.representative,
                                       contact=args.contact, phone=args.phone, region=args.region)
        _say(t("dealers.flow.added", lang, dealer=added.dealer, id=added.dealer_id, contract=added.contract_no))
        return 0
    if args.dealers_command == "link":
        dealers.link(desk, args.customer, args.dealer)
        _say(t("dealers.linked", lang, customer=args.customer, dealer=args.dealer))
        return 0
    if args.dealers_command == "list":
        for each in dealers.list_balances(desk):
            _say(f"{each.dealer_id:>6}  " + t("dealers.balance", lang, dealer=each.dealer,
                 purchases=dealers.money(each.purchases_cents), allowance=dealers.money(each.allowance_cents),
                 charged=dealers.money(each.charged_cents), left=dealers.money(each.left_cents)))
        return 0
    if args.dealers_command == "purchase":
        balance = dealers.record_purchase(desk, args.dealer, parse_amount(args.amount), args.date)
    elif args.dealers_command == "charge":
        balance = dealers.charge(desk, args.dealer, parse_amount(args.amount),
                                 approved_by=args.approved_by, note=args.note)
    else:
        balance = dealers.balance(desk, args.dealer)
        found = dealer_flow.contract(desk, args.dealer)
        _say(t("dealers.flow.contract", lang, contract=found.contract_no, representative=found.representative,
               contact=found.contact, phone=found.phone, region=found.region) if found
             else t("dealers.flow.no_contract", lang))
    _say(t("dealers.balance", lang, dealer=balance.dealer, purchases=dealers.money(balance.purchases_cents),
           allowance=dealers.money(balance.allowance_cents), charged=dealers.money(balance.charged_cents),
           left=dealers.money(balance.left_cents)))
    if balance.left_cents <= 0:
        _say(t("dealers.used_up", lang))
    return 0


def _handover(args: argparse.Namespace, settings: Any, lang: str) -> int:
    """``dealers handover CASE``: any desk user who may work the case (Use.WORK)."""
    from kesu_desk.domain.access import Use
    from kesu_desk.i18n import t
    from kesu_desk.services import dealer_flow

    desk = _signed_in(settings, Use.WORK)
    assert desk.identity is not None
    dealer = dealer_flow.hand_over(desk, desk.identity.user.name, args.case, comment=args.comment)
    _say(t("dealers.flow.handed_over", lang, number=args.case, dealer=dealer.name, contact=dealer.contact or "-",
           phone=dealer.phone or "-"))
    return 0


def cmd_parts(args: argparse.Namespace, settings: Any, lang: str) -> int:
    from kesu_desk.domain.access import Use
    from kesu_desk.domain.amounts import amount_cents, parse_amount
    from kesu_desk.services.spare_parts import advice_line

    desk = _signed_in(settings, Use.WORK)
    if args.parts_command == "send":
        return _send_parts(desk, args, lang)
    price = amount_cents(parse_amount(args.price)) or 0
    _say(advice_line(desk, args.case, lang, warranty_months=args.warranty_months, price_cents=price))
    return 0


def _send_parts(desk: Any, args: argparse.Namespace, lang: str) -> int:
    from kesu_desk.domain.amounts import parse_amount
    from kesu_desk.i18n import t
    from kesu_desk.services import dealer_flow
    from kesu_desk.services.dealers import money

    assert desk.identity is not None
    sent = dealer_flow.send_parts(desk, desk.identity.user.name, args.case, args.part, qty=args.qty,
                                  price=parse_amount(args.price) if args.price else None,
                                  charged_to=args.charge, approved_by=args.approved_by)
    _say(t("dealers.flow.sent", lang, number=sent.case, qty=sent.qty, part=sent.part_code, name=sent.name,
           price=money(sent.unit_price_cents), charged_to=t(f"dealers.charge.{sent.charged_to}", lang)))
    if sent.left_cents is not None:
        _say(t("dealers.flow.left", lang, dealer=sent.dealer, left=money(sent.left_cents)))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Any, str], int]] = {
    "inbox": cmd_inbox,
    "parts": cmd_parts,
    "dealers": cmd_dealers,
    "audit": cmd_audit,
    "customers": cmd_customers,
    "products": cmd_products,
    "report": cmd_report,
    "print": cmd_print,
    "suggest": cmd_suggest,
    "rules": cmd_rules,
    "tasks": cmd_tasks,
    "tui": cmd_tui,
    "demo": cmd_demo,
    "users": cmd_users,
    "departments": cmd_departments,
    "stores": cmd_stores,
    "db": cmd_db,
    "backup": cmd_backup,
    "export": cmd_export,
    "import": cmd_import,
    "serve": cmd_serve,
    "mail": cmd_mail,
    "evidence": cmd_evidence,
}
