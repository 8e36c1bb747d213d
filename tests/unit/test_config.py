"""What the settings check knows stays true to the code it guards: the queue's sort orders, the
binding ids a keymap may name, and a message of what is allowed for every setting."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from kesu_desk.config import Deadlines, QueueFilters, QueueSort, Settings, _allowed
from kesu_desk.i18n import catalogue


def test_the_sort_orders_are_the_queues() -> None:
    from kesu_desk.store.queries import Sort

    assert get_args(QueueSort) == tuple(s.value for s in Sort)


def test_every_binding_id_may_be_remapped() -> None:
    from textual.binding import Binding

    import kesu_desk.app
    import kesu_desk.screens
    import kesu_desk.widgets

    modules: list[Any] = [kesu_desk.app]
    for package in (kesu_desk.screens, kesu_desk.widgets):
        modules += [importlib.import_module(f"{package.__name__}.{m.name}")
                    for m in pkgutil.iter_modules(package.__path__)]
    ids = {
        b.id for module in modules for cls in vars(module).values() if inspect.isclass(cls)
        for b in getattr(cls, "BINDINGS", None) or [] if isinstance(b, Binding) and b.id
    }
    assert len(ids) > 50
    for binding_id in ids:
        Settings(keymap={binding_id: "f12"})  # accepted, not refused as unknown


def _fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    return [(*prefix, name) for name in model.model_fields]


@pytest.mark.parametrize(
    "loc", [*_fields(Settings), *_fields(Deadlines, ("deadlines",)),
            *_fields(QueueFilters, ("queue_filters",)), ("keymap", "queue.new")],
    ids=".".join,
)
def test_every_setting_says_what_it_allows(loc: tuple[str, ...]) -> None:
    kind, params = _allowed(loc)
    assert kind != "readme"
    for lang in ("zh", "en", "es"):
        message = catalogue(lang)[f"settings.allowed.{kind}"]
        assert message.format(**params)  # every placeholder has its parameter


def test_the_countries_allowed_are_those_the_holidays_package_has_calendars_for() -> None:
    """country_codes() reads them from the package's registry without importing it: the same
    codes, aliases included, as the package gives when asked."""
    from holidays.registry import EntityLoader

    from kesu_desk.config import country_codes

    assert country_codes() == set(EntityLoader.get_country_codes())
    assert {"CN", "CHN", "ES", "GB", "UK"} <= country_codes()
    assert Settings(country="cn").country == "CN"
    with pytest.raises(ValueError, match="unknown country"):
        Settings(country="XX")
