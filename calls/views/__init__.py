"""The call-data screens: for intelligence officers only (every URL refuses the other
roles), every analysis viewed audited with the numbers looked at
(`calls.consultation.call_data_consulted`), every number typed held in the session and
never written in a URL or a title (records/held_search.py)."""

from .analyses import (
    common_contacts,
    handset_continuity,
    home,
    number_profile,
    possible_new_lines,
)
from .line_tab import successor_attribute
from .sources import source_create, source_detail, source_export, source_list, source_update

__all__ = [
    "common_contacts",
    "handset_continuity",
    "home",
    "number_profile",
    "possible_new_lines",
    "source_create",
    "source_detail",
    "source_export",
    "source_list",
    "source_update",
    "successor_attribute",
]
