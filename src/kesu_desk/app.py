"""The Textual application. For now one screen: who you are, the case counts and the newest cases
(the full queue, intake and case screens come with their own issue)."""

from __future__ import annotations

from dataclasses import replace
from importlib.resources import files
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from kesu_desk.domain.workflow import Actor
from kesu_desk.i18n import catalogue, t
from kesu_desk.services.desk import Desk


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Footer and help texts in the user's language: each binding's description is looked up by
    its id (or, for Textual's own, its action) under [keys] in the catalogue."""
    names = catalogue(lang)
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_localised(b, names) for b in bindings]


def _localised(binding: Binding, names: dict[str, str]) -> Binding:
    # Textual's own bindings have no id: they are named by their action instead.
    for name in (f"keys.{binding.id}", f"keys.{binding.action}"):
        if name in names:
            return replace(binding, description=names[name])
    return binding


def key_help(node: DOMNode) -> list[tuple[str, str]]:
    """(keys, description) of every binding of ``node``, as currently mapped (footer or not)."""
    rows: dict[str, list[str]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        for b in bindings:
            if b.description and not b.system:
                rows.setdefault(b.description, []).append(node.app.get_key_display(replace(b, key=key)))
    return [(", ".join(keys), description) for description, keys in rows.items()]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        rows = key_help(self.app) + key_help(self)
        width = max(cell_len(k) for k, _ in rows)
        lines = [t("app.help_title", self.lang), ""]
        lines += [k + " " * (width - cell_len(k) + 2) + d for k, d in rows]
        with Vertical(id="help"):
            yield Static(Text("\n".join(lines)))


class KesuDesk(App[None]):
    CSS_PATH = str(files("kesu_desk.assets") / "app.tcss")
    TITLE = "kesu-desk"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f5", "refresh", "Refresh", id="app.refresh"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "Commands", id="app.commands", show=False, priority=True),
    ]

    def __init__(self, desk: Desk, actor: Actor, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self.actor = actor
        self.lang = lang
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.actor.name} · {t(f'role.{self.actor.role.value}', self.lang)}"
        table = self.query_one("#cases", DataTable)
        for key in ("number", "status", "severity", "department", "customer", "summary"):
            table.add_column(t(f"app.col_{key}", self.lang), key=key)
        self.set_keymap(self.desk.settings.keymap)
        self.action_refresh()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_refresh(self) -> None:
        self.load_cases()

    @work(thread=True, exclusive=True, exit_on_error=False, group="db")
    def load_cases(self) -> tuple[int, list[Any]]:
        from kesu_desk.services.queue import queue_count, queue_page

        return queue_count(self.desk), queue_page(self.desk, limit=100)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.notify(t("app.db_error", self.lang, reason=str(event.worker.error)), severity="error")
        elif event.state is WorkerState.SUCCESS and event.worker.group == "db":
            total, rows = event.worker.result  # type: ignore[misc]
            self.query_one("#summary", Static).update(Text(t("app.summary", self.lang, total=total)))
            table = self.query_one("#cases", DataTable)
            table.clear()
            for r in rows:
                table.add_row(
                    r.number,
                    t(f"status.{r.status.value}", self.lang),
                    t(f"severity.{r.severity.value}", self.lang),
                    r.department or "-",
                    Text(r.customer),
                    Text(r.summary),
                    key=r.number,
                )
