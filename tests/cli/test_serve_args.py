"""`kesu-desk serve --ssh` refuses a wrong address or idle time in one line, before it opens anything."""

from __future__ import annotations

import pytest

from kesu_desk.cli import main


@pytest.mark.parametrize(("args", "says"), [
    (["--ssh", "localhost"], "not [HOST:]PORT"),
    (["--ssh", "127.0.0.1:70000"], "not [HOST:]PORT"),
    (["--ssh", "2222", "--idle-minutes", "0"], "more than 0 and at most 1440 minutes"),
])
def test_a_wrong_address_or_idle_time_is_one_line(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    assert main(["--db", sqlite_url, "--lang", "en", "serve", *args]) != 0
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
