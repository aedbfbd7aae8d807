"""Tabs that the apps above `lines` add to a line's page (the call data's "Call data").

The lines app may not import those apps (the layers of .importlinter), so each registers
a function with `line_page_tab` from its AppConfig.ready(); the line page asks each for
its tab. A function answers None when the tab is not for this user (a role that may not
see what it shows): the tab is then not on the page at all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from .models import Line


@dataclass(frozen=True)
class LineTab:
    """One tab: its panel's id (the tab's link is `#id`), the tab's label, the template
    of its panel and that template's context (the line page's own context is there too)."""

    id: str
    label: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


LineTabMaker = Callable[[HttpRequest, Line], LineTab | None]
_makers: list[LineTabMaker] = []


def line_page_tab(maker: LineTabMaker) -> LineTabMaker:
    """Register `maker(request, line)`, called for each line page; as a decorator too."""
    if maker not in _makers:
        _makers.append(maker)
    return maker


def line_page_tabs(request: HttpRequest, line: Line) -> list[LineTab]:
    """The tabs the registered apps add for this request, in the order registered."""
    return [tab for maker in _makers if (tab := maker(request, line)) is not None]
