"""Issue 11.6: escape sequences typed into a field never reach the terminal from the command line.

The screens show control characters as pictures (ESC → ␛); every text the command line prints
that can carry what somebody typed — a record form, a review, the users, import errors, error
messages, suggestions — shows them the same way, and so does anything written to a terminal.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from casesteps import PEOPLE, desk_settings, draft, real_login
from kesu_desk.cli import main
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow

# Window title (OSC 0, ended by BEL), clear screen (CSI), a hyperlink (OSC 8, ended by ST) and
# the 8-bit CSI some terminals take as ESC [.
TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
LINK = "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
CSI8 = "\x9b2J"
HOSTILE = f"壶盖漏水{TITLE}{CLEAR}{LINK}{CSI8}"
CONTROLS = ("\x1b", "\x07", "\x9b")


def clean(text: str) -> bool:
    return not any(c in text for c in CONTROLS)


class Data:
    def __init__(self, url: str, number: str, today: str) -> None:
        self.url, self.number, self.today = url, number, today


@pytest.fixture
def data(sqlite_url: str) -> Iterator[Data]:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    users.add_user(desk, real_login(), "admin")  # who runs the commands started as processes
    users.add_user(desk, f"eve{TITLE}", "agent", display_name=f"Eve{CLEAR}")
    view = cases.register_case(desk, "ag", draft(description=HOSTILE, customer_name=f"李{TITLE}",
                                                 customer_request=f"退款{LINK}"))
    cases.mark_typical(desk, "sup", view.number)
    cases.decide_validity(desk, "ag", view.number, founded=False, reason=f"使用不当{CLEAR}")
    today = desk.calendar.local_date(utcnow()).isoformat()
    desk.close()
    yield Data(sqlite_url, view.number, today)


def out_of(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_print_shows_escape_sequences_as_pictures(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = out_of(capsys, "--db", data.url, "--lang", "en", "print", data.number)
    assert clean(out)
    assert "壶盖漏水␛\\]0;pwned␇␛\\[2J" in out  # Markdown escapes the brackets, the pictures stay
    html, _ = out_of(capsys, "--db", data.url, "--lang", "en", "print", data.number, "--format", "html")
    assert clean(html) and "壶盖漏水␛]0;pwned␇␛[2J" in html


def test_the_review_in_markdown_shows_them_as_pictures(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = out_of(capsys, "--db", data.url, "report", "--from", data.today, "--to", data.today)
    assert clean(out) and "壶盖漏水␛\\]0;pwned␇" in out


def test_users_add_and_list_show_names_as_pictures(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = out_of(capsys, "--db", data.url, "users", "add", f"mal{TITLE}", "--role", "agent",
                    "--display-name", f"Mal{LINK}")
    assert clean(out) and "mal␛]0;pwned␇" in out
    out, _ = out_of(capsys, "--db", data.url, "users", "list")
    assert clean(out) and "eve␛]0;pwned␇" in out and "Eve␛[2J" in out and "Mal␛]8;;" in out


def test_import_errors_show_what_the_file_holds_as_pictures(
    data: Data, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"phone,description,colour{TITLE}\n13800138000,漏水,red\n", encoding="utf-8")
    _, err = out_of(capsys, "--db", data.url, "--user", "sup", "import", str(bad), code=1)
    assert clean(err) and "colour␛]0;pwned␇" in err
    missing = tmp_path / f"no{CLEAR}.csv"
    _, err = out_of(capsys, "--db", data.url, "--user", "sup", "import", str(missing), code=1)
    assert clean(err) and "no␛[2J.csv" in err


def test_error_messages_echo_values_as_pictures(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    _, err = out_of(capsys, "--db", data.url, "print", f"KS-{TITLE}", code=1)
    assert clean(err) and "KS-␛]0;pwned␇" in err
    some = Path(data.url.removeprefix("sqlite:///")).with_name("some.csv")
    some.write_text("phone,description\n13800138000,漏水\n", encoding="utf-8")
    _, err = out_of(capsys, "--db", data.url, "--user", f"x{CLEAR}", "import", str(some), code=1)
    assert clean(err) and "x␛[2J" in err
    _, err = out_of(capsys, "--db", data.url, "users", "add", "li", "--role", "handler", "--dept",
                    f"Q{TITLE}", code=1)
    assert clean(err) and "Q␛]0;pwned␇" in err


def test_a_bad_flag_echoes_it_as_pictures(data: Data) -> None:
    done = subprocess.run([sys.executable, "-m", "kesu_desk", "--db", data.url, "users", "list", TITLE],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and clean(done.stderr) and "␛]0;pwned␇" in done.stderr


def test_suggest_shows_similar_cases_as_pictures(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = out_of(capsys, "--db", data.url, "--lang", "en", "suggest", f"壶盖漏水{TITLE}")
    assert data.number in out  # the not-founded case is among the similar ones
    assert clean(out) and "壶盖漏水␛]0;pwned␇" in out


def on_a_terminal(*args: str) -> str:
    """Standard output of ``kesu-desk ARGS`` when it is a terminal (a pseudo-terminal here)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kesu_desk", *args], stdout=follower,
                               stderr=subprocess.DEVNULL, env=dict(os.environ))
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: Linux says EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("args", [["export"], ["export", "--format", "jsonl"],
                                  ["report", "--format", "csv"], ["report", "--format", "html"]])
def test_files_written_to_a_terminal_show_controls_as_pictures(data: Data, args: list[str]) -> None:
    if args[0] == "report":
        args = [*args, "--from", data.today, "--to", data.today]
    out = on_a_terminal("--db", data.url, *args)
    assert "壶盖漏水␛]0;pwned␇" in out or "壶盖漏水\\u001b]0;pwned\\u0007" in out
    assert clean(out)


def test_files_keep_what_was_typed(data: Data, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file is not a terminal: CSV and JSONL keep the data exactly (JSON escapes controls)."""
    target = tmp_path / "cases.csv"
    out_of(capsys, "--db", data.url, "export", "-o", str(target))
    assert HOSTILE in target.read_text(encoding="utf-8")
    out, _ = out_of(capsys, "--db", data.url, "export", "--format", "jsonl")
    assert "壶盖漏水\\u001b]0;pwned\\u0007" in out and clean(out)
