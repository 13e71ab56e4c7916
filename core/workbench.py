"""The workbench (工作台): the admin's index page, made of what each app asks its users to see to.

An app lists its to-dos and shortcuts in `<app>/workbench.py` with `@workbench.items` and
`@workbench.shortcuts`; core imports those modules when Django starts (`autodiscover`), never
the apps themselves. A to-do is counted in a fixed number of queries and links to the very
records it counts (a filtered changelist, the register or list that shows them); one with
nothing to count is left out. Each provider checks the user's permission and scope itself.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Item:
    """A to-do: `count` records waiting at `url`."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str


_item_providers = []
_shortcut_providers = []


def items(provider):
    """Registers `provider(request, today) -> list[Item]`."""
    _item_providers.append(provider)
    return provider


def shortcuts(provider):
    """Registers `provider(request) -> list[Shortcut]`."""
    _shortcut_providers.append(provider)
    return provider


def autodiscover():
    autodiscover_modules("workbench")


def workbench(request, today=None):
    """The to-dos (those with something to count) and the shortcuts of the signed-in user."""
    today = today or timezone.localdate()
    todo = [item for p in _item_providers for item in p(request, today) if item.count]
    links = [link for p in _shortcut_providers for link in p(request)]
    return {"items": todo, "shortcuts": links, "today": today}
